#!/usr/bin/env bash
# Installs the pinned tools this repo builds and tests with into a repo-local
# bin dir (.tools/bin), so nothing depends on what a machine happens to have.
# Idempotent: a tool already at the pinned version is not reinstalled.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

OCB_VERSION="${OCB_VERSION:-v0.165.0}"
BENCHSTAT_VERSION="${BENCHSTAT_VERSION:-v0.0.0-20260908200009-22c9c6c9d4da}"

mkdir -p "$TOOLS_BIN"

# install_go_tool NAME MODULE_PATH VERSION: `go install` into TOOLS_BIN unless the
# stamp file says this exact version is already there.
install_go_tool() {
	local name="$1" pkg="$2" version="$3"
	local stamp="$TOOLS_BIN/.$name.version"
	if [[ -x "$TOOLS_BIN/$name" && -f "$stamp" && "$(cat "$stamp")" == "$pkg@$version" ]]; then
		echo "install-tools: $name $version already installed"
		return
	fi
	echo "install-tools: installing $name $version"
	GOBIN="$TOOLS_BIN" go install "$pkg@$version"
	echo "$pkg@$version" >"$stamp"
}

install_go_tool builder go.opentelemetry.io/collector/cmd/builder "$OCB_VERSION"
install_go_tool benchstat golang.org/x/perf/cmd/benchstat "$BENCHSTAT_VERSION"

# mdatagen is not installed here: it is a `tool` of the tools/ module and runs
# through `go generate ./...` (go tool -modfile=tools/go.mod mdatagen).
echo "install-tools: downloading mdatagen's module (tools/go.mod)"
(cd "$ROOT/tools" && go mod download)

# The end-to-end tests query a real Prometheus; the operator kit's rules are
# checked with promtool.
sh "$ROOT/scripts/install-prometheus.sh"

# The MQTT end-to-end tests need a local broker.
if [[ -f "$ROOT/scripts/install-mosquitto.sh" ]]; then
	sh "$ROOT/scripts/install-mosquitto.sh"
else
	echo "install-tools: WARNING scripts/install-mosquitto.sh not found; MQTT tests will lack a broker" >&2
fi
