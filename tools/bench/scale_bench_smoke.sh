#!/usr/bin/env bash
# scale_bench_smoke: a bounded scale_bench run (SQLite and a throwaway PostgreSQL, 2,000 tasks)
# whose output must hold every row of both tables; proves the bench runs, not its figures.
#   tools/bench/scale_bench_smoke.sh SCALE_BENCH_BINARY
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 SCALE_BENCH_BINARY" >&2; exit 2; }
out=$("$1" --store both --events 20000 --tasks 2000 --units 50 --queries 50 --appends 50)
echo "$out"
for store in SQLite PostgreSQL; do
  table=$(echo "$out" | sed -n "/^$store: /,/^\$/p")
  [ -n "$table" ] || { echo "FAIL: no $store table" >&2; exit 1; }
  for row in "log on disk per event" "read model RSS per task" "read model heap per task" \
      "cold start, full replay" "cold start, from snapshot" "inbox(unit)" "overdue(now)" \
      "document(doc)" "append 1 command"; do
    grep -qF "$row" <<<"$table" || { echo "FAIL: $store has no row '$row'" >&2; exit 1; }
  done
  grep -q "2,0[0-9][0-9] tasks, 50 units" <<<"$table" ||
    { echo "FAIL: $store did not measure 2,000 tasks over 50 units" >&2; exit 1; }
done
echo "scale_bench_smoke: every row present for SQLite and PostgreSQL"
