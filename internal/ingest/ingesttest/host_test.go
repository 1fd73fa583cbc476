package ingesttest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
)

func TestStatusHostKeepsEveryEvent(t *testing.T) {
	h := NewStatusHost()
	assert.Equal(t, componentstatus.StatusNone, h.Last())
	assert.Zero(t, h.Count(componentstatus.StatusOK))

	componentstatus.ReportStatus(h, componentstatus.NewEvent(componentstatus.StatusOK))
	componentstatus.ReportStatus(h, componentstatus.NewRecoverableErrorEvent(errors.New("broker lost")))
	componentstatus.ReportStatus(h, componentstatus.NewEvent(componentstatus.StatusOK))

	assert.Equal(t, componentstatus.StatusOK, h.Last())
	assert.Equal(t, 2, h.Count(componentstatus.StatusOK))
	assert.Equal(t, 1, h.Count(componentstatus.StatusRecoverableError))
	evs := h.Events()
	require.Len(t, evs, 3)
	assert.EqualError(t, evs[1].Err(), "broker lost")
}
