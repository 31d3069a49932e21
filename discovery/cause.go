package discovery

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/gosnmp/gosnmp"
)

// Cause says why a host did not yield a device, for progress counts and for the person
// reading a run: a timeout means nobody answered (or the community was wrong, which v2c
// agents cannot tell apart), an auth failure means someone answered and refused us.
type Cause string

// Causes of a failed host.
const (
	CauseTimeout   Cause = "timeout"
	CauseAuth      Cause = "auth"
	CauseRefused   Cause = "refused"
	CauseMalformed Cause = "malformed"
	CauseCancelled Cause = "cancelled"
	CauseOther     Cause = "error"
)

// classify maps a gosnmp or network error to a Cause. gosnmp wraps some errors with %v, so
// after the typed checks the message is consulted too.
func classify(err error) Cause {
	if err == nil {
		return ""
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return CauseCancelled
	case errors.Is(err, context.DeadlineExceeded):
		return CauseTimeout
	case errors.Is(err, gosnmp.ErrWrongDigest), errors.Is(err, gosnmp.ErrUnknownUsername),
		errors.Is(err, gosnmp.ErrUnknownSecurityLevel), errors.Is(err, gosnmp.ErrDecryption),
		errors.Is(err, gosnmp.ErrNotInTimeWindow):
		return CauseAuth
	case errors.Is(err, syscall.ECONNREFUSED):
		return CauseRefused
	case errors.Is(err, errMalformed):
		return CauseMalformed
	case errors.As(err, &ne) && ne.Timeout():
		return CauseTimeout
	}
	m := strings.ToLower(err.Error())
	switch {
	case strings.Contains(m, "not authentic"), strings.Contains(m, "authentication"),
		strings.Contains(m, "unknown username"), strings.Contains(m, "wrong digest"),
		strings.Contains(m, "decrypt"):
		return CauseAuth
	case strings.Contains(m, "connection refused"):
		return CauseRefused
	case strings.Contains(m, "timeout"), strings.Contains(m, "i/o timeout"):
		return CauseTimeout
	case strings.Contains(m, "decode"), strings.Contains(m, "unmarshal"), strings.Contains(m, "parse"),
		strings.Contains(m, "truncat"), strings.Contains(m, "sanity"), strings.Contains(m, "invalid"), strings.Contains(m, "recover"),
		strings.Contains(m, "length"), strings.Contains(m, "empty result"):
		return CauseMalformed
	}
	return CauseOther
}

// errMalformed marks answers that parse but make no sense (non-increasing OIDs, a varbind
// count that does not match the request).
var errMalformed = errors.New("malformed response")
