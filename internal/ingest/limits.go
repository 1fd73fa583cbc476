package ingest

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// The limits every input applies, here and only here. Agent ids, interface
// names and digests become flow table keys and metric attribute values, so
// their size and bytes must not follow the sender's input.
const (
	// MaxAgentIDLen bounds an agent id in bytes; the agent's own ids (UUIDs,
	// serials) are far shorter.
	MaxAgentIDLen = 128
	// MaxInterfaceLen bounds a capture interface name in bytes.
	MaxInterfaceLen = record.MaxInterfaceLen
	// MaxDelta bounds one record's per-interval delta of any counter
	// (bytes, packets, TCP events): 2^48, over 100 Gbit/s for six hours. A
	// larger one is a forged or corrupt record, refused as malformed; sums
	// of plausible deltas then take decades to reach 2^63.
	MaxDelta = 1 << 48
)

// CheckAgentID says what is wrong with an agent id taken from source (a
// header, the URL path, an MQTT topic level, the configuration). A bad id
// is refused rather than cleaned up, so that two different ids never merge.
func CheckAgentID(id, source string) error {
	if id == "" {
		return fmt.Errorf("agent id from %s is empty", source)
	}
	if err := checkText(id, MaxAgentIDLen); err != nil {
		return fmt.Errorf("agent id from %s %w", source, err)
	}
	return nil
}

// checkText holds an attribute value to the rules of every label: at most
// max bytes, valid UTF-8 (the Prometheus exporter drops a series that is
// not), no control characters (newlines forge log lines and labels).
func checkText(s string, max int) error {
	if len(s) <= max && printableASCII(s) {
		return nil // the usual case, without decoding runes
	}
	if len(s) > max {
		return fmt.Errorf("is %d bytes, at most %d", len(s), max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return fmt.Errorf("contains control character %U", c)
		}
	}
	return nil
}

// printableASCII reports whether s is only bytes 0x20-0x7e: valid UTF-8
// without control characters.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// CheckRecord holds a decoded record to the limits: its interface name,
// digests and deltas. The decoders check what they can while reading; this
// is the one check every input's records pass, whatever decoded them.
func CheckRecord(r *record.Record) error {
	var c recordChecker
	return c.check(r)
}

// recordChecker is CheckRecord over the records of one delivery: an
// interface name that passed is not checked again. The records of a stream
// name one or two interfaces, and the decoders share one copy of each
// name, which then compares equal at its pointer.
type recordChecker struct {
	iface string // the last interface name that passed; "" for none
}

func (c *recordChecker) check(r *record.Record) error {
	if !r.IsFlow() {
		return nil
	}
	if r.HasInterface && (r.Interface != c.iface || c.iface == "") {
		if err := checkText(r.Interface, MaxInterfaceLen); err != nil {
			return fmt.Errorf("interface %s %w", Excerpt(r.Interface), err)
		}
		c.iface = r.Interface
	}
	if !record.ValidDigest(r.Digest) {
		return fmt.Errorf("flow.digest %s is not a hex digest of at most %d characters", Excerpt(r.Digest), record.MaxDigestLen)
	}
	if len(r.DigestPrev) > record.MaxDigestPrev {
		return fmt.Errorf("flow.digest_prev has %d entries, at most %d", len(r.DigestPrev), record.MaxDigestPrev)
	}
	for i, d := range r.DigestPrev {
		if !record.ValidDigest(d) {
			return fmt.Errorf("flow.digest_prev[%d] %s is not a hex digest of at most %d characters", i, Excerpt(d), record.MaxDigestLen)
		}
	}
	// One comparison for the usual record; the names only for a refusal.
	if max(r.LocalBytes, r.LocalPackets, r.OtherBytes, r.OtherPackets, r.TCPResets, r.TCPRetrans, r.TCPSeqErrors) <= MaxDelta {
		return nil
	}
	for _, c := range [...]struct {
		name string
		v    uint64
	}{
		{"flow.local_bytes", r.LocalBytes}, {"flow.local_packets", r.LocalPackets},
		{"flow.other_bytes", r.OtherBytes}, {"flow.other_packets", r.OtherPackets},
		{"flow.tcp.resets", r.TCPResets}, {"flow.tcp.retrans", r.TCPRetrans}, {"flow.tcp.seq_errors", r.TCPSeqErrors},
	} {
		if c.v > MaxDelta {
			return fmt.Errorf("%s %s is beyond the plausible delta of one interval (at most 2^48)", c.name, strconv.FormatUint(c.v, 10))
		}
	}
	return nil
}
