#!/usr/bin/env bash
# Regenerates the figures of BENCHMARKS.md on this machine: the Go benchmarks, each next to
# its floor measured in the same run, then the load run of the real binary over loopback.
# Run it on an otherwise idle machine; it takes about five minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=1
echo "## $(date -u +%Y-%m-%d) — $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
bench() { go test "$1" -run '^$' -bench "$2" -benchtime "$3" -benchmem -count "${4:-1}" | grep -E '^(Benchmark|goos|cpu)' ; }
bench ./server/       'RegistrationAPI|CheckInAPI|BareInsert' 4000x 3
bench ./server/       'Pages2000' 10x
bench ./courses/      'Import2000|Import5000|CreateSession' 5x
bench ./attendance/   '.' 10x
bench ./certificates/ 'Issue200|BareGofpdf200' 3x
bench ./pdfdoc/       '.' 50x
bench ./vn/           'SortKey' 20000x
go run ./tools/load -clients 50 -duration 10s

# PostgreSQL: a throwaway cluster as in scripts/test.sh (TAPHUAN_TEST_PG when already running),
# then the row locks against serializable transactions and the load run with one and two
# instances next to the bare pgx insert floor.
if [ -z "${TAPHUAN_TEST_PG:-}" ]; then
  pgbin=/usr/lib/postgresql/15/bin
  pgdir=$(mktemp -d /tmp/taphuan-pgbench-XXXXXX)
  run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres "$pgdir"
  pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  run_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  trap 'run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
  export TAPHUAN_TEST_PG="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
fi
bench ./courses/      'RegisterPostgres' 2000x 3
go run ./tools/load -pg "$TAPHUAN_TEST_PG" -clients 50 -duration 10s
