package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/errkind"
)

func TestSessionLifetime(t *testing.T) {
	db, acc := setup(t)
	ctx := context.Background()
	u, err := acc.AddUser(ctx, access.System(), account.UserInput{Login: "alice", Role: access.RoleOperator, Operator: "OPA", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	now := start
	account.SetClockForTest(acc, func() time.Time { return now })

	for _, tc := range []struct {
		name  string
		steps []time.Duration // requests at these offsets after the previous one
		want  error           // of the last request
	}{
		{"active", []time.Duration{10 * time.Minute, 10 * time.Minute}, nil},
		{"idle past 30 min", []time.Duration{10 * time.Minute, 31 * time.Minute}, account.ErrSessionExpired},
		{"busy past 12 h", stepsOf(25, 29*time.Minute), account.ErrSessionExpired},
		{"busy just under 12 h", stepsOf(24, 29*time.Minute), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = start
			secret, _, err := acc.StartSession(ctx, u, "192.0.2.1", "test", "")
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range tc.steps {
				now = now.Add(d)
				_, _, err = acc.SessionActor(ctx, secret, "192.0.2.1")
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("SessionActor after %v = %v, want %v", tc.steps, err, tc.want)
			}
		})
	}

	// Signing in again replaces the browser's session; signing out ends it.
	now = start
	first, _, err := acc.StartSession(ctx, u, "192.0.2.1", "test", "")
	if err != nil {
		t.Fatal(err)
	}
	second, ss, err := acc.StartSession(ctx, u, "192.0.2.1", "test", first)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := acc.SessionActor(ctx, first, ""); !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Errorf("SessionActor(session replaced at sign-in) = %v, want unauthenticated", err)
	}
	a, got, err := acc.SessionActor(ctx, second, "")
	if err != nil || a.Login != "alice" || a.Via != "web" || got.CSRF != ss.CSRF || got.CSRF == "" {
		t.Fatalf("SessionActor(new session) = %+v, %+v, %v; want alice via web with the session's CSRF token", a, got, err)
	}
	// Only the digest is stored.
	var n int
	if err := db.Read.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE hash = ?`, second).Scan(&n); err != nil || n != 0 {
		t.Errorf("sessions holding the secret itself = %d (%v), want 0", n, err)
	}
	if err := acc.EndSession(ctx, a, second); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acc.SessionActor(ctx, second, ""); !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Errorf("SessionActor(after sign-out) = %v, want unauthenticated", err)
	}
}

func stepsOf(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}
