package server

import "net/http"

// submissionPageRoutes are the pages of the annex-7 list submissions (63.2), with the
// forms that edit and remove a draft notice's lines and the page that follows an import
// committing in the background.
func (s *Server) submissionPageRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	diffs := newDiffCache()
	return []route{
		{Method: get, Path: "/submissions", Handler: s.submissionsPage},
		{Method: get, Path: "/submissions/new", Handler: s.submitConfirm},
		{Method: post, Path: "/submissions", Handler: s.submitList},
		{Method: get, Path: "/submissions/:id", Handler: s.submissionPage(diffs)},
		{Method: post, Path: "/notices/:id/lines/:line", Handler: s.noticeEditLine},
		{Method: post, Path: "/notices/:id/lines/:line/remove", Handler: s.noticeRemoveLine},
		{Method: get, Path: "/import/:id", Handler: s.importStatusPage},
	}
}
