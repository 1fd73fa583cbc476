package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/confignet"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

const (
	defaultEndpoint      = "localhost:9735"
	defaultPath          = "/v1/netify"
	defaultAgentIDHeader = "X-Netify-Agent"
	// The agent reports every 15 s by default: a 10 s flush keeps one
	// interval's records in at most one flush and the series fresh.
	defaultFlushInterval = 10 * time.Second
	// Four missed 15 s intervals: long enough for a flow that pauses, short
	// enough that flows whose flow_purge was lost do not linger.
	defaultIdleTimeout = time.Minute
	defaultMaxFlows    = 100_000
	// Prometheus's default scrape interval: a series' zeros are scraped at
	// least once before its first value.
	defaultZeroHold = time.Minute
	// A flow_stats record is ~500 bytes; batch senders may post thousands.
	defaultMaxRequestBodySize = 8 << 20
	// A sender gets this long for its headers, and for a whole request:
	// 8 MiB in 30 s is 2.2 Mbit/s. Without a bound a peer trickling one
	// byte a second holds a connection (and a descriptor) forever.
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 30 * time.Second
	// An idle keep-alive connection is closed after a minute: the agent
	// posts every 15 s, so its connection stays up.
	defaultHTTPIdleTimeout = time.Minute
)

// NewFactory creates the netifyflowstats receiver factory.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithMetrics(createMetricsReceiver, metadata.MetricsStability),
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr = confignet.AddrConfig{Transport: confignet.TransportTypeTCP, Endpoint: defaultEndpoint}
	server.MaxRequestBodySize = defaultMaxRequestBodySize
	server.ReadHeaderTimeout = defaultReadHeaderTimeout
	server.ReadTimeout = defaultReadTimeout
	server.Keepalive = configoptional.Some(confighttp.KeepaliveServerConfig{IdleTimeout: defaultHTTPIdleTimeout})
	return &Config{
		HTTP: configoptional.Some(HTTPConfig{
			ServerConfig:  server,
			Path:          defaultPath,
			AgentIDHeader: defaultAgentIDHeader,
		}),
		Socket:        configoptional.Default(socketin.NewDefaultConfig()),
		MQTT:          configoptional.Default(mqttin.NewDefaultConfig()),
		Temporality:   temporalityCumulative,
		FlushInterval: defaultFlushInterval,
		Flows: FlowsConfig{
			Max:         defaultMaxFlows,
			IdleTimeout: defaultIdleTimeout,
		},
		Views:                flowmetrics.DefaultViews(),
		ZeroHold:             defaultZeroHold,
		Logs:                 flowlogs.NewDefaultConfig(),
		MetricsBuilderConfig: metadata.DefaultMetricsBuilderConfig(),
	}
}

// createMetricsReceiver and createLogsReceiver return the one receiver
// instance of a configuration (see shared.go): a receiver ID used in a
// metrics and a logs pipeline has one set of inputs and one flow table.
func createMetricsReceiver(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	return receivers.get(set, cfg.(*Config), func(r *netifyReceiver) { r.next = next })
}
