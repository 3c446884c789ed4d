# auditgrid - top-level wrapper around CMake/CTest. `make help` lists targets.
BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DIR   ?= demo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps deps-test build test asan-test demo clean format format-check help

all: build

help:
	@echo "make deps       install missing Debian packages (apt-get)"
	@echo "make            build $(BUILD)/auditgrid"
	@echo "make test       build and run the whole suite through CTest"
	@echo "make asan-test  the same suite under AddressSanitizer + UBSan"
	@echo "make demo       build the demo district in $(DEMO_DIR)/auditgrid.db"
	@echo "make format     clang-format the C sources; format-check only checks"

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: deps-test $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAG_SANITIZE=ON $(CMAKE_ARGS)

asan-test: deps-test $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

demo: build
	@mkdir -p $(DEMO_DIR)
	$(BUILD)/auditgrid --db $(DEMO_DIR)/auditgrid.db demo --force --no-serve

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
