package gen

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// msgpack payloads decode to the same record as the JSON ones.
func TestMsgpackMatchesJSON(t *testing.T) {
	for _, r := range records(t, Config{Seed: 2, Flows: 6}, 3) {
		mp, err := r.Encode(FormatMsgpack)
		require.NoError(t, err)
		var fromMsgpack map[string]any
		require.NoError(t, msgpack.Unmarshal(mp, &fromMsgpack))
		// Round both through JSON so number types compare alike.
		viaJSON, err := json.Marshal(fromMsgpack)
		require.NoError(t, err)
		require.JSONEq(t, string(r.JSON()), string(viaJSON))
	}
}

func TestParseFormat(t *testing.T) {
	f, err := ParseFormat("msgpack")
	require.NoError(t, err)
	require.Equal(t, "application/msgpack", f.ContentType())
	f, err = ParseFormat("json")
	require.NoError(t, err)
	require.Equal(t, "application/json", f.ContentType())
	_, err = ParseFormat("xml")
	require.Error(t, err)
}
