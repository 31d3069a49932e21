package server

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"critreg/account"
	"critreg/frontend"
)

// lang is the page language: ?lang= (remembered in a cookie), else the cookie, else Latvian.
func (s *Server) lang(c echo.Context) string {
	if l := c.QueryParam("lang"); l == "en" || l == "lv" {
		s.setCookie(c, langCookie, l, 365*24*3600)
		return l
	}
	if ck, err := c.Cookie(langCookie); err == nil && (ck.Value == "en" || ck.Value == "lv") {
		return ck.Value
	}
	return "lv"
}

// view builds what every page gets.
func (s *Server) view(c echo.Context, title, active string, data any) frontend.View {
	lang := s.lang(c)
	v := frontend.View{Lang: lang, Title: frontend.T(lang, title), Active: active, Data: data, Path: pathWithoutLang(c)}
	if ss, ok := c.Get(sessionKey).(account.Session); ok {
		a := actor(c)
		v.CSRF = ss.CSRF
		v.User = &frontend.Viewer{Login: a.Login, Role: string(a.Role)}
		if a.OperatorID != 0 {
			if o, err := s.inv.OperatorByID(c.Request().Context(), a, a.OperatorID); err == nil {
				v.User.Operator = o.Code
			}
		}
	} else {
		v.CSRF = s.preToken(c)
	}
	return v
}

func pathWithoutLang(c echo.Context) string {
	u := *c.Request().URL
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// render writes a page with status 200, or status given.
func (s *Server) render(c echo.Context, status int, name, title, active string, data any) error {
	var buf bytes.Buffer
	if err := s.pages.Render(&buf, name, s.view(c, title, active, data)); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

func (s *Server) page(c echo.Context, name, title, active string, data any) error {
	return s.render(c, http.StatusOK, name, title, active, data)
}
