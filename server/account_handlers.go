package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/errkind"
)

type (
	user        = account.User
	userIn      = account.UserInput
	token       = account.Token
	auditRecord = audit.Record
)

type me struct {
	Login    string      `json:"login"`
	Role     access.Role `json:"role"`
	Operator string      `json:"operator,omitempty"`
	ReadOnly bool        `json:"read_only"`
}

type tokenIn struct {
	Name  string        `json:"name"`
	Scope account.Scope `json:"scope"`
	// ExpiresInDays: 0 for a token without expiry.
	ExpiresInDays int `json:"expires_in_days"`
}

type newToken struct {
	Token account.Token `json:"token"`
	// Secret is shown this once; critreg keeps only its digest.
	Secret string `json:"secret"`
}

func (s *Server) me(c echo.Context) error {
	a := actor(c)
	out := me{Login: a.Login, Role: a.Role, ReadOnly: a.ReadOnly}
	if a.OperatorID != 0 {
		if o, err := s.inv.OperatorByID(c.Request().Context(), a, a.OperatorID); err == nil {
			out.Operator = o.Code
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) listAudit(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	recs, err := audit.List(c.Request().Context(), s.db.Read, actor(c), audit.Filter{
		ObjectType: c.QueryParam("object_type"), ObjectID: c.QueryParam("object_id"), Action: c.QueryParam("action"),
		Before: p.After, Limit: p.Limit + 1,
	})
	if err != nil {
		return err
	}
	var next int64
	if len(recs) > p.Limit {
		recs = recs[:p.Limit]
		next = recs[len(recs)-1].ID
	}
	return c.JSON(http.StatusOK, newList(recs, next))
}

func (s *Server) listUsers(c echo.Context) error {
	us, err := s.accounts.Users(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(us, 0))
}

func (s *Server) createUser(c echo.Context) error {
	var in userIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.AddUser(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.accounts.Tokens(c.Request().Context(), actor(c), c.Param("login"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ts, 0))
}

func (s *Server) createToken(c echo.Context) error {
	var in tokenIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	if in.ExpiresInDays < 0 || in.ExpiresInDays > 3660 {
		return errkind.Invalid("expires_in_days", "must be from 0 to 3660")
	}
	if in.Scope == "" {
		in.Scope = account.ScopeRead
	}
	t, secret, err := s.accounts.CreateToken(c.Request().Context(), actor(c), c.Param("login"), in.Name, in.Scope, time.Duration(in.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, newToken{Token: t, Secret: secret})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errkind.NotFound("token", c.Param("id"))
	}
	if err := s.accounts.RevokeToken(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
