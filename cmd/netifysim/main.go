// Command netifysim behaves like one or many Netify Agents (v5.2): it
// generates flow records (flow, flow_dpi_update, flow_dpi_complete,
// flow_stats, flow_purge) and agent_status every update interval, and
// delivers them like the agent's sinks do: HTTP POST per record, a listening
// unix or tcp socket, MQTT publishes, or NDJSON on stdout. On exit it prints a
// Summary (see summary.go) of exactly what it generated, delivered, failed to
// deliver and dropped, per agent, as ground truth for end-to-end tests,
// including the truth per key of the receiver's default views.
//
// Example:
//
//	netifysim -mode http -url 'http://127.0.0.1:8080/netify/${uuid_agent}' \
//	  -agents 3 -flows 50 -interval 200ms -intervals 20 -seed 7 -summary /tmp/sum.json
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "netifysim: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal stops cleanly; restoring the default lets a second
	// one kill a process stuck flushing to a dead peer.
	go func() {
		<-ctx.Done()
		stop()
	}()

	s, err := run(ctx, o, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "netifysim: %v\n", err)
		if s.Agents == nil {
			return 1
		}
	}
	if werr := emitSummary(o, s, stderr); werr != nil {
		fmt.Fprintf(stderr, "netifysim: %v\n", werr)
		return 1
	}
	if err != nil {
		return 1
	}
	return 0
}

func emitSummary(o *options, s Summary, stderr io.Writer) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding summary: %w", err)
	}
	b = append(b, '\n')
	if !o.quiet {
		if _, err := stderr.Write(b); err != nil {
			return fmt.Errorf("printing summary: %w", err)
		}
	}
	if o.summaryFile != "" {
		if err := os.WriteFile(o.summaryFile, b, 0o644); err != nil {
			return writeSummaryError(o.summaryFile, err)
		}
	}
	return nil
}
