package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/server"
	"critreg/store/storetest"
)

// loadDuration is how long BenchmarkLoadMixed runs: CRITREG_LOAD_SECONDS, 10 s unless set
// (60 s for the recorded figure).
func loadDuration() time.Duration {
	if s, err := strconv.Atoi(os.Getenv("CRITREG_LOAD_SECONDS")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 10 * time.Second
}

// loadClient is one of the concurrent clients: an operator's user working on its own
// operator's networks, remembering every write the server acknowledged.
type loadClient struct {
	token    string
	nets     []int64
	ids      [2]int64 // the range of its operator's seeded items
	created  map[int64]string
	patched  map[int64]string
	readLat  []time.Duration
	writeLat []time.Duration
	failures []string
}

// BenchmarkLoadMixed runs 200 clients for a bounded time against a real TCP listener on
// loopback, mixing reads (lists, single items, searches) and writes (creates and updates),
// on a registry of 20,000 items. It fails on any error, any "database is locked", and any
// acknowledged write missing afterwards, and reports throughput and latency percentiles.
//
//	CRITREG_LOAD_SECONDS=60 go test -run='^$' -bench=BenchmarkLoadMixed -benchtime=1x ./server/
func BenchmarkLoadMixed(b *testing.B) {
	const clients, items = 200, 20000
	ctx, sys := context.Background(), access.System()
	db := storetest.Open(b, server.Schemas()...)
	nets, _ := seedItems(b, db, items)
	acc := account.New(db)
	if _, err := acc.AddUser(ctx, sys, account.UserInput{Login: "bob", Role: access.RoleOperator, Operator: "OPB", Password: "correct horse battery"}); err != nil {
		b.Fatal(err)
	}
	tokens := map[string]string{}
	for _, login := range []string{"alice", "bob"} {
		_, secret, err := acc.CreateToken(ctx, sys, login, "load", account.ScopeWrite, 0)
		if err != nil {
			b.Fatal(err)
		}
		tokens[login] = secret
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv := httptest.NewServer(server.New(db, server.Config{Log: log}).Handler())
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport, Timeout: 60 * time.Second}

	var netsA, netsB []int64
	for _, n := range nets {
		netsA = append(netsA, n[0])
		netsB = append(netsB, n[0]+5)
	}
	d := loadDuration()
	b.ResetTimer()
	for range b.N {
		all := make([]*loadClient, clients)
		var wg sync.WaitGroup
		start := time.Now()
		deadline := start.Add(d)
		for w := range clients {
			c := &loadClient{token: tokens["alice"], nets: netsA, ids: [2]int64{1, items / 2}, created: map[int64]string{}, patched: map[int64]string{}}
			if w%2 == 1 {
				c.token, c.nets, c.ids = tokens["bob"], netsB, [2]int64{items/2 + 1, items}
			}
			all[w] = c
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.run(hc, srv.URL, rand.New(rand.NewPCG(uint64(w), 11)), w, deadline)
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()

		var reads, writes []time.Duration
		var failures []string
		lost := 0
		for _, c := range all {
			reads, writes = append(reads, c.readLat...), append(writes, c.writeLat...)
			failures = append(failures, c.failures...)
			for id, name := range c.created {
				var got string
				if err := db.Read.QueryRow(`SELECT name FROM items WHERE id = ?`, id).Scan(&got); err != nil || got != name {
					lost++
				}
			}
			for id, notes := range c.patched {
				var got string
				if err := db.Read.QueryRow(`SELECT notes FROM items WHERE id = ?`, id).Scan(&got); err != nil || got != notes {
					lost++
				}
			}
		}
		if len(failures) > 0 {
			b.Fatalf("%d requests failed; first: %s", len(failures), failures[0])
		}
		if lost > 0 {
			b.Fatalf("%d acknowledged writes are not in the database", lost)
		}
		if _, err := audit.Verify(ctx, db.Read); err != nil {
			b.Fatalf("audit chain after the load: %v", err)
		}
		total := append(slices.Clone(reads), writes...)
		b.ReportMetric(float64(len(total))/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(len(writes))/elapsed.Seconds(), "writes/s")
		for _, m := range []struct {
			name string
			lat  []time.Duration
		}{{"all", total}, {"read", reads}, {"write", writes}} {
			slices.Sort(m.lat)
			if len(m.lat) == 0 {
				b.Fatalf("no %s requests completed", m.name)
			}
			b.ReportMetric(float64(m.lat[len(m.lat)/2].Microseconds())/1000, m.name+"-p50-ms")
			b.ReportMetric(float64(m.lat[len(m.lat)*99/100].Microseconds())/1000, m.name+"-p99-ms")
		}
		b.StartTimer()
	}
}

// run sends requests until deadline: seven reads to three writes.
func (c *loadClient) run(hc *http.Client, base string, r *rand.Rand, w int, deadline time.Time) {
	seq := 0
	for time.Now().Before(deadline) {
		seq++
		net := c.nets[r.IntN(len(c.nets))]
		switch op := r.IntN(10); {
		case op < 3:
			c.call(hc, "GET", fmt.Sprintf("%s/api/v1/items?network_id=%d&limit=50", base, net), "", 200, nil)
		case op < 5:
			id := c.ids[0] + r.Int64N(c.ids[1]-c.ids[0]+1)
			c.call(hc, "GET", fmt.Sprintf("%s/api/v1/items/%d", base, id), "", 200, nil)
		case op < 6:
			q := []string{"core", "gateway", "Ericsson", "router 1", "SN0"}[r.IntN(5)]
			c.call(hc, "GET", base+"/api/v1/items?limit=20&q="+url.QueryEscape(q), "", 200, nil)
		case op < 7:
			c.call(hc, "GET", base+"/api/v1/networks", "", 200, nil)
		case op < 9 || len(c.created) == 0:
			name := fmt.Sprintf("load item %d-%d", w, seq)
			body := fmt.Sprintf(`{"network_id":%d,"critical_part":"2.1","kind":"equipment","name":%q,"manufacturer":"Nokia Solutions and Networks Oy","model":"AirScale","quantity":1}`, net, name)
			var it struct{ ID int64 }
			if c.call(hc, "POST", base+"/api/v1/items", body, 201, &it) {
				c.created[it.ID] = name
			}
		default:
			var id int64
			for k := range c.created {
				id = k
				break
			}
			notes := fmt.Sprintf("revision %d", seq)
			if c.call(hc, "PATCH", fmt.Sprintf("%s/api/v1/items/%d", base, id), fmt.Sprintf(`{"notes":%q}`, notes), 200, nil) {
				c.patched[id] = notes
			}
		}
	}
}

// call makes one request and records its latency, or the failure.
func (c *loadClient) call(hc *http.Client, method, u, body string, want int, out any) bool {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		c.failures = append(c.failures, fmt.Sprintf("%s %s: %v", method, u, err))
		return false
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	lat := time.Since(start)
	if err != nil || resp.StatusCode != want || strings.Contains(string(raw), "database is locked") {
		c.failures = append(c.failures, fmt.Sprintf("%s %s = %d %.200s (%v)", method, u, resp.StatusCode, raw, err))
		return false
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.failures = append(c.failures, fmt.Sprintf("%s %s: decode: %v", method, u, err))
			return false
		}
	}
	if method == "GET" {
		c.readLat = append(c.readLat, lat)
	} else {
		c.writeLat = append(c.writeLat, lat)
	}
	return true
}
