package notice

import (
	"testing"
	"time"
)

func TestEarliestStart(t *testing.T) {
	tests := []struct {
		name      string
		submitted string // instant, RFC 3339
		want      string
	}{
		{"mid-month", "2026-06-15T09:00:00Z", "2026-07-15"},
		{"31 January in a common year", "2027-01-31T10:00:00Z", "2027-02-28"},
		{"31 January in a leap year", "2028-01-31T10:00:00Z", "2028-02-29"},
		{"29 January in a leap year", "2028-01-29T10:00:00Z", "2028-02-29"},
		{"29 January in a common year", "2027-01-29T10:00:00Z", "2027-02-28"},
		{"30 January, 2100 is not a leap year", "2100-01-30T10:00:00Z", "2100-02-28"},
		{"31 January, 2000 was a leap year", "2000-01-31T10:00:00Z", "2000-02-29"},
		{"29 February of a leap year", "2028-02-29T10:00:00Z", "2028-03-29"},
		{"31 May", "2026-05-31T10:00:00Z", "2026-06-30"},
		{"31 August", "2026-08-31T10:00:00Z", "2026-09-30"},
		{"31 October", "2026-10-31T10:00:00Z", "2026-11-30"},
		{"30 November", "2026-11-30T10:00:00Z", "2026-12-30"},
		{"December rolls into January", "2026-12-15T10:00:00Z", "2027-01-15"},
		{"23:30 UTC on 31 March is 1 April in Riga", "2026-03-31T23:30:00Z", "2026-05-01"},
		{"summer: last minute of 31 March in Riga", "2027-03-31T20:59:00Z", "2027-04-30"},
		{"summer: first minute of 1 April in Riga", "2027-03-31T21:00:00Z", "2027-05-01"},
		{"winter: last minute of the year in Riga", "2026-12-31T21:59:00Z", "2027-01-31"},
		{"winter: 22:00 UTC on 31 December is New Year in Riga", "2026-12-31T22:00:00Z", "2027-02-01"},
		{"winter: 22:30 UTC on 31 January is 1 February in Riga", "2027-01-31T22:30:00Z", "2027-03-01"},
		// Summer time starts on 29 March 2026 at 01:00 UTC (03:00 EET becomes 04:00 EEST).
		{"spring change: the evening before, Riga", "2026-03-28T21:59:00Z", "2026-04-28"},
		{"spring change: midnight in Riga, still winter time", "2026-03-28T22:00:00Z", "2026-04-29"},
		{"spring change: the minute before the clocks jump", "2026-03-29T00:59:00Z", "2026-04-29"},
		{"spring change: the minute after", "2026-03-29T01:00:00Z", "2026-04-29"},
		{"spring change: last minute of the day, summer time", "2026-03-29T20:59:00Z", "2026-04-29"},
		{"spring change: next midnight is at 21:00 UTC", "2026-03-29T21:00:00Z", "2026-04-30"},
		// Summer time ends on 25 October 2026 at 01:00 UTC (04:00 EEST becomes 03:00 EET).
		{"autumn change: midnight in Riga is at 21:00 UTC", "2026-10-24T21:00:00Z", "2026-11-25"},
		{"autumn change: the minute before", "2026-10-24T20:59:00Z", "2026-11-24"},
		{"autumn change: 21:30 UTC is still 25 October in winter time", "2026-10-25T21:30:00Z", "2026-11-25"},
		{"autumn change: next midnight is at 22:00 UTC", "2026-10-25T22:00:00Z", "2026-11-26"},
		{"an instant given in another zone", "2026-01-31T23:30:00-05:00", "2026-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.submitted)
			if err != nil {
				t.Fatal(err)
			}
			if got := EarliestStart(at); got != tt.want {
				t.Errorf("EarliestStart(%s) = %s, want %s (Riga date %s)", tt.submitted, got, tt.want, RigaDate(at))
			}
		})
	}
}

func TestDaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-03-28", "2026-03-30", 2}, // across the spring clock change
		{"2026-10-24", "2026-10-26", 2}, // across the autumn one
		{"2026-12-30", "2027-01-02", 3},
		{"2026-05-10", "2026-05-03", -7},
	}
	for _, tt := range tests {
		if got := daysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("daysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
