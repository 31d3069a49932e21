package server

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/errkind"
	"critreg/frontend"
)

const (
	sessionCookie = "critreg_session"
	// preCookie carries the CSRF token of forms shown before sign-in (double submit).
	preCookie  = "critreg_pre"
	langCookie = "critreg_lang"
	sessionKey = "critreg.session"
	expiredKey = "critreg.expired"
)

// sessionActor returns the actor of the request's web session, if it has one. Unsafe
// requests must carry the session's CSRF token, as a form field or an X-CSRF-Token header.
func (s *Server) sessionActor(c echo.Context) (access.Actor, bool, error) {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return access.Actor{}, false, nil
	}
	a, ss, err := s.accounts.SessionActor(c.Request().Context(), ck.Value, c.RealIP())
	if errors.Is(err, errkind.ErrUnauthenticated) {
		s.clearCookie(c, sessionCookie)
		if errors.Is(err, account.ErrSessionExpired) {
			// Answered by renderErrorPage with the sign-in page saying why.
			c.Set(expiredKey, true)
			return access.Actor{}, false, err
		}
		return access.Actor{}, false, nil
	}
	if err != nil {
		return access.Actor{}, false, err
	}
	if unsafeMethod(c.Request().Method) {
		token := c.Request().Header.Get("X-CSRF-Token")
		if token == "" {
			token = c.FormValue("csrf")
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(ss.CSRF)) != 1 {
			return access.Actor{}, false, errkind.Forbidden("the form is missing its security token or it has expired: reload the page and try again")
		}
	}
	c.Set(sessionKey, ss)
	return a, true, nil
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func (s *Server) setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: c.IsTLS(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(c echo.Context, name string) { s.setCookie(c, name, "", -1) }

// preToken returns the double-submit CSRF token of a browser without a session, setting
// its cookie when there is none yet.
func (s *Server) preToken(c echo.Context) string {
	if ck, err := c.Cookie(preCookie); err == nil && len(ck.Value) >= 20 {
		return ck.Value
	}
	t := rand.Text()
	s.setCookie(c, preCookie, t, 3600)
	return t
}

func (s *Server) checkPreToken(c echo.Context) error {
	ck, err := c.Cookie(preCookie)
	if err != nil || len(ck.Value) < 20 || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.FormValue("csrf"))) != 1 {
		return errkind.Forbidden("the form is missing its security token or it has expired: reload the page and try again")
	}
	return nil
}

// wantsHTML reports whether the client is a browser asking for a page rather than a
// program asking for JSON.
func wantsHTML(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || c.Request().URL.Path == "/healthz" {
		return false
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}

// renderErrorPage shows an error as a page in the site's layout, in the page's language:
// the title by status and the reason from the error catalog where err keeps its format.
func (s *Server) renderErrorPage(c echo.Context, p problem, err error) {
	if expired, _ := c.Get(expiredKey).(bool); expired && p.Status == http.StatusUnauthorized {
		next := ""
		if c.Request().Method == http.MethodGet {
			next = "&next=" + urlQueryEscape(c.Request().URL.RequestURI())
		}
		c.Response().Header().Del("WWW-Authenticate")
		_ = c.Redirect(http.StatusSeeOther, "/login?expired=1"+next)
		return
	}
	lang := s.lang(c)
	detail := p.Detail
	switch {
	case len(p.Errors) > 0:
		var parts []string
		for _, f := range p.Errors {
			parts = append(parts, f.Field+": "+frontend.FieldErrorText(lang, f))
		}
		detail = strings.Join(parts, "; ")
	case errors.As(err, new(*errkind.KindError)):
		detail = frontend.ErrorText(lang, err)
	}
	title := p.Title
	if key := fmt.Sprintf("error.status.%d", p.Status); frontend.T("en", key) != key {
		title = key
		// The router's own answers (no such page) say no more than their status.
		if he := new(echo.HTTPError); errors.As(err, &he) && detail == http.StatusText(p.Status) {
			detail = frontend.T(lang, key)
		}
	}
	v := s.view(c, title, "", map[string]any{"Detail": detail})
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(p.Status)
	if err := s.pages.Render(c.Response(), "error", v); err != nil {
		s.log.WithError(err).Error("render error page")
	}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// errorText is err as a page in the request's language says it (frontend.ErrorText).
func (s *Server) errorText(c echo.Context, err error) string {
	return frontend.ErrorText(s.lang(c), err)
}

// fieldText is one field's problem in the request's language.
func (s *Server) fieldText(c echo.Context, f errkind.FieldError) string {
	return frontend.FieldErrorText(s.lang(c), f)
}

// pageProblem is a problem a page finds itself, before the domain is asked, in the
// request's language; format is English and in the error catalog like the domain's.
func (s *Server) pageProblem(c echo.Context, format string, a ...any) string {
	return s.fieldText(c, errkind.FieldError{Message: fmt.Sprintf(format, a...), Format: format, Args: a})
}
