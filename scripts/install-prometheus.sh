#!/bin/sh
# Installs Prometheus and promtool from the Debian archive, for the end-to-end
# tests that query a real Prometheus and the operator kit's rule checks,
# unless both are already there. Idempotent and quiet; prints only on failure.
set -eu

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }

if have prometheus && have promtool; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# --no-install-recommends: the web UI assets and node exporter are not needed.
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a system Prometheus on :9090 where an init system runs;
# the tests start their own on free ports, so stop it if it came up.
if command -v systemctl >/dev/null 2>&1; then
	$SUDO systemctl stop prometheus >/dev/null 2>&1 || true
fi

if ! have prometheus || ! have promtool; then
	echo "install-prometheus.sh: prometheus was installed but prometheus/promtool were not found" >&2
	exit 1
fi
