// Package netifyflowstatsreceiver turns the flow telemetry a Netify Agent
// streams (flow_stats, flow_purge and the other stream-flows records) into
// OTLP metrics.
//
//go:generate ./scripts/generate.sh
package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"
