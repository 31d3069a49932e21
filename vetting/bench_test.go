package vetting

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/inventory"
	"critreg/store"
)

// The benchmark registry: 1,000,000 items across 50 operators (one with 100,000), 20,000
// suppliers (a few large vendors, a long tail), 1,000 opinions, an ownership party for every
// supplier, and one supplier whose ownership graph is 10 levels deep.
const (
	benchItems     = 1_000_000
	benchOperators = 50
	benchBig       = 100_000
	benchSuppliers = 20_000
	benchOpinions  = 1_000
	benchDepth     = 10
	benchVersion   = "v2"
)

// benchDB opens the benchmark database, building it once per size under os.TempDir() and
// reusing it afterwards: generating a million rows takes far longer than any measurement.
func benchDB(b *testing.B) *store.DB {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("critreg-vetting-bench-%s-%d.db", benchVersion, benchItems))
	ctx := context.Background()
	if db, ok := openBench(b, path); ok {
		return db
	}
	// Absent or left incomplete by an interrupted run: build it afresh.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, audit.Schema, inventory.Schema, account.Schema, Schema); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return fillBench(ctx, tx) }); err != nil {
		os.Remove(path)
		b.Fatal(err)
	}
	if _, err := db.Write.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if _, err := New(db).SeedStates(ctx, access.System(), mustRead(b, "../fixtures/states.json")); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	return db
}

// openBench opens an existing benchmark database that holds the whole registry.
func openBench(b *testing.B, path string) (*store.DB, bool) {
	if _, err := os.Stat(path); err != nil {
		return nil, false
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	var n int
	if err := db.Read.QueryRow(`SELECT count(*) FROM vet_opinions`).Scan(&n); err != nil || n != benchOpinions {
		db.Close()
		return nil, false
	}
	if err := db.Migrate(context.Background(), audit.Schema, inventory.Schema, account.Schema, Schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, true
}

func mustRead(b *testing.B, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// fillBench writes the registry with prepared statements in one transaction.
func fillBench(ctx context.Context, tx *sql.Tx) error {
	r := rand.New(rand.NewSource(1))
	now := time.Now().UTC().Format(timeFormat)
	countries := []string{"LV", "LV", "DE", "SE", "FI", "US", "CN", "CN", "KR", "JP", "IL", "RU", "HK", "GB", "FR", "EE"}
	exec := func(q string, rows func(st *sql.Stmt) error) error {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		return rows(st)
	}
	// Operators and networks: four networks each, the first in operation before the rules.
	type net struct {
		id, op int64
		tech   string
	}
	var nets []net
	if err := exec(`INSERT INTO operators (id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, func(st *sql.Stmt) error {
		for o := 1; o <= benchOperators; o++ {
			if _, err := st.Exec(o, fmt.Sprintf("OP%02d", o), fmt.Sprintf("Operator %d", o), now, now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := exec(`INSERT INTO networks (id, operator_id, name, technology, legacy, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, func(st *sql.Stmt) error {
		id := int64(0)
		for o := int64(1); o <= benchOperators; o++ {
			for i, tech := range []string{"4G", "5G", "fixed", "transport"} {
				id++
				if _, err := st.Exec(id, o, tech+" network", tech, i == 0, now, now); err != nil {
					return err
				}
				nets = append(nets, net{id, o, tech})
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := exec(`INSERT INTO suppliers (id, name, name_key, country, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, func(st *sql.Stmt) error {
		for s := 1; s <= benchSuppliers; s++ {
			name := fmt.Sprintf("Vendor %05d", s)
			if _, err := st.Exec(s, name, inventory.SupplierKey(name), countries[r.Intn(len(countries))], "manufacturer", now, now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	// Items: supplier popularity follows a Zipf law, as telecom vendors' shares do.
	zipf := rand.NewZipf(r, 1.2, 2, benchSuppliers-1)
	parts := map[string][]string{"4G": {"2.1", "2.4", "2.5", "2.6", "1.7", "1.8"}, "5G": {"4.1", "4.2", "4.3", "4.5", "4.11", "1.9"},
		"fixed": {"1.1", "1.2", "1.4", "1.6"}, "transport": {"1.1", "1.5", "1.6", "1.8"}}
	opNets := map[int64][]net{}
	for _, n := range nets {
		opNets[n.op] = append(opNets[n.op], n)
	}
	if err := exec(`INSERT INTO items (operator_id, network_id, critical_part, kind, name, model, version, manufacturer_id,
		manufacturer_country, distributor_id, outsourcer_id, origin_country, quantity, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, func(st *sql.Stmt) error {
		for i := 0; i < benchItems; i++ {
			op := int64(1)
			if i >= benchBig {
				op = 2 + int64(i-benchBig)%(benchOperators-1)
			}
			n := opNets[op][r.Intn(4)]
			part := parts[n.tech][r.Intn(len(parts[n.tech]))]
			sup := int64(zipf.Uint64()) + 1
			kind, name, model, version := "equipment", "", fmt.Sprintf("M-%d-%d", sup, r.Intn(20)), fmt.Sprintf("%d.%d", r.Intn(5), r.Intn(10))
			var man, dist, out any = sup, nil, nil
			switch x := r.Intn(10); {
			case x < 2:
				kind, name, model = "software", fmt.Sprintf("OS-%d-%d", sup, r.Intn(5)), ""
				version = fmt.Sprintf("%d.%d.%d", 10+r.Intn(10), r.Intn(12), r.Intn(5))
			case x < 3:
				kind, name, model, version, man, out = "outsourcing", fmt.Sprintf("Service %d", r.Intn(5)), "", "", nil, sup
			}
			if r.Intn(3) == 0 {
				dist = int64(r.Intn(benchSuppliers)) + 1
			}
			mc, oc := countries[r.Intn(len(countries))], countries[r.Intn(len(countries))]
			if r.Intn(50) == 0 {
				mc, oc = "", ""
			}
			if _, err := st.Exec(op, n.id, part, kind, name, model, version, man, mc, dist, out, oc, now, now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	// A party for every supplier; most have an owner on record.
	if err := exec(`INSERT INTO vet_parties (id, kind, supplier_id, name, country, citizenships, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, func(st *sql.Stmt) error {
		for s := 1; s <= benchSuppliers; s++ {
			if _, err := st.Exec(s, "company", s, fmt.Sprintf("Vendor %05d", s), countries[r.Intn(len(countries))], "", now, now); err != nil {
				return err
			}
			if _, err := st.Exec(benchSuppliers+s, "person", nil, fmt.Sprintf("Owner %05d", s), "", countries[r.Intn(len(countries))], now, now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := exec(`INSERT INTO vet_ownership (subject_id, owner_id, share_min, share_max, control, source, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)`, func(st *sql.Stmt) error {
		for s := 1; s <= benchSuppliers; s++ {
			if r.Intn(5) == 0 {
				continue
			}
			if _, err := st.Exec(s, benchSuppliers+s, 100, 100, "", now, now); err != nil {
				return err
			}
		}
		return deepGraph(ctx, tx, st, now)
	}); err != nil {
		return err
	}
	return benchOpinionRows(ctx, tx, r, now)
}

// deepGraph puts the ownership of supplier 1 ten levels deep: five companies per level,
// each owned by two of the level above (1,024 paths to the top), with persons and a state
// body at the top.
func deepGraph(ctx context.Context, tx *sql.Tx, own *sql.Stmt, now string) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO vet_parties (kind, name, country, citizenships, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	add := func(kind, name, country, cit string) (int64, error) {
		res, err := st.Exec(kind, name, country, cit, now, now)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	below := []int64{1}
	for level := 1; level <= benchDepth; level++ {
		var here []int64
		for i := 0; i < 5; i++ {
			kind, country, cit := "company", []string{"CY", "HK", "NL", "VG", "SG"}[i], ""
			if level == benchDepth {
				kind, country, cit = "person", "", []string{"CN", "RU", "LV", "US", "HK"}[i]
				if i == 0 {
					kind, country, cit = "state_body", "CN", ""
				}
			}
			id, err := add(kind, fmt.Sprintf("Level %d owner %d", level, i), country, cit)
			if err != nil {
				return err
			}
			here = append(here, id)
		}
		for j, sub := range below {
			for k := 0; k < 2; k++ {
				if _, err := own.Exec(sub, here[(j+k)%5], 50, 50, "", now, now); err != nil {
					return err
				}
			}
		}
		below = here
	}
	return nil
}

// benchOpinionRows issues 1,000 opinions on the larger vendors, of every subject kind.
func benchOpinionRows(ctx context.Context, tx *sql.Tx, r *rand.Rand, now string) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO vet_opinions (reference, subject_kind, supplier_id, product, version_from, version_to,
		service, verdict, restriction, parts, issued_on, effective_on, public_summary, rationale, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2025-01-01', '2025-02-01', 'summary', 'rationale', ?, 'bench')`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := 1; i <= benchOpinions; i++ {
		sup := 2 + r.Intn(3000)
		kind, product, vfrom, vto, service := "supplier", "", "", "", ""
		switch x := r.Intn(10); {
		case x < 4:
			kind, product = "product", fmt.Sprintf("M-%d-%d", sup, r.Intn(20))
		case x < 7:
			kind, product, vfrom, vto = "software", fmt.Sprintf("OS-%d-%d", sup, r.Intn(5)), "12.0", "15.9"
		case x < 8:
			kind, service = "outsourcing", fmt.Sprintf("Service %d", r.Intn(5))
		}
		verdict, restriction, parts := []string{"threat", "restricted", "no_objection"}[r.Intn(3)], "", ""
		if verdict == "restricted" {
			restriction, parts = "not in the core", "4.1,4.2,2.4"
		}
		if _, err := st.Exec(fmt.Sprintf("SAB-B-%04d", i), kind, sup, product, vfrom, vto, service, verdict, restriction, parts, now); err != nil {
			return err
		}
	}
	return nil
}

func BenchmarkComplianceSummary(b *testing.B) {
	db := benchDB(b)
	v, ctx := New(db), context.Background()
	bureau := access.Actor{Login: "bench", Role: access.RoleBureau}
	c, err := v.Compliance(ctx, bureau, ComplianceQuery{Operator: "OP01", AsOf: "2026-01-01"})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("OP01: %+v", c.Counts)
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Compliance(ctx, bureau, ComplianceQuery{Operator: "OP01", AsOf: "2026-01-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComplianceSummaryWide adds a supplier-wide threat on the largest vendor, so that
// one item in ten of the operator's list is covered, and measures the same summary.
func BenchmarkComplianceSummaryWide(b *testing.B) {
	db := benchDB(b)
	v, ctx := New(db), context.Background()
	bureau := access.Actor{Login: "bench", Role: access.RoleBureau}
	o, err := v.Issue(ctx, bureau, OpinionInput{Reference: "SAB-B-WIDE", SubjectKind: SubjectSupplier, Supplier: "Vendor 00001",
		Verdict: VerdictThreat, IssuedOn: "2025-01-01", PublicSummary: "wide"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if _, err := db.Write.Exec(`DELETE FROM vet_opinions WHERE id = ?`, o.ID); err != nil {
			b.Error(err)
		}
	})
	c, err := v.Compliance(ctx, bureau, ComplianceQuery{Operator: "OP01", AsOf: "2026-01-01"})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("OP01 with a wide opinion: %+v", c.Counts)
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Compliance(ctx, bureau, ComplianceQuery{Operator: "OP01", AsOf: "2026-01-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDraftImpact(b *testing.B) {
	db := benchDB(b)
	v, ctx := New(db), context.Background()
	bureau := access.Actor{Login: "bench", Role: access.RoleBureau}
	// The largest vendor, supplier-wide: the widest draft there is.
	draft := OpinionInput{SubjectKind: SubjectSupplier, Supplier: "Vendor 00001", Verdict: VerdictThreat, PublicSummary: "draft"}
	im, err := v.DraftImpact(ctx, bureau, draft, "2026-01-01")
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("draft hits %d items in %d networks of %d operators", im.Items, im.Networks, len(im.Operators))
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.DraftImpact(ctx, bureau, draft, "2026-01-01"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndicatorsDeep(b *testing.B) {
	db := benchDB(b)
	v, ctx := New(db), context.Background()
	bureau := access.Actor{Login: "bench", Role: access.RoleBureau}
	in, err := v.Indicators(ctx, bureau, 1, IndicatorQuery{AsOf: "2026-01-01"})
	if err != nil {
		b.Fatal(err)
	}
	paths := 0
	for _, o := range in.Owners {
		paths += len(o.Paths)
	}
	b.Logf("supplier 1: %d owners, %d paths, %d indicators", len(in.Owners), paths, len(in.Met))
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Indicators(ctx, bureau, 1, IndicatorQuery{AsOf: "2026-01-01"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatus(b *testing.B) {
	db := benchDB(b)
	v, ctx := New(db), context.Background()
	ref := ItemRef{Kind: inventory.KindEquipment, CriticalPart: "4.1", Manufacturer: "Vendor 00002", Model: "M-2-3"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Status(ctx, access.Actor{}, ref, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}
