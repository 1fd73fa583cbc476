package ingesttest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecodeErrorsCountsEveryReport(t *testing.T) {
	d := &DecodeErrors{Transport: "socket"}
	assert.Zero(t, d.Count())
	d.Malformed(context.Background(), "socket", 3)
	d.Malformed(context.Background(), "mqtt", 1)
	d.Skipped(context.Background(), "socket", 2)
	assert.Equal(t, 4, d.Count())
	assert.Equal(t, 2, d.SkippedCount())
	errs := d.WrongTransports()
	if assert.Len(t, errs, 1) {
		assert.EqualError(t, errs[0], `wrong transport "mqtt"`)
	}
}
