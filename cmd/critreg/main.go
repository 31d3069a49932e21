// Command critreg is the registry of the critical parts of public electronic communications
// networks: it serves the web application and the JSON API, and runs the administrative,
// import, export and discovery commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "modernc.org/sqlite" // the SQLite driver (pure Go)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
