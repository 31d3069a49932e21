package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"critreg/access"
	"critreg/discovery"
	"critreg/fixtures"
	"critreg/inventory"
)

// runDiscover sweeps the targets over SNMP, reads what each device is, maps it onto annex-6
// functions and reconciles it with the operator's declared list. It reports findings for a
// person to review and changes nothing in the list.
func runDiscover(ctx context.Context, e *env, args []string) error {
	fs := e.flags("discover")
	operator := fs.String("operator", "", "operator code")
	targets := fs.String("targets", "", "CIDR ranges, hosts and host:port, comma-separated")
	community := fs.String("community", "", "SNMPv2c community (or CRITREG_SNMP_COMMUNITY)")
	user := fs.String("v3-user", "", "SNMPv3 user (authPriv)")
	authProto := fs.String("auth-proto", "SHA", "SNMPv3 authentication: SHA, SHA-224, SHA-256, SHA-384, SHA-512")
	authFile := fs.String("auth-pass-file", "", "file holding the SNMPv3 authentication passphrase")
	privProto := fs.String("priv-proto", "AES", "SNMPv3 privacy: AES, AES-192, AES-256")
	privFile := fs.String("priv-pass-file", "", "file holding the SNMPv3 privacy passphrase")
	workers := fs.Int("workers", 64, "hosts read at once")
	timeout := fs.Duration("timeout", 2*time.Second, "wait for one answer")
	retries := fs.Int("retries", 1, "retries after a timeout")
	deadline := fs.Duration("deadline", 0, "bound on the whole sweep (0: none)")
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	server := fs.String("server", "", "report to a remote critreg (not available yet)")
	fs.String("token", "", "API token for --server")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *server != "" {
		return fmt.Errorf("--server: reporting to a remote critreg is not available yet; run discover against the local --db")
	}
	if *operator == "" || *targets == "" {
		return errUsage
	}
	creds, err := snmpCredentials(*community, *user, *authProto, *authFile, *privProto, *privFile)
	if err != nil {
		return err
	}
	ts, err := discovery.ParseTargets(*targets, discovery.TargetOptions{})
	if err != nil {
		return fmt.Errorf("--targets: %w", err)
	}
	raw, err := fixtures.ReadFile("fingerprints.json")
	if err != nil {
		return err
	}
	rules, err := discovery.ParseRules(raw)
	if err != nil {
		return fmt.Errorf("fingerprint rules: %w", err)
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	inv := inventory.NewStore(db)
	if _, err := inv.Operator(ctx, access.System(), *operator); err != nil {
		return err
	}
	swept := map[string]bool{}
	for t := range ts.All() {
		swept[t.Host] = true
	}
	var devices []discovery.Device
	bar := newProgressBar(e.stderr)
	prog, err := discovery.Sweep(ctx, ts, creds, discovery.Options{Workers: *workers, Timeout: *timeout, Retries: *retries, Deadline: *deadline, Rules: rules,
		OnResult: func(r discovery.Result) {
			if r.Device != nil {
				devices = append(devices, *r.Device)
			}
		},
		Progress: func(p discovery.Progress) { bar.update(p.Done, p.Total) }})
	bar.done()
	if err != nil {
		return err
	}
	var items []inventory.Item
	for p := (inventory.Page{Limit: inventory.MaxLimit}); ; {
		page, next, err := inv.Items(ctx, access.System(), inventory.ItemFilter{Operator: *operator}, p)
		if err != nil {
			return err
		}
		items = append(items, page...)
		if next == 0 {
			break
		}
		p.After = next
	}
	findings := discovery.Reconcile(devices, items, swept)
	fmt.Fprintf(e.stderr, "swept %d hosts: %d answered, %d failed (%d timeout, %d auth, %d refused, %d malformed)\n",
		prog.Total, prog.Answering, prog.Failed, prog.Timeout, prog.Auth, prog.Refused, prog.Malformed)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"progress": prog, "findings": findings})
	}
	for _, f := range findings {
		what := ""
		if f.Device != nil {
			what = strings.TrimSpace(f.Device.Manufacturer + " " + f.Device.Model + " " + f.Device.Serial)
			for _, fn := range f.Device.Functions {
				what += fmt.Sprintf(" [%s %s %.0f%%]", fn.Code, fn.Short, fn.Confidence*100)
			}
		}
		if f.Item != nil {
			what += fmt.Sprintf(" (item %d: %s %s)", f.Item.ID, f.Item.Manufacturer, f.Item.Model)
		}
		fmt.Fprintf(e.stdout, "%-8s %-16s %s\n", f.Kind, f.Target, what)
		for _, d := range f.Differences {
			fmt.Fprintf(e.stdout, "         %s: declared %q, seen %q\n", d.Field, d.Declared, d.Seen)
		}
		fmt.Fprintf(e.stdout, "         %s\n", f.Meaning)
	}
	return nil
}

// snmpCredentials builds v2c or v3 credentials; secrets come from the environment or files,
// never from the command line where the process list would show them.
func snmpCredentials(community, user, authProto, authFile, privProto, privFile string) (discovery.Credentials, error) {
	if user == "" {
		if community == "" {
			community = os.Getenv("CRITREG_SNMP_COMMUNITY")
		}
		if community == "" {
			return discovery.Credentials{}, fmt.Errorf("give --community (or CRITREG_SNMP_COMMUNITY) for v2c, or --v3-user with passphrase files")
		}
		return discovery.Credentials{Version: discovery.V2c, Community: discovery.NewSecret(community)}, nil
	}
	ap, err := discovery.ParseAuthProtocol(authProto)
	if err != nil {
		return discovery.Credentials{}, err
	}
	pp, err := discovery.ParsePrivProtocol(privProto)
	if err != nil {
		return discovery.Credentials{}, err
	}
	read := func(name, file string) (discovery.Secret, error) {
		if file == "" {
			return discovery.Secret{}, fmt.Errorf("--%s is required for v3", name)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return discovery.Secret{}, err
		}
		return discovery.NewSecret(strings.TrimSpace(string(b))), nil
	}
	auth, err := read("auth-pass-file", authFile)
	if err != nil {
		return discovery.Credentials{}, err
	}
	priv, err := read("priv-pass-file", privFile)
	if err != nil {
		return discovery.Credentials{}, err
	}
	return discovery.Credentials{Version: discovery.V3, User: user, AuthProtocol: ap, AuthPassphrase: auth, PrivProtocol: pp, PrivPassphrase: priv}, nil
}
