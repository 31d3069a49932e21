package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/discovery"
	"critreg/errkind"
	"critreg/inventory"
)

// The discovery pages are for an operator's operator and engineer users, who sweep and
// decide; the bureau may look at runs without acting. Everyone else is refused.
func discoveryViewer(a access.Actor) error {
	if a.Role.OperatorScoped() || a.Role == access.RoleBureau {
		return nil
	}
	return errkind.Forbidden("the discovery pages are for operators' users and the bureau")
}

// sweeps reports whether a may start runs, keep profiles and decide on findings of its own
// operator; the service checks it again on every change.
func sweeps(a access.Actor) bool {
	return !a.ReadOnly && a.Role.OperatorScoped() && a.OperatorID != 0
}

// runForm is the form that starts a run, as typed.
type runForm struct {
	Values   map[string]string
	Errors   map[string]string
	Error    string
	Profiles []discovery.Profile
	// Options are the sweep settings' fields, each with its default in the service.
	Options []string
}

var runFields = []string{"targets", "profile", "workers", "timeout_ms", "retries", "deadline_s"}

// profileForm is the form that adds a credential profile. Its passphrase and community
// fields are never filled back in: a secret typed once goes to the service and nowhere else.
type profileForm struct {
	Values        map[string]string
	Errors        map[string]string
	Error         string
	KeyProblem    string
	AuthProtocols []discovery.AuthProtocol
	PrivProtocols []discovery.PrivProtocol
}

var profileFields = []string{"name", "version", "user", "auth_protocol", "priv_protocol"}

type discoveryData struct {
	Runs     []discovery.Run
	Older    bool
	Sweeps   bool
	Bureau   bool
	Flash    *discoveryFlash
	Run      runForm
	Profile  profileForm
	Profiles []discovery.Profile
}

// shownRuns is how many runs the list shows, newest first.
const shownRuns = 50

func (s *Server) discoveryPage(c echo.Context) error {
	return s.showDiscovery(c, http.StatusOK, discoveryData{})
}

func (s *Server) showDiscovery(c echo.Context, status int, d discoveryData) error {
	ctx, a := c.Request().Context(), actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	runs, next, err := s.discovery.Runs(ctx, a, discovery.RunFilter{NewestFirst: true}, inventory.Page{Limit: shownRuns})
	if err != nil {
		return err
	}
	d.Runs, d.Older = runs, next != 0
	d.Sweeps, d.Bureau = sweeps(a), !a.Role.OperatorScoped()
	if d.Flash == nil {
		d.Flash = s.takeFlash(c)
	}
	if a.Role.OperatorScoped() {
		ps, err := s.discovery.Profiles(ctx, a, "")
		if err != nil {
			return err
		}
		d.Profiles = ps
	}
	if d.Sweeps {
		if d.Run.Values == nil {
			d.Run = runForm{Values: map[string]string{}, Errors: map[string]string{}}
		}
		d.Run.Profiles, d.Run.Options = d.Profiles, runFields[2:]
		if d.Profile.Values == nil {
			d.Profile = profileForm{Values: map[string]string{"version": string(discovery.V2c)}, Errors: map[string]string{}}
		}
		d.Profile.AuthProtocols = []discovery.AuthProtocol{discovery.AuthSHA, discovery.AuthSHA224, discovery.AuthSHA256, discovery.AuthSHA384, discovery.AuthSHA512}
		d.Profile.PrivProtocols = []discovery.PrivProtocol{discovery.PrivAES, discovery.PrivAES192, discovery.PrivAES256, discovery.PrivAES192C, discovery.PrivAES256C}
		d.Profile.KeyProblem = s.profileKeyProblem()
	}
	return s.render(c, status, "discovery", "disc.title", "discovery", d)
}

// profileKeyProblem says why credential profiles cannot be stored, or "" when they can.
// The cause goes to the log only: it may name server paths.
func (s *Server) profileKeyProblem() string {
	if err := s.discovery.KeyError(); err != nil {
		s.log.WithError(err).Warn("discovery profiles cannot be stored: no usable secret key")
		return err.Error()
	}
	return ""
}

func formValues(c echo.Context, fields []string) map[string]string {
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		m[f] = strings.TrimSpace(c.FormValue(f))
	}
	return m
}

// wholeNumber reads an optional whole-number field, noting a problem beside it.
func (s *Server) wholeNumber(c echo.Context, vals, errs map[string]string, field string) (int, bool) {
	v := vals[field]
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		errs[field] = s.pageProblem(c, "must be a whole number")
		return 0, false
	}
	return n, true
}

// fieldProblems moves a validation error's fields into errs (the first message per field
// wins) and returns what is left to say above the form: a conflict or a refusal.
func (s *Server) fieldProblems(c echo.Context, err error, errs map[string]string) (string, bool) {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			if _, ok := errs[f.Field]; !ok {
				errs[f.Field] = s.fieldText(c, f)
			}
		}
		return "", true
	}
	if errors.Is(err, errkind.ErrConflict) || errors.Is(err, errkind.ErrForbidden) {
		return s.errorText(c, err), true
	}
	return "", false
}

// strayProblems joins the problems of fields a form does not have (the operator, say),
// which would otherwise have nowhere to show.
func strayProblems(msg string, errs map[string]string, fields []string) string {
	var out []string
	if msg != "" {
		out = append(out, msg)
	}
	for f, m := range errs {
		if !slices.Contains(fields, f) {
			out = append(out, f+": "+m)
		}
	}
	slices.Sort(out[min(1, len(out)):])
	return strings.Join(out, "; ")
}

func problemStatus(err error) int {
	switch {
	case errors.Is(err, errkind.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, errkind.ErrForbidden):
		return http.StatusForbidden
	}
	return http.StatusUnprocessableEntity
}

func (s *Server) startRunPage(c echo.Context) error {
	a := actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	f := runForm{Values: formValues(c, runFields), Errors: map[string]string{}}
	in := discovery.RunInput{Targets: f.Values["targets"], Profile: f.Values["profile"]}
	in.Workers, _ = s.wholeNumber(c, f.Values, f.Errors, "workers")
	in.TimeoutMS, _ = s.wholeNumber(c, f.Values, f.Errors, "timeout_ms")
	in.DeadlineS, _ = s.wholeNumber(c, f.Values, f.Errors, "deadline_s")
	if n, ok := s.wholeNumber(c, f.Values, f.Errors, "retries"); ok {
		in.Retries = &n
	}
	if len(f.Errors) > 0 {
		// The service cannot be asked without starting the run, so a number that is not
		// one is shown on its own first.
		return s.showDiscovery(c, http.StatusUnprocessableEntity, discoveryData{Run: f})
	}
	run, err := s.discovery.StartRun(c.Request().Context(), a, in)
	if msg, ok := s.fieldProblems(c, err, f.Errors); ok {
		f.Error = strayProblems(msg, f.Errors, runFields)
		return s.showDiscovery(c, problemStatus(err), discoveryData{Run: f})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/discovery/runs/%d", run.ID))
}

func (s *Server) addProfilePage(c echo.Context) error {
	a := actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	f := profileForm{Values: formValues(c, profileFields), Errors: map[string]string{}}
	in := discovery.ProfileInput{Name: f.Values["name"], Version: discovery.Version(f.Values["version"]), User: f.Values["user"],
		AuthProtocol: discovery.AuthProtocol(f.Values["auth_protocol"]), PrivProtocol: discovery.PrivProtocol(f.Values["priv_protocol"])}
	// Each secret is taken for the version chosen only: a community left in the form by a
	// browser after switching to v3 is not sent as a second credential.
	if in.Version == discovery.V3 {
		in.AuthPassphrase, in.PrivPassphrase = discovery.NewSecret(c.FormValue("auth_passphrase")), discovery.NewSecret(c.FormValue("priv_passphrase"))
	} else {
		in.Community = discovery.NewSecret(c.FormValue("community"))
		in.User, in.AuthProtocol, in.PrivProtocol = "", "", ""
	}
	p, err := s.discovery.CreateProfile(c.Request().Context(), a, in)
	if msg, ok := s.fieldProblems(c, err, f.Errors); ok {
		f.Error = strayProblems(msg, f.Errors, slices.Concat(profileFields, []string{"community", "auth_passphrase", "priv_passphrase"}))
		return s.showDiscovery(c, problemStatus(err), discoveryData{Profile: f})
	}
	if err != nil {
		return err
	}
	s.setFlash(c, discoveryFlash{Kind: "profile_added", Name: p.Name})
	return c.Redirect(http.StatusSeeOther, "/discovery#profiles")
}

func (s *Server) removeProfilePage(c echo.Context) error {
	a := actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.discovery.DeleteProfile(c.Request().Context(), a, id); err != nil {
		return err
	}
	s.setFlash(c, discoveryFlash{Kind: "profile_removed"})
	return c.Redirect(http.StatusSeeOther, "/discovery#profiles")
}

// findingView is one finding as the run page shows it, with its forms as typed.
type findingView struct {
	discovery.Finding
	// Name and Part are what accepting a new device proposes: the device's system name
	// or model, and the function it was recognised as.
	Name   string
	Part   string
	Weak   bool
	Form   map[string]string
	Errors map[string]string
	Error  string
	// Decided is when a person accepted or dismissed it.
	Decided time.Time
}

// findingGroup is one kind of finding, with what that kind means and a link to more.
type findingGroup struct {
	Kind     discovery.FindingKind
	Count    int
	Findings []findingView
	More     string
}

type runData struct {
	Run      discovery.Run
	Finished time.Time
	Running  bool
	Sweeps   bool
	Flash    *discoveryFlash
	Error    string
	Results  []discovery.StoredResult
	More     string
	Groups   []findingGroup
	Networks []inventory.Network
	Parts    []inventory.CriticalPart
	// Causes count failed hosts by cause, named as the run's JSON names them, which the
	// page's script reads while the run goes.
	Causes []causeCount
}

type causeCount struct {
	Name string
	N    int
}

func causeCounts(p discovery.Progress) []causeCount {
	return []causeCount{{"timeout", p.Timeout}, {"auth", p.Auth}, {"refused", p.Refused}, {"malformed", p.Malformed},
		{"cancelled", p.Cancelled}, {"other", p.Other}}
}

// shownResults and shownFindings bound what the run page shows of each list at once; the
// rest is a link away.
const (
	shownResults  = 100
	shownFindings = 100
)

var findingKinds = []discovery.FindingKind{discovery.FindingNew, discovery.FindingChanged, discovery.FindingMissing}

// findingInput is what a person typed into one finding's forms, kept when the page is
// shown again with a problem.
type findingInput struct {
	ID     int64
	Form   map[string]string
	Errors map[string]string
	Error  string
}

var acceptFields = []string{"network_id", "critical_part", "name", "confirm_removal", "reason"}

func (s *Server) runPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.showRun(c, http.StatusOK, id, findingInput{}, "")
}

func (s *Server) showRun(c echo.Context, status int, id int64, typed findingInput, pageErr string) error {
	ctx, a := c.Request().Context(), actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	run, err := s.discovery.Run(ctx, a, id)
	if err != nil {
		return err
	}
	d := runData{Run: run, Running: run.Status == discovery.StatusRunning || run.Status == discovery.StatusUploading,
		Sweeps: sweeps(a) && a.OperatorID == run.OperatorID, Error: pageErr, Parts: inventory.Annex6(), Causes: causeCounts(run.Progress)}
	d.Finished, _ = time.Parse(time.RFC3339Nano, run.FinishedAt)
	if status == http.StatusOK {
		d.Flash = s.takeFlash(c)
	}
	after, _ := strconv.ParseInt(c.QueryParam("results_after"), 10, 64)
	res, next, err := s.discovery.Results(ctx, a, id, inventory.Page{After: after, Limit: shownResults})
	if err != nil {
		return err
	}
	d.Results = res
	if next != 0 {
		d.More = fmt.Sprintf("/discovery/runs/%d?results_after=%d#results", id, next)
	}
	counts := map[discovery.FindingKind]int{discovery.FindingNew: run.Findings.New, discovery.FindingChanged: run.Findings.Changed, discovery.FindingMissing: run.Findings.Missing}
	// A run's findings are made when it ends; while it runs there are none to read.
	for _, kind := range findingKinds {
		if d.Running {
			break
		}
		after, _ := strconv.ParseInt(c.QueryParam(string(kind)+"_after"), 10, 64)
		fs, next, err := s.discovery.Findings(ctx, a, id, discovery.FindingFilter{Kind: kind}, inventory.Page{After: after, Limit: shownFindings})
		if err != nil {
			return err
		}
		g := findingGroup{Kind: kind, Count: counts[kind]}
		if next != 0 {
			g.More = fmt.Sprintf("/discovery/runs/%d?%s_after=%d#%s", id, kind, next, kind)
		}
		for _, f := range fs {
			v := findingView{Finding: f, Form: map[string]string{}, Errors: map[string]string{}}
			v.Decided, _ = time.Parse(time.RFC3339Nano, f.DecidedAt)
			if f.Device != nil {
				v.Name = f.Device.SysName
				if v.Name == "" {
					v.Name = f.Device.Model
				}
				if len(f.Device.Functions) > 0 {
					v.Part, v.Weak = f.Device.Functions[0].Code, f.Device.Functions[0].NeedsConfirmation
				}
			}
			if f.ID == typed.ID {
				v.Form, v.Errors, v.Error = typed.Form, typed.Errors, typed.Error
			}
			if _, ok := v.Form["critical_part"]; !ok {
				v.Form["critical_part"] = v.Part
			}
			g.Findings = append(g.Findings, v)
		}
		d.Groups = append(d.Groups, g)
	}
	if d.Sweeps && run.Findings.Open > 0 {
		nets, _, err := s.inv.Networks(ctx, a, inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
		if err != nil {
			return err
		}
		d.Networks = nets
	}
	return s.render(c, status, "discovery_run", "disc.run.title", "discovery", d)
}

func (s *Server) cancelRunPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if err := discoveryViewer(a); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.discovery.CancelRun(ctx, a, id)
	if msg, ok := s.fieldProblems(c, err, map[string]string{}); ok {
		return s.showRun(c, problemStatus(err), id, findingInput{}, msg)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, discoveryFlash{Kind: "cancelled"})
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/discovery/runs/%d", id))
}

// decide reads a finding the actor may see and the form posted for it; another operator's
// finding is not found, as if it did not exist.
func (s *Server) decide(c echo.Context) (discovery.Finding, findingInput, error) {
	a := actor(c)
	if err := discoveryViewer(a); err != nil {
		return discovery.Finding{}, findingInput{}, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return discovery.Finding{}, findingInput{}, err
	}
	f, err := s.discovery.Finding(c.Request().Context(), a, id)
	if err != nil {
		return discovery.Finding{}, findingInput{}, err
	}
	return f, findingInput{ID: id, Form: formValues(c, acceptFields), Errors: map[string]string{}}, nil
}

func (s *Server) acceptFindingPage(c echo.Context) error {
	f, in, err := s.decide(c)
	if err != nil {
		return err
	}
	ai := discovery.AcceptInput{CriticalPart: in.Form["critical_part"], Name: in.Form["name"], ConfirmRemoval: in.Form["confirm_removal"] != ""}
	if v := in.Form["network_id"]; v != "" {
		if ai.NetworkID, err = strconv.ParseInt(v, 10, 64); err != nil {
			in.Errors["network_id"] = s.pageProblem(c, "choose one of the operator's networks")
		}
	}
	var dec discovery.Decision
	if len(in.Errors) == 0 {
		dec, err = s.discovery.AcceptFinding(c.Request().Context(), actor(c), f.ID, ai)
	} else {
		err = &errkind.ValidationError{}
	}
	if msg, ok := s.fieldProblems(c, err, in.Errors); ok {
		in.Error = msg
		return s.showRun(c, problemStatus(err), f.RunID, in, "")
	}
	if err != nil {
		return err
	}
	fl := discoveryFlash{Kind: "removed", Finding: f.ID}
	if dec.Item != nil {
		fl.Item, fl.Kind = dec.Item.ID, "updated"
		if f.Kind == discovery.FindingNew {
			fl.Kind = "created"
		}
	}
	s.setFlash(c, fl)
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/discovery/runs/%d#f-%d", f.RunID, f.ID))
}

func (s *Server) dismissFindingPage(c echo.Context) error {
	f, in, err := s.decide(c)
	if err != nil {
		return err
	}
	_, err = s.discovery.DismissFinding(c.Request().Context(), actor(c), f.ID, in.Form["reason"])
	if msg, ok := s.fieldProblems(c, err, in.Errors); ok {
		in.Error = msg
		return s.showRun(c, problemStatus(err), f.RunID, in, "")
	}
	if err != nil {
		return err
	}
	s.setFlash(c, discoveryFlash{Kind: "dismissed", Finding: f.ID})
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/discovery/runs/%d#f-%d", f.RunID, f.ID))
}

// discoveryFlash is the message a page shows once after a form was handled and the
// browser sent back to it: what was done, and the item it made or changed.
type discoveryFlash struct {
	Kind     string
	Finding  int64
	Item     int64
	Name     string
	ItemName string
}

const flashCookie = "critreg_flash"

// flashKinds are the messages a flash may carry; anything else in the cookie is ignored.
var flashKinds = map[string]bool{"created": true, "updated": true, "removed": true, "dismissed": true,
	"cancelled": true, "profile_added": true, "profile_removed": true}

func (s *Server) setFlash(c echo.Context, f discoveryFlash) {
	v := url.Values{"k": {f.Kind}}
	if f.Finding != 0 {
		v.Set("f", strconv.FormatInt(f.Finding, 10))
	}
	if f.Item != 0 {
		v.Set("i", strconv.FormatInt(f.Item, 10))
	}
	if f.Name != "" {
		v.Set("n", f.Name)
	}
	s.setCookie(c, flashCookie, url.QueryEscape(v.Encode()), 120)
}

// takeFlash reads and clears the flash, if the browser brought one.
func (s *Server) takeFlash(c echo.Context) *discoveryFlash {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	s.clearCookie(c, flashCookie)
	raw, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return nil
	}
	v, err := url.ParseQuery(raw)
	if err != nil || !flashKinds[v.Get("k")] {
		return nil
	}
	f := &discoveryFlash{Kind: v.Get("k"), Name: v.Get("n")}
	f.Finding, _ = strconv.ParseInt(v.Get("f"), 10, 64)
	f.Item, _ = strconv.ParseInt(v.Get("i"), 10, 64)
	if f.Item != 0 {
		// The cookie is the browser's: the item is shown only if its user may see it.
		it, err := s.inv.Item(c.Request().Context(), actor(c), f.Item)
		if err != nil {
			f.Item = 0
		} else {
			f.ItemName = it.Name
		}
	}
	return f
}
