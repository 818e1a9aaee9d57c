#!/usr/bin/env bash
# Checks the layering of docs/architecture.md on a source tree:
#   tools/dev/check-layering.sh [ROOT]     exit 0 when every include is allowed, 1 otherwise
#   tools/dev/check-layering.sh --self-test  plants a forbidden include in a scratch tree and
#                                            exits 0 only if the check rejects it
# A file in folder F may include "G/..." only when G is F itself or listed for F below, and no
# target defined under tools/ may be linked by anything outside tools/ (benches and dev programs
# never reach a product binary). Run by CTest (tests/CMakeLists.txt).
set -euo pipefail

# The layers, lowest first; each may include the folders named after it.
declare -A allowed=(
  [model]=""
  [formats]="model"
  [platform]="model"
  [storage]="model platform"
  [service]="model platform storage formats"
  [audit]="model platform storage service formats"
  [report]="model platform storage service formats"
  [notify]="model platform storage service formats"
  [server]="model platform storage service formats report"
  [clients]="model platform"
  [app]="model platform storage service audit report notify server clients formats"
)

check() {
  local root=$1 bad=0 layer file target dep
  for layer in "${!allowed[@]}"; do
    [ -d "$root/$layer" ] || continue
    while IFS= read -r -d '' file; do
      while IFS= read -r target; do
        dep=${target%%/*}
        [ "$dep" = "$layer" ] && continue
        [ -d "$root/$dep" ] || continue # a system or generated header, not one of our folders
        case " ${allowed[$layer]} " in
          *" $dep "*) ;;
          *)
            echo "layering: ${file#"$root"/} includes \"$target\": $layer/ may include only" \
              "${allowed[$layer]:-nothing outside itself}" >&2
            bad=1
            ;;
        esac
      done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]+)".*/\1/p' "$file")
    done < <(find "$root/$layer" -type f \( -name '*.h' -o -name '*.cpp' -o -name '*.in' \) -print0)
  done

  # Targets defined under tools/ must not be linked from outside tools/.
  local name
  while IFS= read -r name; do
    if grep -rlE --include=CMakeLists.txt "(DEPS|target_link_libraries)[^)]*\b$name\b" "$root" |
      grep -v "^$root/tools/" >/dev/null; then
      echo "layering: the tools/ target $name is linked from outside tools/" >&2
      bad=1
    fi
  done < <(grep -rhoE --include=CMakeLists.txt 'duban_(library|executable)\([A-Za-z0-9_]+' \
    "$root/tools" 2>/dev/null | sed -E 's/.*\(//')
  return $bad
}

if [ "${1:-}" = "--self-test" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/model" "$scratch/server" "$scratch/storage"
  echo '#include "model/time.h"' >"$scratch/storage/ok.h"
  check "$scratch" || { echo "self-test: a clean tree was rejected" >&2; exit 1; }
  echo '#include "server/server.h"' >"$scratch/model/bad.h"
  if check "$scratch" 2>/dev/null; then
    echo "self-test: model/ including server/ was not rejected" >&2
    exit 1
  fi
  echo "self-test: a forbidden include is rejected"
  exit 0
fi

root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
check "$root"
echo "layering: every include follows docs/architecture.md"
