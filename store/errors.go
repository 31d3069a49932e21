package store

import "strings"

// IsUniqueViolation reports whether err is SQLite refusing a duplicate key. Kept here with
// the other SQLite-only knowledge.
func IsUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsForeignKeyViolation reports whether err is SQLite refusing a dangling reference.
func IsForeignKeyViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
