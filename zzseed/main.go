package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	_ "modernc.org/sqlite"

	"critreg/access"
	"critreg/account"
	"critreg/inventory"
	"critreg/server"
	"critreg/store"
)

type tb struct{}

func (tb) Fatal(a ...any) { fmt.Println(a...); os.Exit(1) }

func main() {
	db, err := store.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := db.Migrate(context.Background(), server.Schemas()...); err != nil {
		panic(err)
	}
	nets, secret := seedItems(tb{}, db, 100_000)
	fmt.Println(secret)
	fmt.Fprintln(os.Stderr, nets)
	db.Close()
}
func seedItems(b tb, db *store.DB, n int) (nets [][3]int64, secret string) {
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
