package mqttin

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// Paho reads a whole packet into memory (make([]byte, remaining length),
// then a copy for the payload) before any handler sees it, and MQTT allows
// packets of 256 MiB. So the bound on a payload is enforced below Paho, on
// the byte stream: limitConn passes every packet through except a PUBLISH
// whose payload is larger than max_message_bytes, which it reads past
// without keeping and hands to Paho with its payload replaced by
// oversizeMarker and the size. The message is then acknowledged like any
// other (refused, counted), so the broker does not redeliver it forever.

// oversizeMarker starts the payload that stands for a dropped one. A NUL
// byte never starts JSON or a msgpack record.
var oversizeMarker = []byte("\x00netifyflowstats oversize payload:")

// oversizeSize returns the size of the dropped payload p stands for.
func oversizeSize(p []byte) (int, bool) {
	rest, ok := bytes.CutPrefix(p, oversizeMarker)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest))
	return n, err == nil
}

// openConnection dials the broker as Paho would, then bounds the payloads
// read from it.
func openConnection(maxPayload int, timeout time.Duration, tlsCfg *tls.Config) mqtt.OpenConnectionFunc {
	return func(uri *url.URL, _ mqtt.ClientOptions) (net.Conn, error) {
		var conn net.Conn
		var err error
		d := &net.Dialer{Timeout: timeout}
		switch uri.Scheme {
		case "tcp", "mqtt":
			conn, err = d.Dial("tcp", uri.Host)
		case "ssl", "tls", "mqtts":
			cfg := tlsCfg.Clone()
			if cfg == nil {
				cfg = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			if cfg.ServerName == "" {
				cfg.ServerName = uri.Hostname()
			}
			conn, err = tls.DialWithDialer(d, "tcp", uri.Host, cfg)
		case "ws":
			conn, err = mqtt.NewWebsocket(uri.String(), nil, timeout, nil, nil)
		case "wss":
			conn, err = mqtt.NewWebsocket(uri.String(), tlsCfg, timeout, nil, nil)
		default:
			err = fmt.Errorf("unsupported scheme %q", uri.Scheme)
		}
		if err != nil {
			return nil, err
		}
		return newLimitConn(conn, maxPayload), nil
	}
}

// limitConn rewrites oversized PUBLISH packets of the stream it reads.
type limitConn struct {
	net.Conn
	r   *bufio.Reader
	max int

	out  []byte // bytes ready for the reader (a packet's header, rewritten or not)
	pass int    // bytes of the current packet to pass through as they are
}

func newLimitConn(c net.Conn, maxPayload int) *limitConn {
	return &limitConn{Conn: c, r: bufio.NewReaderSize(c, 16<<10), max: maxPayload}
}

func (c *limitConn) Read(p []byte) (int, error) {
	if len(c.out) == 0 && c.pass == 0 {
		if err := c.nextPacket(); err != nil {
			return 0, err
		}
	}
	if len(c.out) > 0 {
		n := copy(p, c.out)
		c.out = c.out[n:]
		return n, nil
	}
	n, err := c.r.Read(p[:min(len(p), c.pass)])
	c.pass -= n
	return n, err
}

const packetPublish = 3

// maxControlPacket bounds the packets other than PUBLISH a broker sends
// (CONNACK, PUBACK..., SUBACK: a few bytes each).
const maxControlPacket = 64 << 10

// nextPacket reads a packet's fixed header and decides what to hand on.
func (c *limitConn) nextPacket() error {
	c.out = c.out[:0]
	first, err := c.r.ReadByte()
	if err != nil {
		return err
	}
	remaining, lenBytes, err := readRemainingLength(c.r)
	if err != nil {
		return err
	}
	if first>>4 != packetPublish && remaining > maxControlPacket {
		// A broker sends no other packet anywhere near this size; Paho would
		// allocate whatever the length says.
		return fmt.Errorf("mqtt: packet of type %d with %d bytes, at most %d", first>>4, remaining, maxControlPacket)
	}
	if first>>4 != packetPublish || remaining <= c.max {
		c.out = append(append(c.out, first), lenBytes...)
		c.pass = remaining
		return nil
	}
	// A PUBLISH that may be too large: its variable header says how much
	// of it is payload.
	var tl [2]byte
	if _, err := io.ReadFull(c.r, tl[:]); err != nil {
		return err
	}
	head := int(binary.BigEndian.Uint16(tl[:])) + 2
	if qos := (first >> 1) & 3; qos > 0 {
		head += 2 // packet identifier
	}
	if head > remaining {
		return errors.New("mqtt: malformed PUBLISH: variable header longer than the packet")
	}
	varHeader := make([]byte, head)
	copy(varHeader, tl[:])
	if _, err := io.ReadFull(c.r, varHeader[2:]); err != nil {
		return err
	}
	payload := remaining - head
	if payload <= c.max {
		c.out = append(append(append(c.out, first), lenBytes...), varHeader...)
		c.pass = payload
		return nil
	}
	if _, err := c.r.Discard(payload); err != nil {
		return err
	}
	marker := append(append([]byte(nil), oversizeMarker...), strconv.Itoa(payload)...)
	c.out = append(c.out, first)
	c.out = appendRemainingLength(c.out, head+len(marker))
	c.out = append(append(c.out, varHeader...), marker...)
	return nil
}

// readRemainingLength reads MQTT's variable byte integer (at most 4 bytes).
func readRemainingLength(r io.ByteReader) (n int, raw []byte, err error) {
	mult := 1
	for i := 0; i < 4; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return 0, raw, err
		}
		raw = append(raw, b)
		n += int(b&0x7f) * mult
		if b&0x80 == 0 {
			return n, raw, nil
		}
		mult *= 128
	}
	return 0, raw, errors.New("mqtt: malformed remaining length")
}

func appendRemainingLength(b []byte, n int) []byte {
	for {
		d := byte(n % 128)
		n /= 128
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			return b
		}
	}
}
