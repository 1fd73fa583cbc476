package send

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

func unixAddr(t *testing.T) string {
	t.Helper()
	// Short directory: unix socket paths are limited to ~108 bytes.
	dir, err := os.MkdirTemp("", "nsim")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return "unix://" + filepath.Join(dir, "flows.sock")
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	network, address, err := ParseBindAddress(addr)
	require.NoError(t, err)
	c, err := net.Dial(network, address)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestSocketStreamsNDJSON(t *testing.T) {
	for name, addr := range map[string]string{"unix": unixAddr(t), "tcp": "tcp://127.0.0.1:0"} {
		t.Run(name, func(t *testing.T) {
			s, err := Listen(addr, true, 5*time.Second)
			require.NoError(t, err)
			want, _ := payloads(t, gen.FormatJSON, 5)

			require.ErrorIs(t, s.Send(context.Background(), want[0]), ErrDropped, "no client yet")

			c := dial(t, s.Addr())
			require.Eventually(t, func() bool { return s.Clients() == 1 }, 5*time.Second, 5*time.Millisecond)
			for _, p := range want[1:] {
				require.NoError(t, s.Send(context.Background(), p))
			}
			require.NoError(t, s.Close())

			var lines [][]byte
			sc := bufio.NewScanner(c)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				lines = append(lines, append([]byte(nil), sc.Bytes()...))
			}
			require.NoError(t, sc.Err())
			require.Equal(t, want[1:], lines, "the client gets what was sent after it connected, then EOF")
		})
	}
}

func TestSocketEveryClientGetsTheStream(t *testing.T) {
	s, err := Listen("tcp://127.0.0.1:0", true, 5*time.Second)
	require.NoError(t, err)
	a, b := dial(t, s.Addr()), dial(t, s.Addr())
	require.Eventually(t, func() bool { return s.Clients() == 2 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, s.Send(context.Background(), []byte(`{"type":"agent_status"}`)))
	for _, c := range []net.Conn{a, b} {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		line, err := bufio.NewReader(c).ReadBytes('\n')
		require.NoError(t, err)
		require.Equal(t, "{\"type\":\"agent_status\"}\n", string(line))
	}

	// A client that hangs up is forgotten; with none left records drop again.
	require.NoError(t, a.Close())
	require.NoError(t, b.Close())
	require.Eventually(t, func() bool { return s.Clients() == 0 }, 5*time.Second, 5*time.Millisecond)
	require.True(t, errors.Is(s.Send(context.Background(), []byte(`{}`)), ErrDropped))
	require.NoError(t, s.Close())
}

func TestSocketMsgpackBackToBack(t *testing.T) {
	s, err := Listen(unixAddr(t), false, 5*time.Second)
	require.NoError(t, err)
	c := dial(t, s.Addr())
	require.NoError(t, s.WaitClient(context.Background()))
	want, recs := payloads(t, gen.FormatMsgpack, 4)
	for _, p := range want {
		require.NoError(t, s.Send(context.Background(), p))
	}
	require.NoError(t, s.Close())
	raw, err := io.ReadAll(c)
	require.NoError(t, err)
	require.Equal(t, bytes.Join(want, nil), raw)
	dec := msgpack.NewDecoder(bytes.NewReader(raw))
	for _, r := range recs {
		var m map[string]any
		require.NoError(t, dec.Decode(&m))
		require.Equal(t, r.Type, m["type"])
	}
}

func TestSocketReplacesStaleUnixSocketAndRejectsBadAddress(t *testing.T) {
	addr := unixAddr(t)
	_, path, err := ParseBindAddress(addr)
	require.NoError(t, err)
	stale, err := net.Listen("unix", path)
	require.NoError(t, err)
	// Leave the file behind, as a crashed agent would.
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	require.NoError(t, stale.Close())

	s, err := Listen(addr, true, time.Second)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	_, err = Listen("udp://127.0.0.1:1", true, time.Second)
	require.ErrorContains(t, err, "want unix:///path or tcp://host:port")
}

func TestWaitClientHonoursContext(t *testing.T) {
	s, err := Listen("tcp://127.0.0.1:0", true, time.Second)
	require.NoError(t, err)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, s.WaitClient(ctx), context.Canceled)
}
