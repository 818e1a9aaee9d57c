#!/usr/bin/env bash
# Installs the Debian 12 packages (and the web test's npm packages) duban needs to build and test. Idempotent: when everything is
# present it only asks dpkg (well under a second) and never upgrades what is installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config   # toolchain
  clang libclang-rt-14-dev                              # libFuzzer for tests/fuzz
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libgtest-dev                                          # GoogleTest with its CMake config
  libsqlite3-dev libssl-dev capnproto libcapnp-dev      # event store: SQLite, SHA-256, payloads
  libpqxx-dev postgresql                                # PostgreSQL event store and its tests
  chromium fonts-wqy-microhei                           # the web page's browser test (tests/web)
  libzip-dev libpugixml-dev libpoppler-cpp-dev          # formats/: .docx and PDF input
  zlib1g-dev                                            # server/: gzipped page files
  libxlsxwriter-dev                                     # report/: Excel (.xlsx) exports
  libsodium-dev                                         # accounts: Argon2id password hashes
  libcurl4-openssl-dev                                  # notify/: SMTP e-mail, WeCom/DingTalk robots
  python3-aiosmtpd                                      # tests/notify: the SMTP sink
)
# Node.js and npm run the browser test; the image may bring its own, so only fill a gap.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-upgrade: keep the call fast and never upgrade packages the machine already has.
  apt-get install -y -qq --no-upgrade --no-install-recommends "${missing[@]}"
fi

# tests/web's npm packages (playwright-core, pinned by its package-lock.json). npm ci writes
# node_modules/.package-lock.json: when it is newer than the lock file, nothing is to be done.
root=$(cd "$(dirname "$0")/../.." && pwd)
web="$root/tests/web"
if [ ! -f "$web/node_modules/.package-lock.json" ] ||
   [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in tests/web" >&2
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
fi
