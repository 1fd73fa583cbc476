#!/usr/bin/env bash
# The demo behind `make run`: starts _build/otelcol-netify with
# examples/local-demo.yaml, waits until its health check reports it ready, then feeds it
# from the simulator over HTTP. Ctrl-C (or either process exiting) stops both.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OTELCOL_BIN="${OTELCOL_BIN:-$ROOT/_build/otelcol-netify}"
CONFIG="${CONFIG:-$ROOT/examples/local-demo.yaml}"
RECEIVER_ADDR="localhost:9735"
HEALTH_ADDR="localhost:13133"
PROM_URL="http://localhost:8889/metrics"
SIM_INTERVAL="${SIM_INTERVAL:-2s}"

if [[ ! -x "$OTELCOL_BIN" ]]; then
	echo "run-demo: $OTELCOL_BIN not found; build it with 'make collector'" >&2
	exit 1
fi

# Job control gives each background job its own process group, so Ctrl-C
# reaches only this script and the trap decides how the children stop; and
# `go run`'s compiled child is stopped along with `go run` itself.
set -m
collector_pid=""
sim_pid=""

stopped=""
stop() {
	[[ -z "$stopped" ]] || return 0
	stopped=1
	echo
	echo "run-demo: stopping"
	for pid in $sim_pid $collector_pid; do
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
	for pid in $sim_pid $collector_pid; do
		wait "$pid" 2>/dev/null || true
	done
	echo "run-demo: stopped"
}
# Ctrl-C is how the demo is meant to end: a clean stop exits 0.
trap 'stop; exit 0' INT TERM
trap stop EXIT

"$OTELCOL_BIN" --config "$CONFIG" &
collector_pid=$!

# healthy answers whether the health_check extension reports the collector
# ready (HTTP 200), with bash's /dev/tcp: no curl needed.
healthy() {
	local status
	exec 3<>"/dev/tcp/${HEALTH_ADDR%:*}/${HEALTH_ADDR#*:}" || return 1
	printf 'GET / HTTP/1.0\r\nHost: %s\r\n\r\n' "$HEALTH_ADDR" >&3
	read -r -t 2 _ status _ <&3 || status=""
	exec 3<&- 3>&-
	[[ "$status" == "200" ]]
}

for _ in $(seq 1 300); do
	if ! kill -0 "$collector_pid" 2>/dev/null; then
		echo "run-demo: the collector exited during start-up (see its log above)" >&2
		exit 1
	fi
	if healthy 2>/dev/null; then
		break
	fi
	sleep 0.1
done

go run ./cmd/netifysim -mode http -url "http://$RECEIVER_ADDR/v1/netify" -interval "$SIM_INTERVAL" &
sim_pid=$!

cat <<MSG

run-demo: collector (pid $collector_pid) receiving on http://$RECEIVER_ADDR/v1/netify,
          simulator (pid $sim_pid) posting every $SIM_INTERVAL.
          Metrics for Prometheus:   curl -s $PROM_URL | grep netify_
          Collector health:         curl -s http://$HEALTH_ADDR/
          Press Ctrl-C to stop both.

MSG

# Stay until Ctrl-C or until either process exits on its own.
set +e
wait -n "$collector_pid" "$sim_pid"
status=$?
set -e
echo "run-demo: $( kill -0 "$collector_pid" 2>/dev/null && echo simulator || echo collector ) exited (status $status)" >&2
exit "$status"
