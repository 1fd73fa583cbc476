//go:build !amd64 && !arm64

package flowtable

// prefetch does nothing where no instruction is written for it.
func prefetch(addr uintptr) {}
