package netifyflowstatsreceiver

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// goodRecord is the well-formed record sent beside each bad input: it must
// be taken whatever its neighbour did.
func goodRecord(n int) string {
	return fmt.Sprintf(`{"type":"flow_stats","interface":"lan","flow":{"digest":"%04x","local_bytes":%d}}`, 0xa000+n, n)
}

func badFlow(iface, flow string) string {
	return `{"type":"flow_stats","interface":` + iface + `,"flow":` + flow + `}`
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// counterDelta is what the records counter of transport gained while f ran.
func counterDelta(t *testing.T, ir *inputReceiver, transport string, f func()) map[string]int64 {
	t.Helper()
	before := ir.counted(t, transport)
	f()
	after := ir.counted(t, transport)
	out := map[string]int64{}
	for _, k := range []string{outcomeAccepted, outcomeMalformed, outcomeSkipped} {
		if d := after[k] - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

// Bad input over HTTP: each request gets its exact answer, its count, and
// the good record in the same body is kept.
func TestBadInputHTTP(t *testing.T) {
	ir, addr := startHostileHTTP(t, func(h *HTTPConfig) { h.ServerConfig.MaxRequestBodySize = 64 << 10 })
	base := "http://" + addr + defaultPath
	type req struct {
		method, path, contentType, encoding, agentHeader string
		body                                             []byte
	}
	good := goodRecord(1)
	fixints := bytes.Repeat([]byte{0x01}, 30)
	many := good
	for range 25 {
		many += "\n" + `{"type":"flow_stats"}`
	}
	tests := []struct {
		name   string
		req    req
		status int
		answer httpin.Answer
		counts map[string]int64
	}{
		{"not JSON", req{body: []byte("hello\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: invalid JSON at byte 0: invalid character 'h', expected '{' or '['`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"empty body", req{}, 400, httpin.Answer{Rejected: 1, Errors: []string{"empty body"}}, map[string]int64{"malformed": 1}},
		{"only whitespace", req{body: []byte(" \n\t ")}, 400, httpin.Answer{Rejected: 1, Errors: []string{"empty body"}}, map[string]int64{"malformed": 1}},
		{"unsupported content type", req{contentType: "text/xml", body: []byte(good)}, 415,
			httpin.Answer{Rejected: 1, Errors: []string{`unsupported content type "text/xml"`}}, map[string]int64{"malformed": 1}},
		{"huge content type", req{contentType: "text/" + strings.Repeat("x", 10_000), body: []byte(good)}, 415,
			httpin.Answer{Rejected: 1, Errors: []string{`unsupported content type "text/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"...`}}, map[string]int64{"malformed": 1}},
		{"digest not hex", req{body: []byte(badFlow(`"lan"`, `{"digest":"zz!"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow.digest: "zz!" is not a hex digest of at most 64 characters`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"digest too long", req{body: []byte(badFlow(`"lan"`, `{"digest":"`+strings.Repeat("a", 65)+`"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow.digest: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... is not a hex digest of at most 64 characters`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"too many digest_prev", req{body: []byte(badFlow(`"lan"`, `{"digest":"ab","digest_prev":[`+strings.Repeat(`"ab",`, 32)+`"ab"]}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow.digest_prev: 33 entries, at most 32`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"missing flow", req{body: []byte(`{"type":"flow_stats"}` + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: missing "flow"`}}, map[string]int64{"accepted": 1, "malformed": 1}},
		{"missing type", req{body: []byte(`{"flow":{"digest":"ab"}}` + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: missing "type"`}}, map[string]int64{"accepted": 1, "malformed": 1}},
		{"negative counter", req{body: []byte(badFlow(`"lan"`, `{"digest":"ab","local_bytes":-5}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow.local_bytes: expected a non-negative whole number, got -5`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"counter as text", req{body: []byte(badFlow(`"lan"`, `{"digest":"ab","other_packets":"many"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow.other_packets: expected a number, got string "many"`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"flow is an array", req{body: []byte(badFlow(`"lan"`, `[1,2]`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: flow: expected an object, got array`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"interface too long", req{body: []byte(badFlow(`"`+strings.Repeat("i", 65)+`"`, `{"digest":"ab"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: interface: "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"... is 65 bytes, at most 64`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"interface not UTF-8", req{body: []byte(badFlow("\"eth\xff\"", `{"digest":"ab"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`flow "ab": interface "eth\xff" is not valid UTF-8`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"interface with a newline", req{body: []byte(badFlow(`"eth0\nforged"`, `{"digest":"ab"}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`flow "ab": interface "eth0\nforged" contains control character U+000A`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"delta beyond the bound", req{body: []byte(badFlow(`"lan"`, `{"digest":"ab","other_bytes":300000000000000}`) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`flow "ab": flow.other_bytes 300000000000000 is beyond the plausible delta of one interval (at most 2^48)`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"unterminated record", req{body: []byte(`{"type":"flow_stats","flow":{"digest":"ab"` + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: invalid JSON at byte 43: record cut short: the next record starts here`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"array holding a number", req{body: []byte(`[7,` + good + `]`)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: expected an object, got number`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"nested too deep", req{body: []byte(strings.Repeat(`{"a":`, 1001) + "1" + strings.Repeat("}", 1001) + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 0: invalid JSON at byte 5000: nested too deeply`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"25 bad records: 20 named, all counted", req{body: []byte(many)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 25, Errors: append(repeatMissingFlow(1, 20), "... and 5 more bad records")},
			map[string]int64{"accepted": 1, "malformed": 25}},
		{"unknown record type", req{body: []byte(`{"type":"interfaces"}` + "\n" + good)}, 200,
			httpin.Answer{Accepted: 1, Skipped: 1}, map[string]int64{"accepted": 1, "skipped": 1}},
		{"only agent_status", req{body: []byte(`{"type":"agent_status","update_interval":15}`)}, 200,
			httpin.Answer{Accepted: 1}, map[string]int64{"accepted": 1}},
		{"msgpack of fixints", req{contentType: "application/msgpack", body: append(fixints, msgpacked(t, good)...)}, 200,
			httpin.Answer{Accepted: 1, Rejected: 30, Errors: append(repeatFixint(20), "... and 10 more bad records")},
			map[string]int64{"accepted": 1, "malformed": 30}},
		{"msgpack truncated", req{contentType: "application/msgpack", body: append(msgpacked(t, good), 0x82, 0xa4, 't')}, 200,
			httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{`record 1: invalid msgpack at byte 72: unexpected end of input`}},
			map[string]int64{"accepted": 1, "malformed": 1}},
		{"agent header too long", req{agentHeader: strings.Repeat("a", 129), body: []byte(good)}, 400,
			httpin.Answer{Rejected: 1, Errors: []string{"agent id from header X-Netify-Agent is 129 bytes, at most 128"}}, map[string]int64{"malformed": 1}},
		{"agent path with a control character", req{path: "/agent%01x", body: []byte(good)}, 400,
			httpin.Answer{Rejected: 1, Errors: []string{"agent id from the URL path contains control character U+0001"}}, map[string]int64{"malformed": 1}},
		{"agent path not UTF-8", req{path: "/agent%FF", body: []byte(good)}, 400,
			httpin.Answer{Rejected: 1, Errors: []string{"agent id from the URL path is not valid UTF-8"}}, map[string]int64{"malformed": 1}},
		{"GET", req{method: http.MethodGet}, 405,
			httpin.Answer{Errors: []string{"method GET not allowed; records are posted"}}, map[string]int64{}},
		{"unknown path", req{path: "/x/y", body: []byte(good)}, 404,
			httpin.Answer{Errors: []string{`no records are taken at "/v1/netify/x/y"; post to "/v1/netify" or "/v1/netify/<agent id>"`}}, map[string]int64{}},
		{"huge path", req{path: "x/" + strings.Repeat("p", 100_000), body: []byte(good)}, 404,
			httpin.Answer{Errors: []string{`no records are taken at "/v1/netifyx/pppppppppppppppppppppppppppppppppppppppppppppppppppp"... (100012 bytes); post to "/v1/netify" or "/v1/netify/<agent id>"`}}, map[string]int64{}},
		{"body over the limit", req{body: bytes.Repeat([]byte(" "), 65<<10)}, 413,
			httpin.Answer{Errors: []string{"body larger than the limit of 65536 bytes (http.max_request_body_size)"}}, map[string]int64{}},
		{"gzip bomb over the limit", req{encoding: "gzip", body: gz(bytes.Repeat([]byte(" "), 1<<20))}, 413,
			httpin.Answer{Errors: []string{"body larger than the limit of 65536 bytes (http.max_request_body_size)"}}, map[string]int64{}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req
			if r.method == "" {
				r.method = http.MethodPost
			}
			if r.contentType == "" {
				r.contentType = "application/json"
			}
			url := base + r.path
			var status int
			var a httpin.Answer
			got := counterDelta(t, ir, "http", func() {
				hr, err := http.NewRequest(r.method, url, bytes.NewReader(r.body))
				require.NoError(t, err)
				hr.Header.Set("Content-Type", r.contentType)
				if r.path == "" {
					hr.Header.Set(defaultAgentIDHeader, fmt.Sprintf("bad-input-%d", i))
				}
				if r.agentHeader != "" {
					hr.Header.Set(defaultAgentIDHeader, r.agentHeader)
				}
				if r.encoding != "" {
					hr.Header.Set("Content-Encoding", r.encoding)
				}
				resp, err := http.DefaultClient.Do(hr)
				require.NoError(t, err)
				defer resp.Body.Close()
				raw, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				status = resp.StatusCode
				require.NoError(t, json.Unmarshal(raw, &a), "answer %q", raw)
			})
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.answer, a)
			assert.Equal(t, tc.counts, got)
		})
	}
}

func repeatMissingFlow(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf(`record %d: missing "flow"`, i))
	}
	return out
}

func repeatFixint(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf(`record %d: expected an object, got number 1`, i))
	}
	return out
}

// Bad input over the socket: each bad frame is counted, and the good
// record after it on the same connection is taken.
func TestBadInputSocket(t *testing.T) {
	a := listenSocketAgent(t, "tcp")
	ir := startInputReceiver(t, func(c *Config) {
		s := socketin.NewDefaultConfig()
		s.Endpoints = []socketin.EndpointConfig{{Endpoint: a.endpoint(), AgentID: inputsAgent, Format: socketin.FormatJSON}}
		s.MaxRecordBytes = 4 << 10
		s.DialTimeout = 2 * time.Second
		s.Reconnect.InitialInterval = 10 * time.Millisecond
		s.Reconnect.MaxInterval = 100 * time.Millisecond
		c.Socket = configoptional.Some(s)
	})
	conn := a.accept()
	tests := []struct {
		name   string
		bad    string
		counts map[string]int64
	}{
		{"garbage line", "hello world\n", map[string]int64{"malformed": 1}},
		{"record over max_record_bytes", `{"type":"flow_stats","pad":"` + strings.Repeat("x", 5<<10) + `"}` + "\n", map[string]int64{"malformed": 1}},
		{"digest not hex", badFlow(`"lan"`, `{"digest":"zz"}`) + "\n", map[string]int64{"malformed": 1}},
		{"interface not UTF-8", badFlow("\"eth\xfe\"", `{"digest":"ab"}`) + "\n", map[string]int64{"malformed": 1}},
		{"interface with a control character", badFlow(`"eth\u0007"`, `{"digest":"ab"}`) + "\n", map[string]int64{"malformed": 1}},
		{"delta beyond the bound", badFlow(`"lan"`, `{"digest":"ab","local_packets":18446744073709551615}`) + "\n", map[string]int64{"malformed": 1}},
		{"missing flow", `{"type":"flow_purge"}` + "\n", map[string]int64{"malformed": 1}},
		{"unknown type", `{"type":"interfaces"}` + "\n", map[string]int64{"skipped": 1}},
		{"mismatched brackets", `{"type":"flow"]` + "\n", map[string]int64{"malformed": 1}},
		{"a bare number", "42\n", map[string]int64{"malformed": 1}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]int64{"accepted": 1}
			for k, v := range tc.counts {
				want[k] += v
			}
			before := ir.counted(t, socketin.Transport)
			_, err := io.WriteString(conn, tc.bad+goodRecord(100+i)+"\n")
			require.NoError(t, err)
			require.Eventually(t, func() bool {
				return ir.counted(t, socketin.Transport)[outcomeAccepted] > before[outcomeAccepted]
			}, inputsWait, inputsPoll, "the good record after the bad one was not taken")
			after := ir.counted(t, socketin.Transport)
			delta := map[string]int64{}
			for _, k := range []string{outcomeAccepted, outcomeMalformed, outcomeSkipped} {
				if d := after[k] - before[k]; d != 0 {
					delta[k] = d
				}
			}
			assert.Equal(t, want, delta)
		})
	}
}

// Bad input over MQTT: each bad message is counted (and acknowledged), and
// the good message after it is taken.
func TestBadInputMQTT(t *testing.T) {
	b := mosquittotest.Start(t)
	ir := startInputReceiver(t, func(c *Config) {
		m := mqttin.NewDefaultConfig()
		m.Brokers = []string{b.URL()}
		m.ClientID = "bad-input"
		m.Topics = []string{"netify/+/flows"}
		m.ConnectTimeout = 2 * time.Second
		m.MaxReconnectInterval = 250 * time.Millisecond
		m.MaxMessageBytes = 8 << 10
		c.MQTT = configoptional.Some(m)
	})
	pub := newMQTTAgent(t, b.URL())
	good := flowsTopic(inputsAgent)
	// Subscribed once a good record published over and over arrives.
	require.Eventually(t, func() bool {
		return pub.publish(good, []byte(goodRecord(199))) == nil && ir.counted(t, mqttin.Transport)[outcomeAccepted] > 0
	}, inputsWait, 50*time.Millisecond, "the MQTT input did not take a record")
	tests := []struct {
		name    string
		topic   string
		payload []byte
		counts  map[string]int64
	}{
		{"garbage payload", good, []byte("not a record"), map[string]int64{"malformed": 1}},
		{"empty payload", good, []byte("  \n"), map[string]int64{"malformed": 1}},
		{"broken gzip", good, []byte{0x1f, 0x8b, 0x08, 0, 1, 2, 3}, map[string]int64{"malformed": 1}},
		{"gzip bomb", good, gz(bytes.Repeat([]byte(" "), 1<<20)), map[string]int64{"malformed": 1}},
		{"payload over max_message_bytes", good, bytes.Repeat([]byte("{"), 64<<10), map[string]int64{"malformed": 1}},
		{"agent level too long", flowsTopic(strings.Repeat("a", 129)), []byte(goodRecord(0)), map[string]int64{"malformed": 1}},
		{"digest not hex", good, []byte(badFlow(`"lan"`, `{"digest":"xyz"}`)), map[string]int64{"malformed": 1}},
		{"interface not UTF-8", good, []byte(badFlow("\"lan\xc3\"", `{"digest":"ab"}`)), map[string]int64{"malformed": 1}},
		{"delta beyond the bound", good, []byte(badFlow(`"lan"`, `{"digest":"ab","tcp":{"resets":281474976710657}}`)), map[string]int64{"malformed": 1}},
		{"msgpack scalars", good, []byte{0x01, 0x02, 0x03}, map[string]int64{"malformed": 1}},
		{"30 bad records in one message", good, []byte(strings.Repeat(`{"type":"flow"}`+"\n", 30)), map[string]int64{"malformed": 30}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string]int64{"accepted": 1}
			for k, v := range tc.counts {
				want[k] += v
			}
			before := ir.counted(t, mqttin.Transport)
			require.NoError(t, pub.publish(tc.topic, tc.payload))
			require.NoError(t, pub.publish(good, []byte(goodRecord(200+i))))
			require.Eventually(t, func() bool {
				return ir.counted(t, mqttin.Transport)[outcomeAccepted] > before[outcomeAccepted]
			}, inputsWait, inputsPoll, "the good message after the bad one was not taken")
			after := ir.counted(t, mqttin.Transport)
			delta := map[string]int64{}
			for _, k := range []string{outcomeAccepted, outcomeMalformed, outcomeSkipped} {
				if d := after[k] - before[k]; d != 0 {
					delta[k] = d
				}
			}
			assert.Equal(t, want, delta)
		})
	}
}
