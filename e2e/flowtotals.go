package e2e

import (
	"fmt"

	"go.opentelemetry.io/collector/pdata/pmetric"
)

// FlowTotals are one agent's counters summed over all its flows: what the
// simulator delivered, or what a collector exported.
type FlowTotals struct {
	TransmitBytes   int64 // netify.flow.io transmit = Netify local_bytes
	ReceiveBytes    int64 // netify.flow.io receive = Netify other_bytes
	TransmitPackets int64 // netify.flow.packets transmit = local_packets
	ReceivePackets  int64 // netify.flow.packets receive = other_packets
	TCPResets       int64
	TCPRetrans      int64
	TCPSeqErrors    int64
}

// DeliveredTotals are the summary's delivered sums, by agent id.
func DeliveredTotals(s SimSummary) map[string]FlowTotals {
	out := make(map[string]FlowTotals, len(s.Agents))
	for _, a := range s.Agents {
		d := a.Delivered
		out[a.AgentID] = FlowTotals{
			TransmitBytes: d.LocalBytes, ReceiveBytes: d.OtherBytes,
			TransmitPackets: d.LocalPackets, ReceivePackets: d.OtherPackets,
			TCPResets: d.TCPResets, TCPRetrans: d.TCPRetrans, TCPSeqErrors: d.TCPSeqErrors,
		}
	}
	return out
}

// field is where a counter metric's value goes in FlowTotals.
func (f *FlowTotals) field(metric, direction string) (*int64, error) {
	switch {
	case metric == "netify.flow.io" && direction == "transmit":
		return &f.TransmitBytes, nil
	case metric == "netify.flow.io" && direction == "receive":
		return &f.ReceiveBytes, nil
	case metric == "netify.flow.packets" && direction == "transmit":
		return &f.TransmitPackets, nil
	case metric == "netify.flow.packets" && direction == "receive":
		return &f.ReceivePackets, nil
	case metric == "netify.flow.tcp.resets":
		return &f.TCPResets, nil
	case metric == "netify.flow.tcp.retransmissions":
		return &f.TCPRetrans, nil
	case metric == "netify.flow.tcp.sequence_errors":
		return &f.TCPSeqErrors, nil
	}
	return nil, fmt.Errorf("metric %s direction %q is not one of the summed counters", metric, direction)
}

// summedMetrics are the counters built from the agent's per-interval
// deltas, with their Prometheus family names.
var summedMetrics = map[string]string{
	"netify.flow.io":                  "netify_flow_io_bytes_total",
	"netify.flow.packets":             "netify_flow_packets_total",
	"netify.flow.tcp.resets":          "netify_flow_tcp_resets_total",
	"netify.flow.tcp.retransmissions": "netify_flow_tcp_retransmissions_total",
	"netify.flow.tcp.sequence_errors": "netify_flow_tcp_sequence_errors_total",
}

// OTLPTotals sums the latest cumulative points (see LatestPoints) of the
// counters per agent. A delta point among them is an error: adding up only
// the latest deltas would prove nothing.
func OTLPTotals(points []Point) (map[string]FlowTotals, error) {
	out := map[string]FlowTotals{}
	for _, p := range points {
		if _, ok := summedMetrics[p.Metric]; !ok {
			continue
		}
		if p.Temporality != pmetric.AggregationTemporalityCumulative {
			return nil, fmt.Errorf("%s of agent %q has %s temporality, want cumulative", p.Metric, p.Agent(), p.Temporality)
		}
		dir, _ := p.Attributes["network.io.direction"].(string)
		t := out[p.Agent()]
		f, err := t.field(p.Metric, dir)
		if err != nil {
			return nil, err
		}
		*f += int64(p.Value)
		out[p.Agent()] = t
	}
	return out, nil
}

// PromTotals sums the counter series of a scrape per agent; agentLabel is
// the label carrying netify.agent.id (netify_agent_id with the Prometheus
// exporter's resource_constant_labels).
func PromTotals(fams Families, agentLabel string) (map[string]FlowTotals, error) {
	out := map[string]FlowTotals{}
	for metric, family := range summedMetrics {
		for _, s := range fams.Samples(family) {
			agent := s.Labels[agentLabel]
			t := out[agent]
			f, err := t.field(metric, s.Labels["network_io_direction"])
			if err != nil {
				return nil, fmt.Errorf("family %s: %w", family, err)
			}
			*f += int64(s.Value)
			out[agent] = t
		}
	}
	return out, nil
}

// Totals are the key's byte, packet and tcp sums as FlowTotals.
func (k SimViewKey) Totals() FlowTotals {
	return FlowTotals{
		TransmitBytes: k.LocalBytes, ReceiveBytes: k.OtherBytes,
		TransmitPackets: k.LocalPackets, ReceivePackets: k.OtherPackets,
		TCPResets: k.TCPResets, TCPRetrans: k.TCPRetrans, TCPSeqErrors: k.TCPSeqErrors,
	}
}
