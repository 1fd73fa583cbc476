package mqttin

import (
	"bytes"
	"compress/gzip"
	"net"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// FuzzUnwrapPayload unwraps fuzzed payloads (gzip or not) and decodes
// them as the worker does: what comes out is never over max, and one
// message allocates within ingesttest's bound for its size (gzip's own
// state counted in the fixed part). Seeds are in
// testdata/fuzz/FuzzUnwrapPayload and below.
func FuzzUnwrapPayload(f *testing.F) {
	f.Add([]byte(ingesttest.FlowStatsJSON(1)), 1<<20)
	f.Add(gzipBytes([]byte(ingesttest.FlowStatsJSON(2))), 1<<20)
	f.Add(gzipBytes(bytes.Repeat([]byte(" "), 1<<16)), 1<<10)
	f.Add([]byte{0x1f, 0x8b, 0x08, 0, 0, 0}, 100)
	f.Add(append([]byte(nil), oversizeMarker...), 10)
	f.Add([]byte("\x82\xa4type\xa4flow\xa4flow\x81\xa6digest\xa2ab"), 64)
	f.Fuzz(func(t *testing.T, payload []byte, maxBytes int) {
		maxBytes = 1 + abs(maxBytes)%(1<<20)
		var body []byte
		var err error
		ingesttest.CheckAllocBound(t, min(len(payload)*1024, maxBytes)+len(payload), func() {
			var ct string
			body, ct, err = unwrapPayload(payload, maxBytes)
			if err == nil {
				b := record.DecodeBody(body, ct)
				if len(b.Errors) > record.MaxKeptErrors {
					t.Fatalf("%d errors kept", len(b.Errors))
				}
			}
		})
		if err == nil && len(body) > maxBytes {
			t.Fatalf("unwrapped %d bytes, more than max %d", len(body), maxBytes)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// FuzzLimitConn reads a fuzzed byte stream through limitConn as Paho
// does: it never hands on a PUBLISH whose payload is over the bound nor
// another packet over maxControlPacket, never hangs, and reading one packet
// allocates within ingesttest's bound for the stream's size.
func FuzzLimitConn(f *testing.F) {
	pkt := func(topic string, qos byte, payload []byte) []byte {
		p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		p.TopicName, p.Qos, p.MessageID, p.Payload = topic, qos, 1, payload
		var buf bytes.Buffer
		_ = p.Write(&buf)
		return buf.Bytes()
	}
	f.Add(pkt("netify/a/flows", 1, []byte("hello")), 16)
	f.Add(append(pkt("t", 0, bytes.Repeat([]byte("x"), 300)), pkt("u", 2, []byte("y"))...), 16)
	f.Add([]byte{0x30, 0xff, 0xff, 0xff, 0x7f, 0, 1, 't'}, 16)
	f.Add([]byte{0x32, 0x03, 0x00, 0x05, 'a'}, 1)
	f.Add([]byte{0xd0, 0x00, 0x30, 0x80}, 4)
	f.Fuzz(func(t *testing.T, stream []byte, maxPayload int) {
		maxPayload = 1 + abs(maxPayload)%1024
		server, client := net.Pipe()
		go func() {
			_, _ = server.Write(stream)
			_ = server.Close()
		}()
		lc := newLimitConn(client, maxPayload)
		_ = lc.SetReadDeadline(time.Now().Add(5 * time.Second))
		defer lc.Close()
		for i := 0; ; i++ {
			if i > len(stream)+1 {
				t.Fatalf("%d packets out of %d bytes", i, len(stream))
			}
			var p packets.ControlPacket
			ingesttest.CheckAllocBound(t, len(stream), func() { p, _ = packets.ReadPacket(lc) })
			if p == nil {
				return
			}
			if pp, ok := p.(*packets.PublishPacket); ok && len(pp.Payload) > maxPayload {
				if _, marked := oversizeSize(pp.Payload); !marked {
					t.Fatalf("a payload of %d bytes passed a bound of %d", len(pp.Payload), maxPayload)
				}
			}
		}
	})
}
