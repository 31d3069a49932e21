package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	"critreg/store/storetest"
)

// fuzzTarget is an endpoint whose JSON body the fuzzer writes.
type fuzzTarget struct{ login, method, path string }

// FuzzAPIBody sends arbitrary bodies to the endpoints that decode item, network and
// operator JSON, through the real router: whatever the body, the server answers with a
// client error or success in JSON, never a 5xx or a panic.
func FuzzAPIBody(f *testing.F) {
	ctx, sys := context.Background(), access.System()
	db := storetest.Open(f, server.Schemas()...)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log, MaxBody: 64 << 10}).Handler()
	if _, err := inventory.NewStore(db).CreateOperator(ctx, sys, inventory.OperatorInput{Code: "OPA", Name: "A"}); err != nil {
		f.Fatal(err)
	}
	acc := account.New(db)
	tokens := map[string]string{}
	for _, u := range []account.UserInput{{Login: "alice", Role: access.RoleOperator, Operator: "OPA"}, {Login: "root", Role: access.RoleAdmin}} {
		u.Password = "correct horse battery"
		if _, err := acc.AddUser(ctx, sys, u); err != nil {
			f.Fatal(err)
		}
		_, secret, err := acc.CreateToken(ctx, sys, u.Login, "fuzz", account.ScopeWrite, 0)
		if err != nil {
			f.Fatal(err)
		}
		tokens[u.Login] = secret
	}
	send := func(login, method, path string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[login])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	var n, it struct{ ID int64 }
	if rec := send("alice", "POST", "/api/v1/networks", []byte(`{"name":"LTE","technology":"4G"}`)); rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &n) != nil {
		f.Fatalf("create network = %d %s", rec.Code, rec.Body)
	}
	if rec := send("alice", "POST", "/api/v1/items", fmt.Appendf(nil, `{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":"eNodeB"}`, n.ID)); rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &it) != nil {
		f.Fatalf("create item = %d %s", rec.Code, rec.Body)
	}
	targets := []fuzzTarget{
		{"alice", "POST", "/api/v1/items"},
		{"alice", "PATCH", fmt.Sprintf("/api/v1/items/%d", it.ID)},
		{"alice", "POST", "/api/v1/networks"},
		{"alice", "PATCH", fmt.Sprintf("/api/v1/networks/%d", n.ID)},
		{"root", "POST", "/api/v1/operators"},
		{"root", "PATCH", "/api/v1/operators/OPA"},
		{"alice", "POST", fmt.Sprintf("/api/v1/networks/%d/critical-parts", n.ID)},
	}
	for i, body := range []string{
		fmt.Sprintf(`{"network_id":%d,"critical_part":"4.2","kind":"software","name":"UPF","quantity":2,"in_service_since":"2024-05-01"}`, n.ID),
		`{"name":"x","quantity":-1,"manufacturer_country":"ZZ"}`,
		`{"name":"5G core","technology":"5G","legacy":false}`,
		`{"legacy":"yes"}`,
		`{"code":"OPZ","name":"Z","registration_no":"40003000001"}`,
		`{"name":null}`,
		`{"code":"X-1","name_en":"part"}`,
	} {
		f.Add(uint8(i), []byte(body))
	}
	f.Add(uint8(0), []byte(`{"network_id":1e400}`))
	f.Add(uint8(1), []byte(`{"name":"\ud800"}`))
	f.Add(uint8(2), []byte(`[{}]`))
	f.Add(uint8(3), []byte(`{} {}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := targets[int(which)%len(targets)]
		rec := send(tg.login, tg.method, tg.path, body)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q = %d %s", tg.method, tg.path, body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusNoContent && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s with %q = %d, not JSON: %s", tg.method, tg.path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
			t.Fatalf("%s %s with %q = %d as %q, want a problem document", tg.method, tg.path, body, rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
