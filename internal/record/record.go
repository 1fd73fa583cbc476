// Package record holds the Netify Agent flow records the receiver understands
// and decodes them from the encodings the agent's sinks deliver.
package record // import "github.com/netify-otel/netifyflowstatsreceiver/internal/record"

// Record types of the agent's stream-flows channel (and the stream-stats ones
// the receiver recognises and skips on purpose).
const (
	TypeFlow            = "flow"
	TypeFlowDPIUpdate   = "flow_dpi_update"
	TypeFlowDPIComplete = "flow_dpi_complete"
	TypeFlowStats       = "flow_stats"
	TypeFlowPurge       = "flow_purge"
	TypeAgentStatus     = "agent_status"
)

// Record is one decoded agent record. Every field is optional on the wire:
// the Has* flags say what the record carried, so that a missing counter is
// never mistaken for a zero one. Its strings are copies: a record never
// keeps the body or stream buffer it was decoded from alive.
type Record struct {
	Type string
	// Interface is the capture interface; HasInterface is false when the
	// record left it out (or sent null), so that it says nothing about the
	// flow's interface rather than clearing it.
	HasInterface bool
	Interface    string
	// Internal: the flow is internal to the local network. HasInternal is
	// false when the record did not say.
	HasInternal bool
	Internal    bool
	// Reason is flow_purge's reason ("closed", "expired").
	Reason string

	// Digest, DigestPrev (its strings and its backing array) and
	// Meta.HostServerName are carved out of chunks a decoder shares
	// between the records it decodes (see digestArena): they never change,
	// but one kept alive keeps its chunk (1 KiB of text, 32 slice
	// entries) alive. A holder that keeps few of many such strings for
	// long may copy them (strings.Clone).
	Digest     string
	DigestPrev []string

	// Stats. Per-interval deltas, reset by the agent after each dispatch.
	HasStats     bool
	LocalBytes   uint64
	LocalPackets uint64
	OtherBytes   uint64
	OtherPackets uint64

	// TCP per-interval deltas; HasTCP is false when the tcp object is absent.
	HasTCP       bool
	TCPResets    uint64
	TCPRetrans   uint64
	TCPSeqErrors uint64

	// Burst rates in bytes per second (floats on the wire from agent 5.2 on).
	HasRates  bool
	LocalRate float64
	OtherRate float64

	// Cumulative since the flow started; never reset by the agent.
	HasTotals    bool
	TotalBytes   uint64
	TotalPackets uint64

	HasDetectionPackets bool
	DetectionPackets    uint64

	// UpdateIntervalSeconds is agent_status's update_interval: how often
	// the agent dispatches flow_stats. Zero when absent.
	UpdateIntervalSeconds uint64

	// Agent is what agent_status and interface_stats say about the agent
	// (see agent_records.go); nil for other types.
	Agent *AgentReport

	// Epoch milliseconds; zero when absent.
	FirstSeenAtMillis int64
	LastSeenAtMillis  int64

	// Meta is the flow metadata of flow, flow_dpi_update and
	// flow_dpi_complete records. HasMeta is false when the record carried
	// none of its fields (flow_stats, flow_purge, older agents' DPI records).
	HasMeta bool
	Meta    Meta
}

// Mapped reports whether the receiver turns the record into telemetry: a
// per-flow record, or an agent's health report.
func (r *Record) Mapped() bool { return r.IsFlow() || r.Agent != nil }

// IsFlow reports whether the record is one of the per-flow record types.
func (r *Record) IsFlow() bool {
	switch r.Type {
	case TypeFlow, TypeFlowDPIUpdate, TypeFlowDPIComplete, TypeFlowStats, TypeFlowPurge:
		return true
	}
	return false
}
