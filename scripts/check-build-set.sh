#!/usr/bin/env bash
# check-build-set.sh - proves that the product and `make demo` need nothing outside the build set
# of scripts/deps.sh: a fresh Debian 12 machine running `make demo` has only that set.
#
# 1. Every pkg-config module the product's CMakeLists.txt requires comes from a package of the
#    build set, and every program `make product`/`make demo` runs comes from the build set, its
#    dependencies or an essential package.
# 2. With the .pc files of every package outside the build set hidden (cmocka among them), the
#    product configures (tests left out), builds through `make product`, makes a small demo
#    district and serves it on a loopback port.
# Exit 0 when all holds; 1 with the package or program at fault named.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${AG_CHECK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/auditgrid-buildset.XXXXXX")}
BUILD_DIR=${AG_CHECK_BUILD:-build-buildset}
srv=""
cleanup() {
    if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mapfile -t build_set < <(scripts/deps.sh --list build)
mapfile -t other_set < <( (scripts/deps.sh --list test; scripts/deps.sh --list bench;
                           scripts/deps.sh --list fuzz) | sort -u)
fail=0
bad() { echo "不在构建依赖集中 not in the build set: $*" >&2; fail=1; }

# The build set and everything apt installs with it (its dependency closure).
closure="$WORK/closure.txt"
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${build_set[@]}" 2>/dev/null |
    sed -n 's/^\([a-z0-9][^ :]*\).*/\1/p; s/^ *[A-Za-z]*Depends: \([^<][^ :]*\).*/\1/p' |
    sort -u >"$closure"
printf '%s\n' "${build_set[@]}" >>"$closure"

pkg_of() { # the Debian package that installed a file
    dpkg -S "$1" 2>/dev/null | head -n1 | cut -d: -f1 | sed 's/,.*//'
}
in_build() { printf '%s\n' "${build_set[@]}" | grep -qx "$1"; }
in_closure() { grep -qx "$1" "$closure"; }
essential() { [ "$(dpkg-query -W -f='${Essential}' "$1" 2>/dev/null)" = yes ]; }

# 1a. The product's pkg-config modules (top-level pkg_check_modules; the test suite's are indented).
n=0
while read -r mod; do
    n=$((n + 1))
    pc=$(pkg-config --path "$mod" 2>/dev/null) || { bad "pkg-config module $mod (not installed)"; continue; }
    pkg=$(pkg_of "$(readlink -f "$pc")")
    if [ -z "$pkg" ] || ! in_build "$pkg"; then bad "pkg-config module $mod from package '${pkg:-?}'"; fi
done < <(sed -n 's/^pkg_check_modules([A-Z0-9_]* REQUIRED IMPORTED_TARGET \([^ )>=<]*\).*/\1/p' CMakeLists.txt)
[ "$n" -ge 5 ] || { echo "check-build-set: found only $n modules in CMakeLists.txt; is the pattern stale?" >&2; exit 1; }
echo "pkg-config modules of the product: $n, all from the build set"

# 1b. The programs `make product` and `make demo` run.
for prog in make cmake cc gcc pkg-config node npm; do
    p=$(command -v "$prog") || { bad "program $prog (not found)"; continue; }
    pkg=$(pkg_of "$(readlink -f "$p")")
    [ -n "$pkg" ] || pkg=$(pkg_of "$p")
    if [ -z "$pkg" ]; then bad "program $prog ($p belongs to no package)"; continue; fi
    if ! in_closure "$pkg" && ! essential "$pkg"; then bad "program $prog from package $pkg"; fi
done
echo "programs of make demo: from the build set"

# 2. Hide the .pc files of every package outside the build set and build the product.
pcdir="$WORK/pkgconfig"
mkdir -p "$pcdir"
hidden="$WORK/hidden.txt"
: >"$hidden"
for p in "${other_set[@]}"; do
    in_build "$p" && continue
    dpkg -L "$p" 2>/dev/null | grep '\.pc$' >>"$hidden" || true
done
IFS=: read -r -a pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pc_dirs[@]}"; do
    [ -d "$d" ] || continue
    for f in "$d"/*.pc; do
        [ -e "$f" ] || continue
        grep -qx "$f" "$hidden" && continue
        [ -e "$pcdir/$(basename "$f")" ] || ln -s "$f" "$pcdir/$(basename "$f")"
    done
done
export PKG_CONFIG_LIBDIR="$pcdir" PKG_CONFIG_PATH=""
if pkg-config --exists cmocka; then
    echo "check-build-set: cmocka is still visible; the hiding does not work" >&2
    exit 1
fi
echo "hidden .pc files of packages outside the build set: $(wc -l <"$hidden")"

rm -rf "$BUILD_DIR"
log="$WORK/product.log"
if ! make product BUILD="$BUILD_DIR" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "check-build-set: make product failed with only the build set visible" >&2
    exit 1
fi
grep -q 'tests not configured' "$log" || { echo "check-build-set: tests/ was configured without cmocka?" >&2; exit 1; }
[ ! -e "$BUILD_DIR/tests" ] || { echo "check-build-set: $BUILD_DIR/tests exists without cmocka" >&2; exit 1; }
echo "make product with the build set only: ok"

# The demo district, small, then served: what `make demo` does, minus the million lines.
"$BUILD_DIR/auditgrid" --db "$WORK/demo.db" demo --seed 3 --lines 20000 --no-serve >"$WORK/demo.log" 2>&1 ||
    { tail -n 20 "$WORK/demo.log" >&2; echo "check-build-set: the demo failed" >&2; exit 1; }
"$BUILD_DIR/auditgrid" --db "$WORK/demo.db" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
srv=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$WORK/serve.out" | head -n1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$WORK/serve.err" >&2; echo "check-build-set: the server did not start" >&2; exit 1; }
# A plain HTTP/1.0 request over bash's /dev/tcp: curl belongs to the test set.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
status=$(head -n1 <&3 | tr -d '\r')
exec 3<&-
case "$status" in
    *" 200"*) echo "demo served on 127.0.0.1:$port: $status" ;;
    *) echo "check-build-set: /api/v1/health answered '$status'" >&2; exit 1 ;;
esac
rm -rf "$BUILD_DIR"
[ "$fail" -eq 0 ] || exit 1
echo "check-build-set: ok"
