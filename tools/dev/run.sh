#!/usr/bin/env bash
# The README's run command: set up, build, and run the main job on the embedded default.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/tools/dev/setup.sh"
"$root/tools/dev/build.sh" "$root/build"
exec "$root/build/app/duban" extract "$root/data/qinghai-gazette-2015-08.md" --format table "$@"
