package mqttin

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// broker is a real Mosquitto on a free loopback port with persistence on,
// so that a restart keeps sessions and queued QoS 1 messages: mosquitto
// writes its database on a clean (SIGTERM) shutdown and reads it at start.
type broker struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	exit chan error
}

func mosquittoBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/mosquitto"); err == nil {
		return "/usr/sbin/mosquitto"
	}
	const msg = "mosquitto not found on PATH or at /usr/sbin/mosquitto: run scripts/install-mosquitto.sh"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func startBroker(t *testing.T) *broker {
	t.Helper()
	b := &broker{t: t, bin: mosquittoBinary(t), dir: t.TempDir(), port: freePort(t)}
	conf := fmt.Sprintf(`listener %d 127.0.0.1
allow_anonymous true
persistence true
persistence_location %s/
max_queued_messages 100000
log_dest file %s
log_type error
log_type warning
log_type notice
`, b.port, b.dir, filepath.Join(b.dir, "mosquitto.log"))
	if os.Geteuid() == 0 {
		// Started as root, mosquitto switches to the "mosquitto" user, which
		// cannot write the test's private directory (database, log).
		conf += "user root\n"
	}
	require.NoError(t, os.WriteFile(filepath.Join(b.dir, "mosquitto.conf"), []byte(conf), 0o600))
	b.start()
	t.Cleanup(func() {
		b.stop()
		if t.Failed() {
			if log, err := os.ReadFile(filepath.Join(b.dir, "mosquitto.log")); err == nil {
				t.Logf("mosquitto log:\n%s", log)
			}
		}
	})
	return b
}

func (b *broker) url() string { return "tcp://127.0.0.1:" + strconv.Itoa(b.port) }

func (b *broker) start() {
	b.t.Helper()
	b.cmd = exec.Command(b.bin, "-c", filepath.Join(b.dir, "mosquitto.conf"))
	require.NoError(b.t, b.cmd.Start(), "start mosquitto")
	b.exit = make(chan error, 1)
	go func(cmd *exec.Cmd, exit chan error) { exit <- cmd.Wait() }(b.cmd, b.exit)
	require.Eventually(b.t, func() bool {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", b.port), 100*time.Millisecond)
		if err != nil {
			return false
		}
		_ = c.Close()
		return true
	}, 10*time.Second, 20*time.Millisecond, "mosquitto did not listen on %d", b.port)
}

// stop is a clean shutdown: mosquitto saves its database on SIGTERM.
func (b *broker) stop() {
	if b.cmd == nil {
		return
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exit:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.exit
	}
	b.cmd = nil
}

func (b *broker) restart() {
	b.stop()
	b.start()
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
