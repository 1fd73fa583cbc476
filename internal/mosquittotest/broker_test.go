package mosquittotest

import (
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// A QoS 1 message queued for a persistent session that is offline survives
// Restart: Stop saved the database and Resume loaded it.
func TestRestartKeepsQueuedMessages(t *testing.T) {
	b := Start(t)
	connect := func(id string, clean bool, handler mqtt.MessageHandler) mqtt.Client {
		t.Helper()
		opts := mqtt.NewClientOptions().AddBroker(b.URL()).SetClientID(id).SetCleanSession(clean)
		if handler != nil {
			opts.SetDefaultPublishHandler(handler)
		}
		c := mqtt.NewClient(opts)
		if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("%s connecting to %s: %v", id, b.URL(), tok.Error())
		}
		return c
	}
	got := make(chan string, 1)
	onMessage := func(_ mqtt.Client, m mqtt.Message) { got <- string(m.Payload()) }

	sub := connect("persistent-sub", false, onMessage)
	if tok := sub.Subscribe("t/#", 1, nil); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	sub.Disconnect(100)

	pub := connect("pub", true, nil)
	if tok := pub.Publish("t/1", 1, false, "queued"); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
	pub.Disconnect(100)

	b.Restart()
	sub = connect("persistent-sub", false, onMessage)
	defer sub.Disconnect(100)
	select {
	case p := <-got:
		if p != "queued" {
			t.Fatalf("got %q, want the queued message", p)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the message queued before the restart was not delivered; broker log:\n%s", b.Log())
	}
}

func TestStopThenResumeListensOnTheSamePort(t *testing.T) {
	b := Start(t)
	url := b.URL()
	b.Stop()
	b.Stop() // a second Stop does nothing
	b.Resume()
	if b.URL() != url {
		t.Fatalf("URL changed from %s to %s", url, b.URL())
	}
	s := Subscribe(t, b.URL(), "x")
	if len(s.Messages()) != 0 {
		t.Fatalf("unexpected messages %v", s.Messages())
	}
}
