// Command httpfloor is the floor under the receiver's HTTP input for
// `make compare` (run http-floor): a server that reads each POST's body and
// answers what the receiver answers one accepted record, doing nothing
// else. Run against the simulator exactly like otelcol-netify, its CPU per
// request is what net/http, the kernel and the Go runtime cost on that
// machine for one record per POST: the receiver cannot go below it.
//
//	httpfloor -listen 127.0.0.1:19735 [-confighttp]
//
// -confighttp serves through confighttp's ToServer (otelhttp with no-op
// providers, decompression, body limit) as the receiver does.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/confighttp"
)

var answer = []byte("{\"accepted\":1,\"skipped\":0,\"rejected\":0}\n")

func main() {
	listen := flag.String("listen", "127.0.0.1:19735", "address to listen on (loopback)")
	withConfighttp := flag.Bool("confighttp", false, "serve through confighttp's ToServer")
	flag.Parse()
	if err := run(*listen, *withConfighttp); err != nil {
		fmt.Fprintln(os.Stderr, "httpfloor:", err)
		os.Exit(1)
	}
}

func run(listen string, withConfighttp bool) error {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	})
	sc := confighttp.NewDefaultServerConfig()
	sc.NetAddr.Endpoint = listen
	ctx := context.Background()
	ln, err := sc.ToListener(ctx)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: sc.ReadHeaderTimeout}
	if withConfighttp {
		if srv, err = sc.ToServer(ctx, nil, componenttest.NewNopTelemetrySettings(), handler); err != nil {
			return err
		}
	}
	return srv.Serve(ln)
}
