package account

import "time"

// SetClockForTest makes an Accounts read the time from now, so that tests can step through
// lockouts and TOTP periods.
func SetClockForTest(s *Accounts, now func() time.Time) { s.now = now }
