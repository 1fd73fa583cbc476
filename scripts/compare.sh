#!/usr/bin/env bash
# `make compare`: otelcol-netify against the generic OpenTelemetry pipeline
# (tcp_log + json_parser + signal_to_metrics, bench/generic/) on the same
# simulator stream, each collector pinned to one core with taskset, the
# simulator or feeder on another. Prints, per run, the collector's
# CPU-seconds per 1M records (utime+stime from /proc, idle baseline
# subtracted), records per second and peak RSS (VmHWM), then the ratios.
#
# Runs, in turn:
#   generic-ndjson  the generated NDJSON file written to tcp_log's port
#                   (cat: 128 KiB writes)
#   netify-socket   the same file, written in 128 KiB writes by
#                   bench/replay listening like the agent's socket sink,
#                   read by the receiver's socket input: same bytes, same
#                   delivery as generic-ndjson (the headline ratio)
#   netify-socket-sim  netifysim's socket sink (same seed, same records),
#                   which writes record by record as the agent does (not
#                   in the default runs)
#   netify-http     netifysim posting one record per request (the agent's
#                   HTTP sink), on a smaller stream (COMPARE_HTTP_FLOWS)
# and, only when named in COMPARE_RUNS, the floor under netify-http: the
# same POSTs answered by bench/httpfloor, which reads each body and answers
# without decoding anything (net/http, kernel and Go runtime only):
#   http-floor             plain net/http
#   http-floor-confighttp  through confighttp's ToServer, as the receiver
#
# Knobs (environment): COMPARE_FLOWS (5000) and COMPARE_INTERVALS (84) size
# the stream (~500k records), COMPARE_HTTP_FLOWS (1000, per agent),
# COMPARE_HTTP_AGENTS (1: agents posting at once, each on its own
# connection, as at a central collector), COLLECTOR_CORE (1),
# SIM_CORE (0), COMPARE_RUNS (which runs, default all three),
# COMPARE_SOCKET_CONFIG and COMPARE_HTTP_CONFIG (otelcol-netify configs,
# default bench/compare/netify-{socket,http}.yaml), NETIFY_BIN and
# GENERIC_BIN (the collectors, default in _build), COMPARE_PORT (19735; pick
# another when several comparisons share the machine), COMPARE_ROUNDS (1:
# with more, the runs are repeated in turn, each round's ratios are those of
# its own consecutive runs, and the medians over the rounds close the
# report; single runs vary by +-30% on a shared machine).
# Loopback only. Not part of `make test`: a run takes minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OUT="$ROOT/_build/compare"
NETIFY_BIN="${NETIFY_BIN:-$ROOT/_build/otelcol-netify}"
GENERIC_BIN="${GENERIC_BIN:-$ROOT/_build/generic/otelcol-generic}"
SIM_BIN="$OUT/netifysim"
REPLAY_BIN="$OUT/replay"
FLOWS="${COMPARE_FLOWS:-5000}"
INTERVALS="${COMPARE_INTERVALS:-84}"
HTTP_FLOWS="${COMPARE_HTTP_FLOWS:-1000}"
HTTP_AGENTS="${COMPARE_HTTP_AGENTS:-1}"
COLLECTOR_CORE="${COLLECTOR_CORE:-1}"
SIM_CORE="${SIM_CORE:-0}"
RUNS="${COMPARE_RUNS:-generic-ndjson netify-socket netify-http}"
SOCKET_CONFIG="${COMPARE_SOCKET_CONFIG:-bench/compare/netify-socket.yaml}"
HTTP_CONFIG="${COMPARE_HTTP_CONFIG:-bench/compare/netify-http.yaml}"
PORT="${COMPARE_PORT:-19735}"
ROUNDS="${COMPARE_ROUNDS:-1}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "compare: COMPARE_ROUNDS must be a positive integer, not '$ROUNDS'" >&2; exit 2; }
# The simulator's virtual clock and seed make its output byte-identical
# from run to run.
SIM_ARGS=(-fast -intervals "$INTERVALS" -start 0 -seed 1 -quiet)

mkdir -p "$OUT"
command -v taskset >/dev/null || { echo "compare: taskset (util-linux) is required" >&2; exit 1; }
[[ -x "$NETIFY_BIN" ]] || { echo "compare: $NETIFY_BIN missing: make collector" >&2; exit 1; }
if [[ ! -x "$GENERIC_BIN" || bench/generic/builder-config.yaml -nt "$GENERIC_BIN" ]]; then
	echo "compare: building the generic pipeline with ocb (minutes when cold)"
	builder --config bench/generic/builder-config.yaml >"$OUT/generic-build.log" 2>&1 ||
		{ tail -20 "$OUT/generic-build.log" >&2; exit 1; }
fi
go build -o "$SIM_BIN" ./cmd/netifysim
go build -o "$REPLAY_BIN" ./bench/replay

TICKS="$(getconf CLK_TCK)"
collector_pid=""
sim_pid=""
cleanup() {
	for pid in $sim_pid $collector_pid; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	sim_pid="" collector_pid=""
}
trap cleanup EXIT

# cpu_ticks PID: user+system CPU time of the process so far, in ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }

# start_collector BIN CONFIG NAME: starts the collector pinned to its core.
start_collector() {
	COMPARE_PORT="$PORT" taskset -c "$COLLECTOR_CORE" "$1" --config "$2" >"$OUT/$3.log" 2>&1 &
	collector_pid=$!
	sleep 3 # startup; the baseline below is taken once it is idle
	kill -0 "$collector_pid" 2>/dev/null || { tail -20 "$OUT/$3.log" >&2; exit 1; }
}

# wait_port: until something listens on PORT (the collector's HTTP or
# tcp_log input), without sending it a byte.
wait_port() {
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "compare: nothing listens on 127.0.0.1:$PORT" >&2
	exit 1
}

# measure NAME RECORDS START_TICKS START_TIME: waits until the sender is
# done and the collector's CPU time has stopped growing (all records
# processed), then prints the figures and saves them in $OUT/NAME.result.
measure() {
	local name=$1 records=$2 t0_ticks=$3 t0=$4
	if [[ -n "$sim_pid" ]]; then wait "$sim_pid" || true; sim_pid=""; fi
	local last last_time still=0 cur
	last="$(cpu_ticks "$collector_pid")" last_time="$(now)"
	while ((still < 4)); do
		sleep 0.5
		cur="$(cpu_ticks "$collector_pid")"
		if ((cur - last > 2)); then
			last=$cur last_time="$(now)" still=0
		else
			still=$((still + 1))
		fi
	done
	local rss
	rss="$(peak_rss_kib "$collector_pid")"
	awk -v n="$name" -v r="$records" -v t="$((last - t0_ticks))" -v hz="$TICKS" \
		-v secs="$(awk -v a="$last_time" -v b="$t0" 'BEGIN {print a - b}')" -v rss="$rss" 'BEGIN {
		cpu = t / hz
		printf "%-16s %9d records  %7.2f CPU-s  %7.2f CPU-s/1M records  %9.0f records/s  peak RSS %6.1f MiB\n",
			n, r, cpu, cpu * 1e6 / r, r / secs, rss / 1024
		printf "%s %d %.4f %.1f %.0f\n", n, r, cpu * 1e6 / r, r / secs, rss / 1024 > "/dev/stderr"
	}' 2>"$OUT/$name.result"
	cleanup
}

# The NDJSON stream, generated once; both socket runs read these records.
STREAM="$OUT/stream.ndjson"
"$SIM_BIN" -mode stdout -flows "$FLOWS" "${SIM_ARGS[@]}" >"$STREAM"
RECORDS="$(wc -l <"$STREAM")"
HTTP_RECORDS="$("$SIM_BIN" -mode stdout -flows "$HTTP_FLOWS" -agents "$HTTP_AGENTS" "${SIM_ARGS[@]}" | wc -l)"
echo "compare: stream of $RECORDS records ($(($(wc -c <"$STREAM") / 1048576)) MiB), $FLOWS flows x $INTERVALS intervals;" \
	"collector on core $COLLECTOR_CORE, sender on core $SIM_CORE"

# run_one RUN: one run of the comparison, its figures in $OUT/RUN.result.
run_one() {
	local run=$1
	case "$run" in
	generic-ndjson)
		start_collector "$GENERIC_BIN" bench/generic/config.yaml "$run"
		wait_port
		t0_ticks="$(cpu_ticks "$collector_pid")" t0="$(now)"
		taskset -c "$SIM_CORE" bash -c 'cat "$1" >"/dev/tcp/127.0.0.1/$2"' _ "$STREAM" "$PORT" &
		sim_pid=$!
		measure "$run" "$RECORDS" "$t0_ticks" "$t0"
		;;
	netify-socket)
		start_collector "$NETIFY_BIN" "$SOCKET_CONFIG" "$run"
		t0_ticks="$(cpu_ticks "$collector_pid")" t0="$(now)"
		taskset -c "$SIM_CORE" "$REPLAY_BIN" -listen "127.0.0.1:$PORT" -file "$STREAM" >"$OUT/$run-replay.log" 2>&1 &
		sim_pid=$!
		measure "$run" "$RECORDS" "$t0_ticks" "$t0"
		;;
	netify-socket-sim)
		start_collector "$NETIFY_BIN" "$SOCKET_CONFIG" "$run"
		t0_ticks="$(cpu_ticks "$collector_pid")" t0="$(now)"
		taskset -c "$SIM_CORE" "$SIM_BIN" -mode socket -listen "tcp://127.0.0.1:$PORT" -wait-client \
			-flows "$FLOWS" "${SIM_ARGS[@]}" >"$OUT/$run-sim.log" 2>&1 &
		sim_pid=$!
		measure "$run" "$RECORDS" "$t0_ticks" "$t0"
		;;
	http-floor | http-floor-confighttp)
		go build -o "$OUT/httpfloor" ./bench/httpfloor
		floor_args=(-listen "127.0.0.1:$PORT")
		[[ "$run" == http-floor-confighttp ]] && floor_args+=(-confighttp)
		COMPARE_PORT="$PORT" taskset -c "$COLLECTOR_CORE" "$OUT/httpfloor" "${floor_args[@]}" >"$OUT/$run.log" 2>&1 &
		collector_pid=$!
		wait_port
		sleep 1
		t0_ticks="$(cpu_ticks "$collector_pid")" t0="$(now)"
		taskset -c "$SIM_CORE" "$SIM_BIN" -mode http -url "http://127.0.0.1:$PORT/v1/netify" \
			-flows "$HTTP_FLOWS" -agents "$HTTP_AGENTS" "${SIM_ARGS[@]}" >"$OUT/$run-sim.log" 2>&1 &
		sim_pid=$!
		measure "$run" "$HTTP_RECORDS" "$t0_ticks" "$t0"
		;;
	netify-http)
		start_collector "$NETIFY_BIN" "$HTTP_CONFIG" "$run"
		wait_port
		t0_ticks="$(cpu_ticks "$collector_pid")" t0="$(now)"
		taskset -c "$SIM_CORE" "$SIM_BIN" -mode http -url "http://127.0.0.1:$PORT/v1/netify" \
			-flows "$HTTP_FLOWS" -agents "$HTTP_AGENTS" "${SIM_ARGS[@]}" >"$OUT/$run-sim.log" 2>&1 &
		sim_pid=$!
		measure "$run" "$HTTP_RECORDS" "$t0_ticks" "$t0"
		;;
	*)
		echo "compare: unknown run $run" >&2
		exit 2
		;;
	esac
}

# print_ratios: this round's ratios against the generic pipeline's NDJSON
# run, kept for the medians.
print_ratios() {
	[[ -f "$OUT/generic-ndjson.result" && " $RUNS " == *" generic-ndjson "* ]] || return 0
	local run g_cpu g_rate g_rss cpu rate rss
	read -r _ _ g_cpu g_rate g_rss <"$OUT/generic-ndjson.result"
	for run in netify-socket netify-socket-sim netify-http; do
		[[ -f "$OUT/$run.result" && " $RUNS " == *" $run "* ]] || continue
		read -r _ _ cpu rate rss <"$OUT/$run.result"
		awk -v n="$run" -v gc="$g_cpu" -v c="$cpu" -v gr="$g_rate" -v r="$rate" -v gm="$g_rss" -v m="$rss" 'BEGIN {
			printf "%-16s vs generic-ndjson: %.1fx fewer CPU-s per record, %.1fx the records/s, %.2fx the peak RSS\n",
				n, gc / c, r / gr, m / gm
			printf "%.4f\n", gc / c > "/dev/stderr"
		}' 2>>"$OUT/$run.ratios"
	done
}

# median: the median of the numbers on standard input, one per line.
median() {
	sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

for run in $RUNS; do rm -f "$OUT/$run.rounds" "$OUT/$run.ratios"; done
for round in $(seq "$ROUNDS"); do
	((ROUNDS == 1)) || echo "compare: round $round of $ROUNDS"
	for run in $RUNS; do
		run_one "$run"
		cat "$OUT/$run.result" >>"$OUT/$run.rounds"
	done
	print_ratios
done

if ((ROUNDS > 1)); then
	echo "compare: medians over $ROUNDS rounds"
	for run in $RUNS; do
		printf "%-16s %7.2f CPU-s/1M records (%s)  %9.0f records/s  peak RSS %6.1f MiB\n" "$run" \
			"$(awk '{print $3}' "$OUT/$run.rounds" | median)" \
			"$(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $3}' "$OUT/$run.rounds")" \
			"$(awk '{print $4}' "$OUT/$run.rounds" | median)" \
			"$(awk '{print $5}' "$OUT/$run.rounds" | median)"
	done
	for run in netify-socket netify-socket-sim netify-http; do
		[[ -s "$OUT/$run.ratios" ]] || continue
		printf "%-16s vs generic-ndjson: %.1fx fewer CPU-s per record (median of the rounds' ratios; each: %s)\n" "$run" \
			"$(median <"$OUT/$run.ratios")" "$(awk '{printf "%s%.1fx", (NR > 1 ? " " : ""), $1}' "$OUT/$run.ratios")"
	done
fi
