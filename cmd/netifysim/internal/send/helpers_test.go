package send

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// payloads are real generated records in the given format.
func payloads(t *testing.T, format gen.Format, n int) ([][]byte, []gen.Record) {
	t.Helper()
	recs, err := gen.Records(gen.Config{Seed: 1, Flows: 3}, time.UnixMilli(1765893800000), 2)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(recs), n)
	recs = recs[:n]
	out := make([][]byte, n)
	for i := range recs {
		out[i], err = recs[i].Encode(format)
		require.NoError(t, err)
	}
	return out, recs
}
