package send

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriterNDJSONAndExpand(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, true)
	require.NoError(t, w.Send(context.Background(), []byte(`{"a":1}`)))
	require.NoError(t, w.Send(context.Background(), []byte(`{"b":2}`)))
	require.Equal(t, "{\"a\":1}\n{\"b\":2}\n", buf.String())

	require.Equal(t, "netify/abc/flows", Expand("netify/${uuid_agent}/flows", "abc"))
	require.Equal(t, "http://h/x", Expand("http://h/x", "abc"))
}
