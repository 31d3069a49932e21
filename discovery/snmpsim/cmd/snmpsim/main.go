// Command snmpsim serves SNMP recordings on loopback for manual testing of critreg discovery.
//
//	go run ./discovery/snmpsim/cmd/snmpsim -data-dir fixtures/snmp -port 16100
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"critreg/discovery/snmpsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := snmpsim.Run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "snmpsim:", err)
		os.Exit(1)
	}
}
