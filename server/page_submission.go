package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/notice"
)

// maxDiffRows bounds each part of a diff a page shows (added, removed, changed): a first
// submission of a big network lists tens of thousands of items, which belong in the
// workbook or the API, not in one page.
const maxDiffRows = 500

type submissionsData struct {
	Submissions []notice.ListSubmission
	NextQuery   string
	CanSubmit   bool
	// Operator filters the bureau's view by operator code.
	Operator string
}

// canSubmitList: the operator's compliance officer submits its list (63.2).
func canSubmitList(a access.Actor) bool {
	return a.Writes(access.RoleOperator) && a.OperatorID != 0
}

// submissionsPage lists the annex-7 list submissions the user may see, newest first: an
// operator's users their own, the bureau every operator's.
func (s *Server) submissionsPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	p, err := page(c)
	if err != nil {
		return err
	}
	d := submissionsData{CanSubmit: canSubmitList(a)}
	if a.SeesAll() {
		d.Operator = c.QueryParam("operator")
	}
	subs, next, err := s.notices().Submissions(ctx, a, notice.SubmissionFilter{Operator: d.Operator}, p)
	if err != nil {
		return err
	}
	d.Submissions = subs
	if next != 0 {
		d.NextQuery = "?cursor=" + encodeCursor(next)
		if d.Operator != "" {
			d.NextQuery += "&operator=" + urlQueryEscape(d.Operator)
		}
	}
	return s.page(c, "submissions", "sub.title", "submissions", d)
}

// diffView is a list diff cut to what a page shows.
type diffView struct {
	From, To                               notice.Receipt
	Added, Removed                         []notice.ListItem
	Changed                                []notice.ItemDiff
	AddedMore, RemovedMore, ChangedMore    int
	AddedCount, RemovedCount, ChangedCount int
}

func newDiffView(d notice.ListDiff) *diffView {
	v := &diffView{From: d.From, To: d.To, AddedCount: len(d.Added), RemovedCount: len(d.Removed), ChangedCount: len(d.Changed)}
	v.Added, v.AddedMore = cut(d.Added)
	v.Removed, v.RemovedMore = cut(d.Removed)
	v.Changed, v.ChangedMore = cut(d.Changed)
	return v
}

func cut[T any](s []T) ([]T, int) {
	if len(s) <= maxDiffRows {
		return s, 0
	}
	return s[:maxDiffRows], len(s) - maxDiffRows
}

type submissionData struct {
	Submission notice.ListSubmission
	// Versions are the operator's submissions, newest first, for choosing two to compare.
	Versions []notice.ListSubmission
	From, To int64
	Diff     *diffView
	// First: this is the operator's first submission and nothing was chosen to compare.
	First bool
	// Submitted: the page follows the user's own submission, which it confirms.
	Submitted bool
	Error     string
	// Pending makes the page the confirmation of a submission about to be made.
	Pending *notice.PendingList
}

// visibleSubmission finds submission id without its content, if the actor may see it: the
// newest submission the actor sees with an id up to id is id itself, or id is not theirs
// to see.
func (s *Server) visibleSubmission(c echo.Context, id int64) (notice.ListSubmission, error) {
	one, _, err := s.notices().Submissions(c.Request().Context(), actor(c), notice.SubmissionFilter{}, inventory.Page{After: id + 1, Limit: 1})
	if err != nil {
		return notice.ListSubmission{}, err
	}
	if len(one) == 0 || one[0].ID != id {
		return notice.ListSubmission{}, errkind.NotFound("list submission", id)
	}
	return one[0], nil
}

// diffCache keeps the diffs the submission pages showed lately, as cut for a page.
// Submissions never change, so a diff of two of them is good for ever. Indexed
// submissions compare in milliseconds, but one made before submissions were indexed is
// decoded whole, about a second for tens of thousands of items, and the bureau comes back
// to the same comparison.
type diffCache struct {
	mu    sync.Mutex
	m     map[[2]int64]*diffView
	order [][2]int64
}

const keptDiffs = 32

func newDiffCache() *diffCache { return &diffCache{m: map[[2]int64]*diffView{}} }

func (dc *diffCache) get(k [2]int64) (*diffView, bool) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	v, ok := dc.m[k]
	return v, ok
}

func (dc *diffCache) put(k [2]int64, v *diffView) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if _, ok := dc.m[k]; ok {
		return
	}
	dc.m[k] = v
	dc.order = append(dc.order, k)
	for len(dc.order) > keptDiffs {
		delete(dc.m, dc.order[0])
		dc.order = dc.order[1:]
	}
}

// submissionPage shows one submission with its receipt and what changed since the version
// before it, or between any two versions the user picks (?from=&to=, submission ids).
func (s *Server) submissionPage(diffs *diffCache) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a := c.Request().Context(), actor(c)
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		svc := s.notices()
		sub, err := s.visibleSubmission(c, id)
		if err != nil {
			return err
		}
		d := submissionData{Submission: sub, Submitted: c.QueryParam("submitted") != ""}
		if d.Versions, _, err = svc.Submissions(ctx, a, notice.SubmissionFilter{Operator: sub.Operator}, inventory.Page{Limit: inventory.MaxLimit}); err != nil {
			return err
		}
		if d.From, err = queryID(c, "from"); err != nil {
			return err
		}
		if d.To, err = queryID(c, "to"); err != nil {
			return err
		}
		if d.To == 0 {
			d.To = id
		}
		if d.From == 0 {
			// The version before this one.
			for _, v := range d.Versions {
				if v.OperatorID == sub.OperatorID && v.Version == sub.Version-1 {
					d.From = v.ID
				}
			}
		}
		if d.From == 0 {
			d.First = true
			return s.render(c, http.StatusOK, "submission", "sub.one", "submissions", d)
		}
		// Both versions must be the user's to see, cached or not.
		for _, v := range []int64{d.From, d.To} {
			if _, err := s.visibleSubmission(c, v); errors.Is(err, errkind.ErrNotFound) {
				d.Error = tr(s.lang(c), "sub.no_version")
				return s.render(c, http.StatusNotFound, "submission", "sub.one", "submissions", d)
			} else if err != nil {
				return err
			}
		}
		key := [2]int64{d.From, d.To}
		if v, ok := diffs.get(key); ok {
			d.Diff = v
			return s.render(c, http.StatusOK, "submission", "sub.one", "submissions", d)
		}
		diff, err := svc.Diff(ctx, a, d.From, d.To)
		var v *errkind.ValidationError
		switch {
		case errors.As(err, &v):
			d.Error = s.problemText(c, err)
			return s.render(c, http.StatusUnprocessableEntity, "submission", "sub.one", "submissions", d)
		case errors.Is(err, errkind.ErrNotFound):
			d.Error = tr(s.lang(c), "sub.no_version")
			return s.render(c, http.StatusNotFound, "submission", "sub.one", "submissions", d)
		case err != nil:
			return err
		}
		d.Diff = newDiffView(diff)
		diffs.put(key, d.Diff)
		return s.render(c, http.StatusOK, "submission", "sub.one", "submissions", d)
	}
}

// submitConfirm shows what a submission of the list would send, the differences from the
// latest one, before the binding submit.
func (s *Server) submitConfirm(c echo.Context) error {
	return s.showSubmitConfirm(c, http.StatusOK, "")
}

func (s *Server) showSubmitConfirm(c echo.Context, status int, msg string) error {
	ctx, a := c.Request().Context(), actor(c)
	if !canSubmitList(a) {
		return errkind.Forbidden("only the operator's compliance officer submits its list")
	}
	p, err := s.notices().PendingSubmission(ctx, a, "")
	if err != nil {
		return err
	}
	return s.render(c, status, "submission", "sub.confirm", "submissions", submissionData{Pending: &p, Diff: newDiffView(p.Diff), Error: msg})
}

// submitList makes the binding submission. The form names the version the user confirmed:
// when another submission came in between, the confirmation is shown again, since what
// it showed is no longer what would be sent.
func (s *Server) submitList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if !canSubmitList(a) {
		return errkind.Forbidden("only the operator's compliance officer submits its list")
	}
	want, err := strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return s.showSubmitConfirm(c, http.StatusUnprocessableEntity, tr(s.lang(c), "sub.stale"))
	}
	p, err := s.notices().PendingSubmission(ctx, a, "")
	if err != nil {
		return err
	}
	if p.NextVersion != want {
		return s.showSubmitConfirm(c, http.StatusConflict, tr(s.lang(c), "sub.stale"))
	}
	sub, err := s.notices().SubmitList(ctx, a, "")
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/submissions/%d?submitted=1", sub.ID))
}
