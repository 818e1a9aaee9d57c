#!/usr/bin/env bash
# Installs the Debian 12 packages duban needs to build and test. Idempotent: when everything is
# present it only asks dpkg (well under a second) and never upgrades what is installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config   # toolchain
  clang libclang-rt-14-dev                              # libFuzzer for tests/fuzz
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libgtest-dev                                          # GoogleTest with its CMake config
  libsqlite3-dev libssl-dev capnproto libcapnp-dev      # event store: SQLite, SHA-256, payloads
  libpqxx-dev postgresql                                # PostgreSQL event store and its tests
)

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
