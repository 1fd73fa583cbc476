package ingest

import (
	"context"

	"go.opentelemetry.io/collector/component"
)

// Input is one way records reach the receiver (HTTP, socket, MQTT). Every
// input is built from its own configuration and Settings, started with the
// collector's host and shut down alike.
type Input interface {
	// Start opens the input. It does not wait for peers: an agent or broker
	// that is down is retried and reported through Settings.Health.
	Start(ctx context.Context, host component.Host) error
	// Shutdown stops taking records and waits for the input's goroutines,
	// or for ctx.
	Shutdown(ctx context.Context) error
}

// Settings is what every input shares besides its own configuration.
type Settings struct {
	// Sink takes the records.
	Sink Sink
	// Telemetry holds the logger (and the meter of confighttp's server).
	Telemetry component.TelemetrySettings
	// Counter counts what the input did not hand to the sink; nil counts
	// nothing.
	Counter Counter
	// Health folds the input's status into the receiver's; nil makes one
	// for the host the input is started with.
	Health *Health
}

// Counter counts the records of a delivery the sink never saw.
type Counter interface {
	// Malformed counts records refused: undecodable, or breaking a limit.
	Malformed(ctx context.Context, transport string, n int)
	// Skipped counts records of types the receiver does not take.
	Skipped(ctx context.Context, transport string, n int)
}
