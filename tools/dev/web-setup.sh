#!/usr/bin/env bash
# Installs what the web page's end-to-end test (tests/web) needs: Debian's Chromium, a CJK font
# so screenshots show Chinese, and tests/web's npm packages (playwright-core, pinned by
# tests/web/package-lock.json). Idempotent: when all is present it only asks dpkg and compares
# two file times (well under a second). Called by tools/dev/setup.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

packages=(chromium fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "web-setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-upgrade --no-install-recommends "${missing[@]}"
fi

# npm ci writes node_modules/.package-lock.json: when it is newer than the lock file, the
# installed packages are the locked ones and there is nothing to do.
web="$root/tests/web"
if [ ! -f "$web/node_modules/.package-lock.json" ] ||
   [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "web-setup: npm ci in tests/web" >&2
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
fi
