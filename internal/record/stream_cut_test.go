package record

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// TestStreamCutRecordsReadDirectly: records cut by the end of a read (a
// socket hands out pieces) decode as they do read whole, and are read on
// into the buffer and taken by the direct reader, not copied out by the
// frame scanner for the slow path.
func TestStreamCutRecordsReadDirectly(t *testing.T) {
	body, records, err := gen.NDJSON(gen.Config{Seed: 3, Agents: 1, Flows: 50}, time.UnixMilli(1772665318561), 3)
	require.NoError(t, err)
	var per []Record
	for line := range bytes.Lines(body) {
		recs, errs := Decode(line, "application/json")
		require.Empty(t, errs)
		per = append(per, recs...)
	}
	require.Len(t, per, records)

	for _, size := range []int{97, 700, 4096} {
		d := NewStreamDecoder(&pieces{data: body, size: size}, FormatJSON, 0)
		var got []Record
		for {
			var rec Record
			err := d.NextInto(&rec)
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			got = append(got, rec)
		}
		require.Equal(t, per, got, "pieces of %d bytes", size)
		// agent_status and interface_stats records are not the direct
		// reader's: they take oneObject's general reader, whole.
		assert.Zero(t, cap(d.buf), "pieces of %d bytes: a record went through the frame scanner", size)
	}
}

// pieces hands out data size bytes per Read.
type pieces struct {
	data []byte
	size int
}

func (p *pieces) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, io.EOF
	}
	n := copy(b[:min(len(b), p.size)], p.data)
	p.data = p.data[n:]
	return n, nil
}
