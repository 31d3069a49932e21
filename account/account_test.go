package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/store"
	"critreg/store/storetest"
)

func setup(t *testing.T) (*store.DB, *account.Accounts) {
	t.Helper()
	db := storetest.Open(t, audit.Schema, inventory.Schema, account.Schema)
	if _, err := inventory.NewStore(db).CreateOperator(context.Background(), access.System(), inventory.OperatorInput{Code: "OPA", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	return db, account.New(db)
}

func TestPasswordHash(t *testing.T) {
	h, err := account.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want an argon2id PHC string", h)
	}
	h2, _ := account.HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		hash, pw string
		want     bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"", "x", false},
		{"$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "x", false},
		{strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false},
	} {
		if got := account.VerifyPassword(c.hash, c.pw); got != c.want {
			t.Errorf("VerifyPassword(%.30q, %q) = %v, want %v", c.hash, c.pw, got, c.want)
		}
	}
}

func TestAddUserValidates(t *testing.T) {
	ctx := context.Background()
	_, acc := setup(t)
	sys := access.System()
	for _, c := range []struct {
		in     account.UserInput
		fields []string
	}{
		{account.UserInput{Login: "anna", Role: access.RoleOperator, Password: "short"}, []string{"operator", "password"}},
		{account.UserInput{Login: "b", Role: "wizard", Password: "long enough password"}, []string{"login", "role"}},
		{account.UserInput{Login: "bea", Role: access.RoleBureau, Operator: "OPA", Password: "long enough password"}, []string{"operator"}},
		{account.UserInput{Login: "x y", Role: access.RoleAdmin, Password: "long enough password"}, []string{"login"}},
		{account.UserInput{Login: "zed", Role: access.RoleEngineer, Operator: "NOPE", Password: "long enough password"}, []string{"operator"}},
	} {
		_, err := acc.AddUser(ctx, sys, c.in)
		var v *errkind.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("AddUser(%+v) = %v, want a validation error", c.in, err)
		}
		var got []string
		for _, f := range v.Fields {
			got = append(got, f.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("AddUser(%s) fields = %v, want %v", c.in.Login, got, c.fields)
		}
	}
	if _, err := acc.AddUser(ctx, access.Actor{Role: access.RoleBureau}, account.UserInput{Login: "x", Role: access.RoleBureau, Password: "long enough password"}); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("AddUser by the bureau = %v, want forbidden", err)
	}
}

func TestLoginIsAudited(t *testing.T) {
	ctx := context.Background()
	db, acc := setup(t)
	if _, err := acc.AddUser(ctx, access.System(), account.UserInput{Login: "anna", Role: access.RoleOperator, Operator: "OPA", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		login, pw string
		ok        bool
	}{
		{"anna", "correct horse battery", true},
		{"ANNA", "correct horse battery", true},
		{"anna", "wrong", false},
		{"nobody", "correct horse battery", false},
	} {
		u, err := acc.Login(ctx, c.login, c.pw, "192.0.2.7", "web")
		if c.ok != (err == nil) {
			t.Fatalf("Login(%s, %s) = %v, %v", c.login, c.pw, u, err)
		}
		if !c.ok && !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("Login(%s) error = %v, want the one answer for every failure", c.login, err)
		}
	}
	recs, err := audit.List(ctx, db.Read, access.Actor{Role: access.RoleAdmin}, audit.Filter{Action: "user.login"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Action+"@"+r.IP)
	}
	want := "user.login_failed@192.0.2.7,user.login_failed@192.0.2.7,user.login@192.0.2.7,user.login@192.0.2.7"
	if strings.Join(got, ",") != want {
		t.Errorf("login audit = %v, want %s", got, want)
	}
}

func TestTokenExpiry(t *testing.T) {
	ctx := context.Background()
	_, acc := setup(t)
	if _, err := acc.AddUser(ctx, access.System(), account.UserInput{Login: "anna", Role: access.RoleOperator, Operator: "OPA", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := acc.CreateToken(ctx, access.System(), "anna", "short-lived", account.ScopeRead, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	if _, _, err := acc.Authenticate(ctx, secret, "", "api"); !errors.Is(err, errkind.ErrUnauthenticated) {
		t.Errorf("Authenticate(expired) = %v, want unauthenticated", err)
	}
	_, secret, err = acc.CreateToken(ctx, access.System(), "anna", "", account.ScopeRead, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a, scope, err := acc.Authenticate(ctx, secret, "192.0.2.1", "api")
	if err != nil || !a.ReadOnly || scope != account.ScopeRead || a.Login != "anna" || a.OperatorID == 0 {
		t.Errorf("Authenticate = %+v, %s, %v; want anna read-only", a, scope, err)
	}
	if _, _, err := acc.CreateToken(ctx, access.System(), "anna", "", "root", 0); err == nil {
		t.Error("a token with an unknown scope was made")
	}
}
