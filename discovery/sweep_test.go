package discovery

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

func v3Creds(user, authPass, privPass string) Credentials {
	return Credentials{Version: V3, User: user, AuthProtocol: AuthSHA256, AuthPassphrase: NewSecret(authPass),
		PrivProtocol: PrivAES, PrivPassphrase: NewSecret(privPass)}
}

// closedPort returns a loopback UDP port nothing listens on.
func closedPort(t *testing.T) netip.AddrPort {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	a := c.LocalAddr().(*net.UDPAddr).AddrPort()
	c.Close()
	return a
}

// TestSweepCauses sweeps a mix of good and bad agents and checks each host's cause and
// the progress counts.
func TestSweepCauses(t *testing.T) {
	recs := recordings(t, fixturesDir)
	rec := recs["cisco-asr9006"]
	user := snmpsim.User{Name: "ops", Auth: snmpsim.SHA256, AuthPass: "auth-secret", Priv: snmpsim.AES128, PrivPass: "priv-secret"}
	srv := startSim(t,
		snmpsim.Agent{Name: "good", Recording: rec, Community: "c1", Users: []snmpsim.User{user}},
		snmpsim.Agent{Name: "good2", Recording: recs["linux-open5gs"], Community: "c1", Users: []snmpsim.User{user}},
		snmpsim.Agent{Name: "other-community", Recording: rec, Community: "c2", Users: []snmpsim.User{{Name: "someone-else", Auth: snmpsim.SHA, AuthPass: "auth-secret", Priv: snmpsim.AES128, PrivPass: "priv-secret"}}},
		snmpsim.Agent{Name: "dead", Fault: snmpsim.FaultSilent},
		snmpsim.Agent{Name: "truncate", Recording: rec, Community: "c1", Users: []snmpsim.User{user}, Fault: snmpsim.FaultTruncate},
		snmpsim.Agent{Name: "malformed", Recording: rec, Community: "c1", Users: []snmpsim.User{user}, Fault: snmpsim.FaultMalformed},
	)
	a := srv.Addrs()
	refused := closedPort(t)
	targets := []string{a[0].String(), a[1].String(), a[2].String(), a[3].String(), a[4].String(), a[5].String(), refused.String()}
	tests := []struct {
		name  string
		creds Credentials
		want  []Cause // per target; "" = answered
	}{
		{"v2c", v2c("c1"), []Cause{"", "", CauseTimeout, CauseTimeout, CauseMalformed, CauseMalformed, CauseRefused}},
		{"v3", v3Creds("ops", "auth-secret", "priv-secret"), []Cause{"", "", CauseAuth, CauseTimeout, CauseMalformed, CauseMalformed, CauseRefused}},
		{"v3 wrong key", v3Creds("ops", "wrong-secret", "priv-secret"), []Cause{CauseAuth, CauseAuth, CauseAuth, CauseTimeout, CauseMalformed, CauseMalformed, CauseRefused}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var progress []Progress
			opts := testOptions(nil)
			opts.Progress = func(p Progress) { progress = append(progress, p) }
			got, p, err := sweepAll(t, targets, tc.creds, opts)
			if err != nil {
				t.Fatalf("Sweep = %v", err)
			}
			want := Progress{Total: len(targets)}
			for i, tg := range targets {
				r, ok := got[tg]
				if !ok {
					t.Errorf("no result for %s", tg)
					continue
				}
				if r.Cause != tc.want[i] {
					t.Errorf("%s: Cause = %q (%v), want %q", tg, r.Cause, r.Err, tc.want[i])
				}
				if (r.Err == nil) != (r.Device != nil) {
					t.Errorf("%s: Err = %v with Device %v: want exactly one", tg, r.Err, r.Device != nil)
				}
				want.add(Result{Err: errIf(tc.want[i] != ""), Cause: tc.want[i]})
			}
			p.Elapsed = 0
			if p != want {
				t.Errorf("Progress = %+v, want %+v", p, want)
			}
			if len(progress) != len(targets) || progress[len(progress)-1].Done != len(targets) {
				t.Errorf("Progress called %d times, last %+v; want %d calls ending at Done=%d", len(progress), progress[len(progress)-1], len(targets), len(targets))
			}
		})
	}
}

func errIf(b bool) error {
	if b {
		return errors.New("failed")
	}
	return nil
}

// TestSweepCancel stops a sweep of silent hosts and expects it to return promptly with the
// context's error.
func TestSweepCancel(t *testing.T) {
	var agents []snmpsim.Agent
	for range 20 {
		agents = append(agents, snmpsim.Agent{Name: "dead", Fault: snmpsim.FaultSilent})
	}
	srv := startSim(t, agents...)
	var targets []string
	for _, a := range srv.Addrs() {
		targets = append(targets, a.String())
	}
	ts, err := ParseTargets(targets[0]+","+targets[1]+","+targets[2]+","+targets[3]+","+targets[4]+","+targets[5]+","+targets[6]+","+targets[7]+","+targets[8]+","+targets[9]+","+targets[10]+","+targets[11], TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		opts Options
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			return ctx, cancel
		}, Options{Workers: 2, Timeout: 5 * time.Second, Retries: -1}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			Options{Workers: 2, Timeout: 5 * time.Second, Retries: -1, Deadline: 200 * time.Millisecond}, context.DeadlineExceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			p, err := Sweep(ctx, ts, v2c("public"), tc.opts)
			if !errors.Is(err, tc.want) {
				t.Errorf("Sweep error = %v, want %v", err, tc.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Sweep returned after %v, want promptly after the stop", d)
			}
			if p.Done >= p.Total {
				t.Errorf("Progress = %+v, want fewer than all hosts done", p)
			}
		})
	}
}

func TestSweepRefusesBadInput(t *testing.T) {
	ts, err := ParseTargets("127.0.0.1:1", TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		targets *Targets
		creds   Credentials
	}{
		{"no credentials", ts, Credentials{}},
		{"v2c without community", ts, Credentials{Version: V2c}},
		{"v3 short passphrase", ts, v3Creds("ops", "short", "priv-secret")},
		{"v3 no user", ts, v3Creds("", "auth-secret", "priv-secret")},
		{"no targets", nil, v2c("public")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Sweep(context.Background(), tc.targets, tc.creds, Options{}); err == nil {
				t.Error("Sweep = nil error, want one")
			}
		})
	}
}
