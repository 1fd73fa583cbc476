// Package e2e tests the otelcol-netify distribution from the outside: the
// collector binary built by ocb (make collector), the example configs, and the
// Kubernetes and Helm deployment files.
//
// It is a separate Go module so that its heavy test-only dependencies
// (Kubernetes API types, Prometheus parsing) stay out of the receiver's
// go.mod. The helpers in this package start the collector binary on free
// loopback ports (StartCollector, FreeAddr), stop it with SIGTERM, and scrape
// and query its Prometheus endpoint (Scrape, FindSample, SumSamples).
//
// The tests need the binary: set OTELCOL_BIN, or build ../_build/otelcol-netify
// with `make collector`. Without it the tests skip, except under CI=true,
// where they fail.
package e2e
