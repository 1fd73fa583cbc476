package mosquittotest

import (
	"fmt"
	"sync"
	"sync/atomic"
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

// subscribers numbers the client ids, so that two subscribers of one test
// do not take each other's session over.
var subscribers atomic.Int64

// Subscribe connects to the broker at url (a Broker's URL) with a clean
// session and subscribes to filter at QoS 1, until the test ends.
func Subscribe(t testing.TB, url, filter string) *Subscriber {
	t.Helper()
	s := &Subscriber{}
	id := fmt.Sprintf("mosquittotest-sub-%d", subscribers.Add(1))
	opts := mqtt.NewClientOptions().AddBroker(url).SetClientID(id).SetCleanSession(true)
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscriber connecting to %s: %v (or no CONNACK within 10s)", url, tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	tok := c.Subscribe(filter, 1, func(_ mqtt.Client, m mqtt.Message) {
		s.mu.Lock()
		s.msgs = append(s.msgs, Message{Topic: m.Topic(), Payload: append([]byte(nil), m.Payload()...)})
		s.mu.Unlock()
	})
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribing to %s: %v (or no SUBACK within 10s)", filter, tok.Error())
	}
	return s
}

// Messages returns what arrived so far, in order.
func (s *Subscriber) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}
