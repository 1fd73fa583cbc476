package mqttin

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/certtest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

// The input reaches a Mosquitto that takes TLS only and a user name with
// its password: records arrive; with a wrong password the input stays in
// recoverable error and takes nothing.
func TestMQTTOverTLSWithPassword(t *testing.T) {
	ca := certtest.NewCA(t, "broker-ca")
	server := ca.Server("broker")
	b := mosquittotest.StartWith(t, mosquittotest.Options{
		CertFile: server.CertFile, KeyFile: server.KeyFile,
		Users: map[string]string{"collector": "c-pass", "agent": "a-pass"},
	})
	require.True(t, strings.HasPrefix(b.URL(), "ssl://"))

	cfg := testConfig(b, "recv-tls")
	cfg.TLS.CAFile = ca.CertFile
	cfg.Username, cfg.Password = "collector", configopaque.String("c-pass")
	sink := &ingesttest.RecordingSink{}
	startInput(t, cfg, sink, ingesttest.NewStatusHost(), nil)

	opts := mqtt.NewClientOptions().AddBroker(b.URL()).SetClientID("agent-tls").
		SetUsername("agent").SetPassword("a-pass").
		SetTLSConfig(&tls.Config{RootCAs: ca.Pool, MinVersion: tls.VersionTLS12}).
		SetConnectTimeout(5 * time.Second)
	pub := mqtt.NewClient(opts)
	tok := pub.Connect()
	require.True(t, tok.WaitTimeout(waitFor))
	require.NoError(t, tok.Error())
	t.Cleanup(func() { pub.Disconnect(100) })
	tok = pub.Publish("netify/agent-tls/flows", 1, false, flowStats(1))
	require.True(t, tok.WaitTimeout(waitFor))
	require.NoError(t, tok.Error())
	require.Eventually(t, func() bool { return len(sink.Digests()) == 1 }, waitFor, 10*time.Millisecond)
	assert.Equal(t, "agent-tls", sink.Batches()[0].Agent)

	// A wrong password: the broker refuses the connection, and the input
	// says so in its status.
	bad := testConfig(b, "recv-bad-password")
	bad.TLS.CAFile = ca.CertFile
	bad.Username, bad.Password = "collector", configopaque.String("wrong")
	host := ingesttest.NewStatusHost()
	in, err := New(bad, settings(&ingesttest.RecordingSink{}, nil))
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusRecoverableError }, waitFor, 10*time.Millisecond)
	assert.ErrorContains(t, host.Events()[len(host.Events())-1].Err(), "not Authorized")

	// Without trusting the broker's CA, no connection either.
	untrusting := testConfig(b, "recv-untrusting")
	untrusting.Username, untrusting.Password = "collector", configopaque.String("c-pass")
	host2 := ingesttest.NewStatusHost()
	in2, err := New(untrusting, settings(&ingesttest.RecordingSink{}, nil))
	require.NoError(t, err)
	require.NoError(t, in2.Start(context.Background(), host2))
	t.Cleanup(func() { require.NoError(t, in2.Shutdown(context.Background())) })
	require.Eventually(t, func() bool { return host2.Last() == componentstatus.StatusRecoverableError }, waitFor, 10*time.Millisecond)
	assert.ErrorContains(t, host2.Events()[len(host2.Events())-1].Err(), "certificate")
}
