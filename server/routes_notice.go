package server

import (
	"net/http"

	"critreg/notice"
	"critreg/vetting"
)

// noticeRoutes is this area's part of the route table: the exemption check, list
// submissions (63.2) and change notices (63.3) with the bureau's review.
func (s *Server) noticeRoutes() []route {
	h := &noticeHandlers{srv: s, svc: notice.New(s.db, s.inv, s.point64())}
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	step := func(act notice.Action) route {
		return route{Method: http.MethodPost, Path: "/api/v1/notices/:id/" + stepPath(act), Handler: h.step(act), Tag: "notices",
			Summary: stepSummary[act], Request: noticeStepIn{}, Response: noticeStepOut{}}
	}
	return []route{
		{Method: http.MethodPost, Path: "/api/v1/exemption-check", Handler: h.check, Summary: "Is a planned change exempt from notice (63.3.1–63.3.3), and is what goes in allowed (point 64)?", Tag: "notices", Request: checkIn{}, Response: checkOut{}},

		{Method: http.MethodGet, Path: "/api/v1/submissions", Handler: h.listSubmissions, Summary: "Submitted versions of annex-7 lists, newest first", Tag: "notices", Response: listSubmission{}, List: true, Query: []string{"operator"}},
		{Method: http.MethodPost, Path: "/api/v1/submissions", Handler: h.submitList, Summary: "Submit the annex-7 list to the bureau as a frozen version (63.2); answers with the receipt", Tag: "notices", Request: submitListIn{}, Response: listSubmission{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/submissions/:id", Handler: h.getSubmission, Summary: "One list submission with its canonical content and receipt", Tag: "notices", Response: listSubmission{}},
		{Method: http.MethodGet, Path: "/api/v1/submissions/:id/content", Handler: h.submissionContent, Summary: "The canonical content of a list submission, byte for byte as its receipt hashed it", Tag: "notices", Produces: "application/json"},
		{Method: http.MethodGet, Path: "/api/v1/submissions/:id/diff/:other", Handler: h.diffSubmissions, Summary: "What changed between two list submissions: items added, removed and changed field by field", Tag: "notices", Response: listDiff{}},

		{Method: http.MethodGet, Path: "/api/v1/notices", Handler: h.listNotices, Summary: "Change notices", Tag: "notices", Response: noticeOut{}, List: true, Query: []string{"operator", "state"}},
		{Method: http.MethodPost, Path: "/api/v1/notices", Handler: h.createNotice, Summary: "Draft a change notice; every line is checked for exemption and point 64", Tag: "notices", Request: noticeIn{}, Response: noticeOut{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/notices/queue", Handler: h.queue, Summary: "The bureau's review queue: notices starting within 7 days first, then by planned start", Tag: "notices", Response: queueEntry{}, List: true},
		{Method: http.MethodGet, Path: "/api/v1/notices/:id", Handler: h.getNotice, Summary: "One notice with its lines, history and receipts", Tag: "notices", Response: noticeOut{}},
		{Method: http.MethodPut, Path: "/api/v1/notices/:id", Handler: h.updateNotice, Summary: "Replace a draft's title and lines (also while the bureau asks for information)", Tag: "notices", Request: noticeIn{}, Response: noticeOut{}},
		step(notice.ActionSubmit),
		step(notice.ActionReview),
		step(notice.ActionAccept),
		step(notice.ActionObject),
		step(notice.ActionRequestInfo),
		step(notice.ActionResubmit),
		step(notice.ActionWithdraw),
		{Method: http.MethodPost, Path: "/api/v1/notices/:id/lines/:line/done", Handler: h.lineDone, Summary: "Mark a line carried out; the annex-7 list changes with it", Tag: "notices", Response: noticeOut{}},
		{Method: http.MethodGet, Path: "/api/v1/notices/:id/submissions/:seq", Handler: h.submittedContent, Summary: "The canonical content of a notice's submission, as its receipt hashed it", Tag: "notices", Produces: "application/json"},
		{Method: http.MethodGet, Path: "/api/v1/notices/:id/workbook.xlsx", Handler: h.workbook, Summary: "The notice as a change-list workbook", Tag: "notices", Produces: xlsx},
	}
}

// point64 is the point-64 status the notices use: vetting's, from the bureau's opinions.
func (s *Server) point64() notice.Point64 {
	return notice.Vetted{V: vetting.New(s.db)}
}
