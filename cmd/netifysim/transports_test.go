package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/internal/send"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// flakyReceiver accepts POSTs but answers 500 to every fifth, tallying what
// it accepted per agent header and per URL path.
type flakyReceiver struct {
	t        *testing.T
	mu       sync.Mutex
	n        int
	accepted map[string]*gen.Tally
	paths    map[string]string
}

func (f *flakyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if !assert.NoError(f.t, err) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	agent := r.Header.Get("X-Netify-Agent")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.n%5 == 0 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if f.accepted[agent] == nil {
		f.accepted[agent] = &gen.Tally{Records: map[string]int64{}}
	}
	assert.NoError(f.t, tallyPayload(f.accepted[agent], body))
	f.paths[agent] = r.URL.Path
}

// decodeBody undoes gzip and msgpack so that every body reads as JSON.
func decodeBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if body, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	switch ct := r.Header.Get("Content-Type"); ct {
	case "application/json":
		return body, nil
	case "application/msgpack":
		var m map[string]any
		if err := msgpack.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		return json.Marshal(m)
	default:
		return nil, fmt.Errorf("unexpected Content-Type %q", ct)
	}
}

func TestHTTPModeCountsWhatWasAccepted(t *testing.T) {
	for name, extra := range map[string][]string{
		"json":         nil,
		"msgpack+gzip": {"-format", "msgpack", "-gzip"},
	} {
		t.Run(name, func(t *testing.T) {
			rcv := &flakyReceiver{t: t, accepted: map[string]*gen.Tally{}, paths: map[string]string{}}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			args := append([]string{"-mode", "http", "-url", srv.URL + "/netify/${uuid_agent}", "-agent-ids", "a1,a2",
				"-flows", "10", "-intervals", "5"}, virtual...)
			_, s := runMain(t, append(args, extra...)...)
			require.Len(t, s.Agents, 2)
			for _, a := range s.Agents {
				requireBalanced(t, a.Outcomes)
				requireViewsAddUp(t, a)
				require.Positive(t, a.Failed.RecordsTotal, "every fifth POST failed")
				require.Zero(t, a.Dropped.RecordsTotal)
				require.Equal(t, a.Delivered, *rcv.accepted[a.AgentID])
				require.Equal(t, "/netify/"+a.AgentID, rcv.paths[a.AgentID])
				require.Equal(t, srv.URL+"/netify/"+a.AgentID, a.Target)
			}
		})
	}
}

func readAll(t *testing.T, addr string) <-chan []byte {
	t.Helper()
	network, address, err := send.ParseBindAddress(addr)
	require.NoError(t, err)
	out := make(chan []byte, 1)
	var c net.Conn
	require.Eventually(t, func() bool {
		c, err = net.Dial(network, address)
		return err == nil
	}, 10*time.Second, 5*time.Millisecond, "connecting to %s", addr)
	go func() {
		defer c.Close()
		b, _ := io.ReadAll(bufio.NewReader(c))
		out <- b
	}()
	return out
}

func TestSocketModeStreamsToAClient(t *testing.T) {
	dir, err := os.MkdirTemp("", "nsim")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	port := freePort(t)
	for name, listen := range map[string]string{
		"unix": "unix://" + filepath.Join(dir, "${uuid_agent}.sock"),
		"tcp":  "tcp://127.0.0.1:" + port,
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr syncbuf.Buffer
			file := filepath.Join(t.TempDir(), "s.json")
			done := make(chan int)
			args := append([]string{"-mode", "socket", "-listen", listen, "-agent-ids", "s1", "-wait-client",
				"-flows", "6", "-intervals", "8", "-summary", file, "-quiet"}, virtual...)
			go func() { done <- realMain(args, &stdout, &stderr) }()
			addr := send.Expand(listen, "s1")
			got := readAll(t, addr)
			require.Equal(t, 0, <-done, stderr.String())
			s := readSummary(t, file)
			a := s.Agents[0]
			requireBalanced(t, a.Outcomes)
			require.Equal(t, a.Delivered, tallyLines(t, <-got))
			require.Equal(t, a.Generated, a.Delivered, "-wait-client: nothing dropped")
			require.Equal(t, addr, a.Target)
		})
	}
}

func TestSocketModeDropsWithoutClient(t *testing.T) {
	_, s := runMain(t, append([]string{"-mode", "socket", "-listen", "tcp://127.0.0.1:0", "-agents", "2",
		"-flows", "3", "-intervals", "3"}, virtual...)...)
	for _, a := range s.Agents {
		requireBalanced(t, a.Outcomes)
		require.Equal(t, a.Generated, a.Dropped)
		require.Zero(t, a.Delivered.RecordsTotal)
		for view, list := range a.Views {
			require.Empty(t, list, "view %s counts records never delivered", view)
		}
	}
	require.NotEqual(t, s.Agents[0].Target, s.Agents[1].Target)
}

func TestMQTTModePublishesPerAgentTopic(t *testing.T) {
	broker := mosquittotest.Start(t).URL()
	sub := mosquittotest.Subscribe(t, broker, "netify/+/flows")
	_, s := runMain(t, append([]string{"-mode", "mqtt", "-broker", broker, "-agent-ids", "m1,m2",
		"-flows", "5", "-intervals", "4", "-qos", "1"}, virtual...)...)
	want := map[string]gen.Tally{}
	for _, a := range s.Agents {
		requireBalanced(t, a.Outcomes)
		require.Equal(t, a.Generated, a.Delivered)
		require.Equal(t, "netify/"+a.AgentID+"/flows", a.Target)
		want["netify/"+a.AgentID+"/flows"] = a.Delivered
	}
	require.Eventually(t, func() bool {
		return int64(len(sub.Messages())) == s.Total.Delivered.RecordsTotal
	}, 10*time.Second, 10*time.Millisecond)
	got := map[string]gen.Tally{}
	for _, m := range sub.Messages() {
		tally := got[m.Topic]
		addPayload(t, &tally, m.Payload)
		got[m.Topic] = tally
	}
	require.Equal(t, want, got)
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, err)
	return port
}
