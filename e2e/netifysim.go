package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// SimSummary is the ground truth netifysim writes with -summary (see
// cmd/netifysim/summary.go for the full shape).
type SimSummary struct {
	Seed   uint64     `json:"seed"`
	Mode   string     `json:"mode"`
	Agents []SimAgent `json:"agents"`
	Total  struct {
		Generated SimTally `json:"generated"`
		Delivered SimTally `json:"delivered"`
	} `json:"total"`
}

// SimAgent is one simulated agent's part of the summary.
type SimAgent struct {
	AgentID      string   `json:"agent_id"`
	Target       string   `json:"target"`
	Intervals    int64    `json:"intervals"`
	FlowsStarted int64    `json:"flows_started"`
	FlowsPurged  int64    `json:"flows_purged"`
	Generated    SimTally `json:"generated"`
	Delivered    SimTally `json:"delivered"`
	Failed       SimTally `json:"failed"`
	Dropped      SimTally `json:"dropped"`
	// Views is the truth per key of the receiver's default views
	// (interface, application, protocol), over the delivered records.
	Views map[string][]SimViewKey `json:"views"`
}

// SimViewKey is the truth for one key of a view: Key maps the view's
// group-by attribute keys (network.interface.name, netify.flow.internal as
// "true"/"false", netify.application.name, netify.protocol.name,
// network.transport) to their values.
type SimViewKey struct {
	Key          map[string]string `json:"key"`
	LocalBytes   int64             `json:"local_bytes"`
	OtherBytes   int64             `json:"other_bytes"`
	LocalPackets int64             `json:"local_packets"`
	OtherPackets int64             `json:"other_packets"`
	TCPResets    int64             `json:"tcp_resets"`
	TCPRetrans   int64             `json:"tcp_retrans"`
	TCPSeqErrors int64             `json:"tcp_seq_errors"`
	FlowsStarted int64             `json:"flows_started"`
	FlowsEnded   map[string]int64  `json:"flows_ended"` // by purge reason: closed, expired
	FlowsActive  int64             `json:"flows_active"`
}

// SimTally counts records and sums the per-interval deltas of flow_stats
// and flow_purge records.
type SimTally struct {
	Records      map[string]int64 `json:"records"`
	RecordsTotal int64            `json:"records_total"`
	LocalBytes   int64            `json:"local_bytes"`
	OtherBytes   int64            `json:"other_bytes"`
	LocalPackets int64            `json:"local_packets"`
	OtherPackets int64            `json:"other_packets"`
	TCPResets    int64            `json:"tcp_resets"`
	TCPRetrans   int64            `json:"tcp_retrans"`
	TCPSeqErrors int64            `json:"tcp_seq_errors"`
	// Interface sums the interface_stats records' per-interval counters.
	Interface struct {
		Packets        int64 `json:"packets"`
		WireBytes      int64 `json:"wire_bytes"`
		TCPResets      int64 `json:"tcp_resets"`
		CaptureDropped int64 `json:"capture_dropped"`
	} `json:"interface"`
}

// SimRun is a netifysim process started by StartSimulator.
type SimRun struct {
	t       testing.TB
	cmd     *exec.Cmd
	output  *syncbuf.Buffer
	summary string
	exited  chan struct{}
	waitErr error
}

// simBinDir is where TestMain lets the simulator be built, once per run.
var simBinDir string

var (
	simOnce sync.Once
	simBin  string
	simErr  error
)

// SimulatorBinary builds cmd/netifysim once per test binary run (go build
// into a temporary directory TestMain removes) and returns its path.
func SimulatorBinary(t testing.TB) string {
	t.Helper()
	simOnce.Do(func() {
		if simBinDir == "" {
			simErr = errors.New("simulator build directory not set: TestMain did not run")
			return
		}
		bin := filepath.Join(simBinDir, "netifysim")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/netifysim")
		cmd.Dir = RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			simErr = errors.New("go build ./cmd/netifysim: " + err.Error() + "\n" + string(out))
			return
		}
		simBin = bin
	})
	if simErr != nil {
		t.Fatal(simErr)
	}
	return simBin
}

// StartSimulator starts netifysim with args plus -quiet and -summary; the
// process is killed when the test ends if it still runs.
func StartSimulator(t testing.TB, args ...string) *SimRun {
	t.Helper()
	s := &SimRun{
		t:       t,
		output:  &syncbuf.Buffer{},
		summary: filepath.Join(t.TempDir(), "summary.json"),
		exited:  make(chan struct{}),
	}
	args = append(append([]string(nil), args...), "-quiet", "-summary", s.summary)
	s.cmd = exec.Command(SimulatorBinary(t), args...)
	s.cmd.Stdout = s.output
	s.cmd.Stderr = s.output
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting netifysim: %v", err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("netifysim %v output:\n%s", args, s.output.String())
		}
	})
	return s
}

// Wait waits at most timeout for the simulator to exit with status 0 and
// returns its summary.
func (s *SimRun) Wait(timeout time.Duration) SimSummary {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(timeout):
		s.t.Fatalf("netifysim still running after %s; output:\n%s", timeout, s.output.String())
	}
	if s.waitErr != nil {
		s.t.Fatalf("netifysim failed: %v; output:\n%s", s.waitErr, s.output.String())
	}
	raw, err := os.ReadFile(s.summary)
	if err != nil {
		s.t.Fatalf("reading the netifysim summary: %v", err)
	}
	var sum SimSummary
	if err := json.Unmarshal(raw, &sum); err != nil {
		s.t.Fatalf("parsing the netifysim summary %s: %v", s.summary, err)
	}
	return sum
}

// Output is what the simulator logged so far.
func (s *SimRun) Output() string { return s.output.String() }
