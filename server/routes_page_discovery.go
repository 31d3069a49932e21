package server

import "net/http"

// discoveryPageRoutes are the discovery pages: runs with their live progress, the form
// that starts one, credential profiles, and the review of findings. They work over the
// same discovery.Service as the discovery API, so a run started here is the one the API
// reports and cancels.
func (s *Server) discoveryPageRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{Method: get, Path: "/discovery", Handler: s.discoveryPage},
		{Method: post, Path: "/discovery/runs", Handler: s.startRunPage},
		{Method: post, Path: "/discovery/profiles", Handler: s.addProfilePage},
		{Method: post, Path: "/discovery/profiles/:id/delete", Handler: s.removeProfilePage},
		{Method: get, Path: "/discovery/runs/:id", Handler: s.runPage},
		{Method: post, Path: "/discovery/runs/:id/cancel", Handler: s.cancelRunPage},
		{Method: post, Path: "/discovery/findings/:id/accept", Handler: s.acceptFindingPage},
		{Method: post, Path: "/discovery/findings/:id/dismiss", Handler: s.dismissFindingPage},
	}
}
