#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, on loopback only: scripts/pg.sh start|stop|url
set -euo pipefail
port=${FUPIN_PG_PORT:-55432}
dir=${FUPIN_PG_DIR:-/tmp/fupin-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner() {  # the server refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
  start)
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir/data" "$dir/sock"
      [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
      chmod 700 "$dir/data"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # A server left running (say by an interrupted run) may hold sessions on the test database: restart.
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
    # fsync off: a throw-away test cluster. FUPIN_PG_OPTIONS adds server settings (later ones win), e.g.
    # "-c fsync=on -c synchronous_commit=on -c full_page_writes=on" for a benchmark with durability on
    # (bench/RESULTS.md, tenth round), or "-c shared_buffers=2GB" to try a deployment's memory.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${FUPIN_PG_OPTIONS:-}" >/dev/null
    ;;
  stop) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null ;;
  url) ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
echo "postgresql://postgres@127.0.0.1:$port/fupin"
