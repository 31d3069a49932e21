package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/server"
	"critreg/store/storetest"
)

// BenchmarkPages renders the main pages server-side with 100,000 items in the database, as
// the operator that owns half of them.
//
//	go test -run '^$' -bench BenchmarkPages ./server/
func BenchmarkPages(b *testing.B) {
	db := storetest.Open(b, server.Schemas()...)
	seedItems(b, db, 100_000)
	acc := account.New(db)
	secret, bureauSecret := benchSession(b, acc, "alice", ""), benchSession(b, acc, "bea", access.RoleBureau)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log}).Handler()
	for _, p := range []struct{ name, path, session string }{
		{"dashboard", "/", ""},
		{"inventory", "/items", ""},
		{"inventory-filtered", "/items?network_id=3&critical_part=2.1", ""},
		{"inventory-search", "/items?q=gateway", ""},
		{"item", "/items/20000", ""},
		{"check", "/check", ""},
		{"suppliers", "/suppliers", ""},
		{"opinions", "/opinions", ""},
		{"networks", "/networks", ""},
		{"tokens", "/tokens", ""},
		{"bureau-dashboard", "/", bureauSecret},
		{"bureau-networks", "/networks", bureauSecret},
		{"bureau-national", "/national", bureauSecret},
		{"bureau-inventory", "/items", bureauSecret},
	} {
		if p.session == "" {
			p.session = secret
		}
		b.Run(p.name, func(b *testing.B) { benchGet(b, h, p.path, p.session) })
	}
}

// benchGet renders the page at path for the session as often as the benchmark asks, and
// fails on any answer but 200.
func benchGet(b *testing.B, h http.Handler, path, session string) {
	for range b.N {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept", "text/html")
		req.AddCookie(&http.Cookie{Name: "critreg_session", Value: session})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d: %s", path, rec.Code, rec.Body.String())
		}
	}
}

// benchSession signs login in and returns the session's secret. A role names a user to add
// first; without one the user exists already (seedItems makes alice).
func benchSession(b *testing.B, acc *account.Accounts, login string, role access.Role) string {
	ctx := context.Background()
	var u account.User
	var err error
	if role == "" {
		u, err = acc.UserByLogin(ctx, login)
	} else {
		u, err = acc.AddUser(ctx, access.System(), account.UserInput{Login: login, Role: role, Password: "correct horse battery"})
	}
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := acc.StartSession(ctx, u, "127.0.0.1", "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	return secret
}
