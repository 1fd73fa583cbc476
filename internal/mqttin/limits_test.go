package mqttin

import (
	"bytes"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

func publishPacket(t *testing.T, topic string, qos byte, id uint16, payload []byte) []byte {
	t.Helper()
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.TopicName, p.Qos, p.MessageID, p.Payload = topic, qos, id, payload
	var buf bytes.Buffer
	require.NoError(t, p.Write(&buf))
	return buf.Bytes()
}

// A PUBLISH over the bound is read past without being kept: Paho sees the
// same topic and packet id (so it acknowledges it) with the marker payload,
// and the packets around it unchanged. Reading 50 MiB through the
// connection allocates a few KiB, not the payload.
func TestLimitConnDropsOversizedPayloadsUnread(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 50<<20)
	stream := append(publishPacket(t, "netify/a/flows", 1, 7, []byte("small")), publishPacket(t, "netify/b/flows", 1, 8, big)...)
	stream = append(stream, publishPacket(t, "netify/c/flows", 0, 0, []byte("after"))...)
	ping := packets.NewControlPacket(packets.Pingresp)
	var pb bytes.Buffer
	require.NoError(t, ping.Write(&pb))
	stream = append(stream, pb.Bytes()...)

	server, client := net.Pipe()
	go func() {
		defer server.Close()
		for off := 0; off < len(stream); off += 64 << 10 {
			if _, err := server.Write(stream[off:min(off+64<<10, len(stream))]); err != nil {
				return
			}
		}
	}()
	lc := newLimitConn(client, 1<<10)

	first, err := packets.ReadPacket(lc)
	require.NoError(t, err)
	assert.Equal(t, []byte("small"), first.(*packets.PublishPacket).Payload)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	second, err := packets.ReadPacket(lc)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	p := second.(*packets.PublishPacket)
	assert.Equal(t, "netify/b/flows", p.TopicName)
	assert.Equal(t, uint16(8), p.MessageID)
	assert.Equal(t, byte(1), p.Qos)
	n, ok := oversizeSize(p.Payload)
	assert.True(t, ok)
	assert.Equal(t, 50<<20, n)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(256<<10), "the payload was not read into memory")

	third, err := packets.ReadPacket(lc)
	require.NoError(t, err)
	assert.Equal(t, []byte("after"), third.(*packets.PublishPacket).Payload)
	fourth, err := packets.ReadPacket(lc)
	require.NoError(t, err)
	assert.IsType(t, &packets.PingrespPacket{}, fourth)
}

// Through a real broker: an oversized message and one whose agent level
// breaks the agent id rules (mosquitto itself refuses control characters
// in topics) are each refused (counted, acknowledged), and
// the records around them arrive.
func TestHostileMessagesThroughBroker(t *testing.T) {
	b := mosquittotest.Start(t)
	sink := &ingesttest.RecordingSink{}
	decErrs := &ingesttest.DecodeErrors{Transport: Transport}
	cfg := testConfig(b, "recv-hostile")
	cfg.MaxMessageBytes = 4 << 10
	startInput(t, cfg, sink, ingesttest.NewStatusHost(), decErrs)
	pub := newPublisher(t, b)

	for _, m := range []struct {
		topic   string
		payload []byte
	}{
		{"netify/agent-a/flows", flowStats(1)},
		{"netify/agent-a/flows", bytes.Repeat([]byte(" "), 1<<20)},
		{"netify/" + strings.Repeat("x", 300) + "/flows", flowStats(2)},
		{"netify/" + strings.Repeat("é", 65) + "/flows", flowStats(3)}, // 130 bytes
		{"netify/" + strings.Repeat("é", 64) + "/flows", flowStats(5)}, // 128 bytes: the limit
		{"netify/agent-a/flows", flowStats(4)},
	} {
		_, err := pub.publish(m.topic, m.payload)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return len(sink.Digests()) == 3 && decErrs.Count() == 3 }, waitFor, 10*time.Millisecond,
		"digests %v, refused %d", sink.Digests(), decErrs.Count())
	assert.Equal(t, []string{ingesttest.Digest(1), ingesttest.Digest(5), ingesttest.Digest(4)}, sink.Digests())
	var agents []string
	for _, bt := range sink.Batches() {
		agents = append(agents, bt.Agent)
	}
	assert.Equal(t, []string{"agent-a", strings.Repeat("é", 64), "agent-a"}, agents)
}
