package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"critreg/frontend"
)

// pageRoutes are the web pages. They are not under /api/, so the OpenAPI document leaves
// them out; unsafe requests carry the session's CSRF token.
func (s *Server) pageRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	static := http.StripPrefix("/static/", http.FileServer(http.FS(frontend.Static())))
	return []route{
		{Method: get, Path: "/static/*", Handler: func(c echo.Context) error {
			// Asset URLs carry a digest of their content, so they may be cached for good.
			c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			static.ServeHTTP(c.Response(), c.Request())
			return nil
		}, Public: true},
		{Method: get, Path: "/login", Handler: s.loginForm, Public: true},
		{Method: post, Path: "/login", Handler: s.login, Public: true},
		{Method: get, Path: "/login/second-factor", Handler: s.secondFactorForm, Public: true},
		{Method: post, Path: "/login/second-factor", Handler: s.secondFactor, Public: true},
		{Method: post, Path: "/logout", Handler: s.logout},
		{Method: get, Path: "/", Handler: s.dashboard},
		{Method: get, Path: "/items", Handler: s.itemsPage},
		{Method: get, Path: "/items/new", Handler: s.newItemForm},
		{Method: post, Path: "/items/new", Handler: s.saveItem},
		{Method: get, Path: "/items/:id", Handler: s.itemPage},
		{Method: get, Path: "/items/:id/edit", Handler: s.editItemForm},
		{Method: post, Path: "/items/:id/edit", Handler: s.saveItem},
		{Method: get, Path: "/check", Handler: s.checkPage},
		{Method: post, Path: "/check", Handler: s.checkPage},
		{Method: get, Path: "/import", Handler: s.importPage},
		{Method: post, Path: "/import", Handler: s.importUpload, Upload: true},
		{Method: get, Path: "/notices", Handler: s.noticesPage},
		{Method: post, Path: "/notices", Handler: s.draftNotice},
		{Method: get, Path: "/notices/:id", Handler: s.noticePage},
		{Method: post, Path: "/notices/:id/step", Handler: s.noticeStep},
		{Method: post, Path: "/notices/:id/lines", Handler: s.noticeAddLine},
		{Method: post, Path: "/notices/:id/lines/:line/done", Handler: s.noticeLineDone},
		{Method: get, Path: "/opinions", Handler: s.opinionsPage},
		{Method: post, Path: "/opinions", Handler: s.issueOpinion},
		{Method: get, Path: "/suppliers", Handler: s.suppliersPage},
		{Method: get, Path: "/suppliers/:id", Handler: s.supplierPage},
		{Method: get, Path: "/national", Handler: s.nationalPage},
		{Method: get, Path: "/networks", Handler: s.networksPage},
		{Method: get, Path: "/tokens", Handler: s.tokensPage},
		{Method: post, Path: "/tokens", Handler: s.createTokenPage},
		{Method: post, Path: "/tokens/:id/revoke", Handler: s.revokeTokenPage},
		{Method: get, Path: "/admin/users", Handler: s.usersPage},
		{Method: post, Path: "/admin/users", Handler: s.addUser},
		{Method: post, Path: "/admin/users/:login/suspend", Handler: s.suspendPage(true)},
		{Method: post, Path: "/admin/users/:login/unsuspend", Handler: s.suspendPage(false)},
	}
}
