package gen

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// The receiver's default views and the attribute keys they group by.
const (
	ViewInterface   = "interface"
	ViewApplication = "application"
	ViewProtocol    = "protocol"

	AttrInterface   = "network.interface.name"
	AttrInternal    = "netify.flow.internal"
	AttrApplication = "netify.application.name"
	AttrProtocol    = "netify.protocol.name"
	AttrTransport   = "network.transport"

	// Unclassified is the application or protocol name of a flow that has
	// no metadata record yet, or whose latest one says id 0.
	Unclassified = "unclassified"
	// UnknownTransport is the transport of a flow with no ip_protocol yet.
	UnknownTransport = "unknown"
)

// viewAttrs are each default view's group-by attributes, in key order.
var viewAttrs = map[string][]string{
	ViewInterface:   {AttrInterface, AttrInternal},
	ViewApplication: {AttrApplication},
	ViewProtocol:    {AttrProtocol, AttrTransport},
}

// ViewNames are the default views, sorted.
func ViewNames() []string {
	names := make([]string, 0, len(viewAttrs))
	for n := range viewAttrs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ViewTotals is the truth for one key of a view: what the receiver's series
// for that key must add up to.
type ViewTotals struct {
	// Key is the group-by attributes' values, as strings (internal is
	// "true" or "false").
	Key map[string]string `json:"key"`
	// Delta sums the key's flow_stats and flow_purge deltas.
	Delta
	// FlowsStarted counts flows whose first record put them under this key.
	FlowsStarted int64 `json:"flows_started"`
	// FlowsEnded counts flows under this key at their flow_purge, by reason.
	FlowsEnded map[string]int64 `json:"flows_ended"`
	// FlowsActive counts flows not purged whose latest record puts them
	// under this key.
	FlowsActive int64 `json:"flows_active"`
}

// Views computes the default views' truth from records in the order a
// receiver gets them, with the receiver's attribution rule: a record's
// deltas (flow_stats and flow_purge only) count toward the key the flow has
// when the record arrives, i.e. the metadata of the latest flow,
// flow_dpi_update or flow_dpi_complete record of that flow before it (the
// record itself included); interface and internal come from every record.
// A flow with no metadata record yet, or with application (protocol) id 0,
// has application (protocol) name "unclassified"; with no ip_protocol yet its
// transport is "unknown". A flow starts under the key of its first record
// and ends under the key it has at its flow_purge. Flows are told apart by
// agent-local tuple digest: feed one agent's records to one Views.
type Views struct {
	flows  map[string]*viewFlow
	totals map[string]map[string]*ViewTotals // view -> joined key -> totals
}

// viewFlow is what Views remembers of a flow not yet purged.
type viewFlow struct {
	iface    string
	internal bool
	meta     *Meta
}

// NewViews returns an empty Views.
func NewViews() *Views {
	v := &Views{flows: map[string]*viewFlow{}, totals: map[string]map[string]*ViewTotals{}}
	for name := range viewAttrs {
		v.totals[name] = map[string]*ViewTotals{}
	}
	return v
}

// Add attributes one record; records of no flow (agent_status) are ignored.
func (v *Views) Add(r *Record) {
	if r.Flow == "" {
		return
	}
	f, known := v.flows[r.Flow]
	if !known {
		f = &viewFlow{}
		v.flows[r.Flow] = f
	}
	f.iface, f.internal = r.Interface, r.Internal
	if r.Meta != nil {
		f.meta = r.Meta
	}
	purged := r.Type == TypeFlowPurge
	for name, attrs := range viewAttrs {
		t := v.at(name, f.key(attrs))
		if !known {
			t.FlowsStarted++
		}
		if CountsDeltas(r.Type) {
			t.Add(r.Delta)
		}
		if purged {
			t.FlowsEnded[r.Reason]++
		}
	}
	if purged {
		delete(v.flows, r.Flow)
	}
}

// at returns the totals of one key, created empty on first use.
func (v *Views) at(view string, key map[string]string) *ViewTotals {
	id := joinKey(viewAttrs[view], key)
	t := v.totals[view][id]
	if t == nil {
		t = &ViewTotals{Key: key, FlowsEnded: map[string]int64{}}
		v.totals[view][id] = t
	}
	return t
}

func joinKey(attrs []string, key map[string]string) string {
	var b strings.Builder
	for _, a := range attrs {
		b.WriteString(key[a])
		b.WriteByte(0)
	}
	return b.String()
}

// key is the flow's current values of attrs.
func (f *viewFlow) key(attrs []string) map[string]string {
	key := make(map[string]string, len(attrs))
	for _, a := range attrs {
		switch a {
		case AttrInterface:
			key[a] = f.iface
		case AttrInternal:
			key[a] = strconv.FormatBool(f.internal)
		case AttrApplication:
			key[a] = Unclassified
			if f.meta != nil && f.meta.ApplicationID != 0 {
				key[a] = f.meta.ApplicationName
			}
		case AttrProtocol:
			key[a] = Unclassified
			if f.meta != nil && f.meta.ProtocolID != 0 {
				key[a] = f.meta.ProtocolName
			}
		case AttrTransport:
			key[a] = UnknownTransport
			if f.meta != nil {
				key[a] = Transport(f.meta.IPProtocol)
			}
		}
	}
	return key
}

// Transport is network.transport for an IANA protocol number: tcp, udp,
// icmp (ICMP and ICMPv6), else the number in decimal.
func Transport(ipProtocol int) string {
	switch ipProtocol {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1, 58:
		return "icmp"
	}
	return strconv.Itoa(ipProtocol)
}

// Result is every view's keys with their totals (active flows counted as of
// now), sorted by key values in the view's attribute order. A key a flow
// passed through without any delta, start, end or flow left under it (two
// DPI records in a row) is left out: the receiver may or may not show it,
// with zeros.
func (v *Views) Result() map[string][]ViewTotals {
	out := make(map[string][]ViewTotals, len(viewAttrs))
	for name, attrs := range viewAttrs {
		active := map[string]int64{}
		for _, f := range v.flows {
			active[joinKey(attrs, f.key(attrs))]++
		}
		ids := make([]string, 0, len(v.totals[name]))
		for id := range v.totals[name] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		list := make([]ViewTotals, 0, len(ids))
		for _, id := range ids {
			t := *v.totals[name][id]
			t.Key = maps.Clone(t.Key)
			t.FlowsEnded = maps.Clone(t.FlowsEnded)
			t.FlowsActive = active[id]
			if t.Delta == (Delta{}) && t.FlowsStarted == 0 && len(t.FlowsEnded) == 0 && t.FlowsActive == 0 {
				continue
			}
			list = append(list, t)
		}
		out[name] = list
	}
	return out
}
