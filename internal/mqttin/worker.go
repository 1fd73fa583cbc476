package mqttin

import (
	"context"
	"strconv"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// onMessage is Paho's handler: it only queues, so Paho's router never waits
// on the sink. On shutdown the message is left unacknowledged.
func (in *Input) onMessage(_ mqtt.Client, m mqtt.Message) {
	select {
	case in.queue <- m:
	case <-in.runCtx.Done():
	}
}

// work handles the queued messages one at a time, in arrival order.
func (in *Input) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in.queue:
			if ctx.Err() != nil {
				return
			}
			if in.handle(ctx, m) {
				m.Ack()
			}
		}
	}
}

// handle decodes one message and hands its records to the sink, waiting
// while the sink is busy. It reports whether the message may be acked: yes
// once the sink took the records, and yes for a payload that cannot be
// decoded (it never will be; redelivery would only repeat the error); no
// when shutdown interrupted the wait, so the broker redelivers it.
func (in *Input) handle(ctx context.Context, m mqtt.Message) bool {
	topic := m.Topic()
	agent := agentFromTopic(topic, in.cfg.AgentIDTopicLevel)
	if err := ingest.CheckAgentID(agent, "MQTT topic level "+strconv.Itoa(in.cfg.AgentIDTopicLevel)); err != nil {
		// Refused whole, before decoding, like an HTTP request with a bad
		// agent id; logged under the topic's start, the agent being unknown.
		in.refuse(ctx, ingest.Excerpt(topic), err)
		return true
	}
	body, contentType, err := unwrapPayload(m.Payload(), in.cfg.MaxMessageBytes)
	if err != nil {
		in.refuse(ctx, agent, err)
		return true
	}
	decoded := record.DecodeBody(body, contentType)
	var rej ingest.Rejects
	rej.AddBody(decoded)
	in.gate.Skip(ctx, decoded.Other)
	b := ingest.Batch{
		Agent:    agent,
		Received: time.Now(),
		Records:  decoded.Records,
		// QoS 1 redelivers what was in flight when a connection dropped.
		AtLeastOnce: true,
	}
	if err := in.gate.Deliver(ctx, b, &rej); err != nil {
		in.logger.Debug("Shutting down before the sink took the message; leaving it unacknowledged for redelivery", zap.String("agent", agent))
		return false
	}
	return true
}

// refuse counts a message that is refused whole.
func (in *Input) refuse(ctx context.Context, agent string, err error) {
	var rej ingest.Rejects
	rej.Add(err)
	in.gate.Refuse(ctx, agent, rej)
}
