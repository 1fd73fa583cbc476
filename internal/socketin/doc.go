// Package socketin is the receiver's socket input: the Netify Agent's socket
// sink binds and listens, and this input connects to it (unix or TCP), reads
// the record stream, and hands each record to an ingest.Sink.
//
// The agent never tells a socket consumer it is going away, and a consumer
// that blocks forever on a dead descriptor is the classic failure of this
// transport, so every read carries an idle deadline: the agent emits at least
// agent_status every update interval (15 s by default), and a connection that
// stays silent for longer than idle_timeout is dropped and re-dialled.
// Endpoints are re-dialled forever, with exponential backoff, until Shutdown.
package socketin // import "github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
