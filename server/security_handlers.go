package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
)

const ndjsonType = "application/x-ndjson"

type totpEnrolment struct {
	// URI is the otpauth URI, for authenticator apps that take it as text.
	URI string `json:"uri"`
	// QR is the URI as a QR code, a data: URL of a PNG image.
	QR string `json:"qr"`
}

type totpCode struct {
	Code string `json:"code"`
}

type recoveryCodes struct {
	// RecoveryCodes are shown this once; each signs in once in place of a TOTP code.
	RecoveryCodes []string `json:"recovery_codes"`
}

func (s *Server) suspendUser(c echo.Context) error {
	u, err := s.accounts.Suspend(c.Request().Context(), actor(c), c.Param("login"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) unsuspendUser(c echo.Context) error {
	u, err := s.accounts.Unsuspend(c.Request().Context(), actor(c), c.Param("login"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) resetTOTP(c echo.Context) error {
	if err := s.accounts.ResetSecondFactor(c.Request().Context(), actor(c), c.Param("login")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ownAccountChange refuses read-only tokens for changes to the caller's own account.
func ownAccountChange(c echo.Context) (access.Actor, error) {
	a := actor(c)
	if a.ReadOnly {
		return a, errkind.Forbidden("a read-only token cannot change the account")
	}
	return a, nil
}

func (s *Server) enrolTOTP(c echo.Context) error {
	a, err := ownAccountChange(c)
	if err != nil {
		return err
	}
	uri, png, err := s.accounts.EnrolTOTP(c.Request().Context(), a)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, totpEnrolment{URI: uri, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

func (s *Server) confirmTOTP(c echo.Context) error {
	a, err := ownAccountChange(c)
	if err != nil {
		return err
	}
	var in totpCode
	if err := s.bind(c, &in); err != nil {
		return err
	}
	codes, err := s.accounts.ConfirmTOTP(c.Request().Context(), a, in.Code)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, recoveryCodes{RecoveryCodes: codes})
}

// exportAudit streams the trail as JSON lines. The export is itself recorded first, so the
// copy handed out names who took it.
func (s *Server) exportAudit(c echo.Context) error {
	a := actor(c)
	if !a.SeesAll() {
		return errkind.Forbidden("only the bureau and admins export the audit trail")
	}
	ctx := c.Request().Context()
	if err := audit.Write(ctx, s.db, a, audit.Entry{Action: "audit.export", ObjectType: "audit", ObjectID: ""}); err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, ndjsonType)
	w.Header().Set("Content-Disposition", `attachment; filename="critreg-audit.jsonl"`)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	// Once the status is sent an error can only cut the stream short; the client sees a
	// last line that does not parse, and the cause is logged.
	if err := audit.Each(ctx, s.db.Read, func(r audit.Record) error { return enc.Encode(r) }); err != nil {
		s.log.WithError(err).Error("audit export cut short")
	}
	return nil
}

type retention struct {
	Months int `json:"months"`
}

type pruned struct {
	Deleted int64 `json:"deleted"`
}

func (s *Server) getRetention(c echo.Context) error {
	if !actor(c).SeesAll() {
		return errkind.Forbidden("only the bureau and admins read the audit retention")
	}
	m, err := audit.Retention(c.Request().Context(), s.db.Read)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, retention{Months: m})
}

func (s *Server) setRetention(c echo.Context) error {
	var in retention
	if err := s.bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := audit.SetRetention(ctx, s.db, actor(c), in.Months); err != nil {
		return err
	}
	m, err := audit.Retention(ctx, s.db.Read)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, retention{Months: m})
}

func (s *Server) pruneAudit(c echo.Context) error {
	if !actor(c).Writes(access.RoleAdmin) {
		return errkind.Forbidden("only an admin prunes the audit trail")
	}
	n, err := audit.Prune(c.Request().Context(), s.db, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pruned{Deleted: n})
}
