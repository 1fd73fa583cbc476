package cputime

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Spinning for 20 ms of wall time counts about that much CPU time, on the
// thread and in the process; sleeping counts none on the thread.
func TestClocksCountWorkNotWaits(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p0, t0 := Process(), Thread()
	for start := time.Now(); time.Since(start) < 20*time.Millisecond; {
	}
	spunThread, spunProcess := Thread()-t0, Process()-p0
	assert.Greater(t, spunThread, 5*time.Millisecond)
	assert.GreaterOrEqual(t, spunProcess, spunThread)

	t1 := Thread()
	time.Sleep(20 * time.Millisecond)
	assert.Less(t, Thread()-t1, 5*time.Millisecond, "a sleeping thread uses no CPU")
}
