package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"critreg/discovery"
	"critreg/fixtures"
	"critreg/inventory"
	"critreg/notice"
)

// discoverFlags are the options of `critreg discover`.
type discoverFlags struct {
	operator, targets, profile string
	community, user            string
	authProto, authFile        string
	privProto, privFile        string
	workers, retries           int
	timeout, deadline          time.Duration
	asJSON                     bool
	server, token              string
}

// runDiscover sweeps the targets over SNMP, reads what each device is and maps it onto
// annex-6 functions. On its own it stores the run in --db and reconciles it with the
// operator's declared list there; with --server it is an agent inside the operator's
// management network and sends the run to a remote critreg, which reconciles it. Either
// way the findings wait for a person's review: nothing in the list changes here.
func runDiscover(ctx context.Context, e *env, args []string) error {
	fs := e.flags("discover")
	var f discoverFlags
	fs.StringVar(&f.operator, "operator", "", "operator code")
	fs.StringVar(&f.targets, "targets", "", "CIDR ranges, hosts and host:port, comma-separated")
	fs.StringVar(&f.profile, "profile", "", "credential profile of the operator kept in --db (needs CRITREG_SECRET_KEY or CRITREG_SECRET_KEY_FILE)")
	fs.StringVar(&f.community, "community", "", "SNMPv2c community (or CRITREG_SNMP_COMMUNITY)")
	fs.StringVar(&f.user, "v3-user", "", "SNMPv3 user (authPriv)")
	fs.StringVar(&f.authProto, "auth-proto", "SHA", "SNMPv3 authentication: SHA, SHA-224, SHA-256, SHA-384, SHA-512")
	fs.StringVar(&f.authFile, "auth-pass-file", "", "file holding the SNMPv3 authentication passphrase")
	fs.StringVar(&f.privProto, "priv-proto", "AES", "SNMPv3 privacy: AES, AES-192, AES-256")
	fs.StringVar(&f.privFile, "priv-pass-file", "", "file holding the SNMPv3 privacy passphrase")
	fs.IntVar(&f.workers, "workers", 64, "hosts read at once")
	fs.DurationVar(&f.timeout, "timeout", 2*time.Second, "wait for one answer")
	fs.IntVar(&f.retries, "retries", 1, "retries after a timeout")
	fs.DurationVar(&f.deadline, "deadline", 0, "bound on the whole sweep (0: none)")
	fs.BoolVar(&f.asJSON, "json", false, "print the run and its findings as JSON")
	fs.StringVar(&f.server, "server", "", "send the run to the critreg at this https URL instead of --db")
	fs.StringVar(&f.token, "token", "", "API token of scope discovery for --server (or CRITREG_TOKEN)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if f.operator == "" || f.targets == "" {
		return errUsage
	}
	if f.token == "" {
		f.token = os.Getenv("CRITREG_TOKEN")
	}
	if f.server != "" && f.token == "" {
		return errors.New("--server needs --token (or CRITREG_TOKEN): an API token of scope discovery of one of the operator's users")
	}
	ts, err := discovery.ParseTargets(f.targets, discovery.TargetOptions{})
	if err != nil {
		return fmt.Errorf("--targets: %w", err)
	}
	opts := discovery.Options{Workers: f.workers, Timeout: f.timeout, Retries: f.retries, Deadline: f.deadline}
	if f.retries == 0 {
		opts.Retries = -1 // Options reads 0 as its default
	}
	if f.server != "" {
		// An agent cannot read the rules the registry keeps (its token may only upload), so
		// it maps devices with the project's own; the local mode uses the database's.
		raw, err := fixtures.ReadFile("fingerprints.json")
		if err != nil {
			return err
		}
		if opts.Rules, err = discovery.ParseRules(raw); err != nil {
			return fmt.Errorf("fingerprint rules: %w", err)
		}
		return discoverAgent(ctx, e, f, ts, opts)
	}
	return discoverLocal(ctx, e, f, ts, opts)
}

// discoverLocal stores the run in --db and reconciles it there.
func discoverLocal(ctx context.Context, e *env, f discoverFlags, ts *discovery.Targets, opts discovery.Options) error {
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	inv := inventory.NewStore(db)
	a, err := operatorActor(ctx, inv, f.operator)
	if err != nil {
		return err
	}
	svc := discovery.New(db, inv, discovery.Config{Notices: discovery.NoticesOf(notice.New(db, inv, notice.NoOpinions{}))})
	creds, err := discoverCredentials(f, func(name string) (discovery.Credentials, error) {
		return svc.ProfileCredentials(ctx, a, a.OperatorID, name)
	})
	if err != nil {
		return err
	}
	prog := newSweepProgress(e.stderr)
	run, err := svc.RunLocal(ctx, a, f.operator, ts, creds, opts, prog.update)
	prog.done()
	if err != nil && run.ID == 0 {
		return err
	}
	printSweep(e.stderr, run.Progress)
	var findings []discovery.Finding
	for p := (inventory.Page{Limit: inventory.MaxLimit}); ; {
		page, next, err := svc.Findings(ctx, a, run.ID, discovery.FindingFilter{}, p)
		if err != nil {
			return err
		}
		findings = append(findings, page...)
		if next == 0 {
			break
		}
		p.After = next
	}
	if f.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"run": run, "progress": run.Progress, "findings": findings}); err != nil {
			return err
		}
	} else {
		printFindings(e.stdout, findings)
		fmt.Fprintf(e.stderr, "run %d stored in %s (%s); findings wait for review\n", run.ID, e.dbPath, run.Status)
	}
	if run.Status == discovery.StatusCancelled || run.Status == discovery.StatusFailed {
		return fmt.Errorf("run %d %s: %s", run.ID, run.Status, run.Error)
	}
	return nil
}

// discoverAgent sweeps here and sends the run to the remote critreg batch by batch.
func discoverAgent(ctx context.Context, e *env, f discoverFlags, ts *discovery.Targets, opts discovery.Options) error {
	creds, err := discoverCredentials(f, func(name string) (discovery.Credentials, error) {
		db, err := e.open(ctx)
		if err != nil {
			return discovery.Credentials{}, err
		}
		defer db.Close()
		inv := inventory.NewStore(db)
		a, err := operatorActor(ctx, inv, f.operator)
		if err != nil {
			return discovery.Credentials{}, err
		}
		return discovery.New(db, inv, discovery.Config{}).ProfileCredentials(ctx, a, a.OperatorID, name)
	})
	if err != nil {
		return err
	}
	if err := creds.Validate(); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	u := &discovery.Uploader{Server: f.server, Token: f.token, OnRetry: func(err error, wait time.Duration) {
		fmt.Fprintf(e.stderr, "critreg discover: %v; retrying in %s\n", err, wait.Round(100*time.Millisecond))
	}}
	up, err := u.Start(ctx, discovery.UploadInput{Operator: f.operator, Targets: f.targets, Profile: f.profile, Credentials: creds.String(),
		Options: discovery.RunOptions{Workers: opts.Workers, TimeoutMS: int(opts.Timeout / time.Millisecond), Retries: max(opts.Retries, 0), DeadlineS: int(opts.Deadline / time.Second)}})
	if err != nil {
		return err
	}
	sweepCtx, stop := context.WithCancel(ctx)
	defer stop()
	var uploadErr error
	prog := newSweepProgress(e.stderr)
	opts.OnResult = func(r discovery.Result) {
		if uploadErr == nil {
			if uploadErr = up.Add(sweepCtx, r); uploadErr != nil {
				stop()
			}
		}
	}
	opts.Progress = func(p discovery.Progress) {
		up.Progress(p)
		prog.update(p)
	}
	p, sweepErr := discovery.Sweep(sweepCtx, ts, creds, opts)
	prog.done()
	if uploadErr != nil {
		return fmt.Errorf("upload %d stopped after %d batches: %w", up.ID, up.Sent(), uploadErr)
	}
	printSweep(e.stderr, p)
	run, err := up.Commit(ctx, p, sweepErr)
	if err != nil {
		return err
	}
	if f.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(run)
	}
	fmt.Fprintf(e.stdout, "run %d sent to %s in %d batches: %d new, %d missing, %d changed findings wait for review there\n",
		run.ID, f.server, up.Sent(), run.Findings.New, run.Findings.Missing, run.Findings.Changed)
	if sweepErr != nil {
		return sweepErr
	}
	return nil
}

// discoverCredentials takes the profile named, or builds credentials from the flags.
func discoverCredentials(f discoverFlags, profile func(string) (discovery.Credentials, error)) (discovery.Credentials, error) {
	if f.profile != "" {
		if f.community != "" || f.user != "" {
			return discovery.Credentials{}, errors.New("give either --profile or --community / --v3-user, not both")
		}
		return profile(f.profile)
	}
	return snmpCredentials(f.community, f.user, f.authProto, f.authFile, f.privProto, f.privFile)
}

func printSweep(w io.Writer, p discovery.Progress) {
	fmt.Fprintf(w, "swept %d hosts: %d answered, %d failed (%d timeout, %d auth, %d refused, %d malformed)\n",
		p.Total, p.Answering, p.Failed, p.Timeout, p.Auth, p.Refused, p.Malformed)
}

func printFindings(w io.Writer, findings []discovery.Finding) {
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
		fmt.Fprintf(w, "%-8s %-22s finding %d: %s\n", f.Kind, f.Target, f.ID, what)
		for _, d := range f.Differences {
			fmt.Fprintf(w, "         %s: declared %q, seen %q\n", d.Field, d.Declared, d.Seen)
		}
		fmt.Fprintf(w, "         %s\n", f.Meaning)
	}
}

// sweepProgress shows a sweep going: a line redrawn in place on a terminal, and a plain
// line every few seconds elsewhere, so that a log of a long run shows it alive.
type sweepProgress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	every    time.Duration
	last     time.Time
	shown    bool
}

func newSweepProgress(w io.Writer) *sweepProgress {
	f, ok := w.(*os.File)
	p := &sweepProgress{w: w, terminal: ok && isTerminal(f), every: 10 * time.Second, last: time.Now()}
	if p.terminal {
		p.every = 100 * time.Millisecond
	}
	return p
}

func (s *sweepProgress) update(p discovery.Progress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.last) < s.every && p.Done < p.Total {
		return
	}
	s.last = time.Now()
	pct := 0
	if p.Total > 0 {
		pct = p.Done * 100 / p.Total
	}
	line := fmt.Sprintf("%d/%d hosts (%d%%): %d answering, %d failed (%d timeout, %d auth, %d refused, %d malformed)",
		p.Done, p.Total, pct, p.Answering, p.Failed, p.Timeout, p.Auth, p.Refused, p.Malformed)
	if s.terminal {
		fmt.Fprintf(s.w, "\r\033[K%s", line)
		s.shown = true
		return
	}
	if p.Done < p.Total {
		fmt.Fprintf(s.w, "discover: %s\n", line)
	}
}

func (s *sweepProgress) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shown {
		fmt.Fprintln(s.w)
	}
}

// snmpCredentials builds v2c or v3 credentials; secrets come from the environment or files,
// never from the command line where the process list would show them.
func snmpCredentials(community, user, authProto, authFile, privProto, privFile string) (discovery.Credentials, error) {
	if user == "" {
		if community == "" {
			community = os.Getenv("CRITREG_SNMP_COMMUNITY")
		}
		if community == "" {
			return discovery.Credentials{}, fmt.Errorf("give --profile, --community (or CRITREG_SNMP_COMMUNITY) for v2c, or --v3-user with passphrase files")
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
