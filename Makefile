# Build, run and test the netifyflowstats receiver and the otelcol-netify
# collector distribution. `make run` starts the demo, `make test` is what CI runs.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TOOLS_BIN   := $(ROOT)/.tools/bin
BUILD_DIR   := $(ROOT)/_build
OTELCOL_BIN := $(BUILD_DIR)/otelcol-netify
OCB         := $(TOOLS_BIN)/builder
BENCHSTAT   := $(TOOLS_BIN)/benchstat

# Every recipe runs with the environment of scripts/env.sh: tools on PATH and
# GOPROXY reduced to the first configured module proxy.
ENV := source $(ROOT)/scripts/env.sh &&

# The collector is rebuilt only when its manifest or the receiver's module
# (not the simulator, not the e2e module) changed.
RECEIVER_SOURCES := $(shell find $(ROOT) -name '*.go' \
	-not -path '$(ROOT)/_build/*' -not -path '$(ROOT)/.tools/*' \
	-not -path '$(ROOT)/e2e/*' -not -path '$(ROOT)/cmd/*' -not -path '$(ROOT)/tools/*' \
	-not -name '*_test.go')

BENCH_COUNT ?= 6
BENCH       ?= .
BENCH_OUT   ?= $(BUILD_DIR)/bench.txt

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## install ocb, benchstat and mosquitto (idempotent)
	@$(ENV) bash scripts/install-tools.sh

.PHONY: generate
generate: ## regenerate internal/metadata from metadata.yaml (mdatagen, pinned in tools/)
	@$(ENV) bash scripts/generate.sh

.PHONY: collector
collector: $(OTELCOL_BIN) ## build _build/otelcol-netify with ocb (skipped when up to date)

$(OTELCOL_BIN): builder-config.yaml go.mod go.sum $(RECEIVER_SOURCES) | $(OCB)
	@echo "collector: building $@ with ocb (a cold build takes minutes)"
	@$(ENV) start=$$(date +%s) && \
		builder --config builder-config.yaml && \
		echo "collector: built in $$(( $$(date +%s) - start ))s"
	@touch $@

$(OCB):
	@$(ENV) bash scripts/install-tools.sh

.PHONY: run
run: tools collector ## the demo: collector (debug + Prometheus on :8889) fed by the simulator
	@$(ENV) bash scripts/run-demo.sh

.PHONY: unit
unit: ## unit tests of the root module (race detector on), then the allocation tests without it
	@$(ENV) go test -race -count=1 ./...
	@# The race detector changes allocations (sync.Pool drops items on
	@# purpose): the tests that count them run again without it.
	@$(ENV) go test -count=1 -run 'Allocat' ./...

.PHONY: e2e
e2e: collector ## end-to-end tests of the e2e module against _build/otelcol-netify
	@$(ENV) cd e2e && OTELCOL_BIN=$(OTELCOL_BIN) go test -race -count=1 ./...

.PHONY: rules
rules: ## check and unit-test the operator kit's Prometheus rules with promtool (the e2e tests run this too)
	@$(ENV) cd deploy/prometheus && promtool check rules netify-rules.yaml && promtool test rules netify-rules.test.yaml

.PHONY: test
test: tools unit e2e ## everything CI runs: tools, unit tests, collector build, e2e tests

.PHONY: bench
bench: tools ## benchmarks of the root module; results in _build/bench.txt, summarised by benchstat
	@mkdir -p $(BUILD_DIR)
	@$(ENV) go test -run='^$$' -bench='$(BENCH)' -benchmem -count=$(BENCH_COUNT) ./... | tee $(BENCH_OUT)
	@$(ENV) benchstat $(BENCH_OUT)

.PHONY: bench-decode
bench-decode: tools ## the decoder's benchmarks against encoding/json, goccy/go-json and fastjson (benchstat; see BENCHMARKS.md)
	@$(ENV) bash scripts/bench-decode.sh

.PHONY: compare
compare: tools collector ## otelcol-netify vs the generic pipeline (tcp_log + json_parser + signal_to_metrics), one core each
	@$(ENV) bash scripts/compare.sh

.PHONY: bench-compare
bench-compare: ## compare two benchmark files: make bench-compare OLD=a.txt NEW=b.txt
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make bench-compare OLD=old.txt NEW=new.txt" >&2; exit 2; }
	@$(ENV) benchstat $(OLD) $(NEW)

# Every fuzz target, as package:Target. `go test` runs their seed corpora
# (testdata/fuzz and f.Add); `make fuzz` fuzzes each for FUZZTIME.
FUZZ_TARGETS := ./internal/record:FuzzDecode ./internal/record:FuzzStreamFraming \
	./internal/flowtable:FuzzTableSequences \
	./internal/httpin:FuzzHandler \
	./internal/mqttin:FuzzUnwrapPayload ./internal/mqttin:FuzzLimitConn
FUZZTIME ?= 30s

.PHONY: fuzz
fuzz: ## fuzz every target for FUZZTIME each (default 30s); fails on a crash or an allocation over its bound
	@$(ENV) for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
		go test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

SOAK_AGENTS  ?= 200
SOAK_FLOWS   ?= 5000
SOAK_SECONDS ?= 300
# Each agent reports all its flows every SOAK_INTERVAL_MS, as a real agent's
# 15 s update interval.
SOAK_INTERVAL_MS ?= 15000

.PHONY: soak
soak: ## long soak: SOAK_AGENTS x SOAK_FLOWS over socket and HTTP for SOAK_SECONDS, printing heap, goroutines and throughput each second
	@$(ENV) SOAK_AGENTS=$(SOAK_AGENTS) SOAK_FLOWS=$(SOAK_FLOWS) SOAK_SECONDS=$(SOAK_SECONDS) SOAK_INTERVAL_MS=$(SOAK_INTERVAL_MS) \
		go test -count=1 -run='^TestSoak$$' -v -timeout=$$(( $(SOAK_SECONDS) + 600 ))s . | grep --line-buffered -E 'soak|Error|^(ok|FAIL|---)'

.PHONY: docker
docker: ## build the container image netify-otel/otelcol-netify:dev
	docker build -f deploy/Dockerfile -t netify-otel/otelcol-netify:dev .

.PHONY: clean
clean: ## remove the collector build
	rm -rf $(BUILD_DIR)
