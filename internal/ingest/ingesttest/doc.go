// Package ingesttest holds the test doubles shared by the inputs' tests: a
// Sink that records what it takes and a Host that records the component
// status the inputs report.
package ingesttest // import "github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
