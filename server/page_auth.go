package server

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"crypto/rand"

	"github.com/labstack/echo/v4"

	"critreg/account"
	"critreg/errkind"
	"critreg/frontend"
)

// pendingLogins holds sign-ins that passed the password step and wait for the second
// factor. They live in memory for five minutes: a restart only asks for the password again.
type pendingLogins struct {
	mu sync.Mutex
	m  map[string]pendingLogin
}

type pendingLogin struct {
	user    account.User
	next    string
	expires time.Time
}

const pendingCookie = "critreg_2fa"

func newPendingLogins() *pendingLogins { return &pendingLogins{m: map[string]pendingLogin{}} }

func (p *pendingLogins) add(u account.User, next string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	for k, v := range p.m {
		if now.After(v.expires) {
			delete(p.m, k)
		}
	}
	t := rand.Text()
	p.m[t] = pendingLogin{user: u, next: next, expires: now.Add(5 * time.Minute)}
	return t
}

func (p *pendingLogins) get(t string) (pendingLogin, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.m[t]
	if !ok || time.Now().After(v.expires) {
		delete(p.m, t)
		return pendingLogin{}, false
	}
	return v, true
}

func (p *pendingLogins) drop(t string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, t)
}

type loginData struct {
	Login, Next, Error string
}

// safeNext keeps a redirect after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginForm(c echo.Context) error {
	d := loginData{Next: safeNext(c.QueryParam("next"))}
	if c.QueryParam("expired") != "" {
		d.Error = "login.expired"
	}
	return s.page(c, "login", "login.title", "", localize(s.lang(c), d))
}

func localize(lang string, d loginData) loginData {
	if d.Error != "" && strings.HasPrefix(d.Error, "login.") {
		d.Error = tr(lang, d.Error)
	}
	return d
}

func (s *Server) login(c echo.Context) error {
	if err := s.checkPreToken(c); err != nil {
		return err
	}
	login, next := strings.TrimSpace(c.FormValue("login")), safeNext(c.FormValue("next"))
	u, err := s.accounts.Login(c.Request().Context(), login, c.FormValue("password"), c.RealIP(), "web")
	if err != nil {
		if !errors.Is(err, errkind.ErrUnauthenticated) {
			return err
		}
		msg := tr(s.lang(c), "login.failed")
		var locked *account.LockedError
		if errors.As(err, &locked) {
			msg = s.pageProblem(c, "too many failed sign-ins: try again after %s UTC", locked.Until.UTC().Format("15:04:05"))
		}
		return s.render(c, http.StatusUnauthorized, "login", "login.title", "", loginData{Login: login, Next: next, Error: msg})
	}
	if account.NeedsSecondFactor(u) {
		s.setCookie(c, pendingCookie, s.pending.add(u, next), 300)
		return c.Redirect(http.StatusSeeOther, "/login/second-factor")
	}
	return s.startSession(c, u, next)
}

// startSession signs the browser in; a session it had before ends, so the session id
// changes at every sign-in.
func (s *Server) startSession(c echo.Context, u account.User, next string) error {
	prev := ""
	if ck, err := c.Cookie(sessionCookie); err == nil {
		prev = ck.Value
	}
	secret, _, err := s.accounts.StartSession(c.Request().Context(), u, c.RealIP(), c.Request().UserAgent(), prev)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, int(account.SessionLifetime/time.Second))
	s.clearCookie(c, pendingCookie)
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.accounts.EndSession(c.Request().Context(), actor(c), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect(http.StatusSeeOther, "/login")
}

type secondFactorData struct {
	Enrol    bool
	URI      string
	QR       template.URL
	Recovery []string
	Error    string
}

func (s *Server) pendingLogin(c echo.Context) (pendingLogin, string, bool) {
	ck, err := c.Cookie(pendingCookie)
	if err != nil {
		return pendingLogin{}, "", false
	}
	p, ok := s.pending.get(ck.Value)
	return p, ck.Value, ok
}

// secondFactorForm asks for the TOTP code, or enrols a user whose role requires a second
// factor and who has none yet.
func (s *Server) secondFactorForm(c echo.Context) error {
	p, _, ok := s.pendingLogin(c)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	d := secondFactorData{Enrol: !p.user.SecondFactor}
	if d.Enrol {
		uri, png, err := s.accounts.EnrolTOTP(c.Request().Context(), p.user.Actor(c.RealIP(), "web"))
		if err != nil {
			return err
		}
		d.URI, d.QR = uri, dataURL(png)
	}
	return s.page(c, "second_factor", "login.title", "", d)
}

func (s *Server) secondFactor(c echo.Context) error {
	if err := s.checkPreToken(c); err != nil {
		return err
	}
	p, token, ok := s.pendingLogin(c)
	if !ok {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	ctx, code := c.Request().Context(), strings.TrimSpace(c.FormValue("code"))
	if !p.user.SecondFactor {
		codes, err := s.accounts.ConfirmTOTP(ctx, p.user.Actor(c.RealIP(), "web"), code)
		if err != nil {
			// The form has the code as its only field: its problem is said without the name.
			msg := s.errorText(c, err)
			if v := new(errkind.ValidationError); errors.As(err, &v) && len(v.Fields) == 1 {
				msg = s.fieldText(c, v.Fields[0])
			}
			return s.render(c, http.StatusUnprocessableEntity, "second_factor", "login.title", "", secondFactorData{Enrol: true, URI: c.FormValue("uri"), Error: msg})
		}
		s.pending.drop(token)
		if err := s.startSessionNoRedirect(c, p.user); err != nil {
			return err
		}
		// The recovery codes are shown once, now.
		return s.page(c, "second_factor", "login.title", "", secondFactorData{Recovery: codes, URI: p.next})
	}
	if err := s.accounts.VerifySecondFactor(ctx, p.user.ID, code, c.RealIP()); err != nil {
		if !errors.Is(err, errkind.ErrUnauthenticated) {
			return err
		}
		return s.render(c, http.StatusUnauthorized, "second_factor", "login.title", "", secondFactorData{Error: tr(s.lang(c), "login.failed")})
	}
	s.pending.drop(token)
	return s.startSession(c, p.user, p.next)
}

func (s *Server) startSessionNoRedirect(c echo.Context, u account.User) error {
	secret, ss, err := s.accounts.StartSession(c.Request().Context(), u, c.RealIP(), c.Request().UserAgent(), "")
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, int(account.SessionLifetime/time.Second))
	s.clearCookie(c, pendingCookie)
	c.Set(sessionKey, ss)
	c.Set(actorKey, u.Actor(c.RealIP(), "web"))
	return nil
}

// dataURL inlines a PNG made by critreg (the enrolment QR code); the page's
// Content-Security-Policy allows data: images and nothing else inline.
func dataURL(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

func tr(lang, key string) string { return frontend.T(lang, key) }
