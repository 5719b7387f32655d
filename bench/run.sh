#!/bin/sh
# run.sh runs every benchmark of this module and the load generator, and
# writes RESULTS.md: medians, allocations, the target ratios
# (see RESULTS.md), the CPU line and the date. It needs only Go; if benchstat
# is installed, its summary is also kept in bench-benchstat.txt.
#
#	./run.sh                       # defaults: -count 5, -benchtime 300ms, 20000 requests per route
#	COUNT=10 BENCHTIME=1s ./run.sh
#	LOAD_REQUESTS=0 ./run.sh       # skip the load generator
set -eu
cd "$(dirname "$0")"

COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-300ms}
LOAD_REQUESTS=${LOAD_REQUESTS:-20000}
LOAD_CLIENTS=${LOAD_CLIENTS:-64}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "run.sh: benchmarks (-count $COUNT -benchtime $BENCHTIME)..." >&2
go test -run '^$' -bench . -benchmem -count "$COUNT" -benchtime "$BENCHTIME" -timeout 30m | tee "$tmp/bench.txt" >&2

if command -v benchstat >/dev/null 2>&1; then
	benchstat "$tmp/bench.txt" > bench-benchstat.txt || true
fi

load_args=""
if [ "$LOAD_REQUESTS" != 0 ]; then
	echo "run.sh: load generator ($LOAD_REQUESTS requests per route, $LOAD_CLIENTS clients)..." >&2
	status=0
	go run ./cmd/loadgen -root .. -requests "$LOAD_REQUESTS" -clients "$LOAD_CLIENTS" > "$tmp/load.txt" || status=$?
	cat "$tmp/load.txt" >&2
	load_args="-load $tmp/load.txt -load-status $status"
fi

# shellcheck disable=SC2086 # load_args is deliberately split
go run ./cmd/report -bench "$tmp/bench.txt" $load_args -notes profile-notes.md > RESULTS.md.tmp
mv RESULTS.md.tmp RESULTS.md
echo "run.sh: wrote RESULTS.md" >&2
