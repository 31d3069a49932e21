package server

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/errkind"
	"critreg/inventory"
)

type networkRow struct {
	inventory.Network
	Parts int
	Items int
}

type networksData struct {
	Networks  []networkRow
	NextQuery string
}

// networksPage lists the networks the user sees with how many critical parts and items
// each holds; a network links to its inventory.
func (s *Server) networksPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	p, err := page(c)
	if err != nil {
		return err
	}
	ns, next, err := s.inv.Networks(ctx, a, inventory.NetworkFilter{Operator: c.QueryParam("operator")}, p)
	if err != nil {
		return err
	}
	parts, err := s.inv.Summary(ctx, a)
	if err != nil {
		return err
	}
	type count struct{ parts, items int }
	counts := map[int64]count{}
	for _, ps := range parts {
		k := counts[ps.NetworkID]
		k.parts++
		k.items += ps.Items
		counts[ps.NetworkID] = k
	}
	d := networksData{}
	for _, n := range ns {
		k := counts[n.ID]
		d.Networks = append(d.Networks, networkRow{Network: n, Parts: k.parts, Items: k.items})
	}
	if next != 0 {
		d.NextQuery = "?cursor=" + encodeCursor(next)
	}
	return s.page(c, "networks", "networks.title", "networks", d)
}

type tokenForm struct {
	Name  string
	Scope account.Scope
	Days  string
}

type tokensData struct {
	Login  string
	Logins []string
	Tokens []account.Token
	Scopes []account.Scope
	Form   tokenForm
	Errors map[string]string
	// Secret is a token just made: shown on this one answer and never again.
	Secret string
}

// tokensPage lists a user's API tokens: admins choose the user, everyone else sees their own.
func (s *Server) tokensPage(c echo.Context) error {
	return s.tokens(c, http.StatusOK, tokensData{Login: c.QueryParam("login"), Form: tokenForm{Scope: account.ScopeRead, Days: "90"}, Errors: map[string]string{}})
}

func (s *Server) tokens(c echo.Context, status int, d tokensData) error {
	ctx, a := c.Request().Context(), actor(c)
	if d.Login == "" || !a.Is(access.RoleAdmin) {
		d.Login = a.Login
	}
	ts, err := s.accounts.Tokens(ctx, a, d.Login)
	if err != nil {
		return err
	}
	d.Tokens = ts
	d.Scopes = []account.Scope{account.ScopeRead, account.ScopeWrite, account.ScopeDiscovery}
	if a.Is(access.RoleAdmin) {
		us, err := s.accounts.Users(ctx, a)
		if err != nil {
			return err
		}
		for _, u := range us {
			d.Logins = append(d.Logins, u.Login)
		}
		sort.Strings(d.Logins)
	}
	// A page showing a secret must not be kept by the browser or a proxy.
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "tokens", "tokens.title", "tokens", d)
}

// createTokenPage makes a token and shows its secret on the answer itself, not after a
// redirect, so that it is never in a URL or a second response.
func (s *Server) createTokenPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	d := tokensData{Login: c.FormValue("login"), Errors: map[string]string{},
		Form: tokenForm{Name: c.FormValue("name"), Scope: account.Scope(c.FormValue("scope")), Days: strings.TrimSpace(c.FormValue("expires_in_days"))}}
	if !a.Is(access.RoleAdmin) {
		d.Login = a.Login
	}
	days := 0
	if d.Form.Days != "" {
		n, err := strconv.Atoi(d.Form.Days)
		if err != nil || n < 0 || n > 3660 {
			d.Errors["expires_in_days"] = s.pageProblem(c, "must be a whole number from 0 to 3660")
			return s.tokens(c, http.StatusUnprocessableEntity, d)
		}
		days = n
	}
	_, secret, err := s.accounts.CreateToken(ctx, a, d.Login, d.Form.Name, d.Form.Scope, time.Duration(days)*24*time.Hour)
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			d.Errors[f.Field] = s.fieldText(c, f)
		}
		return s.tokens(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	d.Secret = secret
	d.Form = tokenForm{Scope: account.ScopeRead, Days: "90"}
	return s.tokens(c, http.StatusOK, d)
}

func (s *Server) revokeTokenPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeToken(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/tokens"+frontendQuery("login", c.FormValue("login")))
}

// frontendQuery is "?k=v", or "" when v is empty.
func frontendQuery(k, v string) string {
	if v == "" {
		return ""
	}
	return "?" + k + "=" + urlQueryEscape(v)
}
