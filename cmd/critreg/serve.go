package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/demo"
	"critreg/discovery"
	"critreg/inventory"
	"critreg/server"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flags("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	withDemo := fs.Bool("demo", false, "load the demo registry into an empty database")
	certFile := fs.String("tls-cert", "", "TLS certificate file (PEM)")
	keyFile := fs.String("tls-key", "", "TLS key file (PEM)")
	proxies := fs.String("trusted-proxy", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if (*certFile == "") != (*keyFile == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	cfg := server.Config{Log: e.log}
	for _, c := range strings.Split(*proxies, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return fmt.Errorf("--trusted-proxy %q: %w", c, err)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, n)
	}
	start := time.Now()
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		logins, err := demo.Load(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "demo registry loaded; sign in at http://%s/ as one of (password %q):\n", *addr, demo.Password)
		for _, l := range logins {
			fmt.Fprintf(e.stdout, "  %-18s %-8s %s\n", l.Login, l.Role, l.Operator)
		}
		lab, err := demo.StartLab(ctx, db)
		if err != nil {
			return err
		}
		defer lab.Close()
		fmt.Fprintf(e.stdout, "demo SNMP agents for discovery (profile demo-lab) answer at %s\n", lab.Targets)
	}
	srv := server.New(db, cfg)
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12},
		ErrorLog:  nil,
	}
	sys := access.System()
	sys.Login = "critreg"
	if err := audit.Write(ctx, db, sys, audit.Entry{Action: "system.start", ObjectType: "system", ObjectID: *addr}); err != nil {
		return err
	}
	if n, err := discovery.New(db, inventory.NewStore(db), discovery.Config{}).CloseInterrupted(ctx); err != nil {
		return err
	} else if n > 0 {
		e.log.WithField("runs", n).Warn("discovery runs interrupted by the last stop marked failed")
	}
	e.log.WithField("addr", l.Addr().String()).WithField("startup_ms", time.Since(start).Milliseconds()).Info("critreg serving")
	serveErr := srv.Serve(ctx, hs, l, *certFile, *keyFile)
	// The stop is recorded with a context of its own: ctx is already cancelled.
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := audit.Write(stopCtx, db, sys, audit.Entry{Action: "system.stop", ObjectType: "system", ObjectID: *addr}); err != nil {
		e.log.WithError(err).Error("record system stop")
	}
	if serveErr != nil && serveErr != http.ErrServerClosed {
		return serveErr
	}
	return nil
}

func runDemoLoad(ctx context.Context, e *env, args []string) error {
	fs := e.flags("demo load")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	logins, err := demo.Load(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo registry loaded into %s (password %q for every demo user)\n", e.dbPath, demo.Password)
	for _, l := range logins {
		fmt.Fprintf(e.stdout, "  %-18s %-8s %s\n", l.Login, l.Role, l.Operator)
	}
	return nil
}
