package account_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/errkind"
	"critreg/secretkey"
)

// clock is a settable time for the Accounts under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func testKey(b byte) secretkey.Key {
	var k secretkey.Key
	for i := range k {
		k[i] = b
	}
	return k
}

// addUser adds a user with the standard test password and returns it as an actor.
func addUser(t *testing.T, acc *account.Accounts, login string, role access.Role) access.Actor {
	t.Helper()
	in := account.UserInput{Login: login, Role: role, Password: "correct horse battery"}
	if role.OperatorScoped() {
		in.Operator = "OPA"
	}
	u, err := acc.AddUser(context.Background(), access.System(), in)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor("192.0.2.1", "web")
}

func codeAt(t *testing.T, uri string, at time.Time) string {
	t.Helper()
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	c, err := totp.GenerateCode(k.Secret(), at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSecondFactor(t *testing.T) {
	ctx := context.Background()
	db, acc := setup(t)
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	account.SetClockForTest(acc, clk.now)
	acc.SetSecretKey(testKey(7))
	bea := addUser(t, acc, "bea", access.RoleBureau)
	addUser(t, acc, "anna", access.RoleOperator)
	root := addUser(t, acc, "root", access.RoleAdmin)

	// Before enrolment: the bureau must give a second factor (and so enrol), an operator
	// need not.
	for _, c := range []struct {
		login string
		want  bool
	}{{"bea", true}, {"anna", false}, {"root", true}} {
		u, err := acc.Login(ctx, c.login, "correct horse battery", "192.0.2.1", "web")
		if err != nil {
			t.Fatal(err)
		}
		if got := account.NeedsSecondFactor(u); got != c.want {
			t.Errorf("NeedsSecondFactor(%s) = %v, want %v", c.login, got, c.want)
		}
	}
	if err := acc.VerifySecondFactor(ctx, bea.UserID, "123456", ""); !errors.Is(err, account.ErrNoSecondFactor) {
		t.Errorf("VerifySecondFactor before enrolment = %v, want ErrNoSecondFactor", err)
	}

	uri, png, err := acc.EnrolTOTP(ctx, bea)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/critreg:bea?") || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("EnrolTOTP = %q, %d bytes %q…; want an otpauth URI and a PNG", uri, len(png), png[:min(8, len(png))])
	}
	k, _ := otp.NewKeyFromURL(uri)
	// The secret is nowhere in the database in clear: not in the table, not in the audit.
	var stored string
	if err := db.Read.QueryRow(`SELECT secret FROM totp`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(stored)
	if strings.Contains(stored, k.Secret()) || bytes.Contains(raw, []byte(k.Secret())) {
		t.Error("the TOTP secret is stored in clear")
	}
	var hits int
	if err := db.Read.QueryRow(`SELECT count(*) FROM audit_log WHERE instr(coalesce(after, '') || coalesce(before, ''), ?) > 0`, k.Secret()).Scan(&hits); err != nil || hits != 0 {
		t.Errorf("audit records holding the secret = %d, %v; want 0", hits, err)
	}

	// A wrong code does not confirm; the right one does and yields recovery codes.
	if _, err := acc.ConfirmTOTP(ctx, bea, "000000"); !errors.As(err, new(*errkind.ValidationError)) {
		t.Errorf("ConfirmTOTP(wrong) = %v, want a validation error", err)
	}
	codes, err := acc.ConfirmTOTP(ctx, bea, codeAt(t, uri, clk.now()))
	if err != nil || len(codes) != 10 {
		t.Fatalf("ConfirmTOTP = %v, %v; want 10 recovery codes", codes, err)
	}
	var plain int
	if err := db.Read.QueryRow(`SELECT count(*) FROM recovery_codes WHERE hash = ?`, strings.ReplaceAll(codes[0], "-", "")).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("recovery codes stored in clear: %d, %v", plain, err)
	}
	if _, _, err := acc.EnrolTOTP(ctx, bea); !errors.Is(err, errkind.ErrConflict) {
		t.Errorf("EnrolTOTP(enrolled) = %v, want a conflict", err)
	}
	u, err := acc.Login(ctx, "bea", "correct horse battery", "192.0.2.1", "web")
	if err != nil || !u.SecondFactor || !account.NeedsSecondFactor(u) {
		t.Fatalf("Login after enrolment = %+v, %v; want SecondFactor", u, err)
	}

	// The code used to confirm is spent; the next period's works once.
	if err := acc.VerifySecondFactor(ctx, bea.UserID, codeAt(t, uri, clk.now()), "192.0.2.1"); !errors.Is(err, account.ErrBadSecondFactor) {
		t.Errorf("VerifySecondFactor(replayed code) = %v, want ErrBadSecondFactor", err)
	}
	clk.add(30 * time.Second)
	next := codeAt(t, uri, clk.now())
	if err := acc.VerifySecondFactor(ctx, bea.UserID, next, "192.0.2.1"); err != nil {
		t.Errorf("VerifySecondFactor(current code) = %v", err)
	}
	if err := acc.VerifySecondFactor(ctx, bea.UserID, next, "192.0.2.1"); !errors.Is(err, account.ErrBadSecondFactor) {
		t.Errorf("VerifySecondFactor(same code twice) = %v, want ErrBadSecondFactor", err)
	}
	// A recovery code works once, typed in any case and grouping.
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	if err := acc.VerifySecondFactor(ctx, bea.UserID, typed, "192.0.2.1"); err != nil {
		t.Errorf("VerifySecondFactor(recovery code %q) = %v", typed, err)
	}
	if err := acc.VerifySecondFactor(ctx, bea.UserID, codes[3], "192.0.2.1"); !errors.Is(err, account.ErrBadSecondFactor) {
		t.Errorf("VerifySecondFactor(spent recovery code) = %v, want ErrBadSecondFactor", err)
	}
	if n, err := acc.RecoveryCodesLeft(ctx, bea.UserID); n != 9 || err != nil {
		t.Errorf("RecoveryCodesLeft = %d, %v; want 9", n, err)
	}

	// Another key cannot read the secret.
	other := account.New(db)
	other.SetSecretKey(testKey(8))
	account.SetClockForTest(other, clk.now)
	clk.add(30 * time.Second)
	if err := other.VerifySecondFactor(ctx, bea.UserID, codeAt(t, uri, clk.now()), ""); err == nil || errors.Is(err, account.ErrBadSecondFactor) {
		t.Errorf("VerifySecondFactor with the wrong key = %v, want a decryption error", err)
	}

	// An admin resets a lost factor; the user enrols anew.
	if err := acc.ResetSecondFactor(ctx, bea, "bea"); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("ResetSecondFactor by the bureau = %v, want forbidden", err)
	}
	if err := acc.ResetSecondFactor(ctx, root, "bea"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := acc.EnrolTOTP(ctx, bea); err != nil {
		t.Errorf("EnrolTOTP after reset = %v", err)
	}

	recs, err := audit.List(ctx, db.Read, access.Actor{Role: access.RoleAdmin}, audit.Filter{Action: "user.", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Action] = true
	}
	for _, want := range []string{"user.totp_enrol", "user.totp_confirm", "user.second_factor", "user.second_factor_failed", "user.totp_reset"} {
		if !seen[want] {
			t.Errorf("no %s audit record", want)
		}
	}
}
