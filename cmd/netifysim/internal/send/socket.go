package send

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Socket serves records like the agent's socket sink: it binds, every
// connected client gets every record, and records sent while no client is
// connected are dropped.
type Socket struct {
	ln           net.Listener
	addr         string
	newline      bool
	writeTimeout time.Duration

	mu      sync.Mutex
	clients map[net.Conn]struct{}
	closed  bool
	wg      sync.WaitGroup
}

// ParseBindAddress splits the agent's bind_address form, unix:///path or
// tcp://host:port, into a network and an address.
func ParseBindAddress(addr string) (network, address string, err error) {
	switch {
	case strings.HasPrefix(addr, "unix://"):
		network, address = "unix", strings.TrimPrefix(addr, "unix://")
	case strings.HasPrefix(addr, "tcp://"):
		network, address = "tcp", strings.TrimPrefix(addr, "tcp://")
	default:
		return "", "", fmt.Errorf("listen address %q: want unix:///path or tcp://host:port", addr)
	}
	if address == "" {
		return "", "", fmt.Errorf("listen address %q has no path or host:port", addr)
	}
	return network, address, nil
}

// Listen binds addr (unix:///path or tcp://host:port; port 0 picks one). A
// stale unix socket file at the path is replaced, as the agent does.
func Listen(addr string, newline bool, writeTimeout time.Duration) (*Socket, error) {
	network, address, err := ParseBindAddress(addr)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		if fi, statErr := os.Stat(address); statErr == nil && fi.Mode()&os.ModeSocket != 0 {
			_ = os.Remove(address)
		}
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		return nil, fmt.Errorf("binding %s: %w", addr, err)
	}
	s := &Socket{
		ln:           ln,
		addr:         network + "://" + ln.Addr().String(),
		newline:      newline,
		writeTimeout: writeTimeout,
		clients:      map[net.Conn]struct{}{},
	}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is the bound address in bind_address form (the real port for tcp
// port 0).
func (s *Socket) Addr() string { return s.addr }

// Clients counts the connected clients.
func (s *Socket) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// WaitClient blocks until a client is connected or ctx ends.
func (s *Socket) WaitClient(ctx context.Context) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for s.Clients() == 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for a client on %s: %w", s.addr, ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

func (s *Socket) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.clients[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.watch(c)
	}
}

// watch notices a client hanging up: clients never write, so any end of the
// read means the connection is gone.
func (s *Socket) watch(c net.Conn) {
	defer s.wg.Done()
	_, _ = io.Copy(io.Discard, c)
	s.drop(c)
}

func (s *Socket) drop(c net.Conn) {
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
	_ = c.Close()
}

// Send writes the record to every client. It returns ErrDropped when no client
// is connected, and an error only when every write failed.
func (s *Socket) Send(_ context.Context, payload []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.clients) == 0 {
		return ErrDropped
	}
	data := frame(payload, s.newline)
	var errs []error
	delivered := 0
	for c := range s.clients {
		if s.writeTimeout > 0 {
			_ = c.SetWriteDeadline(time.Now().Add(s.writeTimeout))
		}
		if _, err := c.Write(data); err != nil {
			errs = append(errs, err)
			delete(s.clients, c)
			_ = c.Close()
			continue
		}
		delivered++
	}
	if delivered == 0 {
		return fmt.Errorf("writing to the clients of %s: %w", s.addr, errors.Join(errs...))
	}
	return nil
}

// Close stops listening and hangs up on every client after what was sent.
func (s *Socket) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.clients {
		_ = c.Close()
	}
	s.clients = map[net.Conn]struct{}{}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}
