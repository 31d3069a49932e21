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
	u, err := acc.UserByLogin(context.Background(), "alice")
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := acc.StartSession(context.Background(), u, "127.0.0.1", "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	bureau, err := acc.AddUser(context.Background(), access.System(), account.UserInput{Login: "bea", Role: access.RoleBureau, Password: "correct horse battery"})
	if err != nil {
		b.Fatal(err)
	}
	bureauSecret, _, err := acc.StartSession(context.Background(), bureau, "127.0.0.1", "bench", "")
	if err != nil {
		b.Fatal(err)
	}
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
		b.Run(p.name, func(b *testing.B) {
			for range b.N {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.Header.Set("Accept", "text/html")
				req.AddCookie(&http.Cookie{Name: "critreg_session", Value: p.session})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d: %s", p.path, rec.Code, rec.Body.String())
				}
			}
		})
	}
}
