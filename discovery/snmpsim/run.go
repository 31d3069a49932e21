package snmpsim

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"
)

// Run is the simulator's command line: it serves every *.snmprec file of a directory, each
// on its own port from -port upwards with the file name (without extension) as v2c community,
// prints "name address" per agent, and serves until ctx ends. The critreg
// command can mount it as a subcommand; cmd/snmpsim runs it standalone.
func Run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("snmpsim", flag.ContinueOnError)
	fs.SetOutput(out)
	dir := fs.String("data-dir", "fixtures/snmp", "directory of .snmprec recordings")
	host := fs.String("listen", "127.0.0.1", "address to bind")
	port := fs.Int("port", 16100, "first UDP port; 0 picks free ports")
	silent := fs.Int("silent", 0, "number of extra agents that read and never answer")
	user := fs.String("v3-user", "", "SNMPv3 user accepted by every agent")
	authProto := fs.String("v3-auth-proto", "SHA", "SHA, SHA-224, SHA-256, SHA-384 or SHA-512")
	authKey := fs.String("v3-auth-key", "", "SNMPv3 authentication passphrase")
	privProto := fs.String("v3-priv-proto", "AES", "AES, AES-192 or AES-256")
	privKey := fs.String("v3-priv-key", "", "SNMPv3 privacy passphrase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ip, err := netip.ParseAddr(*host)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(*dir, "*.snmprec"))
	if err != nil {
		return err
	}
	if len(files) == 0 && *silent == 0 {
		return fmt.Errorf("no .snmprec files in %s", *dir)
	}
	sort.Strings(files)
	var users []User
	if *user != "" {
		u := User{Name: *user, AuthPass: *authKey, PrivPass: *privKey}
		if u.Auth, err = ParseAuthProtocol(*authProto); err != nil {
			return err
		}
		if u.Priv, err = ParsePrivProtocol(*privProto); err != nil {
			return err
		}
		users = append(users, u)
	}
	var cfg Config
	nextAddr := func(i int) string {
		if *port == 0 {
			return netip.AddrPortFrom(ip, 0).String()
		}
		return netip.AddrPortFrom(ip, uint16(*port+i)).String()
	}
	for i, f := range files {
		rec, err := LoadFile(f)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".snmprec")
		cfg.Agents = append(cfg.Agents, Agent{Name: name, Addr: nextAddr(i), Recording: rec, Community: name, Users: users})
	}
	for i := 0; i < *silent; i++ {
		cfg.Agents = append(cfg.Agents, Agent{Name: fmt.Sprintf("silent-%d", i), Addr: nextAddr(len(files) + i), Fault: FaultSilent})
	}
	srv, err := Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	for i, a := range srv.Addrs() {
		fmt.Fprintf(out, "%s %s\n", cfg.Agents[i].Name, a)
	}
	<-ctx.Done()
	return nil
}

// ParseAuthProtocol reads a protocol name as net-snmp spells it (SHA, SHA-256, ...).
func ParseAuthProtocol(s string) (AuthProtocol, error) {
	switch strings.ToUpper(strings.ReplaceAll(s, "-", "")) {
	case "", "NONE":
		return NoAuth, nil
	case "MD5":
		return MD5, nil
	case "SHA", "SHA1":
		return SHA, nil
	case "SHA224":
		return SHA224, nil
	case "SHA256":
		return SHA256, nil
	case "SHA384":
		return SHA384, nil
	case "SHA512":
		return SHA512, nil
	}
	return NoAuth, fmt.Errorf("unknown auth protocol %q", s)
}

// ParsePrivProtocol reads a privacy protocol name (AES, AES-128, AES-192, AES-256).
func ParsePrivProtocol(s string) (PrivProtocol, error) {
	switch strings.ToUpper(strings.ReplaceAll(s, "-", "")) {
	case "", "NONE":
		return NoPriv, nil
	case "AES", "AES128":
		return AES128, nil
	case "AES192":
		return AES192, nil
	case "AES256":
		return AES256, nil
	}
	return NoPriv, fmt.Errorf("unknown priv protocol %q", s)
}
