package mqttin

import (
	"context"
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
	log := in.logger.With(zap.String("topic", topic))
	body, contentType, err := unwrapPayload(m.Payload(), in.cfg.MaxMessageBytes)
	if err != nil {
		in.onDecodeError(Transport, err)
		log.Debug("Skipping undecodable MQTT message", zap.Error(err))
		return true
	}
	records, errs := record.Decode(body, contentType)
	for _, err := range errs {
		in.onDecodeError(Transport, err)
		log.Debug("Skipping undecodable record in MQTT message", zap.Error(err))
	}
	if len(records) == 0 {
		return true
	}
	b := ingest.Batch{
		Agent:     agentFromTopic(topic, in.cfg.AgentIDTopicLevel),
		Transport: Transport,
		Received:  time.Now(),
		Records:   records,
		// QoS 1 redelivers what was in flight when a connection dropped.
		AtLeastOnce: true,
	}
	if err := ingest.Deliver(ctx, in.sink, b, log); err != nil {
		log.Debug("Shutting down before the sink took the message; leaving it unacknowledged for redelivery")
		return false
	}
	return true
}
