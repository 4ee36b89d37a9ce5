# Sourced by scripts/test.sh and scripts/bench.sh: pg_cluster_start starts a throwaway
# PostgreSQL 15 cluster — initdb in a temporary directory, a port of its own, as an
# unprivileged user (the postgres account when run as root: the server refuses root),
# byte-order collation like SQLite — with the server options given as arguments, and exports
# TAPHUAN_TEST_PG; pg_cluster_stop stops it and removes its directory.
pgbin=/usr/lib/postgresql/15/bin

run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_cluster_start() {
  pgdir=$(mktemp -d /tmp/taphuan-pgrun-XXXXXX)
  pguser=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then pguser=postgres; chown postgres "$pgdir"; fi
  pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  run_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
  run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 $*" start >/dev/null
  export TAPHUAN_TEST_PG="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on port $pgport (as $pguser)"
}

pg_cluster_stop() {
  [ -n "${pgdir:-}" ] || return 0
  run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
