package server

import (
	"net/http"

	"critreg/discovery"
	"critreg/vetting"
)

// referencePageRoutes are the pages of the reference data: states with their memberships
// and designations (bureau and admin), and discovery's fingerprint rules (admin).
func (s *Server) referencePageRoutes() []route {
	h := &referencePages{s: s, v: vetting.New(s.db), d: discovery.New(s.db, s.inv, discovery.Config{})}
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{Method: get, Path: "/admin/states", Handler: h.states},
		{Method: get, Path: "/admin/states/:code", Handler: h.state},
		{Method: post, Path: "/admin/states/:code", Handler: h.saveState},
		{Method: get, Path: "/admin/fingerprints", Handler: h.rules},
		{Method: post, Path: "/admin/fingerprints", Handler: h.addRule},
		{Method: post, Path: "/admin/fingerprints/try", Handler: h.tryRules},
		{Method: get, Path: "/admin/fingerprints/:id", Handler: h.rule},
		{Method: post, Path: "/admin/fingerprints/:id", Handler: h.saveRule},
		{Method: post, Path: "/admin/fingerprints/:id/enable", Handler: h.enableRule(true)},
		{Method: post, Path: "/admin/fingerprints/:id/disable", Handler: h.enableRule(false)},
	}
}
