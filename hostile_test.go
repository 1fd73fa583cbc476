package netifyflowstatsreceiver

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
)

// Defaults that bound what a slow or idle peer can hold.
// They survive loading a configuration that does not set them.
func TestDefaultHTTPServerTimeouts(t *testing.T) {
	cfg, err := loadConfig(t, "")
	require.NoError(t, err)
	h := cfg.HTTP.Get()
	assert.Equal(t, 10*time.Second, h.ServerConfig.ReadHeaderTimeout)
	assert.Equal(t, 30*time.Second, h.ServerConfig.ReadTimeout)
	assert.Equal(t, time.Minute, h.ServerConfig.Keepalive.Get().IdleTimeout)
	assert.Equal(t, int64(8<<20), h.ServerConfig.MaxRequestBodySize)
}

// startHostileHTTP is a receiver whose HTTP input listens on a free port,
// with tweak applied to the HTTP section.
func startHostileHTTP(t *testing.T, tweak func(*HTTPConfig)) (*inputReceiver, string) {
	t.Helper()
	ir := startInputReceiver(t, func(c *Config) {
		d := createDefaultConfig().(*Config).HTTP.Get()
		d.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
		if tweak != nil {
			tweak(d)
		}
		c.HTTP = configoptional.Some(*d)
	})
	return ir, ir.httpAddr.String()
}

// A peer that trickles its body is cut off at read_timeout, and one that
// trickles its headers at read_header_timeout.
func TestSlowPeersAreCutOff(t *testing.T) {
	_, addr := startHostileHTTP(t, func(h *HTTPConfig) {
		h.ServerConfig.ReadTimeout = 400 * time.Millisecond
		h.ServerConfig.ReadHeaderTimeout = 200 * time.Millisecond
	})
	for name, start := range map[string]string{
		"slow body":    "POST /v1/netify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
		"slow headers": "POST /v1/netify HTTP/1.1\r\nHost: x\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = io.WriteString(conn, start)
			require.NoError(t, err)
			began := time.Now()
			closed := make(chan struct{})
			go func() {
				defer close(closed)
				_, _ = io.Copy(io.Discard, conn) // returns when the server closes
			}()
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-closed:
					assert.Less(t, time.Since(began), 3*time.Second)
					return
				case <-tick.C:
					if time.Since(began) > 5*time.Second {
						t.Fatal("the server still holds a connection trickling one byte every 50 ms")
					}
					_, _ = io.WriteString(conn, " ")
				}
			}
		})
	}
}

// What a sender chose is echoed cut to a short, quoted prefix.
func TestEchoedInputIsCut(t *testing.T) {
	_, addr := startHostileHTTP(t, nil)
	long := strings.Repeat("p", 500_000)

	resp, err := http.Post("http://"+addr+"/"+long, "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Less(t, len(body), 400, "404 answer: %.200s", body)
	assert.Contains(t, string(body), `... (500001 bytes)`)

	status, a := post(t, "http://"+addr+defaultPath, request{contentType: "text/" + long, body: []byte("x")})
	assert.Equal(t, http.StatusUnsupportedMediaType, status)
	require.Len(t, a.Errors, 1)
	assert.Less(t, len(a.Errors[0]), 100, a.Errors[0])
}

// A delta beyond the plausible bound is refused as malformed; the good
// record beside it is kept.
func TestImplausibleDeltaIsRefused(t *testing.T) {
	ir, addr := startHostileHTTP(t, nil)
	body := `{"type":"flow_stats","interface":"lan","flow":{"digest":"aa","local_bytes":10000000000000000000}}` + "\n" +
		`{"type":"flow_stats","interface":"lan","flow":{"digest":"bb","local_bytes":5}}`
	status, a := post(t, "http://"+addr+defaultPath+"/agent-1", request{contentType: "application/json", body: []byte(body)})
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, httpin.Answer{Accepted: 1, Rejected: 1, Errors: []string{
		`flow "aa": flow.local_bytes 10000000000000000000 is beyond the plausible delta of one interval (at most 2^48)`,
	}}, a)
	c := ir.counted(t, "http")
	assert.EqualValues(t, 1, c[outcomeMalformed])
	assert.EqualValues(t, 1, c[outcomeAccepted])
}

// Interface names are held to the label rules on every input: invalid
// UTF-8 and control characters are refused, as an over-long name is.
func TestBadInterfaceNamesAreRefused(t *testing.T) {
	ir, addr := startHostileHTTP(t, nil)
	for name, iface := range map[string]string{
		"invalid UTF-8":     "\"eth\xff0\"",
		"newline":           `"eth0\nforged 1"`,
		"control character": `"eth\u00010"`,
		"too long":          fmt.Sprintf("%q", strings.Repeat("i", 65)),
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"type":"flow_stats","interface":` + iface + `,"flow":{"digest":"aa","local_bytes":1}}`
			status, a := post(t, "http://"+addr+defaultPath+"/agent-1", request{contentType: "application/json", body: []byte(body)})
			assert.Equal(t, http.StatusBadRequest, status, "%+v", a)
			assert.Equal(t, 1, a.Rejected)
			require.Len(t, a.Errors, 1)
			assert.Contains(t, a.Errors[0], "interface")
		})
	}
	assert.EqualValues(t, 4, ir.counted(t, "http")[outcomeMalformed])
	assert.Zero(t, ir.counted(t, "http")[outcomeAccepted])
}
