#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks. Never touches the packaged cluster.
#
#   tools/dev/pg-test-server.sh start DIR   start a server; writes DIR/url (a postgresql:// URL)
#   tools/dev/pg-test-server.sh stop DIR    stop it and delete its data
#
# The data directory lives under a fresh `mktemp -d` (it must be readable by the postgres user,
# which a build tree under /root may not be); DIR only holds the url and the path of that data
# directory, so `stop` can find it. The server listens on 127.0.0.1 at a free port and on a
# unix socket inside the temp dir, trusts every local connection, and runs with fsync off:
# fast and disposable, for tests only. `start` on a DIR whose server still runs (an aborted test
# run) stops that one first.
#
# initdb and postgres refuse to run as root, so as root the server runs as the `postgres`
# user (runuser); as any other user it runs as that user. Missing PostgreSQL binaries are an
# error, never a skip: tools/dev/setup.sh installs them (package `postgresql`).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
state=$2

find_bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  done
  echo "pg-test-server: PostgreSQL server binaries (initdb, pg_ctl) not found in PATH or" \
    "/usr/lib/postgresql/*/bin; run tools/dev/setup.sh (installs the postgresql package)" >&2
  exit 1
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    # From a directory postgres can read, or initdb complains about the cwd.
    (cd /tmp && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

port_in_use() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

stop_server() {
  [ -f "$state/root" ] || return 0
  local root bindir
  root=$(cat "$state/root")
  bindir=$(find_bindir)
  if [ -d "$root/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$root/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$root"
  rm -f "$state/root" "$state/url"
}

start_server() {
  local bindir root port attempt
  bindir=$(find_bindir)
  mkdir -p "$state"
  stop_server
  root=$(mktemp -d /tmp/duban-pg-XXXXXX)
  echo "$root" >"$state/root"
  chmod 755 "$root"
  [ "$(id -u)" -ne 0 ] || chown postgres "$root"
  if ! as_owner "$bindir/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$state/initdb.log" 2>&1; then
    echo "pg-test-server: initdb failed; see $state/initdb.log:" >&2
    tail -n 20 "$state/initdb.log" >&2
    stop_server
    exit 1
  fi
  # Another process may take the chosen port between the check and the bind: try a few.
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_owner "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 30 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$root \
            -c fsync=off -c full_page_writes=off \
            -c max_connections=200 -c shared_buffers=64MB" \
        start >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/url"
      echo "pg-test-server: running on 127.0.0.1:$port (data in $root, url in $state/url)"
      return 0
    fi
    echo "pg-test-server: start on port $port failed (attempt $attempt)" >&2
  done
  echo "pg-test-server: could not start PostgreSQL; server log:" >&2
  tail -n 20 "$root/server.log" >&2 || true
  stop_server
  exit 1
}

case "$action" in
  start) start_server ;;
  stop) stop_server; echo "pg-test-server: stopped" ;;
  *) usage ;;
esac
