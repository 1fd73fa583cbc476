package record

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/vmihailenco/msgpack/v5"
)

// Record types of the agent's stream-stats channel that carry agent health.
const (
	// TypeInterfaceStats (agent 5.x core plugin): one object per capture
	// interface, keyed by interface name, of per-interval packet counters.
	TypeInterfaceStats = "interface_stats"
)

// MaxAgentInterfaces is the most interfaces one agent record may report:
// each becomes a set of series, so their number must not follow the input.
const MaxAgentInterfaces = 64

// MaxAgentVersionLen bounds agent_version, a metric attribute value.
const MaxAgentVersionLen = 64

// IsAgentReport reports whether records of type t carry agent health
// (agent_status, interface_stats) decoded into Record.Agent.
func IsAgentReport(t string) bool { return t == TypeAgentStatus || t == TypeInterfaceStats }

// AgentReport is what an agent_status or interface_stats record says about
// the agent. Every field is optional: a Has flag (or a nil pointer) tells a
// missing figure from a zero one.
type AgentReport struct {
	// Status is agent_status's own figures; nil for interface_stats.
	Status *AgentStatus
	// Interfaces are per-interval counters by capture interface, sorted by
	// name: interface_stats' objects, or the "stats" object of a 4.x
	// agent_status.
	Interfaces []InterfaceStats
}

// AgentStatus holds agent_status's figures. Gauges describe the moment of
// the report; FlowsPurged counts the interval; the CPU times are the agent
// process's running totals since it started.
type AgentStatus struct {
	Version string

	HasUptime bool
	Uptime    uint64 // seconds
	// UpdateInterval is how often the agent dispatches, in seconds (a
	// whole number from real agents; simulators send fractions).
	HasUpdateInterval bool
	UpdateInterval    float64
	HasTimestamp      bool
	Timestamp         uint64 // epoch seconds of the report

	HasFlowCount   bool
	FlowCount      uint64 // flows in the agent's table
	HasFlowsActive bool
	FlowsActive    uint64 // flows that saw packets in the interval
	HasFlowsPurged bool
	FlowsPurged    uint64 // flows purged in the interval

	HasCPUCores  bool
	CPUCores     uint64
	HasCPUUser   bool
	CPUUser      float64 // seconds of user CPU since the agent started
	HasCPUSystem bool
	CPUSystem    float64 // seconds of system CPU since the agent started

	HasMemRSS   bool
	MemRSSKB    uint64 // resident set, KiB (5.x)
	HasMaxRSS   bool
	MaxRSSKB    uint64 // peak resident set, KiB
	HasTCMalloc bool
	TCMallocKB  uint64 // bytes held by tcmalloc, KiB (builds with it)
}

// InterfaceCounter names one per-interval counter of an interface.
type InterfaceCounter uint8

// The interface counters, in the agent's order (ndPacketStats::Encode).
const (
	IfRaw InterfaceCounter = iota
	IfEthernet
	IfMPLS
	IfPPPoE
	IfVLAN
	IfFragmented
	IfDiscarded
	IfDiscardedBytes
	IfIP
	IfTCP
	IfTCPSeqErrors
	IfTCPResets
	IfUDP
	IfICMP
	IfIGMP
	IfIPBytes
	IfWireBytes
	IfFlowDropped
	IfQueueDropped
	IfCaptureDropped
	IfCaptureFiltered
	NumInterfaceCounters
)

// interfaceCounterKeys are the wire keys of each counter. Agents 4.x wrote
// tcp_seq_error, 5.x writes tcp_seq_errors.
var interfaceCounterKeys = map[string]InterfaceCounter{
	"raw":              IfRaw,
	"ethernet":         IfEthernet,
	"mpls":             IfMPLS,
	"pppoe":            IfPPPoE,
	"vlan":             IfVLAN,
	"fragmented":       IfFragmented,
	"discarded":        IfDiscarded,
	"discarded_bytes":  IfDiscardedBytes,
	"ip":               IfIP,
	"tcp":              IfTCP,
	"tcp_seq_errors":   IfTCPSeqErrors,
	"tcp_seq_error":    IfTCPSeqErrors,
	"tcp_resets":       IfTCPResets,
	"udp":              IfUDP,
	"icmp":             IfICMP,
	"igmp":             IfIGMP,
	"ip_bytes":         IfIPBytes,
	"wire_bytes":       IfWireBytes,
	"flow_dropped":     IfFlowDropped,
	"queue_dropped":    IfQueueDropped,
	"capture_dropped":  IfCaptureDropped,
	"capture_filtered": IfCaptureFiltered,
}

// InterfaceStats is one interface's counters for one update interval.
type InterfaceStats struct {
	Name string
	// Has says which counters the record carried.
	Has      [NumInterfaceCounters]bool
	Counters [NumInterfaceCounters]uint64
	// LargestBytes is the largest frame of the interval (largest_bytes).
	HasLargestBytes bool
	LargestBytes    uint64
}

// decodeAgentJSON decodes the agent figures of a valid JSON record of type t.
func decodeAgentJSON(frame []byte, t string) (*AgentReport, error) {
	dec := json.NewDecoder(bytes.NewReader(frame))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, &fieldError{problem: "expected an object: " + err.Error()}
	}
	return agentReportOf(m, t)
}

// decodeAgentMsgpack decodes the agent figures of one msgpack map of type t.
func decodeAgentMsgpack(frame []byte, t string) (*AgentReport, error) {
	var m map[string]any
	if err := msgpack.Unmarshal(frame, &m); err != nil {
		return nil, &fieldError{problem: "expected an object: " + msgpackProblem(err)}
	}
	return agentReportOf(m, t)
}

// agentReportOf reads the generic form of an agent record. These records
// come once per update interval per agent, so the generic decoding's cost
// does not matter; its tolerance of shapes does.
func agentReportOf(m map[string]any, t string) (*AgentReport, error) {
	rep := &AgentReport{}
	var err error
	switch t {
	case TypeAgentStatus:
		if rep.Status, err = agentStatusOf(m); err != nil {
			return nil, err
		}
		// 4.x agents put the interface counters in agent_status itself.
		if stats, ok := m["stats"]; ok && stats != nil {
			if rep.Interfaces, err = interfacesOf(stats, "stats"); err != nil {
				return nil, err
			}
		}
	case TypeInterfaceStats:
		delete(m, "type")
		if rep.Interfaces, err = interfacesOf(m, ""); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func agentStatusOf(m map[string]any) (*AgentStatus, error) {
	s := &AgentStatus{}
	if v, ok := m["agent_version"]; ok && v != nil {
		str, isStr := v.(string)
		if !isStr {
			return nil, &fieldError{"agent_version", "expected a string, got " + describeAny(v)}
		}
		if len(str) > MaxAgentVersionLen {
			return nil, &fieldError{"agent_version", quoteText(str) + " is " + strconv.Itoa(len(str)) + " bytes, at most " + strconv.Itoa(MaxAgentVersionLen)}
		}
		s.Version = str
	}
	counters := []struct {
		key string
		has *bool
		v   *uint64
	}{
		{"uptime", &s.HasUptime, &s.Uptime},
		{"timestamp", &s.HasTimestamp, &s.Timestamp},
		{"flow_count", &s.HasFlowCount, &s.FlowCount},
		{"flows_active", &s.HasFlowsActive, &s.FlowsActive},
		{"flows_purged", &s.HasFlowsPurged, &s.FlowsPurged},
		{"cpu_cores", &s.HasCPUCores, &s.CPUCores},
		{"memrss_kb", &s.HasMemRSS, &s.MemRSSKB},
		{"maxrss_kb", &s.HasMaxRSS, &s.MaxRSSKB},
		{"tcm_kb", &s.HasTCMalloc, &s.TCMallocKB},
	}
	for _, c := range counters {
		n := numOf(m[c.key])
		v, err := n.counter(c.key)
		if err != nil {
			return nil, err
		}
		*c.has, *c.v = n.present(), v
	}
	seconds := []struct {
		key string
		has *bool
		v   *float64
	}{
		{"update_interval", &s.HasUpdateInterval, &s.UpdateInterval},
		{"cpu_user", &s.HasCPUUser, &s.CPUUser},
		{"cpu_system", &s.HasCPUSystem, &s.CPUSystem},
	}
	for _, c := range seconds {
		n := numOf(m[c.key])
		v, err := n.rate(c.key)
		if err != nil {
			return nil, err
		}
		if v < 0 {
			return nil, &fieldError{c.key, "expected a non-negative number, got " + n.String()}
		}
		*c.has, *c.v = n.present(), v
	}
	return s, nil
}

// interfacesOf reads an object of per-interface counter objects; prefix is
// the path of that object for error messages.
func interfacesOf(v any, prefix string) ([]InterfaceStats, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &fieldError{prefix, "expected an object, got " + describeAny(v)}
	}
	if len(obj) > MaxAgentInterfaces {
		return nil, &fieldError{prefix, strconv.Itoa(len(obj)) + " interfaces, at most " + strconv.Itoa(MaxAgentInterfaces)}
	}
	out := make([]InterfaceStats, 0, len(obj))
	for name, counters := range obj {
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		if err := checkInterface(path, name); err != nil {
			return nil, err
		}
		if counters == nil {
			continue
		}
		fields, ok := counters.(map[string]any)
		if !ok {
			return nil, &fieldError{path, "expected an object, got " + describeAny(counters)}
		}
		st := InterfaceStats{Name: name}
		for key, val := range fields {
			c, known := interfaceCounterKeys[key]
			if !known && key != "largest_bytes" {
				continue // pcap_recv and other deprecated or unknown figures
			}
			n := numOf(val)
			u, err := n.counter(path + "." + key)
			if err != nil {
				return nil, err
			}
			if !n.present() {
				continue
			}
			if !known {
				st.HasLargestBytes, st.LargestBytes = true, u
				continue
			}
			st.Has[c], st.Counters[c] = true, u
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// numOf turns a generically decoded JSON or msgpack value into a num, so
// that agent figures get the flow fields' checks and error messages.
func numOf(v any) num {
	var n num
	switch x := v.(type) {
	case nil:
	case json.Number:
		if !n.setText([]byte(x)) {
			n.setBad("number " + string(x))
		}
	case string:
		if !n.setText([]byte(x)) {
			n.setBad("string " + quoteText(x))
		}
	case float64:
		n.setFloat(x)
	case float32:
		n.setFloat(float64(x))
	case int64:
		n.setInt(x)
	case int32:
		n.setInt(int64(x))
	case int16:
		n.setInt(int64(x))
	case int8:
		n.setInt(int64(x))
	case int:
		n.setInt(int64(x))
	case uint64:
		n.setUint(x)
	case uint32:
		n.setUint(uint64(x))
	case uint16:
		n.setUint(uint64(x))
	case uint8:
		n.setUint(uint64(x))
	case uint:
		n.setUint(uint64(x))
	default:
		n.setBad(describeAny(v))
	}
	return n
}

// describeAny says what a generically decoded value is, for "expected X,
// got Y" messages.
func describeAny(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool " + strconv.FormatBool(x)
	case string:
		return "string " + quoteText(x)
	case json.Number:
		return "number " + string(x)
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case []byte:
		return "binary"
	}
	return "number"
}
