package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/internal/send"
)

// agentSink is where one agent's records go.
type agentSink struct {
	sink   send.Sink
	target string
	socket *send.Socket // socket mode only
}

const socketWriteTimeout = 10 * time.Second

// openSinks gives every agent its own transport, as separate agents would
// have; stdout is shared.
func openSinks(o *options, agents []*gen.Agent, stdout io.Writer) ([]agentSink, error) {
	out := make([]agentSink, 0, len(agents))
	fail := func(err error) ([]agentSink, error) {
		closeSinks(out)
		return nil, err
	}
	var shared *send.Writer
	if o.mode == modeStdout {
		shared = send.NewWriter(stdout, o.format == gen.FormatJSON)
	}
	for i, a := range agents {
		switch o.mode {
		case modeStdout:
			out = append(out, agentSink{sink: shared, target: "stdout"})
		case modeHTTP:
			h := send.NewHTTP(send.HTTPConfig{
				URL: o.url, AgentID: a.ID(), AgentHeader: o.agentHeader,
				ContentType: o.format.ContentType(), Gzip: o.gzip, Timeout: o.httpTimeout,
			})
			out = append(out, agentSink{sink: h, target: h.URL()})
		case modeSocket:
			addr, err := listenAddr(o.listen, a.ID(), i, len(agents))
			if err != nil {
				return fail(err)
			}
			s, err := send.Listen(addr, o.format == gen.FormatJSON, socketWriteTimeout)
			if err != nil {
				return fail(fmt.Errorf("agent %s: %w", a.ID(), err))
			}
			out = append(out, agentSink{sink: s, target: s.Addr(), socket: s})
		case modeMQTT:
			m, err := send.DialMQTT(send.MQTTConfig{
				Broker: o.broker, Topic: o.topic, AgentID: a.ID(), QoS: byte(o.qos),
				Username: o.username, Password: o.password, Gzip: o.gzip,
			})
			if err != nil {
				return fail(fmt.Errorf("agent %s: %w", a.ID(), err))
			}
			out = append(out, agentSink{sink: m, target: m.Topic()})
		}
	}
	return out, nil
}

func closeSinks(sinks []agentSink) error {
	var errs []error
	for _, s := range sinks {
		if err := s.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %s: %w", s.target, err))
		}
	}
	return errors.Join(errs...)
}

// listenAddr is agent idx's bind address: ${uuid_agent} substituted, else for
// several agents consecutive tcp ports (or one free port each for port 0).
func listenAddr(template, agentID string, idx, agents int) (string, error) {
	if strings.Contains(template, send.AgentPlaceholder) || agents == 1 {
		return send.Expand(template, agentID), nil
	}
	network, address, err := send.ParseBindAddress(template)
	if err != nil {
		return "", err
	}
	if network != "tcp" {
		return "", fmt.Errorf("-listen %q: with %d agents a unix path needs ${uuid_agent}", template, agents)
	}
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return "", fmt.Errorf("-listen %q: %w", template, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return "", fmt.Errorf("-listen %q: port %q is not a number", template, portText)
	}
	if port != 0 {
		port += idx
	}
	return "tcp://" + net.JoinHostPort(host, strconv.Itoa(port)), nil
}
