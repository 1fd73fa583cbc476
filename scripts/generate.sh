#!/usr/bin/env bash
# Regenerates the mdatagen output (internal/metadata, documentation.md, the
# generated tests) from metadata.yaml with the mdatagen pinned in tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
fix_package() {
	# mdatagen names the package of the generated tests after the directory
	# the repository is checked out in; the package is netifyflowstatsreceiver.
	sed -i 's/^package .*/package netifyflowstatsreceiver/' generated_component_test.go generated_package_test.go
}
# mdatagen runs `go list` here first, which needs a consistent package.
[ -f generated_component_test.go ] && fix_package
# Run from the tools module so its go.mod is the one that resolves mdatagen,
# without handing -modfile down to the `go list` mdatagen runs in the root.
(cd tools && go tool mdatagen ../metadata.yaml)
fix_package
