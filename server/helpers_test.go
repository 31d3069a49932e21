package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/inventory"
	"critreg/server"
	"critreg/store"
	"critreg/store/storetest"
)

// testEnv is a server over a fresh database file with two operators (A and B), each with a
// 4G network, and a token per role.
type testEnv struct {
	t      *testing.T
	db     *store.DB
	srv    *httptest.Server
	tokens map[string]string // by login
	netA   int64
	netB   int64
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	db := storetest.Open(t, server.Schemas()...)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log, MaxBody: 64 << 10}).Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, db: db, srv: srv, tokens: map[string]string{}}
	ctx, sys := context.Background(), access.System()
	inv, acc := inventory.NewStore(db), account.New(db)
	for _, code := range []string{"OPA", "OPB"} {
		if _, err := inv.CreateOperator(ctx, sys, inventory.OperatorInput{Code: code, Name: "Operator " + code}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []account.UserInput{
		{Login: "alice", Role: access.RoleOperator, Operator: "OPA"},
		{Login: "eric", Role: access.RoleEngineer, Operator: "OPA"},
		{Login: "bob", Role: access.RoleOperator, Operator: "OPB"},
		{Login: "bea", Role: access.RoleBureau},
		{Login: "root", Role: access.RoleAdmin},
	} {
		u.Password = "correct horse battery"
		if _, err := acc.AddUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		_, secret, err := acc.CreateToken(ctx, sys, u.Login, "test", account.ScopeWrite, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Login] = secret
	}
	var n struct{ ID int64 }
	e.do("alice", "POST", "/api/v1/networks", `{"name":"LTE","technology":"4G","legacy":true}`, 201, &n)
	e.netA = n.ID
	e.do("bob", "POST", "/api/v1/networks", `{"operator":"OPB","name":"5G core","technology":"5G","legacy":false}`, 201, &n)
	e.netB = n.ID
	return e
}

// do sends a request as login ("" for anonymous) and checks the status; out, if given,
// receives the decoded JSON answer.
func (e *testEnv) do(login, method, path, body string, want int, out any) []byte {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[login])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s as %q = %d %s, want %d", method, path, login, resp.StatusCode, b, want)
	}
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Fatalf("%s %s: error answered as %q, want application/problem+json", method, path, resp.Header.Get("Content-Type"))
	}
	if out != nil && len(b) > 0 {
		if err := json.NewDecoder(bytes.NewReader(b)).Decode(out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return b
}

func (e *testEnv) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.db.Read.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
