package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/errkind"
)

func TestSignInThrottle(t *testing.T) {
	ctx := context.Background()
	db, acc := setup(t)
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	account.SetClockForTest(acc, clk.now)
	addUser(t, acc, "anna", access.RoleOperator)
	login := func(pw, ip string) error {
		_, err := acc.Login(ctx, "anna", pw, ip, "web")
		return err
	}
	const pw = "correct horse battery"

	for i := range 5 {
		if err := login("wrong", "192.0.2.1"); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("failure %d = %v, want bad credentials", i+1, err)
		}
	}
	// Locked: even the right password is refused, from any address, for a minute.
	var locked *account.LockedError
	if err := login(pw, "198.51.100.9"); !errors.As(err, &locked) || !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Fatalf("Login while locked = %v, want a LockedError", err)
	}
	if want := clk.now().Add(time.Minute); !locked.Until.Equal(want) {
		t.Errorf("locked until %s, want %s", locked.Until, want)
	}
	// Attempts while locked do not lengthen the lock.
	for range 10 {
		_ = login("wrong", "192.0.2.1")
	}
	clk.add(61 * time.Second)
	// After the lock, each further failure doubles it.
	if err := login("wrong", "192.0.2.1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Fatalf("failure after the lock = %v", err)
	}
	clk.add(90 * time.Second)
	if err := login(pw, "192.0.2.1"); !errors.As(err, &locked) {
		t.Errorf("Login 90 s into a 2-minute lock = %v, want locked", err)
	}
	clk.add(31 * time.Second)
	if err := login(pw, "192.0.2.1"); err != nil {
		t.Fatalf("Login after the lock = %v", err)
	}
	// A completed sign-in forgets the login's failures.
	if err := login("wrong", "192.0.2.1"); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("one failure after a sign-in = %v, want bad credentials, not locked", err)
	}
	// The window slides: failures older than an hour count no more.
	clk.add(2 * time.Hour)

	// An address that fails for many logins is locked for every login, others are not.
	for i := range 20 {
		_, _ = acc.Login(ctx, fmt.Sprintf("guess%d", i), "x", "203.0.113.5", "web")
	}
	if err := login(pw, "203.0.113.5"); !errors.As(err, &locked) {
		t.Errorf("Login from a locked address = %v, want locked", err)
	}
	if err := login(pw, "203.0.113.6"); err != nil {
		t.Errorf("Login from another address = %v", err)
	}

	recs, err := audit.List(ctx, db.Read, access.Actor{Role: access.RoleAdmin}, audit.Filter{Action: "user.lockout", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 3 {
		t.Errorf("user.lockout records = %d, want one per lock (at least 3)", len(recs))
	}
	if n, err := audit.Verify(ctx, db.Read); err != nil {
		t.Errorf("audit.Verify = %d, %v", n, err)
	}
}

func TestSecondFactorFailuresLock(t *testing.T) {
	ctx := context.Background()
	_, acc := setup(t)
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	account.SetClockForTest(acc, clk.now)
	acc.SetSecretKey(testKey(1))
	bea := addUser(t, acc, "bea", access.RoleBureau)
	uri, _, err := acc.EnrolTOTP(ctx, bea)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.ConfirmTOTP(ctx, bea, codeAt(t, uri, clk.now())); err != nil {
		t.Fatal(err)
	}
	// The password step does not reset the count while the second factor is pending, so
	// guessing codes between correct passwords still locks.
	for range 5 {
		if _, err := acc.Login(ctx, "bea", "correct horse battery", "192.0.2.1", "web"); err != nil {
			t.Fatalf("Login = %v", err)
		}
		_ = acc.VerifySecondFactor(ctx, bea.UserID, "000000", "192.0.2.1")
	}
	var locked *account.LockedError
	if _, err := acc.Login(ctx, "bea", "correct horse battery", "192.0.2.1", "web"); !errors.As(err, &locked) {
		t.Errorf("Login after 5 wrong codes = %v, want locked", err)
	}
	clk.add(40 * time.Second)
	if err := acc.VerifySecondFactor(ctx, bea.UserID, codeAt(t, uri, clk.now()), "192.0.2.1"); !errors.As(err, &locked) {
		t.Errorf("VerifySecondFactor while locked = %v, want locked", err)
	}
}

func TestSuspend(t *testing.T) {
	ctx := context.Background()
	db, acc := setup(t)
	root := addUser(t, acc, "root", access.RoleAdmin)
	anna := addUser(t, acc, "anna", access.RoleOperator)
	_, secret, err := acc.CreateToken(ctx, anna, "anna", "ci", account.ScopeWrite, 0)
	if err != nil {
		t.Fatal(err)
	}
	u, err := acc.Login(ctx, "anna", "correct horse battery", "192.0.2.1", "web")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := acc.StartSession(ctx, u, "192.0.2.1", "test", "")
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name  string
		actor access.Actor
		login string
		want  error
	}{
		{"by the user herself", anna, "anna", errkind.ErrForbidden},
		{"an admin by herself", root, "root", nil},
		{"unknown user", root, "nobody", errkind.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := acc.Suspend(ctx, c.actor, c.login)
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
				t.Errorf("Suspend(%s) = %v, want %v", c.login, err, c.want)
			}
		})
	}

	got, err := acc.Suspend(ctx, root, "anna")
	if err != nil || !got.Suspended {
		t.Fatalf("Suspend = %+v, %v", got, err)
	}
	if _, _, err := acc.Authenticate(ctx, secret, "", "api"); !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Errorf("Authenticate(token of a suspended user) = %v, want unauthenticated", err)
	}
	if _, _, err := acc.SessionActor(ctx, session, ""); !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Errorf("SessionActor(session of a suspended user) = %v, want unauthenticated", err)
	}
	if _, err := acc.Login(ctx, "anna", "correct horse battery", "192.0.2.1", "web"); !errors.Is(err, account.ErrBadCredentials) {
		t.Errorf("Login(suspended) = %v, want bad credentials", err)
	}

	if _, err := acc.Unsuspend(ctx, root, "anna"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acc.Authenticate(ctx, secret, "", "api"); err != nil {
		t.Errorf("Authenticate after unsuspension = %v", err)
	}
	if _, _, err := acc.SessionActor(ctx, session, ""); err == nil {
		t.Error("a session ended by the suspension works again after unsuspension")
	}
	recs, err := audit.List(ctx, db.Read, access.Actor{Role: access.RoleAdmin}, audit.Filter{ObjectType: "user", ObjectID: fmt.Sprint(anna.UserID), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		if r.Action == "user.suspend" || r.Action == "user.unsuspend" {
			actions = append(actions, r.Action+" by "+r.Login)
		}
	}
	if fmt.Sprint(actions) != "[user.unsuspend by root user.suspend by root]" {
		t.Errorf("suspension records = %v", actions)
	}
}

func TestTokenScopes(t *testing.T) {
	ctx := context.Background()
	_, acc := setup(t)
	anna := addUser(t, acc, "anna", access.RoleOperator)
	bea := addUser(t, acc, "bea", access.RoleBureau)
	for _, c := range []struct {
		scope    account.Scope
		readOnly bool
	}{{account.ScopeRead, true}, {account.ScopeWrite, false}, {account.ScopeDiscovery, true}} {
		t.Run(string(c.scope), func(t *testing.T) {
			tok, secret, err := acc.CreateToken(ctx, anna, "anna", "t", c.scope, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			a, scope, err := acc.Authenticate(ctx, secret, "", "api")
			if err != nil || scope != c.scope || a.ReadOnly != c.readOnly {
				t.Errorf("Authenticate = %+v, %s, %v; want scope %s read-only %v", a, scope, err, c.scope, c.readOnly)
			}
			if err := acc.RevokeToken(ctx, bea, tok.ID); !errors.Is(err, errkind.ErrNotFound) {
				t.Errorf("RevokeToken by another user = %v, want not found", err)
			}
			if err := acc.RevokeToken(ctx, anna, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := acc.Authenticate(ctx, secret, "", "api"); !errors.Is(err, errkind.ErrUnauthenticated) {
				t.Errorf("Authenticate(revoked) = %v, want unauthenticated", err)
			}
		})
	}
	if _, _, err := acc.CreateToken(ctx, bea, "bea", "", account.ScopeDiscovery, 0); err == nil {
		t.Error("the bureau got a discovery token")
	}
	if _, _, err := acc.CreateToken(ctx, anna, "bea", "", account.ScopeRead, 0); !errors.Is(err, errkind.ErrNotFound) {
		t.Errorf("CreateToken for another user = %v, want not found", err)
	}
	ts, err := acc.Tokens(ctx, anna, "anna")
	if err != nil || len(ts) != 3 {
		t.Fatalf("Tokens = %v, %v", ts, err)
	}
	for _, tok := range ts {
		if !tok.Revoked || tok.Prefix == "" || len(tok.Prefix) > 10 {
			t.Errorf("listed token %+v: want revoked, with a short prefix only", tok)
		}
	}
	for _, bad := range []string{"", "crt_", "Bearer x", "crt_" + string(make([]byte, 300))} {
		if _, _, err := acc.Authenticate(ctx, bad, "", "api"); !errors.Is(err, errkind.ErrUnauthenticated) {
			t.Errorf("Authenticate(%.20q) = %v, want unauthenticated", bad, err)
		}
	}
}
