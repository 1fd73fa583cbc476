package ingesttest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecodeErrorsCountsEveryReport(t *testing.T) {
	d := &DecodeErrors{Transport: "socket"}
	assert.Zero(t, d.Count())
	d.Record("socket", errors.New("bad line"))
	d.Record("mqtt", errors.New("bad payload"))
	assert.Equal(t, 2, d.Count())
	assert.EqualError(t, d.errs[1], `wrong transport "mqtt": bad payload`)
}
