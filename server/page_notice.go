package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/notice"
)

type noticesData struct {
	Notices  []noticeRow
	CanDraft bool
	Line     lineForm
	Error    string
}

// lineForm is one planned change as the notice editor shows it.
type lineForm struct {
	Changes  []inventory.Change
	Networks []inventory.Network
	Parts    []inventory.CriticalPart
	Form     map[string]string
}

var lineFields = []string{"title", "change", "item", "network_id", "critical_part", "kind", "manufacturer", "model", "name", "version",
	"outsourcing_provider", "planned_start", "similar_functions"}

func (s *Server) lineForm(c echo.Context) (lineForm, error) {
	nets, _, err := s.inv.Networks(c.Request().Context(), actor(c), inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return lineForm{}, err
	}
	f := lineForm{Changes: inventory.Changes, Networks: nets, Parts: inventory.Annex6(), Form: map[string]string{}}
	for _, k := range lineFields {
		f.Form[k] = c.FormValue(k)
	}
	return f, nil
}

func lineInput(f map[string]string) notice.LineInput {
	in := notice.LineInput{Change: inventory.Change(f["change"]), PlannedStart: strings.TrimSpace(f["planned_start"]), SimilarFunctions: f["similar_functions"] != ""}
	in.CurrentItemID, _ = strconv.ParseInt(strings.TrimSpace(f["item"]), 10, 64)
	in.New = inventory.ItemInput{CriticalPart: f["critical_part"], Kind: inventory.Kind(f["kind"]), Manufacturer: f["manufacturer"], Model: f["model"],
		Name: f["name"], Version: f["version"], OutsourcingProvider: f["outsourcing_provider"]}
	in.New.NetworkID, _ = strconv.ParseInt(f["network_id"], 10, 64)
	return in
}

func (s *Server) noticesList(c echo.Context, status int, d noticesData) error {
	a := actor(c)
	ns, _, err := s.notices().Notices(c.Request().Context(), a, notice.NoticeFilter{}, inventory.Page{Limit: 500})
	if err != nil {
		return err
	}
	for _, n := range ns {
		d.Notices = append(d.Notices, noticeRow{ID: n.ID, Operator: n.Operator, State: string(n.State), Start: n.PlannedStart})
	}
	d.CanDraft = a.KeepsInventory(a.OperatorID)
	if d.CanDraft && d.Line.Form == nil {
		if d.Line, err = s.lineForm(c); err != nil {
			return err
		}
	}
	return s.render(c, status, "notices", "notices.title", "notices", d)
}

func (s *Server) noticesPage(c echo.Context) error {
	return s.noticesList(c, http.StatusOK, noticesData{})
}

// draftNotice drafts a notice with its first line; more lines are added on its page.
func (s *Server) draftNotice(c echo.Context) error {
	lf, err := s.lineForm(c)
	if err != nil {
		return err
	}
	n, err := s.notices().CreateNotice(c.Request().Context(), actor(c), notice.NoticeInput{Title: lf.Form["title"], Lines: []notice.LineInput{lineInput(lf.Form)}})
	if msg, ok := formProblem(err); ok {
		return s.noticesList(c, http.StatusUnprocessableEntity, noticesData{Line: lf, Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", n.ID))
}

// formProblem turns a validation error into the message a form shows beside it.
func formProblem(err error) (string, bool) {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		return v.Error(), true
	}
	if errors.Is(err, errkind.ErrConflict) || errors.Is(err, errkind.ErrForbidden) {
		return err.Error(), true
	}
	return "", false
}

type noticeData struct {
	Notice  notice.Notice
	Actions []notice.Action
	CanEdit bool
	CanDone bool
	Line    lineForm
	Error   string
	Receipt *notice.Receipt
}

func (s *Server) noticePage(c echo.Context) error {
	return s.showNotice(c, http.StatusOK, noticeData{})
}

func (s *Server) showNotice(c echo.Context, status int, d noticeData) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.notices().Notice(ctx, a, id)
	if err != nil {
		return err
	}
	d.Notice = n
	d.Actions = noticeActions(a, n)
	d.CanEdit = n.State == notice.StateDraft && a.KeepsInventory(n.OperatorID)
	d.CanDone = (n.State == notice.StateAccepted || n.State == notice.StateUnderReview || n.State == notice.StateSubmitted) && a.KeepsInventory(n.OperatorID)
	if d.CanEdit && d.Line.Form == nil {
		if d.Line, err = s.lineForm(c); err != nil {
			return err
		}
	}
	return s.render(c, status, "notice", "notices.title", "notices", d)
}

// noticeActions are the steps the actor may take on the notice now.
func noticeActions(a access.Actor, n notice.Notice) []notice.Action {
	var out []notice.Action
	switch {
	case a.Writes(access.RoleOperator) && a.OperatorID == n.OperatorID:
		switch n.State {
		case notice.StateDraft:
			out = []notice.Action{notice.ActionSubmit, notice.ActionWithdraw}
		case notice.StateSubmitted:
			out = []notice.Action{notice.ActionWithdraw}
		case notice.StateInformationRequested:
			out = []notice.Action{notice.ActionResubmit, notice.ActionWithdraw}
		}
	case a.Writes(access.RoleBureau):
		switch n.State {
		case notice.StateSubmitted, notice.StateResubmitted:
			out = []notice.Action{notice.ActionReview}
		case notice.StateUnderReview:
			out = []notice.Action{notice.ActionAccept, notice.ActionObject, notice.ActionRequestInfo}
		}
	}
	return out
}

func (s *Server) noticeStep(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, rcpt, err := s.notices().Step(c.Request().Context(), actor(c), id, notice.Action(c.FormValue("action")),
		notice.StepInput{Opinion: c.FormValue("opinion"), Note: c.FormValue("note")})
	if msg, ok := formProblem(err); ok {
		return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{Error: msg})
	}
	if err != nil {
		return err
	}
	return s.showNotice(c, http.StatusOK, noticeData{Receipt: rcpt})
}

func (s *Server) noticeAddLine(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.notices().Notice(ctx, a, id)
	if err != nil {
		return err
	}
	lf, err := s.lineForm(c)
	if err != nil {
		return err
	}
	in := notice.NoticeInput{Title: n.Title}
	for _, l := range n.Lines {
		in.Lines = append(in.Lines, notice.LineInput{Change: l.Change, CurrentItemID: l.CurrentItemID, New: l.New, PlannedStart: l.PlannedStart, SimilarFunctions: l.SimilarFunctions})
	}
	in.Lines = append(in.Lines, lineInput(lf.Form))
	_, err = s.notices().UpdateNotice(ctx, a, id, in)
	if msg, ok := formProblem(err); ok {
		return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{Line: lf, Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", id))
}

func (s *Server) noticeLineDone(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	no, err := strconv.Atoi(c.Param("line"))
	if err != nil {
		return errkind.NotFound("line", c.Param("line"))
	}
	_, err = s.notices().MarkDone(c.Request().Context(), actor(c), id, no)
	if msg, ok := formProblem(err); ok {
		return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", id))
}
