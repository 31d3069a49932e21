package vetting

import (
	"database/sql"

	"critreg/inventory"
	"critreg/store"
)

func pageLimit(p inventory.Page) int {
	switch {
	case p.Limit <= 0:
		return inventory.DefaultLimit
	case p.Limit > inventory.MaxLimit:
		return inventory.MaxLimit
	}
	return p.Limit
}

// trimPage cuts a result fetched with one row more than asked and returns the id to
// continue after, 0 at the end.
func trimPage[T any](rows []T, limit int, id func(T) int64) ([]T, int64) {
	if len(rows) <= limit {
		return rows, 0
	}
	rows = rows[:limit]
	return rows, id(rows[limit-1])
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func isUnique(err error) bool     { return store.IsUniqueViolation(err) }
func isForeignKey(err error) bool { return store.IsForeignKeyViolation(err) }

// nullFloat reads a REAL column that may be NULL.
type nullFloat = sql.NullFloat64
