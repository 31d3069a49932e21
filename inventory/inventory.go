// Package inventory keeps what operators declare: their networks, the critical parts in them
// (annex 6, and parts declared critical by the operator, 63.1), the annex-7 items of
// equipment, software and outsourcing in those parts, and the supplier register shared by
// all operators. It also holds the exemption rules of 63.3 and the Excel import and export.
//
// Every function that reads or writes takes the caller's access.Actor, and every query is
// scoped by it: an operator's users reach their own operator's data and nothing else, and
// what they may not see is reported as not found.
package inventory

import (
	"time"

	"critreg/store"
)

// Store reads and writes the inventory.
type Store struct {
	db  *store.DB
	now func() time.Time
}

// NewStore returns a Store over db, which must be migrated with Schema.
func NewStore(db *store.DB) *Store {
	return &Store{db: db, now: time.Now}
}

// DB returns the database the store works on, for packages that join its tables.
func (s *Store) DB() *store.DB { return s.db }

const timeFormat = time.RFC3339Nano

func (s *Store) stamp() string { return s.now().UTC().Format(timeFormat) }

func parseTime(v string) time.Time {
	t, _ := time.Parse(timeFormat, v)
	return t
}

// Page asks for one page of a list in id order: the rows after After, at most Limit.
type Page struct {
	After int64
	Limit int
}

// DefaultLimit and MaxLimit bound the size of a page.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// trimPage cuts a result fetched with one row more than asked and returns the id to continue
// after, 0 at the end.
func trimPage[T any](rows []T, limit int, id func(T) int64) ([]T, int64) {
	if len(rows) <= limit {
		return rows, 0
	}
	rows = rows[:limit]
	return rows, id(rows[limit-1])
}
