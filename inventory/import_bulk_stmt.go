package inventory

import (
	"context"
	"database/sql"
	"fmt"
)

// txStatements prepares each statement an import runs once per transaction. Running SQL
// text straight on a transaction parses and plans it again on every call, which cost an
// import of many rows more than the writes themselves.
type txStatements struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newTxStatements(tx *sql.Tx) *txStatements {
	return &txStatements{tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (q *txStatements) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := q.stmts[query]; ok {
		return st, nil
	}
	st, err := q.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	q.stmts[query] = st
	return st, nil
}

func (q *txStatements) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// queryRow runs a one-row query; a statement that does not prepare fails the same way run
// directly, and *sql.Row carries that error to Scan.
func (q *txStatements) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryRowContext and QueryContext make txStatements a querier, for the item rules that
// read within the transaction.
func (q *txStatements) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.queryRow(ctx, query, args...)
}

func (q *txStatements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// close releases the statements; the transaction's end would as well.
func (q *txStatements) close() {
	for _, st := range q.stmts {
		st.Close()
	}
}
