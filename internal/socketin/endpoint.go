package socketin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// endpoint is one agent socket and its connect/read/re-dial loop.
type endpoint struct {
	in            *Input
	name          string
	network, addr string
	format        record.Format
	agent         string
	log           *zap.Logger
	health        *ingest.Health
}

func newEndpoint(in *Input, cfg EndpointConfig, health *ingest.Health) (*endpoint, error) {
	network, addr, err := cfg.dialTarget()
	if err != nil {
		return nil, err
	}
	format, err := cfg.streamFormat()
	if err != nil {
		return nil, err
	}
	return &endpoint{
		in:      in,
		name:    cfg.Endpoint,
		network: network,
		addr:    addr,
		format:  format,
		agent:   cfg.agentID(),
		log:     in.logger.With(zap.String("endpoint", cfg.Endpoint), zap.String("agent_id", cfg.agentID())),
		health:  health,
	}, nil
}

// part names the endpoint in the receiver's health.
func (e *endpoint) part() string { return "socket endpoint " + e.name }

// run dials, reads until the connection fails, and dials again after a
// backoff, until ctx is cancelled.
func (e *endpoint) run(ctx context.Context) {
	rc := e.in.cfg.Reconnect
	bo := &backoff.ExponentialBackOff{
		InitialInterval:     rc.InitialInterval,
		MaxInterval:         rc.MaxInterval,
		Multiplier:          rc.Multiplier,
		RandomizationFactor: rc.Jitter,
	}
	bo.Reset()
	for {
		err := e.connectAndRead(ctx, bo)
		if ctx.Err() != nil {
			return
		}
		wait := bo.NextBackOff()
		e.log.Warn("Agent socket unavailable; will re-dial", zap.Error(err), zap.Duration("retry_in", wait))
		e.health.Down(ctx, e.part(), err)
		if ingest.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// connectAndRead returns why the endpoint is not connected any more. A
// connection that delivered records resets the reconnect backoff, so a
// healthy agent that restarts is re-dialled after initial_interval.
func (e *endpoint) connectAndRead(ctx context.Context, bo *backoff.ExponentialBackOff) error {
	d := net.Dialer{Timeout: e.in.cfg.DialTimeout}
	conn, err := d.DialContext(ctx, e.network, e.addr)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	e.log.Info("Connected to agent socket")
	e.health.Up(ctx, e.part())
	delivered, err := e.read(ctx, conn)
	if delivered {
		bo.Reset()
	}
	return err
}

// read decodes records from conn until a read fails. A record that fails
// to decode costs only itself: it is counted and the stream goes on. The
// records decoded from what one read brought are delivered together, just
// before the next read (see batch.go): one delivery, one table lock, per
// buffer of records rather than per record.
func (e *endpoint) read(ctx context.Context, conn net.Conn) (delivered bool, err error) {
	defer conn.Close()
	// Closing the connection is what unblocks a pending Read on Shutdown.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	p := e.newPending(ctx)
	dec := record.NewStreamDecoder(&idleReader{conn: conn, idle: e.in.cfg.IdleTimeout, before: p.deliver}, e.format, e.in.cfg.MaxRecordBytes)
	for {
		err := p.decode(dec)
		if err != nil {
			var decodeErr *record.DecodeError
			if errors.As(err, &decodeErr) {
				var rej ingest.Rejects
				rej.Add(err)
				e.in.gate.Refuse(ctx, e.agent, rej)
				continue
			}
			// What was decoded before the end of the stream still counts.
			if p.deliver() != nil {
				e.log.Info("Shutting down with records the sink has not taken; the socket cannot redeliver them")
				return p.delivered, p.err
			}
			if errors.Is(err, io.EOF) {
				return p.delivered, errors.New("agent closed the connection (EOF)")
			}
			return p.delivered, fmt.Errorf("read: %w", err)
		}
		if p.full() {
			if err := p.deliver(); err != nil {
				e.log.Info("Shutting down with records the sink has not taken; the socket cannot redeliver them")
				return p.delivered, err
			}
		}
	}
}

// errIdle marks a connection dropped for silence.
var errIdle = errors.New("idle timeout: no data from the agent")

// idleReader arms a fresh read deadline before every Read, so a silent or
// dead peer surfaces as errIdle instead of a Read that never returns. The
// deadline only runs while reading: time spent waiting on a busy sink does
// not count as idle.
type idleReader struct {
	conn net.Conn
	idle time.Duration
	// before runs before every Read: the records decoded so far are
	// delivered before the input waits for more.
	before func() error
}

func (r *idleReader) Read(p []byte) (int, error) {
	if r.before != nil {
		if err := r.before(); err != nil {
			return 0, err
		}
	}
	if err := r.conn.SetReadDeadline(time.Now().Add(r.idle)); err != nil {
		return 0, err
	}
	n, err := r.conn.Read(p)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return n, fmt.Errorf("%w for %s", errIdle, r.idle)
	}
	return n, err
}
