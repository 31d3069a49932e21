package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Migration is one step of a package's schema. Steps are append-only: a released step is
// never edited, a later one changes what it made.
type Migration struct {
	Name string
	SQL  string
}

// Schema is the ordered list of migrations of one package that owns tables.
type Schema struct {
	// Package names the owner ("inventory", "vetting", …); its version is kept under it.
	Package    string
	Migrations []Migration
}

// ErrNewerSchema means the database was written by a newer critreg than this one.
type ErrNewerSchema struct {
	Package       string
	Have, Support int
}

func (e *ErrNewerSchema) Error() string {
	return fmt.Sprintf("database schema of %s is at version %d, this critreg knows %d: refusing to run on a newer schema",
		e.Package, e.Have, e.Support)
}

// Migrate brings every schema up to date, in the order given (owners of referenced tables
// first). Each step runs in its own transaction together with its version bump, so a failed
// step leaves the database at the step before. It refuses to touch a database whose schema
// is newer than this binary knows.
func (db *DB) Migrate(ctx context.Context, schemas ...Schema) error {
	if _, err := db.Write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		package TEXT PRIMARY KEY,
		version INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	for _, s := range schemas {
		have, err := db.version(ctx, s.Package)
		if err != nil {
			return err
		}
		if have > len(s.Migrations) {
			return &ErrNewerSchema{Package: s.Package, Have: have, Support: len(s.Migrations)}
		}
		for i := have; i < len(s.Migrations); i++ {
			m := s.Migrations[i]
			err := db.Tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (package, version) VALUES (?, ?)
					ON CONFLICT (package) DO UPDATE SET version = excluded.version`, s.Package, i+1)
				return err
			})
			if err != nil {
				return fmt.Errorf("migrate %s to %d (%s): %w", s.Package, i+1, m.Name, err)
			}
		}
	}
	return nil
}

// Version reports the schema version of a package, 0 when it has none yet.
func (db *DB) version(ctx context.Context, pkg string) (int, error) {
	var v int
	err := db.Write.QueryRowContext(ctx, `SELECT version FROM schema_version WHERE package = ?`, pkg).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", pkg, err)
	}
	return v, nil
}
