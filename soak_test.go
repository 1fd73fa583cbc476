package netifyflowstatsreceiver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// Soak bounds, derived from the configuration: the heap may grow by
// soakBytesPerFlow per tracked flow (flows.max) above a fixed allowance,
// and goroutines by a few per agent connection.
const (
	soakBytesPerFlow      = 2 << 10
	soakFixedHeap         = 64 << 20
	soakGoroutinesPerPeer = 4
	soakFixedGoroutines   = 64
)

func soakSetting(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestSoak streams flow_stats from agents over the socket and HTTP inputs
// for a while, sampling the heap, the goroutines and the throughput every
// second, and fails if either bound is crossed or a record is lost. Each
// agent sends a flow_stats for every one of its flows, then waits
// SOAK_INTERVAL_MS (the agent's update interval; 1 s here, 15 s by
// default on a real agent). The test command runs a short one (20 agents x
// 500 flows, 20 s); `make soak` runs SOAK_AGENTS x SOAK_FLOWS for
// SOAK_SECONDS. The flushes go to a consumer that keeps nothing.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak skipped in -short")
	}
	agents := soakSetting("SOAK_AGENTS", 20)
	flows := soakSetting("SOAK_FLOWS", 500)
	duration := time.Duration(soakSetting("SOAK_SECONDS", 20)) * time.Second
	socketAgents := agents / 2
	httpAgents := agents - socketAgents

	var sockets []*socketAgent
	for range socketAgents {
		sockets = append(sockets, listenSocketAgent(t, "tcp"))
	}
	maxFlows := agents * flows
	interval := time.Duration(soakSetting("SOAK_INTERVAL_MS", 1000)) * time.Millisecond
	ir := startInputReceiverTo(t, func(c *Config) {
		d := createDefaultConfig().(*Config).HTTP.Get()
		d.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
		c.HTTP = configoptional.Some(*d)
		s := socketin.NewDefaultConfig()
		for i, a := range sockets {
			s.Endpoints = append(s.Endpoints, socketin.EndpointConfig{Endpoint: a.endpoint(), AgentID: fmt.Sprintf("socket-agent-%d", i), Format: socketin.FormatJSON})
		}
		s.DialTimeout = 5 * time.Second
		c.Socket = configoptional.Some(s)
		c.Flows.Max = maxFlows
		c.Flows.IdleTimeout = time.Hour
	}, consumertest.NewNop())
	heapBound := soakHeap() + uint64(maxFlows)*soakBytesPerFlow + soakFixedHeap
	goroutineBound := runtime.NumGoroutine() + agents*soakGoroutinesPerPeer + soakFixedGoroutines

	// One body per agent: a flow_stats record for each of its flows.
	body := func(agent int) []byte {
		var b bytes.Buffer
		for f := range flows {
			fmt.Fprintf(&b, `{"type":"flow_stats","interface":"lan","flow":{"digest":"%08x%08x","local_bytes":100,"local_packets":1,"other_bytes":50,"other_packets":1}}`+"\n", agent, f)
		}
		return b.Bytes()
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var sent atomic.Int64
	var wg sync.WaitGroup
	for i, a := range sockets {
		conn := a.accept()
		wg.Add(1)
		go func(conn net.Conn, b []byte) {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := conn.Write(b); err != nil {
					t.Errorf("socket agent %d: %v", i, err)
					return
				}
				sent.Add(int64(flows))
				pace(ctx, interval)
			}
		}(conn, body(i))
	}
	url := "http://" + ir.httpAddr.String() + defaultPath + "/http-agent-"
	for i := range httpAgents {
		wg.Add(1)
		go func(b []byte) {
			defer wg.Done()
			c := &http.Client{Timeout: 30 * time.Second}
			for ctx.Err() == nil {
				resp, err := c.Post(url+strconv.Itoa(i), "application/x-ndjson", bytes.NewReader(b))
				if err != nil {
					t.Errorf("http agent %d: %v", i, err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("http agent %d: status %d", i, resp.StatusCode)
					return
				}
				sent.Add(int64(flows))
				pace(ctx, interval)
			}
		}(body(socketAgents + i))
	}

	taken := func() int64 { return ir.taken(t, "http") + ir.taken(t, socketin.Transport) }
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	start, last := time.Now(), int64(0)
	var peakHeap uint64
	peakGoroutines := 0
	t.Logf("soak: %d agents (%d socket, %d HTTP) x %d flows for %s; bounds: heap %d MiB, %d goroutines",
		agents, socketAgents, httpAgents, flows, duration, heapBound>>20, goroutineBound)
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
		}
		heap, g, n := soakHeap(), runtime.NumGoroutine(), taken()
		peakHeap, peakGoroutines = max(peakHeap, heap), max(peakGoroutines, g)
		t.Logf("soak: t=%3.0fs heap=%4d MiB goroutines=%4d flows=%7d records=%9d rate=%7d/s",
			time.Since(start).Seconds(), heap>>20, g, ir.table.Len(), n, n-last)
		last = n
		require.LessOrEqual(t, heap, heapBound, "heap over its bound")
		require.LessOrEqual(t, g, goroutineBound, "goroutines over their bound")
	}
	wg.Wait()
	// What the agents sent last may still be queued (socket buffers, HTTP
	// requests in flight) when the receiver runs behind the offered load.
	require.Eventually(t, func() bool { return taken() == sent.Load() }, inputsWait+duration, inputsPoll,
		"every record sent is taken: sent %d", sent.Load())
	assert.LessOrEqual(t, ir.table.Len(), maxFlows)
	t.Logf("soak: %d records in %s (%.0f/s); peak heap %d MiB, peak goroutines %d",
		sent.Load(), duration, float64(sent.Load())/duration.Seconds(), peakHeap>>20, peakGoroutines)
}

// pace waits one report interval, as an agent does between its flow_stats
// dispatches, or until ctx ends.
func pace(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// soakHeap is the live heap after a collection.
func soakHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
