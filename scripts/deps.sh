#!/usr/bin/env bash
# deps.sh - installs the Debian packages auditgrid needs, only those missing.
# Usage: scripts/deps.sh [build|test|bench|fuzz]   (each set includes the build set)
#        scripts/deps.sh --list SET                print the packages of a set, one a line
# The build set is all `make demo` needs on a fresh Debian 12: the compiler and CMake, the
# libraries of the product, and node with npm for the browser UI's front-end packages (ECharts).
# scripts/check-build-set.sh proves it (CI).
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libsqlite3-dev libsodium-dev libjansson-dev libzip-dev libexpat1-dev libmicrohttpd-dev libxlsxwriter-dev nodejs)
test_pkgs=(libcmocka-dev sqlite3 jq curl openssl chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils)
bench_pkgs=(hyperfine bc python3-pandas nodejs wrk)
fuzz_pkgs=(clang libclang-rt-14-dev)

list=false
if [ "${1:-}" = "--list" ]; then list=true; shift; fi

want=("${build_pkgs[@]}")
case "${1:-test}" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    fuzz) want+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
    *) echo "usage: $0 [build|test|bench|fuzz]" >&2; exit 2 ;;
esac

# Debian's nodejs comes without npm (its own package); NodeSource's nodejs brings npm along and
# conflicts with Debian's npm, so npm is wanted only when no npm command is there.
if ! command -v npm >/dev/null 2>&1; then want+=(npm); fi

if $list; then printf '%s\n' "${want[@]}"; exit 0; fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装缺少的软件包 installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=sudo; else
        echo "需要 root 权限安装软件包 root is needed to install: ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
