package cputime

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Spinning counts CPU time on the thread and in the process; sleeping
// counts none on the thread. The spin lasts until the thread's clock shows
// 10 ms, not for a wall time: on a loaded machine (the race run tests
// packages side by side) 20 ms of wall time can hold a few ms of CPU.
func TestClocksCountWorkNotWaits(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p0, t0 := Process(), Thread()
	for deadline := time.Now().Add(5 * time.Second); Thread()-t0 < 10*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatalf("the thread's clock showed %v after 5 s of spinning", Thread()-t0)
		}
	}
	spunThread, spunProcess := Thread()-t0, Process()-p0
	assert.GreaterOrEqual(t, spunProcess, spunThread)

	t1 := Thread()
	time.Sleep(20 * time.Millisecond)
	assert.Less(t, Thread()-t1, 5*time.Millisecond, "a sleeping thread uses no CPU")
}
