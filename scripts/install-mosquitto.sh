#!/bin/sh
# Installs the Mosquitto MQTT broker from the Debian archive, for the MQTT
# input tests (internal/mqttin), unless a mosquitto binary is already there.
# Idempotent and quiet; prints only on failure.
set -eu

if command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends mosquitto >/dev/null

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
	echo "install-mosquitto.sh: mosquitto was installed but no binary was found on PATH or at /usr/sbin/mosquitto" >&2
	exit 1
fi
