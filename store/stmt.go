package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared read statements by their SQL text. Preparing (parsing and
// planning) a many-join query costs about as much as running it, and the set of distinct
// queries is small (one per filter combination), so hot paths prepare each text once.
type stmtCache struct {
	m sync.Map // string → *sql.Stmt
}

// Query runs a read query through a cached prepared statement.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRow runs a one-row read query through a cached prepared statement.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		// A statement that does not prepare fails the same way when run directly, and
		// *sql.Row carries the error to Scan.
		return db.Read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.m.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.Read.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if prev, loaded := db.stmts.m.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}
