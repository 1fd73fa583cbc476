package mosquittotest

import (
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// Message is one publish a Subscriber received.
type Message struct {
	Topic   string
	Payload []byte
}

// Subscriber collects every message on a topic filter.
type Subscriber struct {
	mu   sync.Mutex
	msgs []Message
}

// Subscribe connects to broker and subscribes to filter at QoS 1 until the
// test ends.
func Subscribe(t testing.TB, broker, filter string) *Subscriber {
	t.Helper()
	s := &Subscriber{}
	opts := mqtt.NewClientOptions().AddBroker(broker).SetClientID("netifysim-test-sub").SetCleanSession(true)
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscriber connecting to %s: %v", broker, tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	tok := c.Subscribe(filter, 1, func(_ mqtt.Client, m mqtt.Message) {
		s.mu.Lock()
		s.msgs = append(s.msgs, Message{Topic: m.Topic(), Payload: append([]byte(nil), m.Payload()...)})
		s.mu.Unlock()
	})
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribing to %s: %v", filter, tok.Error())
	}
	return s
}

// Messages returns what arrived so far, in order.
func (s *Subscriber) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}
