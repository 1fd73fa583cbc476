package ingest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
)

func TestHealthFoldsParts(t *testing.T) {
	host := ingesttest.NewStatusHost()
	h := ingest.NewHealth(host)
	ctx := context.Background()
	type want struct {
		status componentstatus.Status
		err    string
	}
	steps := []struct {
		name   string
		report func()
		want   []want // every event the host received so far
	}{
		{"socket down", func() { h.Down(ctx, "socket endpoint a", errors.New("dial: refused")) },
			[]want{{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"}}},
		{"mqtt OK does not hide it", func() { h.Up(ctx, "mqtt broker") },
			[]want{{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"}}},
		{"mqtt down too: both named", func() { h.Down(ctx, "mqtt broker", errors.New("connection lost")) },
			[]want{
				{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost\nsocket endpoint a: dial: refused"},
			}},
		{"socket back: only mqtt named", func() { h.Up(ctx, "socket endpoint a") },
			[]want{
				{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost\nsocket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost"},
			}},
		{"mqtt back: OK", func() { h.Up(ctx, "mqtt broker") },
			[]want{
				{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost\nsocket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost"},
				{componentstatus.StatusOK, ""},
			}},
		{"a repeated OK is not reported again", func() { h.Up(ctx, "socket endpoint a") },
			[]want{
				{componentstatus.StatusRecoverableError, "socket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost\nsocket endpoint a: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt broker: connection lost"},
				{componentstatus.StatusOK, ""},
			}},
	}
	for _, s := range steps {
		s.report()
		var got []want
		for _, ev := range host.Events() {
			w := want{status: ev.Status()}
			if ev.Err() != nil {
				w.err = ev.Err().Error()
			}
			got = append(got, w)
		}
		require.Equal(t, s.want, got, s.name)
	}

	// A part shutting down (its context done) reports nothing.
	done, cancel := context.WithCancel(ctx)
	cancel()
	h.Down(done, "mqtt broker", errors.New("closing"))
	assert.Len(t, host.Events(), 4)

	// A fatal error is passed on as it is.
	h.Fatal(errors.New("boom"))
	last := host.Events()[len(host.Events())-1]
	assert.Equal(t, componentstatus.StatusFatalError, last.Status())
	assert.EqualError(t, last.Err(), "boom")
}

// TestHealthWaitsForExpectedParts: a part that connects first does not
// report the receiver OK while another expected part has not tried yet
// (the order a loaded machine can give a fast broker and a socket agent
// that is down); OK comes once every expected part is up.
func TestHealthWaitsForExpectedParts(t *testing.T) {
	host := ingesttest.NewStatusHost()
	h := ingest.NewHealth(host)
	ctx := context.Background()
	h.Expect("mqtt broker")
	h.Expect("socket endpoint a")

	h.Up(ctx, "mqtt broker")
	assert.Empty(t, host.Events(), "OK reported before the socket endpoint tried")

	h.Down(ctx, "socket endpoint a", errors.New("dial: refused"))
	require.Len(t, host.Events(), 1)
	assert.Equal(t, componentstatus.StatusRecoverableError, host.Events()[0].Status())

	h.Up(ctx, "socket endpoint a")
	require.Len(t, host.Events(), 2)
	assert.Equal(t, componentstatus.StatusOK, host.Events()[1].Status())

	// An expected part that comes up first, alone, is OK at once.
	host2 := ingesttest.NewStatusHost()
	h2 := ingest.NewHealth(host2)
	h2.Expect("socket endpoint a")
	h2.Up(ctx, "socket endpoint a")
	require.Len(t, host2.Events(), 1)
	assert.Equal(t, componentstatus.StatusOK, host2.Events()[0].Status())
}
