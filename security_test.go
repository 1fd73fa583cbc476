package netifyflowstatsreceiver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/certtest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// startSecureHTTP starts a receiver whose HTTP input is tweaked (TLS,
// auth) and started with host; it returns the input's address.
func startSecureHTTP(t *testing.T, host component.Host, tweak func(*HTTPConfig)) string {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	h := cfg.HTTP.Get()
	h.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	tweak(h)
	cfg.FlushInterval = time.Hour
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, &consumertest.MetricsSink{})
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r.httpAddr.String()
}

func postWith(c *http.Client, url string, header map[string]string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(goodRecord(1))))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func tlsClient(cfg *tls.Config) *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

// TLS on the HTTP input, with certificates made by the test: a client
// that trusts the CA posts; plain HTTP and a client that does not trust
// the CA do not get through.
func TestHTTPInputOverTLS(t *testing.T) {
	ca := certtest.NewCA(t, "netify-test")
	server := ca.Server("collector")
	addr := startSecureHTTP(t, componenttest.NewNopHost(), func(h *HTTPConfig) {
		tc := configtls.NewDefaultServerConfig()
		tc.CertFile, tc.KeyFile = server.CertFile, server.KeyFile
		h.ServerConfig.TLS = configoptional.Some(tc)
	})
	url := "https://" + addr + defaultPath + "/agent-tls"

	status, err := postWith(tlsClient(&tls.Config{RootCAs: ca.Pool, MinVersion: tls.VersionTLS12}), url, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)

	_, err = postWith(tlsClient(&tls.Config{MinVersion: tls.VersionTLS12}), url, nil)
	assert.ErrorContains(t, err, "certificate", "a client that does not trust the CA")

	// Go's TLS server answers a plain HTTP request with a bare 400.
	status, err = postWith(&http.Client{Timeout: 5 * time.Second}, "http://"+addr+defaultPath, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, status, "plain HTTP to a TLS port")
}

// Mutual TLS: only a client with a certificate the client CA signed gets
// through.
func TestHTTPInputOverMutualTLS(t *testing.T) {
	ca := certtest.NewCA(t, "netify-test")
	clientCA := certtest.NewCA(t, "netify-agents")
	server := ca.Server("collector")
	agent := clientCA.Client("agent-1")
	stranger := ca.Client("stranger") // signed, but by the wrong CA
	addr := startSecureHTTP(t, componenttest.NewNopHost(), func(h *HTTPConfig) {
		tc := configtls.NewDefaultServerConfig()
		tc.CertFile, tc.KeyFile = server.CertFile, server.KeyFile
		tc.ClientCAFile = clientCA.CertFile
		h.ServerConfig.TLS = configoptional.Some(tc)
	})
	url := "https://" + addr + defaultPath + "/agent-1"
	base := func() *tls.Config { return &tls.Config{RootCAs: ca.Pool, MinVersion: tls.VersionTLS12} }

	with := base()
	with.Certificates = []tls.Certificate{agent.TLS}
	status, err := postWith(tlsClient(with), url, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)

	_, err = postWith(tlsClient(base()), url, nil)
	assert.Error(t, err, "no client certificate")

	wrong := base()
	wrong.Certificates = []tls.Certificate{stranger.TLS}
	_, err = postWith(tlsClient(wrong), url, nil)
	assert.Error(t, err, "a client certificate of another CA")
}

// bearerAuth is a server authenticator extension, as bearertokenauth is in
// the built collector: it lets through requests with its token.
type bearerAuth struct{ token string }

func (bearerAuth) Start(context.Context, component.Host) error { return nil }
func (bearerAuth) Shutdown(context.Context) error              { return nil }

func (a bearerAuth) Authenticate(ctx context.Context, headers map[string][]string) (context.Context, error) {
	for k, vs := range headers {
		if http.CanonicalHeaderKey(k) == "Authorization" && len(vs) == 1 && vs[0] == "Bearer "+a.token {
			return ctx, nil
		}
	}
	return ctx, errors.New("missing or wrong bearer token")
}

type extensionHost struct {
	component.Host
	ext map[component.ID]component.Component
}

func (h extensionHost) GetExtensions() map[component.ID]component.Component { return h.ext }

// An authenticator extension named in http.auth rejects unauthenticated
// posts before the handler sees them: nothing is counted or applied.
func TestHTTPInputWithAuthenticator(t *testing.T) {
	id := component.MustNewID("bearertokenauth")
	host := extensionHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: bearerAuth{token: "s3cret"}}}
	addr := startSecureHTTP(t, host, func(h *HTTPConfig) {
		h.ServerConfig.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{AuthenticatorID: id}})
	})
	url := "http://" + addr + defaultPath + "/agent-auth"
	c := &http.Client{Timeout: 5 * time.Second}

	status, err := postWith(c, url, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, status)

	status, err = postWith(c, url, map[string]string{"Authorization": "Bearer wrong"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, status)

	status, err = postWith(c, url, map[string]string{"Authorization": "Bearer s3cret"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
}
