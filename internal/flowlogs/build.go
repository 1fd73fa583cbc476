package flowlogs

import (
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
)

// Attribute keys a record has beyond the flow attributes of
// flowmetrics.Attributes.
const (
	AttrAgentID      = "netify.agent.id"
	AttrDigest       = "netify.flow.digest"
	AttrEndReason    = "netify.flow.end_reason"
	AttrFirstSeen    = "netify.flow.first_seen"
	AttrDuration     = "netify.flow.duration"
	AttrLocalBytes   = "netify.flow.local_bytes"
	AttrOtherBytes   = "netify.flow.other_bytes"
	AttrLocalPackets = "netify.flow.local_packets"
	AttrOtherPackets = "netify.flow.other_packets"
	AttrTCPResets    = "netify.flow.tcp.resets"
	AttrTCPRetrans   = "netify.flow.tcp.retransmissions"
	AttrTCPSeqErrors = "netify.flow.tcp.sequence_errors"
	AttrTotalBytes   = "netify.flow.total_bytes"
	AttrTotalPackets = "netify.flow.total_packets"
)

// Scope names the instrumentation scope of the records.
type Scope struct{ Name, Version string }

// Build writes records as plog.Logs: one ResourceLogs per agent (resource
// attribute netify.agent.id), in the order the agents first appear.
func Build(recs []Record, scope Scope) plog.Logs {
	ld := plog.NewLogs()
	byAgent := map[string]plog.LogRecordSlice{}
	for i := range recs {
		r := &recs[i]
		lrs, ok := byAgent[r.Agent]
		if !ok {
			rl := ld.ResourceLogs().AppendEmpty()
			rl.Resource().Attributes().PutStr(AttrAgentID, r.Agent)
			sl := rl.ScopeLogs().AppendEmpty()
			sl.Scope().SetName(scope.Name)
			sl.Scope().SetVersion(scope.Version)
			lrs = sl.LogRecords()
			byAgent[r.Agent] = lrs
		}
		writeRecord(lrs.AppendEmpty(), r)
	}
	return ld
}

func ts(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

func writeRecord(lr plog.LogRecord, r *Record) {
	lr.SetEventName(r.Event())
	lr.SetTimestamp(ts(r.LastSeen))
	lr.SetObservedTimestamp(ts(r.Observed))
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	lr.SetSeverityText("INFO")
	lr.Body().SetStr(body(r))
	m := lr.Attributes()
	m.EnsureCapacity(32)
	m.PutStr(AttrDigest, r.Digest)
	if r.Ended != 0 {
		m.PutStr(AttrEndReason, r.Ended.String())
	}
	m.PutStr(AttrFirstSeen, r.FirstSeen.UTC().Format(time.RFC3339Nano))
	m.PutDouble(AttrDuration, max(r.LastSeen.Sub(r.FirstSeen).Seconds(), 0))
	putFlowAttributes(m, r)
	m.PutInt(AttrLocalBytes, int64(r.Sum.LocalBytes))
	m.PutInt(AttrOtherBytes, int64(r.Sum.OtherBytes))
	m.PutInt(AttrLocalPackets, int64(r.Sum.LocalPackets))
	m.PutInt(AttrOtherPackets, int64(r.Sum.OtherPackets))
	if r.HasTCP {
		m.PutInt(AttrTCPResets, int64(r.Sum.TCPResets))
		m.PutInt(AttrTCPRetrans, int64(r.Sum.TCPRetrans))
		m.PutInt(AttrTCPSeqErrors, int64(r.Sum.TCPSeqErrors))
	}
	if r.HasTotals {
		m.PutInt(AttrTotalBytes, int64(r.TotalBytes))
		m.PutInt(AttrTotalPackets, int64(r.TotalPackets))
	}
}

// putFlowAttributes writes the flow attributes of the views' catalogue,
// leaving out what the agent has not told: empty strings, "unknown", zero
// ports, categories and VLAN ids, and local_origin until a record said it.
// "unclassified" stays: the DPI looked and found nothing.
func putFlowAttributes(m pcommon.Map, r *Record) {
	for i := range flowmetrics.Attributes {
		at := &flowmetrics.Attributes[i]
		v := at.Value(&r.Attrs)
		switch {
		case v == "" || v == flowmetrics.Unknown:
			continue
		case at.IsInt() && v == "0":
			continue
		case at.Name == "local_origin" && !r.Attrs.Meta.HasLocalOrigin:
			continue
		}
		at.Put(m, &r.Attrs)
	}
}

// body is a one-line summary for people reading the log:
// "closed tcp 192.168.4.44:35636 -> 192.200.0.102:443 netify.tailscale", or
// "idle flow 77aa00bb11cc22dd" while the agent told nothing of the flow.
func body(r *Record) string {
	var b strings.Builder
	if r.Ended != 0 {
		b.WriteString(r.Ended.String())
	} else {
		b.WriteString("active")
	}
	meta := &r.Attrs.Meta
	told := false
	if meta.IPProtocol != 0 {
		b.WriteByte(' ')
		b.WriteString(flowmetrics.Transport(meta.IPProtocol))
		told = true
	}
	if meta.LocalAddr.IsValid() || meta.OtherAddr.IsValid() {
		b.WriteByte(' ')
		b.WriteString(endpoint(meta.LocalAddr.IsValid(), meta.LocalAddr.String(), meta.LocalPort))
		b.WriteString(" -> ")
		b.WriteString(endpoint(meta.OtherAddr.IsValid(), meta.OtherAddr.String(), meta.OtherPort))
		told = true
	}
	if meta.ApplicationID != 0 {
		b.WriteByte(' ')
		if n := meta.ApplicationName(); n != "" {
			b.WriteString(n)
		} else {
			b.WriteString(strconv.FormatUint(uint64(meta.ApplicationID), 10))
		}
		told = true
	}
	if !told {
		b.WriteString(" flow ")
		b.WriteString(r.Digest)
	}
	return b.String()
}

func endpoint(ok bool, addr string, port uint16) string {
	if !ok {
		addr = "?"
	}
	if port == 0 {
		return addr
	}
	if strings.Contains(addr, ":") {
		addr = "[" + addr + "]"
	}
	return addr + ":" + strconv.FormatUint(uint64(port), 10)
}
