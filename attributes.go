package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"fmt"
	"slices"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// Every flow is its own series, each point with its own start and time: the
// metrics builder can only merge points with equal timestamps, so points of
// different flows left with the same attributes would collide downstream.
const (
	attrDigest    = "netify.flow.digest"
	attrDirection = "network.io.direction"
)

func keys[K ~string](ks []K) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// validateAttributes refuses a metrics::<name>::attributes list that drops
// what tells one flow (or direction) from another.
func validateAttributes(m metadata.MetricsConfig) []error {
	type entry struct {
		name     string
		attrs    []string
		required []string
	}
	both := []string{attrDigest, attrDirection}
	digest := []string{attrDigest}
	entries := []entry{
		{"netify.flow.io", keys(m.NetifyFlowIo.EnabledAttributes), both},
		{"netify.flow.packets", keys(m.NetifyFlowPackets.EnabledAttributes), both},
		{"netify.flow.rate", keys(m.NetifyFlowRate.EnabledAttributes), both},
		{"netify.flow.tcp.resets", keys(m.NetifyFlowTCPResets.EnabledAttributes), digest},
		{"netify.flow.tcp.retransmissions", keys(m.NetifyFlowTCPRetransmissions.EnabledAttributes), digest},
		{"netify.flow.tcp.sequence_errors", keys(m.NetifyFlowTCPSequenceErrors.EnabledAttributes), digest},
		{"netify.flow.lifetime.io", keys(m.NetifyFlowLifetimeIo.EnabledAttributes), digest},
		{"netify.flow.lifetime.packets", keys(m.NetifyFlowLifetimePackets.EnabledAttributes), digest},
		{"netify.flow.detection.packets", keys(m.NetifyFlowDetectionPackets.EnabledAttributes), digest},
	}
	var errs []error
	for _, e := range entries {
		for _, r := range e.required {
			if !slices.Contains(e.attrs, r) {
				errs = append(errs, fmt.Errorf("metrics::%s::attributes must keep %s: each flow is its own series, and flows left with equal attributes would collide (bound cardinality with flows.max, or aggregate downstream in delta temporality)", e.name, joinAnd(e.required)))
				break
			}
		}
	}
	return errs
}

func joinAnd(s []string) string {
	if len(s) == 2 {
		return s[0] + " and " + s[1]
	}
	return s[0]
}
