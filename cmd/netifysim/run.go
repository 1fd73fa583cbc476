package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/internal/send"
)

// maxLoggedFailures bounds the log: a dead receiver would otherwise print a
// line per record.
const maxLoggedFailures = 20

// run simulates the agents until ctx ends, -duration or -intervals, then
// returns what was generated and what became of it.
func run(ctx context.Context, o *options, stdout, stderr io.Writer) (Summary, error) {
	g, err := gen.New(o.gen)
	if err != nil {
		return Summary{}, err
	}
	logger := log.New(stderr, "netifysim: ", log.LstdFlags)
	sinks, err := openSinks(o, g.Agents(), stdout)
	if err != nil {
		return Summary{}, err
	}
	for i, a := range g.Agents() {
		logger.Printf("agent %s -> %s %s", a.ID(), o.mode, sinks[i].target)
	}
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}

	var failures atomic.Int64
	agents := make([]*agentRun, len(g.Agents()))
	for i, a := range g.Agents() {
		agents[i] = &agentRun{o: o, agent: a, sink: sinks[i], logger: logger, failures: &failures}
	}
	var wg sync.WaitGroup
	for _, group := range groups(o, agents) {
		wg.Go(func() { runGroup(ctx, o, group) })
	}
	wg.Wait()
	closeErr := closeSinks(sinks)

	cfg := g.Config()
	s := Summary{
		Seed: cfg.Seed, Mode: o.mode, Format: o.format.String(), Gzip: o.gzip,
		Interval: cfg.Interval.String(), DigestLen: cfg.DigestLen, FlowsPerAgent: cfg.Flows,
		Total: newOutcomes(),
	}
	for _, r := range agents {
		s.Agents = append(s.Agents, r.res)
		s.Total.merge(r.res.Outcomes)
	}
	if n := failures.Load(); n > 0 {
		logger.Printf("%d sends failed", n)
	}
	return s, closeErr
}

// groups splits the agents into those ticked together by one goroutine:
// each agent on its own (its own transport, like real agents), except on
// stdout, where ticking all agents in turn keeps the shared stream
// reproducible.
func groups(o *options, agents []*agentRun) [][]*agentRun {
	if o.mode == modeStdout {
		return [][]*agentRun{agents}
	}
	out := make([][]*agentRun, len(agents))
	for i, a := range agents {
		out[i] = []*agentRun{a}
	}
	return out
}

// runGroup ticks its agents every interval until ctx ends or -intervals.
func runGroup(ctx context.Context, o *options, group []*agentRun) {
	for _, r := range group {
		r.res = AgentSummary{AgentID: r.agent.ID(), Target: r.sink.target, Outcomes: newOutcomes()}
		r.views = gen.NewViews()
	}
	// Records already generated are sent even after a stop: a stop ends
	// the simulation, not the delivery of the interval in hand.
	sendCtx := context.WithoutCancel(ctx)
	defer func() {
		for _, r := range group {
			if o.purgeOnExit {
				r.deliver(sendCtx, r.agent.PurgeAll())
			}
			r.res.Intervals = r.agent.Intervals()
			r.res.FlowsStarted = r.agent.FlowsStarted()
			r.res.FlowsPurged = r.agent.FlowsPurged()
			r.res.Views = r.views.Result()
		}
	}()

	for _, r := range group {
		if o.waitClient && r.sink.socket != nil {
			if err := r.sink.socket.WaitClient(ctx); err != nil {
				return
			}
		}
	}
	interval := o.gen.Interval
	var tick <-chan time.Time
	if !o.fast {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	for k := 1; o.intervals == 0 || k <= o.intervals; k++ {
		if tick == nil {
			if ctx.Err() != nil {
				return
			}
		} else {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		}
		now := time.Now()
		if !o.start.IsZero() {
			now = o.start.Add(time.Duration(k) * interval)
		}
		for _, r := range group {
			r.deliver(sendCtx, r.agent.Tick(now))
		}
	}
}

// agentRun is one agent with its transport and what became of its records.
type agentRun struct {
	o        *options
	agent    *gen.Agent
	sink     agentSink
	logger   *log.Logger
	failures *atomic.Int64
	res      AgentSummary
	views    *gen.Views // over the delivered records
}

func (r *agentRun) deliver(ctx context.Context, recs []gen.Record) {
	for i := range recs {
		rec := &recs[i]
		r.res.Generated.Add(rec)
		payload, err := rec.Encode(r.o.format)
		if err == nil {
			err = r.sink.sink.Send(ctx, payload)
		}
		switch {
		case err == nil:
			r.res.Delivered.Add(rec)
			r.views.Add(rec)
		case errors.Is(err, send.ErrDropped):
			r.res.Dropped.Add(rec)
		default:
			r.res.Failed.Add(rec)
			if n := r.failures.Add(1); n <= maxLoggedFailures {
				r.logger.Printf("agent %s: %s record not delivered: %v", r.agent.ID(), rec.Type, err)
			} else if n == maxLoggedFailures+1 {
				r.logger.Printf("further send failures are counted, not logged")
			}
		}
	}
}

// writeSummaryError names the summary file that could not be written.
func writeSummaryError(path string, err error) error {
	return fmt.Errorf("writing summary to %s: %w", path, err)
}
