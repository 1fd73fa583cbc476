package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// Output modes.
const (
	modeStdout = "stdout"
	modeHTTP   = "http"
	modeSocket = "socket"
	modeMQTT   = "mqtt"
)

type options struct {
	mode   string
	format gen.Format
	gzip   bool

	gen gen.Config

	duration    time.Duration
	intervals   int
	start       time.Time // zero: wall clock
	fast        bool
	purgeOnExit bool
	summaryFile string
	quiet       bool

	url         string
	agentHeader string
	httpTimeout time.Duration

	listen     string
	waitClient bool

	broker   string
	topic    string
	qos      int
	username string
	password string
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("netifysim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "netifysim simulates Netify Agents (v5.2) sending flow records.\n\nUsage: netifysim [flags]")
		fs.PrintDefaults()
	}

	fs.StringVar(&o.mode, "mode", modeStdout, "output: stdout (NDJSON), http (POST per record), socket (listen like the socket sink), mqtt (publish)")
	format := fs.String("format", "json", "payload format: json or msgpack")
	fs.BoolVar(&o.gzip, "gzip", false, "gzip each payload (http: Content-Encoding: gzip; mqtt: compressed payload)")

	fs.IntVar(&o.gen.Agents, "agents", 1, "number of agents; ids are UUIDs derived from -seed")
	agentIDs := fs.String("agent-ids", "", "comma-separated agent ids (overrides -agents)")
	fs.IntVar(&o.gen.Flows, "flows", 10, "concurrent flows per agent")
	fs.DurationVar(&o.gen.Interval, "interval", 15*time.Second, "update interval")
	fs.Float64Var(&o.gen.Rate, "rate", 1, "traffic volume multiplier")
	fs.IntVar(&o.gen.Apps, "apps", 0, "add this many synthetic applications, each with its own host name (about half the HTTP/S and QUIC flows use them), to exceed series caps")
	seed := fs.String("seed", "1", "random seed (unsigned integer)")
	fs.IntVar(&o.gen.DigestLen, "digest-len", 40, "digest length in hex chars: 40 (SHA-1 style) or 16 (xxh64 style)")
	dpiStats := fs.String("dpi-stats", "pending", "what flow_dpi_* records carry besides metadata: pending (stats pending since the last dispatch, not reset) or none")
	fs.StringVar(&o.gen.AgentVersion, "agent-version", "5.2.1", "agent_version reported in agent_status")
	fs.BoolVar(&o.gen.InterfaceStats, "interface-stats", true, "send interface_stats (per-interval counters of the agent's capture interface) after each agent_status")

	fs.DurationVar(&o.duration, "duration", 0, "stop after this long (0: until -intervals, SIGINT or SIGTERM)")
	fs.IntVar(&o.intervals, "intervals", 0, "stop after this many update intervals (0: no limit)")
	start := fs.String("start", "", "virtual clock: interval k ends at START + k*interval (RFC 3339 or epoch ms), making output byte-identical per seed; empty uses the wall clock")
	fs.BoolVar(&o.fast, "fast", false, "do not wait between intervals (needs -intervals)")
	fs.BoolVar(&o.purgeOnExit, "purge-on-exit", false, "on exit send flow_purge (reason expired) for every flow still in the table")
	fs.StringVar(&o.summaryFile, "summary", "", "also write the summary JSON to this file")
	fs.BoolVar(&o.quiet, "quiet", false, "do not print the summary to stderr")

	fs.StringVar(&o.url, "url", "", "http: URL to POST to; ${uuid_agent} is replaced by the agent id")
	fs.StringVar(&o.agentHeader, "agent-header", "X-Netify-Agent", "http: header carrying the agent id (empty: none)")
	fs.DurationVar(&o.httpTimeout, "http-timeout", 10*time.Second, "http: timeout of one POST")

	fs.StringVar(&o.listen, "listen", "", "socket: unix:///path or tcp://127.0.0.1:port; ${uuid_agent} is replaced; with several agents and no ${uuid_agent}, tcp ports count up from the one given")
	fs.BoolVar(&o.waitClient, "wait-client", false, "socket: start each agent's first interval only once a client is connected to its socket")

	fs.StringVar(&o.broker, "broker", "tcp://127.0.0.1:1883", "mqtt: broker address")
	fs.StringVar(&o.topic, "topic", "netify/${uuid_agent}/flows", "mqtt: topic; ${uuid_agent} is replaced")
	fs.IntVar(&o.qos, "qos", 1, "mqtt: QoS 0, 1 or 2")
	fs.StringVar(&o.username, "username", "", "mqtt: user name")
	fs.StringVar(&o.password, "password", "", "mqtt: password")

	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	var err error
	if o.format, err = gen.ParseFormat(*format); err != nil {
		return nil, err
	}
	if o.gen.Seed, err = strconv.ParseUint(*seed, 10, 64); err != nil {
		return nil, fmt.Errorf("-seed %q is not an unsigned integer", *seed)
	}
	if *agentIDs != "" {
		o.gen.AgentIDs = strings.Split(*agentIDs, ",")
	}
	switch *dpiStats {
	case "pending":
		o.gen.DPIStats = gen.DPIStatsPending
	case "none":
		o.gen.DPIStats = gen.DPIStatsNone
	default:
		return nil, fmt.Errorf("-dpi-stats %q: want pending or none", *dpiStats)
	}
	if *start != "" {
		if o.start, err = parseStart(*start); err != nil {
			return nil, err
		}
	}
	return o, o.validate()
}

func parseStart(s string) (time.Time, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-start %q: want RFC 3339 or epoch milliseconds", s)
	}
	return t, nil
}

func (o *options) validate() error {
	if err := o.gen.Validate(); err != nil {
		return err
	}
	switch {
	case o.gen.Agents < 1 && len(o.gen.AgentIDs) == 0:
		return fmt.Errorf("-agents must be at least 1, got %d", o.gen.Agents)
	case o.gen.Interval <= 0:
		return fmt.Errorf("-interval must be positive, got %s", o.gen.Interval)
	case o.intervals < 0:
		return fmt.Errorf("-intervals must not be negative, got %d", o.intervals)
	case o.duration < 0:
		return fmt.Errorf("-duration must not be negative, got %s", o.duration)
	case o.fast && o.intervals == 0:
		return errors.New("-fast needs -intervals")
	}
	switch o.mode {
	case modeStdout:
		if o.gzip {
			return errors.New("-gzip applies to http and mqtt only")
		}
	case modeHTTP:
		if o.url == "" {
			return errors.New("-mode http needs -url")
		}
	case modeSocket:
		if o.gzip {
			return errors.New("-gzip applies to http and mqtt only")
		}
		if o.listen == "" {
			return errors.New("-mode socket needs -listen")
		}
	case modeMQTT:
		if o.qos < 0 || o.qos > 2 {
			return fmt.Errorf("-qos must be 0, 1 or 2, got %d", o.qos)
		}
	default:
		return fmt.Errorf("-mode %q: want stdout, http, socket or mqtt", o.mode)
	}
	return nil
}
