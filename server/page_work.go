package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/errkind"
	"critreg/frontend"
	"critreg/inventory"
	"critreg/notice"
	"critreg/vetting"
)

func (s *Server) notices() *notice.Service { return notice.New(s.db, s.inv, s.point64()) }

type checkData struct {
	Changes  []inventory.Change
	Networks []inventory.Network
	Parts    []inventory.CriticalPart
	Kinds    []inventory.Kind
	Form     map[string]string
	Result   *notice.CheckResult
	Error    string
	// Errors are the problems by form field, in the page's language.
	Errors map[string]string
}

var checkFields = []string{"change", "item", "network_id", "critical_part", "kind", "manufacturer", "model", "name", "version", "outsourcing_provider", "similar_functions"}

func (s *Server) checkPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if err := mustOperatorScoped(a); err != nil {
		return err
	}
	nets, _, err := s.inv.Networks(ctx, a, inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return err
	}
	d := checkData{Changes: inventory.Changes, Networks: nets, Parts: inventory.Annex6(), Kinds: inventory.Kinds, Form: map[string]string{}}
	for _, f := range checkFields {
		d.Form[f] = c.FormValue(f)
	}
	status := http.StatusOK
	if c.Request().Method == http.MethodPost {
		in := notice.CheckInput{Change: inventory.Change(d.Form["change"]), SimilarFunctions: d.Form["similar_functions"] != ""}
		in.CurrentItemID, _ = strconv.ParseInt(strings.TrimSpace(d.Form["item"]), 10, 64)
		in.New = inventory.ItemInput{CriticalPart: d.Form["critical_part"], Kind: inventory.Kind(d.Form["kind"]), Manufacturer: d.Form["manufacturer"],
			Model: d.Form["model"], Name: d.Form["name"], Version: d.Form["version"], OutsourcingProvider: d.Form["outsourcing_provider"]}
		in.New.NetworkID, _ = strconv.ParseInt(d.Form["network_id"], 10, 64)
		res, err := s.notices().Check(ctx, a, in)
		var v *errkind.ValidationError
		switch {
		case errors.As(err, &v):
			d.Errors, status = map[string]string{}, http.StatusUnprocessableEntity
			var other []string
			for _, f := range v.Fields {
				k := strings.TrimPrefix(f.Field, "new.")
				if k == "current_item_id" {
					k = "item"
				}
				if !slices.Contains(checkFields, k) {
					other = append(other, f.Field+": "+s.fieldText(c, f))
				} else if _, seen := d.Errors[k]; !seen {
					d.Errors[k] = s.fieldText(c, f)
				}
			}
			d.Error = strings.Join(other, "; ")
		case errors.Is(err, errkind.ErrNotFound):
			d.Error, status = s.errorText(c, err), http.StatusUnprocessableEntity
		case err != nil:
			return err
		default:
			d.Result = &res
		}
	}
	return s.render(c, status, "check", "check.title", "check", d)
}

type importData struct {
	Result *inventory.ImportResult
	Error  string
	// Job is a commit running in the background, or finished, that the page follows.
	Job *importAnswer
	// Percent is the job's progress for the bar drawn without JavaScript.
	Percent int
}

func (s *Server) importPage(c echo.Context) error {
	if err := mustOperatorScoped(actor(c)); err != nil {
		return err
	}
	return s.page(c, "import", "import.title", "import", importData{})
}

// importUpload runs a dry run of an uploaded workbook for the user's operator and shows its
// differences, or starts its commit in the background and sends the browser to the page
// that follows it: a long commit would otherwise hold the request, with no sign of progress.
func (s *Server) importUpload(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if err := mustOperatorScoped(a); err != nil {
		return err
	}
	lang := s.lang(c)
	op, err := s.inv.OperatorByID(ctx, a, a.OperatorID)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.render(c, http.StatusUnprocessableEntity, "import", "import.title", "import", importData{Error: tr(lang, "imp.choose")})
	}
	if fh.Size > s.cfg.MaxUpload {
		return s.render(c, http.StatusRequestEntityTooLarge, "import", "import.title", "import",
			importData{Error: fmt.Sprintf(tr(lang, "imp.too_big"), s.cfg.MaxUpload>>20)})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUpload+1))
	if err != nil {
		return err
	}
	opt := inventory.ImportOptions{DryRun: c.FormValue("do") != "commit", Sync: c.FormValue("sync") != "", FileName: fileBase(fh.Filename)}
	if !opt.DryRun && s.imports != nil {
		j := s.startImport(ctx, a, op, b, opt)
		return c.Redirect(http.StatusSeeOther, "/import/"+j.answer.ID)
	}
	res, err := s.inv.Import(ctx, a, op.Code, bytes.NewReader(b), int64(len(b)), opt)
	status := http.StatusOK
	if len(res.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if err != nil && len(res.Problems) == 0 {
		var v *errkind.ValidationError
		if !errors.As(err, &v) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "import", "import.title", "import", importData{Error: s.problemText(c, err)})
	}
	return s.render(c, status, "import", "import.title", "import", importData{Result: &res})
}

// startImport commits a workbook in the background as an import job, the same jobs the
// import API follows (GET /api/v1/imports/{id}), and returns the job at once.
func (s *Server) startImport(ctx context.Context, a access.Actor, op inventory.Operator, data []byte, opt inventory.ImportOptions) *importJob {
	j := &importJob{operatorID: op.ID, done: make(chan struct{}), answer: importAnswer{
		ID: strings.ToLower(rand.Text()[:16]), Operator: op.Code, FileName: opt.FileName, State: "running", Started: time.Now().UTC()}}
	s.imports.add(j)
	opt.Progress = func(done, total int) {
		j.mu.Lock()
		j.answer.Done, j.answer.Total = done, total
		j.mu.Unlock()
	}
	// The job outlives the request: it runs on a context of its own.
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer close(j.done)
		res, err := s.inv.Import(ctx, a, op.Code, bytes.NewReader(data), int64(len(data)), opt)
		now := time.Now().UTC()
		j.mu.Lock()
		defer j.mu.Unlock()
		j.answer.Finished, j.answer.Result = &now, &res
		var refused *inventory.ImportError
		switch {
		case err == nil:
			j.answer.State = "done"
		case errors.As(err, &refused):
			j.answer.State = "refused"
		default:
			j.answer.State, j.answer.Error = "failed", "the import could not complete; it has been logged"
			if errors.Is(err, errkind.ErrForbidden) || errors.Is(err, errkind.ErrNotFound) {
				j.answer.Error = err.Error()
			}
			// No request is left to answer: the error is logged here, once.
			s.log.WithError(err).WithField("import", j.answer.ID).Error("import failed")
		}
	}()
	return j
}

// importStatusPage follows an import job: a progress bar while it runs (the page's script
// polls the import API and redraws it; without script the page offers a link that reloads
// it), and the result once it is done.
func (s *Server) importStatusPage(c echo.Context) error {
	if s.imports == nil {
		return errkind.NotFound("import", c.Param("id"))
	}
	j, ok := s.imports.get(c.Param("id"))
	if !ok || !actor(c).Sees(j.operatorID) {
		return errkind.NotFound("import", c.Param("id"))
	}
	ans := j.snapshot()
	d := importData{Job: &ans, Result: ans.Result}
	if ans.Total > 0 {
		d.Percent = min(100, 100*ans.Done/ans.Total)
	}
	status := http.StatusOK
	if ans.State == "refused" {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, "import", "import.title", "import", d)
}

type noticeRow struct {
	ID              int64
	Operator, State string
	Start           string
}

type opinionField struct {
	Name, Label, Value, Type, Error string
	Options                         []string
	Long                            bool
}

type impactView struct {
	Items int
	Rows  []impactRow
}

type impactRow struct {
	Operator, Network, CriticalPart string
	Items                           int
}

type opinionsData struct {
	Opinions []vetting.Opinion
	Fields   []opinionField
	Impact   *impactView
	Error    string
}

var opinionFormFields = []opinionField{
	{Name: "reference", Label: "o.reference"},
	{Name: "subject_kind", Label: "o.subject_kind", Options: []string{"supplier", "product", "software", "outsourcing"}},
	{Name: "supplier", Label: "o.supplier"},
	{Name: "product", Label: "o.product"},
	{Name: "verdict", Label: "o.verdict", Options: []string{"threat", "restricted", "no_objection"}},
	{Name: "restriction", Label: "o.restriction"},
	{Name: "critical_parts", Label: "o.parts"},
	{Name: "issued_on", Label: "o.issued_on", Type: "date"},
	{Name: "effective_on", Label: "o.effective_on", Type: "date"},
	{Name: "public_summary", Label: "o.summary", Long: true},
	{Name: "rationale", Label: "o.rationale", Long: true},
}

func (s *Server) opinionsPage(c echo.Context) error {
	return s.opinions(c, http.StatusOK, opinionsData{})
}

func (s *Server) opinions(c echo.Context, status int, d opinionsData) error {
	ops, _, err := vetting.New(s.db).Opinions(c.Request().Context(), actor(c), vetting.OpinionFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return err
	}
	d.Opinions = ops
	if d.Fields == nil {
		for _, f := range opinionFormFields {
			f.Value = c.FormValue(f.Name)
			d.Fields = append(d.Fields, f)
		}
	}
	return s.render(c, status, "opinions", "opinions.title", "opinions", d)
}

// issueOpinion previews the impact of a drafted opinion or issues it.
func (s *Server) issueOpinion(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if !a.Writes(access.RoleBureau) {
		return errkind.Forbidden("only the bureau issues opinions")
	}
	in := vetting.OpinionInput{Reference: c.FormValue("reference"), SubjectKind: vetting.SubjectKind(c.FormValue("subject_kind")),
		Supplier: c.FormValue("supplier"), Product: c.FormValue("product"), Verdict: vetting.Verdict(c.FormValue("verdict")),
		Restriction: c.FormValue("restriction"), IssuedOn: c.FormValue("issued_on"), EffectiveOn: c.FormValue("effective_on"),
		PublicSummary: c.FormValue("public_summary"), Rationale: c.FormValue("rationale")}
	for _, p := range strings.Split(c.FormValue("critical_parts"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			in.Parts = append(in.Parts, p)
		}
	}
	v := vetting.New(s.db)
	fields := func(err error) ([]opinionField, string) {
		errs := map[string]string{}
		var ve *errkind.ValidationError
		msg := ""
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				errs[f.Field] = s.fieldText(c, f)
			}
			msg = s.errorText(c, ve)
		} else if err != nil {
			msg = s.errorText(c, err)
		}
		var out []opinionField
		for _, f := range opinionFormFields {
			f.Value, f.Error = c.FormValue(f.Name), errs[f.Name]
			out = append(out, f)
		}
		return out, msg
	}
	if c.FormValue("do") == "preview" {
		imp, err := v.DraftImpact(ctx, a, in, "")
		if err != nil && !errors.As(err, new(*errkind.ValidationError)) {
			return err
		}
		f, msg := fields(err)
		d := opinionsData{Fields: f, Error: msg}
		if err == nil {
			iv := impactView{Items: imp.Items}
			for _, o := range imp.Operators {
				for _, n := range o.Networks {
					for _, p := range n.Parts {
						iv.Rows = append(iv.Rows, impactRow{Operator: o.Operator, Network: n.Name, CriticalPart: p.Code, Items: p.Items})
					}
				}
			}
			d.Impact = &iv
		}
		return s.opinions(c, http.StatusOK, d)
	}
	if _, err := v.Issue(ctx, a, in); err != nil {
		var ve *errkind.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		f, msg := fields(err)
		return s.opinions(c, http.StatusUnprocessableEntity, opinionsData{Fields: f, Error: msg})
	}
	return c.Redirect(http.StatusSeeOther, "/opinions")
}

func (s *Server) suppliersPage(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	sps, next, err := s.inv.Suppliers(c.Request().Context(), actor(c), inventory.SupplierFilter{Q: q}, p)
	if err != nil {
		return err
	}
	nq := ""
	if next != 0 {
		nq = "?cursor=" + encodeCursor(next)
		if q != "" {
			nq += "&q=" + urlQueryEscape(q)
		}
	}
	return s.page(c, "suppliers", "suppliers.title", "suppliers", map[string]any{"Suppliers": sps, "Q": q, "NextQuery": nq})
}

type supplierData struct {
	Supplier    inventory.Supplier
	Eligibility *vetting.Eligibility
	Indicators  *vetting.Indicators
	Graph       any
}

// supplierPage is the supplier's dossier: the bureau sees the ownership graph and the
// point-65 indicators; an operator's users see point-76 eligibility without the paths.
func (s *Server) supplierPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sp, err := s.inv.Supplier(ctx, a, id)
	if err != nil {
		return err
	}
	d := supplierData{Supplier: sp}
	v := vetting.New(s.db)
	if el, err := v.Eligibility(ctx, a, id, vetting.IndicatorQuery{}); err == nil {
		d.Eligibility = &el
	}
	if a.SeesAll() {
		ind, err := v.Indicators(ctx, a, id, vetting.IndicatorQuery{})
		if err != nil {
			return err
		}
		d.Indicators = &ind
		d.Graph = ownershipGraph(s.lang(c), ind)
	}
	return s.page(c, "supplier", "supplier.title", "suppliers", d)
}

// ownershipGraph lays out the walk of the indicators: the supplier at level 0, each owner
// at the length of its shortest path.
func ownershipGraph(lang string, ind vetting.Indicators) any {
	nodes := []frontend.Node{}
	edges := []frontend.Edge{}
	seen := map[int64]bool{}
	level := map[int64]int{}
	var root int64
	for _, o := range ind.Owners {
		for _, p := range o.Paths {
			if len(p.Parties) == 0 {
				continue
			}
			root = p.Parties[0]
			for i, id := range p.Parties {
				if l, ok := level[id]; !ok || i < l {
					level[id] = i
				}
			}
		}
	}
	names := map[int64]vetting.Party{}
	for _, o := range ind.Owners {
		names[o.Party.ID] = o.Party
	}
	if root == 0 {
		return frontend.OwnershipGraph(tr(lang, "supplier.owners"), []frontend.Node{{ID: -1, Label: ind.Supplier, Class: "supplier"}}, nil)
	}
	nodes = append(nodes, frontend.Node{ID: root, Label: ind.Supplier, Class: "supplier"})
	seen[root] = true
	for _, o := range ind.Owners {
		if seen[o.Party.ID] {
			continue
		}
		seen[o.Party.ID] = true
		label := o.Party.Name
		if o.Party.Country != "" {
			label += " (" + o.Party.Country + ")"
		}
		switch {
		case o.Min == o.Max:
			label += fmt.Sprintf(" · %g %%", o.Min)
		default:
			label += fmt.Sprintf(" · %g–%g %%", o.Min, o.Max)
		}
		nodes = append(nodes, frontend.Node{ID: o.Party.ID, Label: label, Level: level[o.Party.ID], Class: string(o.Party.Kind)})
	}
	type pair struct{ a, b int64 }
	done := map[pair]bool{}
	for _, o := range ind.Owners {
		for _, p := range o.Paths {
			for i := 0; i+1 < len(p.Parties); i++ {
				k := pair{p.Parties[i], p.Parties[i+1]}
				if done[k] {
					continue
				}
				done[k] = true
				edges = append(edges, frontend.Edge{From: k.a, To: k.b})
			}
		}
	}
	return frontend.OwnershipGraph(tr(lang, "supplier.owners"), nodes, edges)
}

type nationalFunction struct {
	Code  string
	Chart any
}

// nationalPage shows, for each critical function, how its items divide among vendors.
func (s *Server) nationalPage(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	if !a.SeesAll() {
		return errkind.NotFound("page", "national")
	}
	shares, err := s.inv.VendorShare(ctx, a)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	var out []nationalFunction
	for _, f := range shares {
		var bars []frontend.Bar
		for i, v := range f.Vendors {
			name := v.Manufacturer
			if name == "" {
				name = "—"
			}
			bars = append(bars, frontend.Bar{Label: name, Value: v.Items, Class: fmt.Sprintf("v%d", min(i, 5))})
		}
		out = append(out, nationalFunction{Code: f.CriticalPart, Chart: frontend.BarChart(tr(lang, "national.title")+" "+f.CriticalPart, bars)})
	}
	return s.page(c, "national", "national.title", "national", map[string]any{"Functions": out})
}

type usersData struct {
	Users  []account.User
	Roles  []access.Role
	Form   account.UserInput
	Errors map[string]string
	Error  string
}

func (s *Server) usersPage(c echo.Context) error {
	return s.users(c, http.StatusOK, usersData{Errors: map[string]string{}})
}

func (s *Server) users(c echo.Context, status int, d usersData) error {
	us, err := s.accounts.Users(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	d.Users, d.Roles = us, access.Roles
	sort.Slice(d.Users, func(i, j int) bool { return d.Users[i].Login < d.Users[j].Login })
	return s.render(c, status, "users", "users.title", "users", d)
}

func (s *Server) addUser(c echo.Context) error {
	in := account.UserInput{Login: c.FormValue("login"), Role: access.Role(c.FormValue("role")), Operator: c.FormValue("operator"), Password: c.FormValue("password")}
	_, err := s.accounts.AddUser(c.Request().Context(), actor(c), in)
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		d := usersData{Form: in, Errors: map[string]string{}}
		d.Form.Password = ""
		for _, f := range v.Fields {
			d.Errors[f.Field] = s.fieldText(c, f)
		}
		return s.users(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// suspendUser stops or restores an account at once (33.6): its sessions and tokens stop
// working on their next request.
func (s *Server) suspendPage(suspend bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a, login := c.Request().Context(), actor(c), c.Param("login")
		var err error
		if suspend {
			_, err = s.accounts.Suspend(ctx, a, login)
		} else {
			_, err = s.accounts.Unsuspend(ctx, a, login)
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
}
