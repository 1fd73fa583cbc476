package ingesttest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestDigestRangeNumbersInOrder(t *testing.T) {
	assert.Equal(t, []string{"d000009", "d000010", "d000011"}, DigestRange(9, 11))
	assert.Empty(t, DigestRange(2, 1))
}

func TestFlowStatsJSONDecodesToItsNumber(t *testing.T) {
	recs, errs := record.Decode([]byte(FlowStatsJSON(42)), "application/json")
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, record.TypeFlowStats, recs[0].Type)
	assert.Equal(t, "d000042", recs[0].Digest)
	assert.EqualValues(t, 42, recs[0].LocalBytes)
}
