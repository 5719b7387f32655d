#!/bin/sh
# run.sh runs every benchmark of this module and the load generator, and
# writes RESULTS.md: medians, allocations, the target ratios
# (see RESULTS.md), the CPU line and the date. It needs only Go; if benchstat
# is installed, its summary is also kept in bench-benchstat.txt.
#
#	./run.sh                       # defaults: -count 6, -benchtime 300ms, 20000 requests per route
#	COUNT=10 BENCHTIME=1s ./run.sh
#	LOAD_REQUESTS=0 ./run.sh       # skip the load generator
set -eu
cd "$(dirname "$0")"

COUNT=${COUNT:-6} # benchstat needs 6 samples for a confidence interval
BENCHTIME=${BENCHTIME:-300ms}
LOAD_REQUESTS=${LOAD_REQUESTS:-20000}
LOAD_CLIENTS=${LOAD_CLIENTS:-64}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "run.sh: benchmarks (-count $COUNT -benchtime $BENCHTIME)..." >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
go test -run '^$' -bench . -benchmem -count "$COUNT" -benchtime "$BENCHTIME" -timeout 30m | tee "$tmp/bench.txt" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
# The raw output stays beside RESULTS.md, so the report can be checked
# (or regenerated with new notes) without running again.
cp "$tmp/bench.txt" bench-raw.txt

if command -v benchstat >/dev/null 2>&1; then
	benchstat bench-raw.txt > bench-benchstat.txt || true
fi

load_args=""
if [ "$LOAD_REQUESTS" != 0 ]; then
	echo "run.sh: load generator ($LOAD_REQUESTS requests per route, $LOAD_CLIENTS clients)..." >&2
	status=0
	go run ./cmd/loadgen -root .. -requests "$LOAD_REQUESTS" -clients "$LOAD_CLIENTS" > "$tmp/load.txt" || status=$?
	cat "$tmp/load.txt" >&2
	cp "$tmp/load.txt" bench-load.txt
	load_args="-load bench-load.txt -load-status $status"
fi

# shellcheck disable=SC2086 # load_args is deliberately split
go run ./cmd/report -bench bench-raw.txt $load_args -notes profile-notes.md \
	-loadavg "$load_before (before) → $load_after (after)" > RESULTS.md.tmp
mv RESULTS.md.tmp RESULTS.md
echo "run.sh: wrote RESULTS.md" >&2
