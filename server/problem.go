package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
)

// problem is an RFC 9457 problem detail.
type problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Errors []errkind.FieldError `json:"errors,omitempty"`
}

const problemType = "application/problem+json"

// badRequest is a malformed request: unreadable JSON, a bad cursor. Field problems with
// readable input are errkind.ValidationError instead.
type badRequest struct {
	detail string
	fields []errkind.FieldError
}

func (e *badRequest) Error() string { return e.detail }

func newBadRequest(detail string, fields ...errkind.FieldError) error {
	return &badRequest{detail: detail, fields: fields}
}

// handleError is the one place where errors become HTTP answers.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problem{Type: "about:blank"}
	var v *errkind.ValidationError
	var br *badRequest
	var he *echo.HTTPError
	switch {
	case errors.As(err, &v):
		p.Status, p.Title, p.Detail, p.Errors = http.StatusUnprocessableEntity, "Invalid input", "the request has invalid fields", v.Fields
	case errors.As(err, &br):
		p.Status, p.Title, p.Detail, p.Errors = http.StatusBadRequest, "Bad request", br.detail, br.fields
	case errors.Is(err, errkind.ErrUnauthenticated):
		p.Status, p.Title, p.Detail = http.StatusUnauthorized, "Authentication required", "sign in, or send a valid API token as 'Authorization: Bearer TOKEN'"
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="critreg"`)
	case errors.Is(err, errkind.ErrNotFound):
		p.Status, p.Title, p.Detail = http.StatusNotFound, "Not found", err.Error()
	case errors.Is(err, errkind.ErrForbidden):
		p.Status, p.Title, p.Detail = http.StatusForbidden, "Forbidden", err.Error()
	case errors.Is(err, errkind.ErrConflict):
		p.Status, p.Title, p.Detail = http.StatusConflict, "Conflict", err.Error()
	case errors.As(err, &he):
		p.Status, p.Title = he.Code, http.StatusText(he.Code)
		if he.Code == http.StatusNotFound {
			p.Title = "Not found"
		}
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			p.Detail = m
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			p.Detail = "the request body is larger than this server accepts"
		}
	default:
		// The cause stays in the log: it may name files, SQL or internals.
		s.log.WithError(err).WithField("path", c.Path()).Error("request failed")
		p.Status, p.Title, p.Detail = http.StatusInternalServerError, "Internal error", "the server could not complete the request; it has been logged"
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	if wantsHTML(c) {
		s.renderErrorPage(c, p, err)
		return
	}
	c.Response().Header().Set(echo.HeaderContentType, problemType)
	c.Response().WriteHeader(p.Status)
	_ = writeJSON(c.Response(), p)
}
