package gen

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testStart = time.UnixMilli(1765893800000)

// wire is a record decoded from its JSON payload, as a receiver sees it.
type wire struct {
	Type      string         `json:"type"`
	Interface string         `json:"interface"`
	Internal  *bool          `json:"internal"`
	Reason    string         `json:"reason"`
	Flow      map[string]any `json:"flow"`
	Raw       map[string]any `json:"-"`
}

func decode(t *testing.T, b []byte) wire {
	t.Helper()
	var w wire
	require.NoError(t, json.Unmarshal(b, &w))
	require.NoError(t, json.Unmarshal(b, &w.Raw))
	return w
}

func (w wire) num(key string) uint64 {
	v, ok := w.Flow[key].(float64)
	if !ok {
		return 0
	}
	return uint64(v)
}

func (w wire) tcp() (map[string]any, bool) {
	m, ok := w.Flow["tcp"].(map[string]any)
	return m, ok
}

func (w wire) digestPrev() []string {
	raw, _ := w.Flow["digest_prev"].([]any)
	out := make([]string, len(raw))
	for i, v := range raw {
		out[i], _ = v.(string)
	}
	return out
}

func (w wire) tuple() string {
	if p := w.digestPrev(); len(p) > 0 {
		return p[0]
	}
	return ""
}

func records(t *testing.T, cfg Config, n int) []Record {
	t.Helper()
	recs, err := Records(cfg, testStart, n)
	require.NoError(t, err)
	return recs
}

func decodeAll(t *testing.T, recs []Record) []wire {
	t.Helper()
	out := make([]wire, len(recs))
	for i := range recs {
		out[i] = decode(t, recs[i].JSON())
	}
	return out
}
