package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/audit"
	"critreg/discovery"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/vetting"
)

// referencePages serve the reference data the bureau and the admins keep: states with their
// memberships and designations (bureau and admin), and discovery's fingerprint rules
// (admin). Anyone else is told the pages do not exist, as with the national view.
type referencePages struct {
	s *Server
	v *vetting.Vetting
	d *discovery.Service
}

// maxFactRows bounds the fact rows one form may send: a state has a handful.
const maxFactRows = 200

// refChange is one audit record as the pages show it: who changed what, when.
type refChange struct {
	At       time.Time
	Login    string
	Action   string
	ObjectID string
	// Before and After count the facts of a state change (-1: not a list).
	Before, After int
}

func refChanges(recs []audit.Record) []refChange {
	count := func(raw json.RawMessage) int {
		var l []json.RawMessage
		if json.Unmarshal(raw, &l) != nil {
			return -1
		}
		return len(l)
	}
	out := make([]refChange, 0, len(recs))
	for _, r := range recs {
		out = append(out, refChange{At: r.At, Login: r.Login, Action: r.Action, ObjectID: r.ObjectID,
			Before: count(r.Before), After: count(r.After)})
	}
	return out
}

// refFieldErrors turns a validation error into messages by field; ok is false for any
// other error.
func (s *Server) refFieldErrors(c echo.Context, err error) (map[string]string, bool) {
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		return nil, false
	}
	out := map[string]string{}
	for _, f := range v.Fields {
		if _, seen := out[f.Field]; !seen {
			out[f.Field] = s.fieldText(c, f)
		}
	}
	return out, true
}

// sourceLink is the source as a link when it is a web address, "" otherwise.
func sourceLink(src string) string {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// urlInText finds the web addresses a free-text source names.
var urlInText = regexp.MustCompile(`https?://[^\s<>"']+`)

// refFact is a fact as the pages show it, with the web addresses its source names as links.
type refFact struct {
	vetting.Fact
	Links []string
}

type refStateRow struct {
	vetting.State
	Name  string
	Facts []refFact
}

type refStatesData struct {
	AsOf       string
	Member     string
	Designated bool
	States     []refStateRow
	Changes    []refChange
	Errors     map[string]string
}

func (h *referencePages) seesStates(c echo.Context) error {
	if !actor(c).Is(access.RoleBureau, access.RoleAdmin) {
		return errkind.NotFound("page", "states")
	}
	return nil
}

func stateName(lang string, st vetting.State) string {
	if lang == "en" {
		return st.NameEN
	}
	return st.NameLV
}

func refFacts(fs []vetting.Fact) []refFact {
	out := make([]refFact, len(fs))
	for i, f := range fs {
		out[i] = refFact{Fact: f}
		for _, u := range urlInText.FindAllString(f.Source, 10) {
			if l := sourceLink(strings.TrimRight(u, ").,;")); l != "" {
				out[i].Links = append(out[i].Links, l)
			}
		}
	}
	return out
}

// states lists the states as of a day, filtered by membership and designation, with each
// one's facts and their sources, and the latest changes with who made them.
func (h *referencePages) states(c echo.Context) error {
	if err := h.seesStates(c); err != nil {
		return err
	}
	ctx, a, lang := c.Request().Context(), actor(c), h.s.lang(c)
	d := refStatesData{AsOf: strings.TrimSpace(c.QueryParam("as_of")), Member: c.QueryParam("member"),
		Designated: c.QueryParam("designated") != "", Errors: map[string]string{}}
	if d.Member != "yes" && d.Member != "no" {
		d.Member = ""
	}
	status := http.StatusOK
	sts, err := h.v.States(ctx, a, vetting.StateFilter{AsOf: d.AsOf, Member: d.Member, Designated: d.Designated})
	if fe, ok := h.s.refFieldErrors(c, err); ok {
		// A day that is no day: say so beside the field and show today's picture.
		d.Errors, status = fe, http.StatusUnprocessableEntity
		sts, err = h.v.States(ctx, a, vetting.StateFilter{Member: d.Member, Designated: d.Designated})
	}
	if err != nil {
		return err
	}
	if d.AsOf == "" && len(sts) > 0 {
		d.AsOf = sts[0].AsOf
	}
	d.States = make([]refStateRow, len(sts))
	for i, st := range sts {
		d.States[i] = refStateRow{State: st, Name: stateName(lang, st), Facts: refFacts(st.Facts)}
	}
	recs, err := audit.List(ctx, h.s.db.Read, a, audit.Filter{ObjectType: "state", Limit: 10})
	if err != nil {
		return err
	}
	d.Changes = refChanges(recs)
	return h.s.render(c, status, "admin_states", "ref.states.title", "states", d)
}

// refFactRow is one fact in the edit form: its index there, what was typed, and whether
// it is marked for removal or is the blank row for a new fact.
type refFactRow struct {
	Index int
	vetting.Fact
	Remove bool
	New    bool
}

type refStateData struct {
	State   vetting.State
	Name    string
	Facts   []refFact
	Rows    []refFactRow
	Kinds   []vetting.FactKind
	Errors  map[string]string
	History []refChange
	Saved   bool
}

// state shows one state's facts as a form that replaces them, with the history of changes.
func (h *referencePages) state(c echo.Context) error {
	if err := h.seesStates(c); err != nil {
		return err
	}
	st, err := h.v.State(c.Request().Context(), actor(c), c.Param("code"), "")
	if err != nil {
		return err
	}
	rows := make([]refFactRow, 0, len(st.Facts)+1)
	for i, f := range st.Facts {
		rows = append(rows, refFactRow{Index: i, Fact: f})
	}
	rows = append(rows, refFactRow{Index: len(rows), New: true, Fact: vetting.Fact{Verified: true}})
	return h.renderState(c, http.StatusOK, st, refStateData{Rows: rows, Errors: map[string]string{}, Saved: c.QueryParam("saved") != ""})
}

func (h *referencePages) renderState(c echo.Context, status int, st vetting.State, d refStateData) error {
	recs, err := audit.List(c.Request().Context(), h.s.db.Read, actor(c), audit.Filter{ObjectType: "state", ObjectID: st.Code, Limit: 20})
	if err != nil {
		return err
	}
	d.State, d.Name, d.Facts, d.Kinds, d.History = st, stateName(h.s.lang(c), st), refFacts(st.Facts), vetting.FactKinds, refChanges(recs)
	return h.s.render(c, status, "admin_state", "ref.state.title", "states", d)
}

var factFieldRE = regexp.MustCompile(`^facts\[(\d+)\]\.([a-z_]+)$`)

// saveState replaces a state's facts with the rows of the form: every row not marked for
// removal, and the new row when anything was typed in it. Problems are shown beside their
// field with everything typed kept.
func (h *referencePages) saveState(c echo.Context) error {
	if err := h.seesStates(c); err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	st, err := h.v.State(ctx, a, c.Param("code"), "")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.FormValue("rows"))
	if err != nil || n < 0 || n > maxFactRows {
		return newBadRequest("the form's row count is missing or out of range: reload the page")
	}
	var rows []refFactRow
	var in vetting.StateInput
	var index []int // form row of each fact sent
	for i := range n {
		k := strconv.Itoa(i)
		r := refFactRow{Index: i, New: c.FormValue("new."+k) != "", Remove: c.FormValue("remove."+k) != "",
			Fact: vetting.Fact{Kind: vetting.FactKind(c.FormValue("kind." + k)), Since: c.FormValue("since." + k),
				Until: c.FormValue("until." + k), Title: c.FormValue("title." + k), Reference: c.FormValue("reference." + k),
				Source: c.FormValue("source." + k), Verified: c.FormValue("verified."+k) != "", Note: c.FormValue("note." + k)}}
		rows = append(rows, r)
		blank := r.Kind == "" && strings.TrimSpace(r.Since+r.Until+r.Title+r.Reference+r.Source+r.Note) == ""
		if r.Remove || (r.New && blank) {
			continue
		}
		in.Facts = append(in.Facts, r.Fact)
		index = append(index, i)
	}
	in.Version = c.FormValue("version")
	_, err = h.v.UpdateState(ctx, a, st.Code, in)
	if errors.Is(err, errkind.ErrConflict) {
		// Another save came first: what was typed stays, with the version read now, so
		// that saving again replaces that save knowingly.
		return h.renderState(c, http.StatusConflict, st, refStateData{Rows: rows, Errors: map[string]string{"": h.s.errorText(c, err)}})
	}
	if fe, ok := h.s.refFieldErrors(c, err); ok {
		errs := map[string]string{}
		for field, msg := range fe {
			if m := factFieldRE.FindStringSubmatch(field); m != nil {
				if k, _ := strconv.Atoi(m[1]); k < len(index) {
					errs[fmt.Sprintf("%d.%s", index[k], m[2])] = msg
					continue
				}
			}
			errs[""] = strings.TrimSpace(errs[""] + " " + field + ": " + msg)
		}
		return h.renderState(c, http.StatusUnprocessableEntity, st, refStateData{Rows: rows, Errors: errs})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/states/"+url.PathEscape(st.Code)+"?saved=1")
}

// refRuleForm is a rule as typed into the form; confidence stays text so that what was
// typed comes back as it was.
type refRuleForm struct {
	discovery.FingerprintRuleInput
	Confidence string
}

func ruleForm(in discovery.FingerprintRuleInput) refRuleForm {
	return refRuleForm{FingerprintRuleInput: in, Confidence: strconv.FormatFloat(in.Confidence, 'f', -1, 64)}
}

// readRuleForm reads a rule from the form. A confidence that is no number is passed on as
// NaN, so that the store reports it along with every other problem.
func readRuleForm(c echo.Context) (refRuleForm, discovery.FingerprintRuleInput) {
	f := refRuleForm{Confidence: strings.TrimSpace(c.FormValue("confidence"))}
	f.FingerprintRuleInput = discovery.FingerprintRuleInput{ID: c.FormValue("id"), Function: c.FormValue("function"),
		Weak: c.FormValue("weak") != "", SysDescr: c.FormValue("sys_descr"), SysObjectID: c.FormValue("sys_object_id"),
		Hostname: c.FormValue("hostname"), Model: c.FormValue("model"), Manufacturer: c.FormValue("manufacturer"),
		Software: c.FormValue("software"), Note: c.FormValue("note"), Enabled: c.FormValue("enabled") != ""}
	in := f.FingerprintRuleInput
	v, err := strconv.ParseFloat(strings.Replace(f.Confidence, ",", ".", 1), 64)
	if err != nil {
		v = math.NaN()
	}
	in.Confidence = v
	return f, in
}

type refRulesData struct {
	Rules     []discovery.FingerprintRule
	Enabled   int
	Functions []inventory.CriticalPart
	Form      refRuleForm
	Errors    map[string]string
	Trial     discovery.FingerprintTrial
	TrialErr  map[string]string
	Result    *discovery.TrialResult
}

func (h *referencePages) keepsRules(c echo.Context) error {
	if !actor(c).Is(access.RoleAdmin) {
		return errkind.NotFound("page", "fingerprints")
	}
	return nil
}

// rules lists the fingerprint rules with a form to add one and a form to try them.
func (h *referencePages) rules(c echo.Context) error {
	if err := h.keepsRules(c); err != nil {
		return err
	}
	return h.renderRules(c, http.StatusOK, refRulesData{Form: refRuleForm{FingerprintRuleInput: discovery.FingerprintRuleInput{Enabled: true}}})
}

func (h *referencePages) renderRules(c echo.Context, status int, d refRulesData) error {
	rs, err := h.d.FingerprintRules(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	d.Rules, d.Functions = rs, inventory.Annex6()
	for _, r := range rs {
		if r.Enabled {
			d.Enabled++
		}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if d.TrialErr == nil {
		d.TrialErr = map[string]string{}
	}
	return h.s.render(c, status, "admin_fingerprints", "fp.title", "fingerprints", d)
}

func (h *referencePages) addRule(c echo.Context) error {
	if err := h.keepsRules(c); err != nil {
		return err
	}
	f, in := readRuleForm(c)
	r, err := h.d.AddFingerprintRule(c.Request().Context(), actor(c), in)
	if fe, ok := h.s.refFieldErrors(c, err); ok {
		return h.renderRules(c, http.StatusUnprocessableEntity, refRulesData{Form: f, Errors: fe})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/fingerprints/"+url.PathEscape(r.ID)+"?saved=1")
}

// tryRules shows which rules match a pasted device description. It changes nothing; it is
// a POST only because a sysDescr is long and may say more than belongs in a URL or a log.
func (h *referencePages) tryRules(c echo.Context) error {
	if err := h.keepsRules(c); err != nil {
		return err
	}
	t := discovery.FingerprintTrial{SysDescr: c.FormValue("sys_descr"), SysObjectID: c.FormValue("sys_object_id"),
		SysName: c.FormValue("sys_name"), Manufacturer: c.FormValue("manufacturer"), Model: c.FormValue("model"),
		Software: c.FormValue("software")}
	d := refRulesData{Trial: t, Form: refRuleForm{FingerprintRuleInput: discovery.FingerprintRuleInput{Enabled: true}}}
	res, err := h.d.TryFingerprintRules(c.Request().Context(), actor(c), t)
	if fe, ok := h.s.refFieldErrors(c, err); ok {
		d.TrialErr = fe
		return h.renderRules(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	d.Result = &res
	return h.renderRules(c, http.StatusOK, d)
}

type refRuleData struct {
	Rule      discovery.FingerprintRule
	Functions []inventory.CriticalPart
	Form      refRuleForm
	Errors    map[string]string
	History   []refChange
	Saved     bool
}

// rule shows one rule as a form, with the history of its changes.
func (h *referencePages) rule(c echo.Context) error {
	if err := h.keepsRules(c); err != nil {
		return err
	}
	r, err := h.d.FingerprintRule(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return h.renderRule(c, http.StatusOK, r, refRuleData{Form: ruleForm(r.Input()), Errors: map[string]string{}, Saved: c.QueryParam("saved") != ""})
}

func (h *referencePages) renderRule(c echo.Context, status int, r discovery.FingerprintRule, d refRuleData) error {
	recs, err := audit.List(c.Request().Context(), h.s.db.Read, actor(c), audit.Filter{ObjectType: "fingerprint_rule", ObjectID: r.ID, Limit: 20})
	if err != nil {
		return err
	}
	d.Rule, d.Functions, d.History = r, inventory.Annex6(), refChanges(recs)
	return h.s.render(c, status, "admin_fingerprint", "fp.rule.title", "fingerprints", d)
}

func (h *referencePages) saveRule(c echo.Context) error {
	if err := h.keepsRules(c); err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	r, err := h.d.FingerprintRule(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	f, in := readRuleForm(c)
	// The name is not a field of this form: a rule keeps its name.
	f.ID, in.ID = r.ID, r.ID
	_, err = h.d.UpdateFingerprintRule(ctx, a, r.ID, in)
	if fe, ok := h.s.refFieldErrors(c, err); ok {
		return h.renderRule(c, http.StatusUnprocessableEntity, r, refRuleData{Form: f, Errors: fe})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/fingerprints/"+url.PathEscape(r.ID)+"?saved=1")
}

// enableRule disables or enables a rule from the list.
func (h *referencePages) enableRule(enabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := h.keepsRules(c); err != nil {
			return err
		}
		if _, err := h.d.SetFingerprintRuleEnabled(c.Request().Context(), actor(c), c.Param("id"), enabled); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/fingerprints")
	}
}
