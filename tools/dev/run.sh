#!/usr/bin/env bash
# The README's run command: set up, build, ingest the bundled gazette into the embedded event
# store (SQLite, build/demo.db) and show what the log now holds. Running it again is harmless:
# the same text appends nothing. Extra arguments go to the final `duban tasks`, e.g.
# `bash tools/dev/run.sh --unit 省粮食局` or `--overdue` or `--scorecard`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/tools/dev/setup.sh"
"$root/tools/dev/build.sh" "$root/build"
duban="$root/build/app/duban"
db="$root/build/demo.db"
echo "== duban ingest (event store: $db)"
"$duban" ingest "$root/data/qinghai-gazette-2015-08.md" --db "$db"
echo
echo "== duban tasks: documents by task status and deadline light"
"$duban" tasks --db "$db" "$@"
if [ $# -eq 0 ]; then
  echo
  echo "== duban tasks --unit 省粮食局: one unit's inbox"
  "$duban" tasks --db "$db" --unit 省粮食局
fi
