#!/usr/bin/env bash
# Configures and builds one build tree: tools/dev/build.sh [BUILD_DIR] [extra cmake args...]
# DUBAN_BUILD_TARGETS="a b" builds only those targets.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$root/build}
shift || true
# Clones in other folders share the ccache when paths are relative to the source root.
export CCACHE_BASEDIR=$root
export CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
targets=()
for t in ${DUBAN_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
