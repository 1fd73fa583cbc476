// Command replay plays the agent's socket sink for `make compare`: it
// listens, waits for one client (the receiver's socket input dials the
// agent), writes a stream file to it in large writes and closes the
// connection. The generic pipeline is fed the same file with `cat`, so both
// collectors get the same bytes delivered the same way; netifysim's socket
// mode writes record by record instead, as the agent does.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:19735", "tcp address to listen on")
	file := flag.String("file", "", "stream file to write to the first client")
	bufSize := flag.Int("write-size", 128<<10, "bytes per write (cat writes 128 KiB)")
	flag.Parse()
	if err := run(*listen, *file, *bufSize); err != nil {
		fmt.Fprintf(os.Stderr, "replay: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, file string, bufSize int) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	// The wrappers hide TCPConn.ReadFrom, which would hand the file to the
	// kernel (sendfile): plain writes of write-size bytes, like cat's.
	buf := make([]byte, bufSize)
	n, err := io.CopyBuffer(struct{ io.Writer }{conn}, struct{ io.Reader }{f}, buf)
	if err != nil {
		conn.Close()
		return fmt.Errorf("after %d bytes: %w", n, err)
	}
	return conn.Close()
}
