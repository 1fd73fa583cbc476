package mosquittotest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/syncbuf"
)

// Timeouts generous enough for a loaded 2-core machine running -race.
const (
	listenTimeout = 15 * time.Second
	stopTimeout   = 10 * time.Second
	// startAttempts covers another process taking the free port between
	// freePort closing it and mosquitto binding it.
	startAttempts = 3
)

// Broker is one mosquitto process with persistence on: Restart is a clean
// shutdown (SIGTERM, which makes mosquitto write its database) and a start
// on the same port and database, so persistent sessions, their
// subscriptions and queued QoS 1 messages survive it.
type Broker struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	opts Options

	mu   sync.Mutex
	cmd  *exec.Cmd
	exit chan struct{}
	out  *syncbuf.Buffer // the broker's stdout and stderr, read for the test log
}

// Start runs mosquitto on a free 127.0.0.1 port until the test ends, and
// fails the test if it does not listen. On failure of the test the broker's
// log is written to the test log.
func Start(t testing.TB) *Broker {
	t.Helper()
	return StartWith(t, Options{})
}

// Options secure the broker's listener.
type Options struct {
	// CertFile and KeyFile, when set, make the listener TLS only (URL
	// scheme ssl://).
	CertFile, KeyFile string
	// Users, when set, turns anonymous access off: only these user names
	// with their passwords may connect.
	Users map[string]string
}

// StartWith is Start with a secured listener.
func StartWith(t testing.TB, opts Options) *Broker {
	t.Helper()
	b := &Broker{t: t, bin: Binary(t), dir: t.TempDir(), opts: opts}
	var errs []error
	for range startAttempts {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		b.port = port
		if err := b.writeConfig(); err != nil {
			t.Fatal(err)
		}
		err = b.launch()
		if err == nil {
			t.Cleanup(b.cleanup)
			return b
		}
		errs = append(errs, err)
	}
	t.Fatalf("starting mosquitto: %v\nlog:\n%s", errors.Join(errs...), b.Log())
	return nil
}

// URL is the broker's address for an MQTT client: tcp://127.0.0.1:PORT,
// or ssl://127.0.0.1:PORT with TLS.
func (b *Broker) URL() string {
	if b.opts.CertFile != "" {
		return "ssl://" + b.Addr()
	}
	return "tcp://" + b.Addr()
}

// Addr is the broker's host:port.
func (b *Broker) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port)) }

// Stop shuts the broker down cleanly, saving its database. Stopping a
// stopped broker does nothing.
func (b *Broker) Stop() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stopLocked()
}

// Resume starts a stopped broker again on the same port and database, and
// waits until it listens.
func (b *Broker) Resume() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil {
		b.t.Fatal("mosquittotest: Resume of a broker that is running")
	}
	if err := b.launchLocked(); err != nil {
		b.t.Fatalf("restarting mosquitto: %v\nlog:\n%s", err, b.logLocked())
	}
}

// Restart is Stop then Resume: what a broker upgrade or crash-free reboot
// looks like to its clients.
func (b *Broker) Restart() {
	b.t.Helper()
	b.Stop()
	b.Resume()
}

// Log is the broker's log file followed by what it wrote to stdout and
// stderr (configuration errors come before the log file is opened).
func (b *Broker) Log() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.logLocked()
}

func (b *Broker) logLocked() string {
	file, err := os.ReadFile(b.logPath())
	if err != nil {
		file = []byte(fmt.Sprintf("(no log file: %v)\n", err))
	}
	out := ""
	if b.out != nil {
		out = b.out.String()
	}
	return string(file) + out
}

func (b *Broker) confPath() string { return filepath.Join(b.dir, "mosquitto.conf") }
func (b *Broker) logPath() string  { return filepath.Join(b.dir, "mosquitto.log") }

func (b *Broker) writeConfig() error {
	conf := fmt.Sprintf(`listener %d 127.0.0.1
persistence true
persistence_location %s/
max_queued_messages 100000
log_dest file %s
log_type error
log_type warning
log_type notice
log_type information
`, b.port, b.dir, b.logPath())
	sec, err := b.security()
	if err != nil {
		return err
	}
	conf += sec
	if os.Geteuid() == 0 {
		// Started as root, mosquitto switches to the "mosquitto" user, which
		// cannot write the test's private directory (database, log).
		conf += "user root\n"
	}
	if err := os.WriteFile(b.confPath(), []byte(conf), 0o600); err != nil {
		return fmt.Errorf("writing mosquitto config: %w", err)
	}
	return nil
}

func (b *Broker) launch() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.launchLocked()
}

// launchLocked starts the process and waits until the port accepts
// connections; mosquitto loads its database before it listens.
func (b *Broker) launchLocked() error {
	out := &syncbuf.Buffer{}
	cmd := exec.Command(b.bin, "-c", b.confPath())
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running %s: %w", b.bin, err)
	}
	exit := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exit) }()
	b.cmd, b.exit, b.out = cmd, exit, out

	deadline := time.Now().Add(listenTimeout)
	for {
		c, err := net.DialTimeout("tcp", b.Addr(), time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		select {
		case <-exit:
			b.cmd = nil
			return fmt.Errorf("mosquitto exited before listening on %s (%s)", b.Addr(), cmd.ProcessState)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.killLocked()
			return fmt.Errorf("mosquitto did not listen on %s within %s", b.Addr(), listenTimeout)
		}
	}
}

func (b *Broker) stopLocked() {
	if b.cmd == nil {
		return
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exit:
		b.cmd = nil
	case <-time.After(stopTimeout):
		b.t.Logf("mosquitto did not exit within %s of SIGTERM; killed it (its database was not saved)", stopTimeout)
		b.killLocked()
	}
}

func (b *Broker) killLocked() {
	_ = b.cmd.Process.Kill()
	<-b.exit
	b.cmd = nil
}

func (b *Broker) cleanup() {
	b.Stop()
	if b.t.Failed() {
		b.t.Logf("mosquitto log (%s):\n%s", b.Addr(), b.Log())
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
