package server_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/inventory"
	"critreg/server"
	"critreg/store"
	"critreg/store/storetest"
)

// seedItems fills db with n items over 10 networks of two operators, written in bulk with
// plain SQL (the API's per-item audit records would make the set-up, not the benchmark, slow).
// It returns the networks of operator 1 with their first and last item ids.
func seedItems(b testing.TB, db *store.DB, n int) (nets [][3]int64, secret string) {
	ctx, sys := context.Background(), access.System()
	inv, acc := inventory.NewStore(db), account.New(db)
	for _, code := range []string{"OPA", "OPB"} {
		if _, err := inv.CreateOperator(ctx, sys, inventory.OperatorInput{Code: code, Name: code}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := acc.AddUser(ctx, sys, account.UserInput{Login: "alice", Role: access.RoleOperator, Operator: "OPA", Password: "correct horse battery"}); err != nil {
		b.Fatal(err)
	}
	_, secret, err := acc.CreateToken(ctx, sys, "alice", "bench", account.ScopeRead, 0)
	if err != nil {
		b.Fatal(err)
	}
	makers := []string{"Ericsson AB", "Nokia Solutions and Networks Oy", "Huawei Technologies Co., Ltd.", "ZTE Corporation", "Cisco Systems, Inc.",
		"Juniper Networks, Inc.", "Samsung Electronics Co., Ltd.", "Mavenir Systems, Inc.", "Oracle Corporation", "Arista Networks, Inc."}
	parts := []string{"1.1", "2.1", "2.4", "2.5", "2.6", "4.1", "4.2", "4.11", "4.5", "1.8"}
	words := []string{"core", "edge", "gateway", "router", "controller", "register", "cluster", "node", "function", "server"}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC().Format(time.RFC3339Nano)
		for i, m := range makers {
			if _, err := tx.Exec(`INSERT INTO suppliers (id, name, name_key, roles, created_at, updated_at) VALUES (?, ?, ?, 'manufacturer', ?, ?)`,
				i+1, m, inventory.SupplierKey(m), now, now); err != nil {
				return err
			}
		}
		for k := range 10 {
			op := 1 + k/5
			if _, err := tx.Exec(`INSERT INTO networks (id, operator_id, name, technology, legacy, created_at, updated_at) VALUES (?, ?, ?, '5G', 0, ?, ?)`,
				k+1, op, fmt.Sprintf("net %d", k+1), now, now); err != nil {
				return err
			}
		}
		ins, err := tx.Prepare(`INSERT INTO items (id, operator_id, network_id, critical_part, kind, name, model, version, manufacturer_id,
			manufacturer_country, origin_country, serial, quantity, site, source, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'equipment', ?, ?, ?, ?, 'SE', 'SE', ?, 1, ?, 'imported', ?, ?)`)
		if err != nil {
			return err
		}
		fts, err := tx.Prepare(`INSERT INTO items_fts (rowid, body) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(1, 2))
		for id := 1; id <= n; id++ {
			net := 1 + (id-1)*10/n // networks hold consecutive id ranges, as imports make them
			name := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))] + " " + strconv.Itoa(id)
			model := fmt.Sprintf("M-%d", r.IntN(500))
			serial := fmt.Sprintf("SN%08d", r.IntN(1e8))
			maker := 1 + r.IntN(len(makers))
			site := fmt.Sprintf("site %d", r.IntN(200))
			if _, err := ins.Exec(id, 1+(net-1)/5, net, parts[r.IntN(len(parts))], name, model, "1.0", maker, serial, site, now, now); err != nil {
				return err
			}
			body := name + " " + model + " 1.0 " + makers[maker-1] + " " + serial + " " + site
			if _, err := fts.Exec(id, body); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for k := range 5 {
		lo, hi := int64(k*n/10+1), int64((k+1)*n/10)
		nets = append(nets, [3]int64{int64(k + 1), lo, hi})
	}
	return nets, secret
}

// load runs workers clients against req(r) for d and returns the latency of every request.
func load(b testing.TB, workers int, d time.Duration, req func(r *rand.Rand) *http.Request) []time.Duration {
	var mu sync.Mutex
	var lat []time.Duration
	var failed int
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				resp, err := client.Do(req(r))
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failed > 0 {
		b.Fatalf("%d requests failed", failed)
	}
	return lat
}

// measured is the outcome of one or more load runs.
type measured struct {
	lat []time.Duration
	d   time.Duration
}

func (m *measured) add(lat []time.Duration, d time.Duration) {
	m.lat, m.d = append(m.lat, lat...), m.d+d
}

func (m *measured) report(b *testing.B, name string) float64 {
	slices.Sort(m.lat)
	rps := float64(len(m.lat)) / m.d.Seconds()
	b.ReportMetric(rps, name+"-req/s")
	b.ReportMetric(float64(m.lat[len(m.lat)/2].Microseconds())/1000, name+"-p50-ms")
	b.ReportMetric(float64(m.lat[len(m.lat)*99/100].Microseconds())/1000, name+"-p99-ms")
	return rps
}

func benchDuration() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("CRITREG_BENCH_SECONDS")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 5 * time.Second
}

func cursorAt(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

// BenchmarkStartup measures what `critreg serve` does before it listens, on a database of
// 100,000 items: open, migrate (nothing to do), build the server.
//
//	go test -run '^$' -bench BenchmarkStartup ./server/
func BenchmarkStartup(b *testing.B) {
	db := storetest.Open(b, server.Schemas()...)
	seedItems(b, db, 100_000)
	path := db.Path
	db.Close()
	log := logrus.New()
	log.SetOutput(io.Discard)
	b.ResetTimer()
	for range b.N {
		db, err := store.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(context.Background(), server.Schemas()...); err != nil {
			b.Fatal(err)
		}
		server.New(db, server.Config{Log: log})
		if err := db.Read.Ping(); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkItemsAPI measures GET /api/v1/items?limit=100 filtered by network at random
// keyset pages, at 32 concurrent connections over loopback, with 100,000 items, side by side
// with a bare echo handler that runs the same store query and JSON encoding (with the same
// recycled buffers) without authentication, scoping middleware or the error handler; and
// text search. The load generator shares the process and its two cores: wrk from another
// process (see TestMakeItemsDB) measures the server alone.
//
//	go test -run '^$' -bench BenchmarkItemsAPI -benchtime 1x ./server/
func BenchmarkItemsAPI(b *testing.B) {
	db := storetest.Open(b, server.Schemas()...)
	nets, secret := seedItems(b, db, 100_000)
	log := logrus.New()
	log.SetOutput(io.Discard)
	full := httptest.NewServer(server.New(db, server.Config{Log: log}).Handler())
	defer full.Close()

	inv := inventory.NewStore(db)
	bare := echo.New()
	type list struct {
		items []inventory.Item
		buf   []byte
	}
	lists := sync.Pool{New: func() any { return &list{} }}
	bare.GET("/items", func(c echo.Context) error {
		nid, _ := strconv.ParseInt(c.QueryParam("network_id"), 10, 64)
		after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
		l := lists.Get().(*list)
		defer lists.Put(l)
		var next int64
		var err error
		l.items, next, err = inv.AppendItems(c.Request().Context(), access.Actor{Role: access.RoleBureau}, inventory.ItemFilter{NetworkID: nid}, inventory.Page{After: after, Limit: 100}, l.items[:0])
		if err != nil {
			return err
		}
		b := append(l.buf[:0], `{"items":[`...)
		for i := range l.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.items[i].AppendJSON(b)
		}
		b = append(b, `],"next_cursor":"`...)
		b = strconv.AppendInt(b, next, 10)
		b = append(b, `"}`...)
		l.buf = b
		return c.Blob(200, echo.MIMEApplicationJSON, b)
	})
	bareSrv := httptest.NewServer(bare)
	defer bareSrv.Close()

	page := func(r *rand.Rand) (int64, int64) {
		n := nets[r.IntN(len(nets))]
		return n[0], n[1] + r.Int64N(n[2]-n[1]-100)
	}
	d := benchDuration()
	bareReq := func(r *rand.Rand) *http.Request {
		nid, after := page(r)
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/items?network_id=%d&after=%d", bareSrv.URL, nid, after), nil)
		return req
	}
	apiReq := func(r *rand.Rand) *http.Request {
		nid, after := page(r)
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/items?limit=100&network_id=%d&cursor=%s", full.URL, nid, cursorAt(after)), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return req
	}
	searches := []string{"gateway", "router 17", "huawei", "SN1234", "site 42", "M-17", "ericsson controller", "cluster node"}
	searchReq := func(r *rand.Rand) *http.Request {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/items?limit=100&q=%s", full.URL, urlEscape(searches[r.IntN(len(searches))])), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return req
	}
	for range b.N {
		// Bare and full runs alternate in short rounds, so that a slow spell of the
		// machine weighs on both sides of the ratio alike.
		var bare, api, search measured
		const rounds = 4
		for range rounds {
			bare.add(load(b, 32, d/rounds, bareReq), d/rounds)
			api.add(load(b, 32, d/rounds, apiReq), d/rounds)
		}
		// Search latency is measured at 4 concurrent clients: at 32 on two cores the
		// figure would be queueing, not the search.
		search.add(load(b, 4, d, searchReq), d)
		bareRPS := bare.report(b, "bare")
		apiRPS := api.report(b, "api")
		search.report(b, "search")
		b.ReportMetric(bareRPS/apiRPS, "bare/api-ratio")
	}
}

// TestMakeItemsDB writes the benchmark's 100,000-item database to the file named by
// CRITREG_ITEMS_DB, and the operator token to that name with ".token" appended, for
// measuring `critreg serve` from a separate load generator (wrk, testdata/wrk-items.lua):
//
//	CRITREG_ITEMS_DB=/tmp/items.db go test -run TestMakeItemsDB ./server/
//	CRITREG_DB=/tmp/items.db critreg serve &
//	CRITREG_TOKEN=$(cat /tmp/items.db.token) wrk -t2 -c32 -d10s --latency -s server/testdata/wrk-items.lua http://127.0.0.1:8080/
func TestMakeItemsDB(t *testing.T) {
	path := os.Getenv("CRITREG_ITEMS_DB")
	if path == "" {
		t.Skip("set CRITREG_ITEMS_DB to write the benchmark database")
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background(), server.Schemas()...); err != nil {
		t.Fatal(err)
	}
	_, secret := seedItems(t, db, 100_000)
	if err := os.WriteFile(path+".token", []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkItemsList measures one page of GET /api/v1/items?limit=100 filtered by network,
// in process (no TCP), at random keyset pages of 100,000 items: the cost a request adds
// beyond the HTTP server, for profiling.
//
//	go test -run '^$' -bench BenchmarkItemsList -cpuprofile /tmp/list.prof ./server/
func BenchmarkItemsList(b *testing.B) {
	db := storetest.Open(b, server.Schemas()...)
	nets, secret := seedItems(b, db, 100_000)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := server.New(db, server.Config{Log: log}).Handler()
	r := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	defer func() {
		// CPU time per request, besides wall time: on a machine that other work shares,
		// the wall time measures the neighbours as much as the request.
		if used := processCPU() - cpu; used > 0 {
			b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-µs/op")
		}
	}()
	for range b.N {
		n := nets[r.IntN(len(nets))]
		after := n[1] + r.Int64N(n[2]-n[1]-100)
		req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/items?limit=100&network_id=%d&cursor=%s", n[0], cursorAt(after)), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("GET %s = %d", req.URL, w.Code)
		}
	}
}

// processCPU returns the CPU time the process has used, from /proc (0 where there is none).
// Its resolution is the kernel's clock tick (10 ms), fine over a benchmark's seconds.
func processCPU() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// utime and stime are the 12th and 13th of them, in clock ticks of 1/100 s.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func urlEscape(s string) string {
	out := ""
	for _, r := range s {
		if r == ' ' {
			out += "+"
		} else {
			out += string(r)
		}
	}
	return out
}
