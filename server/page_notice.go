package server

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/errkind"
	"critreg/frontend"
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
	if msg, ok := s.formProblem(c, err); ok {
		return s.noticesList(c, http.StatusUnprocessableEntity, noticesData{Line: lf, Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", n.ID))
}

// formProblem turns a validation error into the message a form shows beside it, in the
// page's language; a conflict or a refusal shows as it is.
func (s *Server) formProblem(c echo.Context, err error) (string, bool) {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		return s.problemText(c, err), true
	}
	if errors.Is(err, errkind.ErrConflict) || errors.Is(err, errkind.ErrForbidden) {
		return s.errorText(c, err), true
	}
	return "", false
}

// problemText is err as a page says it: a validation error's problems each in the page's
// language (the English the API gives where the catalog has none), anything else as the
// error catalog says it.
func (s *Server) problemText(c echo.Context, err error) string {
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		return s.errorText(c, err)
	}
	lang := s.lang(c)
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + frontend.FieldErrorText(lang, f)
	}
	return strings.Join(parts, "; ")
}

type noticeData struct {
	Notice  notice.Notice
	Actions []notice.Action
	CanEdit bool
	CanDone bool
	Line    lineForm
	Error   string
	Receipt *notice.Receipt
	// EditLine is the number of the line being edited (0: none); Edit holds its form,
	// EditErrors the problems by form field.
	EditLine   int
	Edit       lineForm
	EditErrors map[string]string
	Kinds      []inventory.Kind
	// EditTexts are the edit form's text fields, in order.
	EditTexts []string
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
	if d.CanEdit && d.EditLine == 0 {
		// ?edit=N opens line N's form, filled with what the line holds.
		if no, err := strconv.Atoi(c.QueryParam("edit")); err == nil && no >= 1 && no <= len(n.Lines) {
			d.EditLine = no
			if d.Edit, err = s.lineFormOf(c, n.Lines[no-1]); err != nil {
				return err
			}
		}
	}
	if !d.CanEdit {
		d.EditLine = 0
	}
	d.Kinds, d.EditTexts = inventory.Kinds, []string{"manufacturer", "model", "name", "version", "outsourcing_provider", "planned_start"}
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
	if msg, ok := s.formProblem(c, err); ok {
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
	if msg, ok := s.formProblem(c, err); ok {
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
	if msg, ok := s.formProblem(c, err); ok {
		return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", id))
}

// lineFormOf is the edit form of a saved line.
func (s *Server) lineFormOf(c echo.Context, ln notice.Line) (lineForm, error) {
	f, err := s.lineForm(c)
	if err != nil {
		return lineForm{}, err
	}
	f.Form = map[string]string{"change": string(ln.Change), "critical_part": ln.CriticalPart, "kind": string(ln.New.Kind),
		"manufacturer": ln.New.Manufacturer, "model": ln.New.Model, "name": ln.New.Name, "version": ln.New.Version,
		"outsourcing_provider": ln.New.OutsourcingProvider, "planned_start": ln.PlannedStart}
	if ln.CurrentItemID != 0 {
		f.Form["item"] = strconv.FormatInt(ln.CurrentItemID, 10)
	}
	if id := cmp.Or(ln.New.NetworkID, ln.NetworkID); id != 0 {
		f.Form["network_id"] = strconv.FormatInt(id, 10)
	}
	if ln.New.CriticalPart != "" {
		f.Form["critical_part"] = ln.New.CriticalPart
	}
	if ln.SimilarFunctions {
		f.Form["similar_functions"] = "1"
	}
	return f, nil
}

// editedLine is line ln changed by the edit form f: the fields the form holds replace the
// line's, and the item fields the form does not show (countries, serials, site) are kept.
func editedLine(ln notice.Line, f map[string]string) notice.LineInput {
	in := lineInput(f)
	n := ln.New
	n.NetworkID, n.CriticalPart, n.Kind = in.New.NetworkID, in.New.CriticalPart, in.New.Kind
	n.Manufacturer, n.Model, n.Name, n.Version, n.OutsourcingProvider = in.New.Manufacturer, in.New.Model, in.New.Name, in.New.Version, in.New.OutsourcingProvider
	in.New = n
	return in
}

// noticeInputOf is what a notice holds, as the input that saves it again.
func noticeInputOf(n notice.Notice) notice.NoticeInput {
	in := notice.NoticeInput{Title: n.Title}
	for _, l := range n.Lines {
		in.Lines = append(in.Lines, notice.LineInput{Change: l.Change, CurrentItemID: l.CurrentItemID, New: l.New, PlannedStart: l.PlannedStart, SimilarFunctions: l.SimilarFunctions})
	}
	return in
}

// lineFormField names the edit-form field a problem of line no is about ("" when the
// problem is not about one of that line's fields).
func lineFormField(no int, field string) string {
	rest, ok := strings.CutPrefix(field, fmt.Sprintf("lines[%d].", no-1))
	if !ok {
		return ""
	}
	switch rest {
	case "current_item_id":
		return "item"
	case "change", "planned_start", "similar_functions":
		return rest
	}
	if f, ok := strings.CutPrefix(rest, "new."); ok && slices.Contains(lineFields, f) {
		return f
	}
	return ""
}

// noticeLine finds a notice and one of its lines, for the line's own forms.
func (s *Server) noticeLine(c echo.Context) (notice.Notice, int, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return notice.Notice{}, 0, err
	}
	n, err := s.notices().Notice(c.Request().Context(), actor(c), id)
	if err != nil {
		return notice.Notice{}, 0, err
	}
	no, err := strconv.Atoi(c.Param("line"))
	if err != nil || no < 1 || no > len(n.Lines) {
		return notice.Notice{}, 0, errkind.NotFound("line", c.Param("line"))
	}
	return n, no, nil
}

// noticeEditLine saves the edit of one line of a draft. Problems show beside the fields
// of the form, which keeps what was typed; problems of other lines show above it.
func (s *Server) noticeEditLine(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	n, no, err := s.noticeLine(c)
	if err != nil {
		return err
	}
	lf, err := s.lineForm(c)
	if err != nil {
		return err
	}
	in := noticeInputOf(n)
	in.Lines[no-1] = editedLine(n.Lines[no-1], lf.Form)
	_, err = s.notices().UpdateNotice(ctx, a, n.ID, in)
	var v *errkind.ValidationError
	switch {
	case errors.As(err, &v):
		lang := s.lang(c)
		// The form to add a line stays empty: what was typed belongs to the edited line.
		blank := lf
		blank.Form = map[string]string{}
		d := noticeData{EditLine: no, Edit: lf, EditErrors: map[string]string{}, Line: blank}
		var other []string
		for _, f := range v.Fields {
			msg := frontend.FieldErrorText(lang, f)
			if k := lineFormField(no, f.Field); k != "" {
				if _, seen := d.EditErrors[k]; !seen {
					d.EditErrors[k] = msg
				}
				continue
			}
			other = append(other, f.Field+": "+msg)
		}
		d.Error = strings.Join(other, "; ")
		return s.showNotice(c, http.StatusUnprocessableEntity, d)
	case err != nil:
		if msg, ok := s.formProblem(c, err); ok {
			blank := lf
			blank.Form = map[string]string{}
			return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{EditLine: no, Edit: lf, Line: blank, Error: msg})
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d#line-%d", n.ID, no))
}

// noticeRemoveLine takes one line out of a draft; the lines after it move up.
func (s *Server) noticeRemoveLine(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	n, no, err := s.noticeLine(c)
	if err != nil {
		return err
	}
	in := noticeInputOf(n)
	in.Lines = slices.Delete(in.Lines, no-1, no)
	_, err = s.notices().UpdateNotice(ctx, a, n.ID, in)
	if msg, ok := s.formProblem(c, err); ok {
		return s.showNotice(c, http.StatusUnprocessableEntity, noticeData{Error: msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/notices/%d", n.ID))
}
