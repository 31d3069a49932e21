package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"critreg/store"
)

func TestMigrateRunsOnceAndRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	v1 := store.Schema{Package: "p", Migrations: []store.Migration{{Name: "one", SQL: `CREATE TABLE a (x INTEGER)`}}}
	v2 := store.Schema{Package: "p", Migrations: append(v1.Migrations, store.Migration{Name: "two", SQL: `ALTER TABLE a ADD COLUMN y TEXT`})}

	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, v1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write.Exec(`INSERT INTO a (x) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// An existing database moves to the next version and keeps its rows.
	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, v2); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Read.QueryRow(`SELECT count(*) FROM a WHERE y IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after migrating: rows = %d, %v; want 1", n, err)
	}
	if err := db.Migrate(ctx, v2); err != nil {
		t.Fatalf("migrating twice: %v", err)
	}
	// An older binary refuses the newer schema.
	err = db.Migrate(ctx, v1)
	var newer *store.ErrNewerSchema
	if !errors.As(err, &newer) || newer.Have != 2 || newer.Support != 1 {
		t.Fatalf("Migrate(older) = %v, want ErrNewerSchema{Have: 2, Support: 1}", err)
	}
	db.Close()
}

func TestFailedMigrationLeavesThePreviousVersion(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad := store.Schema{Package: "p", Migrations: []store.Migration{
		{Name: "one", SQL: `CREATE TABLE a (x INTEGER)`},
		{Name: "broken", SQL: `CREATE TABLE b (y INTEGER); THIS IS NOT SQL`},
	}}
	if err := db.Migrate(ctx, bad); err == nil {
		t.Fatal("Migrate(broken) = nil, want an error")
	}
	var v int
	if err := db.Read.QueryRow(`SELECT version FROM schema_version WHERE package = 'p'`).Scan(&v); err != nil || v != 1 {
		t.Fatalf("version after failed step = %d, %v; want 1", v, err)
	}
	var tables int
	if err := db.Read.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("table of the failed step exists (%d, %v): the step was not rolled back", tables, err)
	}
}

func TestPragmas(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "1"}, {"busy_timeout", "10000"},
	} {
		var got string
		if err := db.Read.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if _, err := db.Read.Exec(`CREATE TABLE nope (x)`); err == nil {
		t.Error("a write through the read pool succeeded; want it refused")
	}
}
