//go:build amd64 || arm64

package flowtable

// prefetch asks the processor to start reading the cache line at addr,
// without waiting for it. It never faults: any address will do.
//
//go:noescape
func prefetch(addr uintptr)
