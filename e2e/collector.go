package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// StopTimeout bounds a collector's graceful shutdown after SIGTERM; past it
// the process is killed and Stop reports an error.
const StopTimeout = 30 * time.Second

// StartupTimeout bounds how long the Wait* helpers poll.
const StartupTimeout = 60 * time.Second

// Collector is a running otelcol-netify process started by StartCollector.
type Collector struct {
	t      testing.TB
	cmd    *exec.Cmd
	output *syncbuf.Buffer
	// ConfigPath is the config file the collector was started with.
	ConfigPath string

	exited  chan struct{} // closed when the process has been waited for
	waitErr error         // the process's exit error, valid after exited

	stopOnce sync.Once
	stopErr  error
}

// RenderConfig fills a collector config template (text/template, {{.Field}}
// placeholders, so ${env:...} references pass through untouched).
func RenderConfig(t testing.TB, tmpl string, data any) string {
	t.Helper()
	parsed, err := template.New("config").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		t.Fatalf("parsing the config template: %v", err)
	}
	var b strings.Builder
	if err := parsed.Execute(&b, data); err != nil {
		t.Fatalf("rendering the config template: %v", err)
	}
	return b.String()
}

// StartCollector writes config to a temporary file and starts the collector
// binary (CollectorBinary) with it; env entries ("KEY=value") are added to
// the test's environment. The collector is stopped when the test ends, and its
// output is logged if the test failed. StartCollector does not wait for the
// collector to be ready: use WaitForTCP or WaitForHTTP on one of its ports.
func StartCollector(t testing.TB, config string, env ...string) *Collector {
	t.Helper()
	bin := CollectorBinary(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatalf("writing the collector config: %v", err)
	}
	c := &Collector{
		t:          t,
		cmd:        exec.Command(bin, "--config", path),
		output:     &syncbuf.Buffer{},
		ConfigPath: path,
		exited:     make(chan struct{}),
	}
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout = c.output
	c.cmd.Stderr = c.output
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	go func() {
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the collector: %v", err)
		}
		if t.Failed() {
			t.Logf("collector output:\n%s", c.Output())
		}
	})
	return c
}

// Output is everything the collector wrote to stdout and stderr so far.
func (c *Collector) Output() string { return c.output.String() }

// Exited reports whether the process has ended.
func (c *Collector) Exited() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// Stop sends SIGTERM and waits for a graceful exit (status 0) for at most
// StopTimeout, then kills the process. It returns why the process did not
// exit cleanly; calling it again returns the same result.
func (c *Collector) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Collector) stop() error {
	if c.Exited() {
		if c.waitErr != nil {
			return fmt.Errorf("collector had already exited: %w", c.waitErr)
		}
		return errors.New("collector had already exited before Stop")
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("sending SIGTERM: %w", err)
	}
	select {
	case <-c.exited:
		if c.waitErr != nil {
			return fmt.Errorf("collector exited uncleanly after SIGTERM: %w", c.waitErr)
		}
		return nil
	case <-time.After(StopTimeout):
		_ = c.cmd.Process.Kill()
		<-c.exited
		return fmt.Errorf("collector still running %s after SIGTERM; killed it", StopTimeout)
	}
}

// WaitForTCP polls until addr accepts a TCP connection, failing the test if
// the collector exits first or StartupTimeout passes.
func (c *Collector) WaitForTCP(addr string) {
	c.t.Helper()
	c.poll("accept connections on "+addr, func() bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		_ = conn.Close()
		return true
	})
}

// WaitForHTTP polls until a GET of url answers 200 (e.g. the health_check
// extension's endpoint once the pipelines run).
func (c *Collector) WaitForHTTP(url string) {
	c.t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	c.poll("answer 200 on "+url, func() bool {
		resp, err := client.Get(url)
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

func (c *Collector) poll(what string, ready func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(StartupTimeout)
	for {
		if c.Exited() {
			c.t.Fatalf("collector exited (%v) before it would %s; output:\n%s", c.waitErr, what, c.Output())
		}
		if ready() {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("collector did not %s within %s; output:\n%s", what, StartupTimeout, c.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
