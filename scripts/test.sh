#!/usr/bin/env bash
# The one command that tests taphuan on a fresh Debian machine: it installs what the tests
# need (Chromium for the browser tests, poppler-utils to read PDFs back, gcc for cgo SQLite,
# LibreOffice Writer to open the DOCX documents, aiosmtpd as the SMTP server of the notify
# tests, PostgreSQL 15 as the second engine), starts a throwaway PostgreSQL cluster, checks
# formatting and vet, runs every test on SQLite, then the domain and server tests again on
# PostgreSQL, then a short run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v gcc       >/dev/null 2>&1 || need+=(gcc libc6-dev)
# LibreOffice opens the drafted DOCX documents in the documents tests; Liberation Serif 2.x
# is the metric-compatible stand-in it uses for Times New Roman.
command -v soffice   >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
# A real SMTP server for the notify tests (each test starts its own with scripts/smtpsink.py).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
# PostgreSQL 15, the second engine: this script starts a throwaway cluster of its own.
source scripts/pgcluster.sh
[ -x "$pgbin/initdb" ] || need+=(postgresql-15)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export CGO_ENABLED=1

# The cluster (scripts/pgcluster.sh), durability off: it is thrown away at the end.
log=$(mktemp)
trap 'pg_cluster_stop; rm -f "$log"' EXIT
pg_cluster_start -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400
unformatted=$(gofmt -l . | grep -v '^vendor/' || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
start=$SECONDS
go test -count=1 -timeout 40m ./... 2>&1 | tee "$log"
sqlite_half=$((SECONDS - start))
packages=$(grep -c '^ok ' "$log" || true)

# The same domain and server tests on PostgreSQL: dbtest gives each test a database cloned
# from a migrated template on the cluster above.
start=$SECONDS
TAPHUAN_TEST_ENGINE=postgres go test -count=1 -timeout 40m ./accounts ./attendance ./certificates ./courses \
  ./documents ./evaluation ./finance ./limits ./notify ./units ./server 2>&1 | sed 's/^ok /ok (postgres) /' | tee -a "$log"
postgres_half=$((SECONDS - start))
packages=$(grep -c '^ok ' "$log" || true)

# Fuzz targets, a few seconds each (the corpus in testdata/fuzz is replayed by go test above).
# New inputs are minimized for a second at most: in a run this short, minimizing what is
# merely interesting would take the time from fuzzing.
fuzz() {
  local out
  if out=$(go test -run='^$' -fuzz="^$2\$" -fuzztime="${FUZZTIME:-3s}" -fuzzminimizetime=1s "$1" 2>&1); then
    echo "$2: $(tail -n 1 <<<"$out")"
    fuzzed=$((fuzzed + 1))
    return 0
  fi
  echo "$out"
  # Go before 1.27 can report its own -fuzztime deadline as a failure on a loaded machine
  # (go.dev/issue/75804). That is no finding: a finding writes its failing input.
  if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
    echo "$2: stopped by the fuzz coordinator's deadline race (go.dev/issue/75804), nothing found"
    fuzzed=$((fuzzed + 1))
    return 0
  fi
  return 1
}
fuzzed=0
while read -r pkg target; do
  [ -n "$pkg" ] && fuzz "$pkg" "$target"
done <<'LIST'
./vn FuzzClean
./vn FuzzFold
./vn FuzzSortKey
./vn FuzzParseDate
./vn FuzzNormalizePhone
./courses FuzzRegisterInput
./courses FuzzParseRoster
./courses FuzzImportRoster
./finance FuzzParseMoney
./server FuzzRegistrationForm
LIST
echo "SQLite half: ${sqlite_half}s; PostgreSQL half: ${postgres_half}s"
echo "test packages and fuzz targets: $((packages + fuzzed)) passed, 0 failed"
