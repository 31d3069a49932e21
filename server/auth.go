package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/errkind"
)

const actorKey = "critreg.actor"
const scopeKey = "critreg.scope"

// authenticate finds who is calling: an API token in the Authorization header, or a web
// session. Without either the request ends with 401.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip := c.RealIP()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return errkind.ErrUnauthenticated
			}
			a, scope, err := s.accounts.Authenticate(c.Request().Context(), strings.TrimSpace(secret), ip, "api")
			if err != nil {
				return err
			}
			if scope == account.ScopeDiscovery && !strings.HasPrefix(c.Path(), "/api/v1/discovery/") {
				return errkind.NotFound("resource", c.Path())
			}
			c.Set(actorKey, a)
			c.Set(scopeKey, scope)
			return next(c)
		}
		if a, ok, err := s.sessionActor(c); err != nil {
			return err
		} else if ok {
			c.Set(actorKey, a)
			return next(c)
		}
		if wantsHTML(c) {
			return c.Redirect(303, "/login?next="+urlQueryEscape(c.Request().URL.RequestURI()))
		}
		return errkind.ErrUnauthenticated
	}
}

// actor returns the authenticated caller.
func actor(c echo.Context) access.Actor {
	a, _ := c.Get(actorKey).(access.Actor)
	return a
}

// tokenScope returns the scope of the token the request came with ("" for a session).
func tokenScope(c echo.Context) account.Scope {
	s, _ := c.Get(scopeKey).(account.Scope)
	return s
}
