//go:build race

package record

// raceEnabled: under the race detector, sync.Pool drops items at random on
// purpose, so a pooled decoder state is sometimes made again: allocation
// counts are not this package's then.
const raceEnabled = true
