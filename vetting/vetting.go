package vetting

import (
	"time"

	"critreg/access"
	"critreg/errkind"
	"critreg/store"
)

// Vetting reads and writes the bureau's data.
type Vetting struct {
	db  *store.DB
	now func() time.Time
}

// New returns Vetting over db, which must be migrated with inventory.Schema and Schema.
func New(db *store.DB) *Vetting {
	return &Vetting{db: db, now: time.Now}
}

const (
	dateLayout = time.DateOnly
	timeFormat = time.RFC3339Nano
)

func (v *Vetting) stamp() string { return v.now().UTC().Format(timeFormat) }

// riga is where the rules' dates are counted. A missing zone database falls back to UTC
// rather than failing every evaluation.
func riga() *time.Location {
	if l, err := time.LoadLocation("Europe/Riga"); err == nil {
		return l
	}
	return time.UTC
}

// Day returns the Latvian calendar date of t as YYYY-MM-DD: the form every date of the
// rules and of this package's tables takes, so that dates compare as strings.
func Day(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.In(riga()).Format(dateLayout)
}

// ParseDay reads a YYYY-MM-DD date as the start of that day in Riga.
func ParseDay(s string) (time.Time, error) {
	return time.ParseInLocation(dateLayout, s, riga())
}

// bureau reports whether a may read the bureau's restricted data.
func bureau(a access.Actor) bool { return a.Is(access.RoleBureau, access.RoleAdmin) }

// needBureau refuses anyone but the bureau and admins.
func needBureau(a access.Actor) error {
	if !bureau(a) {
		return errkind.Forbidden("only the security bureau may do this")
	}
	return nil
}

// needBureauWrite refuses anyone but the bureau and admins with write access.
func needBureauWrite(a access.Actor) error {
	if !a.Writes(access.RoleBureau, access.RoleAdmin) {
		return errkind.Forbidden("only the security bureau (or an admin) changes vetting data")
	}
	return nil
}
