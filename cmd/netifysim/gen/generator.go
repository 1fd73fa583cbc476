package gen

import (
	"bytes"
	"fmt"
	"time"
)

// Generator holds every simulated agent.
type Generator struct {
	cfg    Config
	agents []*Agent
}

// New builds the agents cfg describes.
func New(cfg Config) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid generator config: %w", err)
	}
	cfg = cfg.withDefaults()
	g := &Generator{cfg: cfg}
	for i := range cfg.Agents {
		g.agents = append(g.agents, newAgent(cfg, i))
	}
	return g, nil
}

// Config is the configuration in effect, defaults filled in.
func (g *Generator) Config() Config { return g.cfg }

// Agents are the simulated agents, in index order; each can be ticked on its
// own instead of through Generator.Tick.
func (g *Generator) Agents() []*Agent { return g.agents }

// Tick advances every agent by one interval ending at now and returns their
// records, agent after agent.
func (g *Generator) Tick(now time.Time) []Record {
	var out []Record
	for _, a := range g.agents {
		out = append(out, a.Tick(now)...)
	}
	return out
}

// PurgeAll ends every agent's flows (see Agent.PurgeAll).
func (g *Generator) PurgeAll() []Record {
	var out []Record
	for _, a := range g.agents {
		out = append(out, a.PurgeAll()...)
	}
	return out
}

// Records runs cfg for n intervals on a virtual clock whose first interval
// ends at start+Interval, and returns every record in order.
func Records(cfg Config, start time.Time, n int) ([]Record, error) {
	g, err := New(cfg)
	if err != nil {
		return nil, err
	}
	var out []Record
	for i := 1; i <= n; i++ {
		out = append(out, g.Tick(start.Add(time.Duration(i)*g.cfg.Interval))...)
	}
	return out, nil
}

// Stream is Records encoded as JSON, one payload per record.
func Stream(cfg Config, start time.Time, n int) ([][]byte, error) {
	recs, err := Records(cfg, start, n)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(recs))
	for i := range recs {
		out[i] = recs[i].JSON()
	}
	return out, nil
}

// NDJSON is Stream as one newline-delimited body, as the agent's socket sink
// writes it, and the number of records in it.
func NDJSON(cfg Config, start time.Time, n int) ([]byte, int, error) {
	payloads, err := Stream(cfg, start, n)
	if err != nil {
		return nil, 0, err
	}
	return append(bytes.Join(payloads, []byte{'\n'}), '\n'), len(payloads), nil
}
