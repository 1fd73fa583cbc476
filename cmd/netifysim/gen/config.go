package gen

import (
	"errors"
	"fmt"
	"time"
)

// DPIStats says what the flow_dpi_update and flow_dpi_complete records carry
// besides metadata.
type DPIStats int

const (
	// DPIStatsPending (the default) adds the flow's stats as the agent has them
	// at the DPI event: the deltas pending since the last dispatch, which are
	// NOT reset by the DPI record and are dispatched again, in full, by the
	// interval's flow_stats (or flow_purge). A receiver summing deltas must not
	// add these, and Tally does not.
	DPIStatsPending DPIStats = iota
	// DPIStatsNone sends metadata only in DPI records.
	DPIStatsNone
)

// Config describes the simulated agents. The zero value of every field but Seed
// has a usable default (see withDefaults).
type Config struct {
	// Seed makes the whole stream reproducible: the same Seed, Config and
	// sequence of Tick times give byte-identical records.
	Seed uint64
	// Agents is how many agents to simulate when AgentIDs is empty; their ids
	// are UUID-like strings derived from Seed.
	Agents int
	// AgentIDs names the agents explicitly (overrides Agents).
	AgentIDs []string
	// Flows is the number of concurrent flows per agent; purged flows are
	// replaced by new ones in the same interval.
	Flows int
	// Interval is the agent's update_interval (default 15s). Traffic volumes
	// are scaled by it, with a floor of one second.
	Interval time.Duration
	// Rate multiplies every flow's traffic (default 1).
	Rate float64
	// DigestLen is the length of hex digests: 40 (SHA-1 style, default) or 16
	// (xxh64 style).
	DigestLen int
	// DPIStats selects what DPI records carry (default DPIStatsPending).
	DPIStats DPIStats
	// AgentVersion is reported in agent_status (default "5.2.1").
	AgentVersion string
	// Apps adds that many synthetic applications, each with its own host
	// name; about half of the HTTP/S and QUIC flows belong to one of them
	// (0, the default: only the built-in applications). For runs that must
	// exceed a view's series cap.
	Apps int
	// InterfaceStats adds an interface_stats record (5.x core plugin) after
	// each agent_status, with the interval's counters of the agent's
	// capture interface.
	InterfaceStats bool
}

const (
	maxApps             = 99999 // synthetic names have five digits
	defaultInterval     = 15 * time.Second
	defaultAgentVersion = "5.2.1"
)

func (c Config) withDefaults() Config {
	if c.Agents == 0 && len(c.AgentIDs) == 0 {
		c.Agents = 1
	}
	if len(c.AgentIDs) > 0 {
		c.Agents = len(c.AgentIDs)
	}
	if c.Flows == 0 {
		c.Flows = 10
	}
	if c.Interval == 0 {
		c.Interval = defaultInterval
	}
	if c.Rate == 0 {
		c.Rate = 1
	}
	if c.DigestLen == 0 {
		c.DigestLen = 40
	}
	if c.AgentVersion == "" {
		c.AgentVersion = defaultAgentVersion
	}
	return c
}

// Validate reports the first setting that cannot be simulated.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Agents < 0:
		return fmt.Errorf("agents must be positive, got %d", c.Agents)
	case c.Flows < 0:
		return fmt.Errorf("flows must be positive, got %d", c.Flows)
	case c.Interval < 0:
		return fmt.Errorf("interval must be positive, got %s", c.Interval)
	case c.Apps < 0 || c.Apps > maxApps:
		return fmt.Errorf("apps must be between 0 and %d, got %d", maxApps, c.Apps)
	case c.Rate < 0:
		return fmt.Errorf("rate must be positive, got %g", c.Rate)
	case c.DigestLen != 40 && c.DigestLen != 16:
		return fmt.Errorf("digest length must be 40 or 16, got %d", c.DigestLen)
	case c.DPIStats != DPIStatsPending && c.DPIStats != DPIStatsNone:
		return fmt.Errorf("unknown DPI stats mode %d", c.DPIStats)
	}
	seen := map[string]bool{}
	for _, id := range c.AgentIDs {
		if id == "" {
			return errors.New("agent ids must not be empty")
		}
		if seen[id] {
			return fmt.Errorf("agent id %q given twice", id)
		}
		seen[id] = true
	}
	return nil
}
