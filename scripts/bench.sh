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
