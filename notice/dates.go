package notice

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Riga even on a machine without a zoneinfo database
)

// riga is Latvia's time zone, loaded once. Notice periods count Latvian dates.
var riga = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		// time/tzdata is linked in, so this cannot fail short of a broken build.
		panic(fmt.Sprintf("load Europe/Riga: %v", err))
	}
	return loc
})

// Riga returns the Europe/Riga time zone.
func Riga() *time.Location { return riga() }

// dateLayout is how dates are written: YYYY-MM-DD.
const dateLayout = time.DateOnly

// RigaDate returns the Latvian calendar date of an instant, as YYYY-MM-DD.
func RigaDate(t time.Time) string { return t.In(riga()).Format(dateLayout) }

// EarliestStart is the first day a change notified at instant submitted may start (63.3):
// the submission's date in Riga plus one calendar month, the same day number in the next
// month, or that month's last day where it has no such day (a notice of 31 January allows
// 28 February, or 29 February in a leap year).
func EarliestStart(submitted time.Time) string {
	y, m, d := submitted.In(riga()).Date()
	first := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC).Format(dateLayout)
}

// parseDate checks a YYYY-MM-DD date.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// daysBetween counts calendar days from date a to date b (both YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, _ := parseDate(a)
	tb, _ := parseDate(b)
	return int(tb.Sub(ta).Hours() / 24)
}
