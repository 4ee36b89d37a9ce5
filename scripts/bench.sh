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
  source scripts/pgcluster.sh
  trap pg_cluster_stop EXIT
  pg_cluster_start -c max_connections=200 # durability on, as in production
fi
bench ./courses/      'RegisterPostgres' 2000x 3
go run ./tools/load -pg "$TAPHUAN_TEST_PG" -clients 50 -duration 10s
