// Package store opens critreg's SQLite database and runs the schema migrations of the
// packages that own its tables. It is the one place that knows SQLite's pragmas: a move to
// another database touches this package and the few SQLite-only statements kept beside it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
)

// DB is critreg's database: one connection that writes and a pool that only reads.
//
// SQLite allows one writer at a time. Funnelling every write through a single connection
// makes writers queue in Go instead of failing with "database is locked", while WAL lets the
// readers go on beside it.
type DB struct {
	// Write is the only connection that changes data. Use it through Tx.
	Write *sql.DB
	// Read is a pool of read-only connections.
	Read *sql.DB
	// Path is the database file.
	Path string

	stmts stmtCache
	// writers queues write transactions in Go. database/sql hands a freed connection to a
	// random waiter, which under load left some writes waiting for seconds; a sync.Mutex
	// passes itself on in arrival order once waiters queue up (its starvation mode).
	writers sync.Mutex
	// checkpoints moves the write-ahead log into the database file in the background.
	checkpoints *checkpointer
}

// dsn builds the connection string. Every pragma is set per connection, so it lives here.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	// busy_timeout first: a reader that meets a checkpoint, or a second process (a CLI
	// command beside a running server), waits up to 10 s instead of failing at once.
	q.Add("_pragma", "busy_timeout(10000)")
	// WAL lets readers proceed while the writer commits, and makes a commit one append.
	q.Add("_pragma", "journal_mode(WAL)")
	// NORMAL in WAL mode is crash-safe (a power cut may lose the last commits, never
	// corrupt the file) and avoids an fsync per transaction.
	q.Add("_pragma", "synchronous(NORMAL)")
	// SQLite leaves foreign keys off unless asked, per connection.
	q.Add("_pragma", "foreign_keys(ON)")
	// Reads through a memory map skip a read() call per page, and a 16 MB page cache per
	// connection keeps the hot part of the items table and its indexes decoded in memory:
	// together they raised list throughput by about a quarter under concurrent load.
	q.Add("_pragma", "mmap_size(268435456)")
	q.Add("_pragma", "cache_size(-16000)")
	if readOnly {
		// A read connection that tries to write is a bug: make it fail loudly.
		q.Add("_pragma", "query_only(1)")
	} else {
		// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so two
		// writers never deadlock upgrading read locks half-way through.
		q.Set("_txlock", "immediate")
		// The checkpoint runs in the background (see checkpointer), not inside a commit.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		// A multi-row INSERT keeps a statement journal so that a failing row undoes only
		// its statement; past 64 KB SQLite moves it to a temporary file, and the import's
		// 250-row inserts then spent a tenth of their time in write() calls. In memory it
		// is a few hundred KB at most and is freed when the statement ends.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Open opens (creating if needed) the database file at path. It does not migrate.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: no file given")
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	c, err := startCheckpointer(path)
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &DB{Write: w, Read: r, Path: path, checkpoints: c}, nil
}

// Close closes both pools and the checkpoint connection. The last connection to close
// copies what is left of the log into the database file.
func (db *DB) Close() error {
	db.stmts.m.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return errors.Join(db.checkpoints.close(), db.Read.Close(), db.Write.Close())
}

// Tx runs fn in one write transaction and commits it when fn returns nil. Everything a
// change consists of, its audit record included, goes through one call.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	db.writers.Lock()
	defer db.writers.Unlock()
	tx, err := db.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
