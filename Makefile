# auditgrid - top-level wrapper around CMake/CTest. `make help` lists targets.
BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DIR   ?= demo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

.PHONY: all deps deps-test deps-fuzz build product check-build-set check-layers web web-test-deps screenshots test asan-test fuzz demo clean format format-check help

all: build

help:
	@echo "make deps       install missing Debian packages (apt-get)"
	@echo "make            build $(BUILD)/auditgrid and, when cmocka is installed, the tests"
	@echo "make product    build $(BUILD)/auditgrid only (the build set of scripts/deps.sh suffices)"
	@echo "make check-build-set  prove the product and the demo need nothing outside the build set"
	@echo "make check-layers     no SQL or transactions in cli/ and http/, no backend types outside store/"
	@echo "make test       build and run the whole suite through CTest"
	@echo "make asan-test  the same suite under AddressSanitizer + UBSan"
	@echo "make screenshots  browser screenshots of the UI into docs/img/"
	@echo "make demo       build the demo district in $(DEMO_DIR)/auditgrid.db and serve it on 127.0.0.1:8080"
	@echo "make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 30)"
	@echo "make format     clang-format the C sources; format-check only checks"

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt web
	cmake --build $(BUILD) -j $(JOBS)

# The binary and the browser UI only: what `make demo` needs, from the build set alone.
product: deps $(BUILD)/CMakeCache.txt web
	cmake --build $(BUILD) -j $(JOBS) --target auditgrid

# Proves the fresh-machine path: every package the product and `make demo` need is in the build
# set of scripts/deps.sh, and the product configures, builds and makes a small demo district with
# the test packages hidden (CI runs it).
check-build-set:
	scripts/check-build-set.sh

check-layers:
	scripts/check-layers.sh

# The browser UI: ECharts from npm (web/package-lock.json), copied to web/vendor/ so the server
# needs no network. tests/web gets playwright-core for the browser tests.
web: web/vendor/echarts.min.js

web/node_modules/echarts/dist/echarts.min.js: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/vendor/echarts.min.js: web/node_modules/echarts/dist/echarts.min.js
	@mkdir -p web/vendor
	cp $< $@

tests/web/node_modules/playwright-core/package.json: tests/web/package.json tests/web/package-lock.json
	cd tests/web && npm ci --no-audit --no-fund
	@touch $@

web-test-deps: tests/web/node_modules/playwright-core/package.json

# Screenshots of the dashboard, a unit page and the inbox for docs/img/ (taken by the browser tests).
screenshots: build web-test-deps
	AG_BIN=$(BUILD)/auditgrid AG_SCREENSHOTS=1 node --test tests/web/

test: deps-test $(BUILD)/CMakeCache.txt web web-test-deps
	cmake -S . -B $(BUILD) -DAG_TESTS=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DAG_SANITIZE=ON $(CMAKE_ARGS)

asan-test: deps-test $(ASAN_BUILD)/CMakeCache.txt web web-test-deps
	cmake -S . -B $(ASAN_BUILD) -DAG_TESTS=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

deps-fuzz:
	@scripts/deps.sh fuzz

# Each fuzz target runs for a bounded time from the seed corpus in fuzz/corpus/<target>.
fuzz: deps-fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DAG_FUZZ=ON -DAG_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=Debug $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $$(cd fuzz && ls fuzz_*.c | sed 's/\.c$$//')
	@set -e; for f in fuzz/fuzz_*.c; do t=$$(basename $$f .c); \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		seeds=""; [ -d fuzz/corpus/$$t ] && seeds=fuzz/corpus/$$t; \
		echo "== $$t ($(FUZZ_SECONDS) s)"; \
		rc=0; $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-print_final_stats=1 $(FUZZ_BUILD)/corpus/$$t $$seeds >$(FUZZ_BUILD)/$$t.log 2>&1 || rc=$$?; \
		tail -n 12 $(FUZZ_BUILD)/$$t.log; \
		if [ $$rc -ne 0 ]; then echo "$$t failed (exit $$rc); see $(FUZZ_BUILD)/$$t.log"; exit 1; fi; \
	done

demo: product
	@mkdir -p $(DEMO_DIR)
	$(BUILD)/auditgrid --db $(DEMO_DIR)/auditgrid.db demo --force

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/vendor
