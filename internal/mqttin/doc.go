// Package mqttin is the receiver's MQTT input: the Netify Agent's MQTT sink
// publishes each record to a broker (topic `netify/${uuid_agent}/${channel}`
// by default), and this input subscribes and hands the records to an
// ingest.Sink.
//
// It uses the Eclipse Paho Go client (github.com/eclipse/paho.mqtt.golang):
// it is the maintained Eclipse MQTT 3.1.1 client (the protocol the agent's
// sink speaks), and it offers the two things at-least-once delivery needs: manual acknowledgement (SetAutoAckDisabled), so a
// QoS 1 message is acknowledged only once the flow table holds its records,
// and persistent sessions (CleanSession false with a stable client id), so a
// broker keeps what the agent publishes while the collector restarts.
//
// Delivery is at least once, not exactly once: a PUBACK that is lost with
// the connection (Paho drops acks sent while disconnected) makes the broker
// deliver the message again after the reconnect, and its records reach the
// sink a second time.
package mqttin // import "github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
