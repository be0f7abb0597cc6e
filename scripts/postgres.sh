#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from Debian's packages on 127.0.0.1
# (installing it first if missing) and prints its URL. Usage:
#   scripts/postgres.sh start DIR [PORT]   → prints postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/postgres.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data folder}
port=${3:-55432}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "$cmd" in
start)
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ]; then
    echo "installing PostgreSQL from Debian packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  bin=$(pg_bin)
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  mkdir -p "$dir"
  chown postgres "$dir"
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  bin=$(pg_bin)
  if [ -d "$dir/data" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
