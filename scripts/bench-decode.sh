#!/usr/bin/env bash
# `make bench-decode`: the record decoder's benchmarks, run COUNT times in
# turn (each round runs every benchmark once, so that a change in the
# machine's load hits all of them alike), with -cpu=1 so that cpu-ns/op is
# one goroutine's work plus its GC. Prints benchstat's summary: the
# library comparison (FlowStatsVs) by library, then the decoder's stages.
# Results in _build/bench-decode.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNT="${BENCH_COUNT:-8}"
BENCH="${BENCH:-FlowStatsVs|DecodeStages|DecodeRecord|StreamDecoderSimulated|NDJSON1000}"
OUT="$ROOT/_build/bench-decode.txt"

mkdir -p _build
go test -c -o _build/record.test ./internal/record/
: >"$OUT"
cd internal/record # the benchmarks read testdata/
for i in $(seq "$COUNT"); do
	echo "bench-decode: round $i of $COUNT" >&2
	../../_build/record.test -test.run='^$' -test.bench="$BENCH" -test.benchmem -test.cpu=1 \
		-test.benchtime=0.3s >>"$OUT"
done
benchstat -filter '.name:FlowStatsVs' -col /lib "$OUT"
benchstat -filter '-.name:FlowStatsVs' "$OUT"
