// Package ingest is the seam between the transports (HTTP, socket, MQTT) and
// the flow table. Every input has one shape (Input, built from its own
// configuration and the shared Settings), hands its deliveries through a
// Gate, which holds every record and agent id to the same limits (limits.go)
// and counts and logs what it refuses, to a Sink, and reports its state
// through one Health.
package ingest // import "github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"

import (
	"context"
	"errors"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// ErrBusy is returned by Sink.Accept while the receiver cannot take more
// records (shutting down, or unsent data at its bound). Inputs answer it with
// backpressure: HTTP 503, a socket stops reading, MQTT withholds the ack.
var ErrBusy = errors.New("receiver busy: cannot accept records now")

// Batch is the records of one delivery (an HTTP body, one MQTT message, the
// records one socket read brought) from one agent.
type Batch struct {
	// Agent is the identity of the sending agent (netify.agent.id).
	Agent string
	// Transport names the input, for telemetry: "http", "socket", "mqtt".
	Transport string
	Received  time.Time
	Records   []record.Record
	// AtLeastOnce marks a transport that may deliver a record again (MQTT
	// after a reconnect): the flow table then drops records it already took.
	AtLeastOnce bool
	// Reoffer marks records the sink refused as busy a moment ago, in a
	// larger batch (see DeliverBatch): refused again now, they are not
	// counted or logged twice.
	Reoffer bool
}

// Sink takes decoded records into the flow table.
type Sink interface {
	// Accept applies the batch. It returns how many records were taken; when
	// it returns ErrBusy, records[taken:] were not applied and the caller may
	// offer them again later. Records of unknown types count as taken
	// (skipped and counted by the sink). The receiver's sink takes a batch
	// whole or not at all. Accept must not keep b.Records past its return
	// (the records' strings it may keep): the socket input reuses the slice.
	Accept(ctx context.Context, b Batch) (taken int, err error)
}
