# Sourced by the other scripts: the environment every build and test step shares.
# shellcheck shell=bash

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TOOLS_BIN="$ROOT/.tools/bin"
export PATH="$TOOLS_BIN:$PATH"

# Use only the first module proxy Go is configured with: no fallback to
# fetching sources directly from version control hosts.
if [[ -z "${NETIFY_GOPROXY_SET:-}" ]]; then
	first_proxy="$(go env GOPROXY)"
	first_proxy="${first_proxy%%,*}"
	first_proxy="${first_proxy%%|*}"
	export GOPROXY="$first_proxy"
	export NETIFY_GOPROXY_SET=1
fi
