#!/usr/bin/env bash
# The README's run command: set up, build, ingest the bundled gazette into the embedded event
# store (SQLite, build/demo.db), then serve it on 127.0.0.1: `duban serve --demo-tokens` prints
# demo accounts with passwords (people sign in with them), a supervisor token and one token per
# unit (for curl and duban watch) and the URL, and serves the HTTP API (docs/api.md) and the
# WebSocket push (docs/protocol.md) until Ctrl-C. Running it again is harmless: the same text
# appends nothing. DUBAN_LISTEN picks another address (default 127.0.0.1:8080); extra arguments
# go to `duban serve` (e.g. --now 2016-06-01 --simulate to see lights turn yellow and red; the events such a
# run writes are marked as a simulation).
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
"$duban" tasks --db "$db"
echo
echo "== duban serve --demo-tokens (Ctrl-C stops it)"
exec "$duban" serve --db "$db" --demo-tokens --listen "${DUBAN_LISTEN:-127.0.0.1:8080}" "$@"
