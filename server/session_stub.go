package server

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/access"
)

// sessionActor returns the actor of the request's web session, if it has one.
func (s *Server) sessionActor(c echo.Context) (access.Actor, bool, error) {
	return access.Actor{}, false, nil
}

// wantsHTML reports whether the client is a browser asking for a page rather than a
// program asking for JSON.
func wantsHTML(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return false
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}

func (s *Server) renderErrorPage(c echo.Context, p problem) {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextPlainCharsetUTF8)
	c.Response().WriteHeader(p.Status)
	_, _ = c.Response().Write([]byte(p.Title + ": " + p.Detail + "\n"))
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
