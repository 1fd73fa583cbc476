// Package netifyflowstatsreceiver turns the flow telemetry a Netify Agent
// streams (flow_stats, flow_purge and the other stream-flows records) into
// OTLP metrics.
//
//go:generate go tool -modfile=tools/go.mod mdatagen metadata.yaml
package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"
