// Package storetest gives each test a fresh, migrated SQLite database file of its own.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // the SQLite driver, for tests

	"critreg/store"
)

// Open creates a database file in t.TempDir(), migrates it with the schemas given (in
// order: owners of referenced tables first) and closes it when the test ends.
func Open(t testing.TB, schemas ...store.Schema) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "critreg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background(), schemas...); err != nil {
		t.Fatal(err)
	}
	return db
}
