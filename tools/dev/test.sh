#!/usr/bin/env bash
# The README's test command, and what CI runs: set up, then
#   1. the normal build and the whole CTest suite,
#   2. the same suite built with ASan+UBSan,
#   3. each libFuzzer target for a bounded time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz_seconds=${DUBAN_FUZZ_SECONDS:-45}

"$root/tools/dev/setup.sh"

echo "== build and test (RelWithDebInfo)"
"$root/tools/dev/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

echo "== build and test (ASan+UBSan)"
# The benchmarks (run by hand) are built by the first stage; no test needs them sanitized.
"$root/tools/dev/build.sh" "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DDUBAN_SANITIZE=ON \
  -DDUBAN_TOOLS=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j "$(nproc)"

# Four targets at 45 s each: about the three minutes three targets at 60 s took.
echo "== fuzz (${fuzz_seconds}s per target)"
CC=clang CXX=clang++ DUBAN_BUILD_TARGETS="fuzz_gazette fuzz_client_message fuzz_http_request fuzz_convert" \
  "$root/tools/dev/build.sh" "$root/build-fuzz" -DDUBAN_FUZZ=ON
for target in "$root"/build-fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  work=$(mktemp -d)
  cp "$root"/tests/fuzz/seeds/"$name"/* "$work"/ 2>/dev/null || true
  "$target" "$work" -max_total_time="$fuzz_seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | tail -n 12
  rm -rf "$work"
done
echo "test.sh: all stages passed"
