package discovery

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/fixtures"
	"critreg/inventory"
)

// rulesSeedFile is the fingerprint rules seed inside fixtures/.
const rulesSeedFile = "fingerprints.json"

// Limits on what a rule holds: a pattern longer than this is a mistake, not a device.
const (
	maxPattern  = 500
	maxRuleNote = 1000
	maxTrial    = 4096
)

var (
	ruleIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	oidRE    = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
)

// FingerprintRule is one fingerprint rule as the admin keeps it: the patterns a device must
// match (every one given), the annex-6 function a match suggests and how sure it is.
type FingerprintRule struct {
	// ID names the rule ("open5gs-amf"); the evidence of a match quotes it.
	ID string `json:"id"`
	// Function is the annex-6 code ("4.1"); FunctionName its short name ("AMF").
	Function     string  `json:"function"`
	FunctionName string  `json:"function_name"`
	Confidence   float64 `json:"confidence"`
	// Weak marks evidence that alone never suffices (a host name): a match resting on weak
	// rules only always needs a person to confirm it.
	Weak bool `json:"weak"`
	// The patterns are Go regular expressions (RE2), except SysObjectID, a dotted prefix.
	SysDescr     string `json:"sys_descr"`
	SysObjectID  string `json:"sys_object_id"`
	Hostname     string `json:"hostname"`
	Model        string `json:"model"`
	Manufacturer string `json:"manufacturer"`
	Software     string `json:"software"`
	Note         string `json:"note"`
	// Enabled rules are the ones discovery applies.
	Enabled   bool      `json:"enabled"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// FingerprintRuleInput adds or changes a rule. On a change, ID must be the rule's own (or
// empty): a rule is never renamed, since past evidence quotes its name.
type FingerprintRuleInput struct {
	ID           string  `json:"id"`
	Function     string  `json:"function"`
	Confidence   float64 `json:"confidence"`
	Weak         bool    `json:"weak"`
	SysDescr     string  `json:"sys_descr"`
	SysObjectID  string  `json:"sys_object_id"`
	Hostname     string  `json:"hostname"`
	Model        string  `json:"model"`
	Manufacturer string  `json:"manufacturer"`
	Software     string  `json:"software"`
	Note         string  `json:"note"`
	Enabled      bool    `json:"enabled"`
}

// Input returns the rule as an input, for a change that keeps what it does not name.
func (r FingerprintRule) Input() FingerprintRuleInput {
	return FingerprintRuleInput{ID: r.ID, Function: r.Function, Confidence: r.Confidence, Weak: r.Weak,
		SysDescr: r.SysDescr, SysObjectID: r.SysObjectID, Hostname: r.Hostname, Model: r.Model,
		Manufacturer: r.Manufacturer, Software: r.Software, Note: r.Note, Enabled: r.Enabled}
}

// asJSON is the rule in the form LoadRules reads, for compiling and matching.
func (in FingerprintRuleInput) asJSON() ruleJSON {
	return ruleJSON{ID: in.ID, Function: in.Function, Confidence: in.Confidence, Weak: in.Weak,
		SysDescr: in.SysDescr, SysObjectID: in.SysObjectID, Hostname: in.Hostname, Model: in.Model,
		Manufacturer: in.Manufacturer, Software: in.Software}
}

// validateRule checks every field of a rule and reports every problem; it returns the
// input cleaned (codes normalised, spaces trimmed).
func validateRule(in FingerprintRuleInput) (FingerprintRuleInput, error) {
	v := &errkind.ValidationError{}
	in.ID = strings.TrimSpace(in.ID)
	switch {
	case in.ID == "":
		v.Add("id", "is required")
	case !ruleIDRE.MatchString(in.ID):
		v.Add("id", "use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	fn := strings.TrimSpace(in.Function)
	if p, ok := inventory.ParseAnnex6(fn); ok && !p.Custom {
		in.Function = p.Code
	} else if fn == "" {
		v.Add("function", "is required: an annex-6 code such as 4.1 or a short name such as AMF")
	} else {
		v.Add("function", "%q is not an annex-6 function: give a code such as 4.1 or a short name such as AMF", fn)
	}
	if math.IsNaN(in.Confidence) || in.Confidence <= 0 || in.Confidence > 1 {
		v.Add("confidence", "must be more than 0 and at most 1")
	}
	for _, p := range []struct {
		field string
		value *string
	}{
		{"sys_descr", &in.SysDescr}, {"hostname", &in.Hostname}, {"model", &in.Model},
		{"manufacturer", &in.Manufacturer}, {"software", &in.Software},
	} {
		*p.value = strings.TrimSpace(*p.value)
		if len(*p.value) > maxPattern {
			v.Add(p.field, "is longer than %d characters", maxPattern)
			continue
		}
		if _, err := regexp.Compile(*p.value); err != nil {
			v.Add(p.field, "is not a valid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	in.SysObjectID = strings.TrimPrefix(strings.TrimSpace(in.SysObjectID), ".")
	if in.SysObjectID != "" && (len(in.SysObjectID) > maxPattern || !oidRE.MatchString(in.SysObjectID)) {
		v.Add("sys_object_id", "must be a dotted numeric OID prefix such as 1.3.6.1.4.1.2636")
	}
	if in.SysDescr == "" && in.SysObjectID == "" && in.Hostname == "" && in.Model == "" && in.Manufacturer == "" && in.Software == "" {
		v.Add("patterns", "give at least one pattern: sysDescr, sysObjectID, host name, model, manufacturer or software")
	}
	in.Note = strings.TrimSpace(in.Note)
	if len(in.Note) > maxRuleNote {
		v.Add("note", "is longer than %d characters", maxRuleNote)
	}
	return in, v.Err()
}

// rulesSeed reads fixtures/fingerprints.json: the rules a new database starts with, the
// short names of the functions they name, and the confirmation threshold.
func rulesSeed() (rulesFile, error) {
	var f rulesFile
	raw, err := fixtures.ReadFile(rulesSeedFile)
	if err != nil {
		return f, fmt.Errorf("fingerprint rules seed: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("fingerprint rules seed: %w", err)
	}
	return f, nil
}

// functionName is the short name a match shows for an annex-6 code: the seed's name where
// it gives one (as discovery always showed), else the catalog's abbreviation or name.
func functionName(seed map[string]string, code string) string {
	if n, ok := seed[code]; ok {
		return n
	}
	p, ok := inventory.Annex6Part(code)
	switch {
	case !ok:
		return code
	case p.Short != "":
		return p.Short
	default:
		return p.NameEN
	}
}

// ensureRules loads the seed into an empty rules table, once: after the first load the
// rules belong to the admin, and a restart never overwrites their changes.
func (s *Service) ensureRules(ctx context.Context) error {
	var at string
	err := s.db.Read.QueryRowContext(ctx, `SELECT at FROM discovery_rules_seed WHERE one = 1`).Scan(&at)
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read fingerprint rules seed record: %w", err)
	}
	seed, err := rulesSeed()
	if err != nil {
		return err
	}
	var ins []FingerprintRuleInput
	for i, j := range seed.Rules {
		in, err := validateRule(FingerprintRuleInput{ID: j.ID, Function: j.Function, Confidence: j.Confidence, Weak: j.Weak,
			SysDescr: j.SysDescr, SysObjectID: j.SysObjectID, Hostname: j.Hostname, Model: j.Model,
			Manufacturer: j.Manufacturer, Software: j.Software, Enabled: true})
		if err != nil {
			return fmt.Errorf("fingerprint rules seed, rule %d (%s): %w", i+1, j.ID, err)
		}
		ins = append(ins, in)
	}
	a := access.System()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Another request may have seeded while this one read the file.
		err := tx.QueryRowContext(ctx, `SELECT at FROM discovery_rules_seed WHERE one = 1`).Scan(&at)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read fingerprint rules seed record: %w", err)
		}
		now := s.stamp()
		for _, in := range ins {
			if err := insertRule(ctx, tx, a, in, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO discovery_rules_seed (one, at) VALUES (1, ?)`, now); err != nil {
			return fmt.Errorf("record fingerprint rules seed: %w", err)
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "fingerprint_rules.seed", ObjectType: "fingerprint_rules",
			ObjectID: rulesSeedFile, After: map[string]any{"rules": len(ins)}})
	})
}

func insertRule(ctx context.Context, tx *sql.Tx, a access.Actor, in FingerprintRuleInput, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO discovery_rules (name, function, confidence, weak, sys_descr, sys_object_id,
		hostname, model, manufacturer, software, note, enabled, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Function, in.Confidence, in.Weak, in.SysDescr, in.SysObjectID, in.Hostname, in.Model,
		in.Manufacturer, in.Software, in.Note, in.Enabled, a.Login, now)
	if err != nil {
		return fmt.Errorf("insert fingerprint rule %s: %w", in.ID, err)
	}
	return nil
}

const ruleColumns = `name, function, confidence, weak, sys_descr, sys_object_id, hostname, model, manufacturer,
	software, note, enabled, updated_by, updated_at`

func scanRule(sc interface{ Scan(...any) error }, seed map[string]string) (FingerprintRule, error) {
	var r FingerprintRule
	var at string
	if err := sc.Scan(&r.ID, &r.Function, &r.Confidence, &r.Weak, &r.SysDescr, &r.SysObjectID, &r.Hostname, &r.Model,
		&r.Manufacturer, &r.Software, &r.Note, &r.Enabled, &r.UpdatedBy, &at); err != nil {
		return r, err
	}
	r.FunctionName = functionName(seed, r.Function)
	r.UpdatedAt = parseTime(at)
	return r, nil
}

// ruleList reads every stored rule, enabled or not, in the order they were added.
func (s *Service) ruleList(ctx context.Context, q querier, seed map[string]string) ([]FingerprintRule, error) {
	if err := s.ensureRules(ctx); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+ruleColumns+` FROM discovery_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read fingerprint rules: %w", err)
	}
	defer rows.Close()
	out := []FingerprintRule{}
	for rows.Next() {
		r, err := scanRule(rows, seed)
		if err != nil {
			return nil, fmt.Errorf("read fingerprint rules: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read fingerprint rules: %w", err)
	}
	return out, nil
}

func (s *Service) ruleTx(ctx context.Context, q querier, id string, seed map[string]string) (FingerprintRule, error) {
	r, err := scanRule(q.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM discovery_rules WHERE name = ?`, id), seed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errkind.NotFound("fingerprint rule", id)
	}
	if err != nil {
		return r, fmt.Errorf("read fingerprint rule %s: %w", id, err)
	}
	return r, nil
}

// FingerprintRules lists the rules, enabled or not, in the order they apply. Anyone signed
// in may read them: they say how discovery maps devices, nothing about any operator.
func (s *Service) FingerprintRules(ctx context.Context, a access.Actor) ([]FingerprintRule, error) {
	seed, err := rulesSeed()
	if err != nil {
		return nil, err
	}
	return s.ruleList(ctx, s.db.Read, seed.Functions)
}

// FingerprintRule returns one rule by its ID.
func (s *Service) FingerprintRule(ctx context.Context, a access.Actor, id string) (FingerprintRule, error) {
	seed, err := rulesSeed()
	if err != nil {
		return FingerprintRule{}, err
	}
	if err := s.ensureRules(ctx); err != nil {
		return FingerprintRule{}, err
	}
	return s.ruleTx(ctx, s.db.Read, strings.TrimSpace(id), seed.Functions)
}

func needRulesAdmin(a access.Actor) error {
	if !a.Writes(access.RoleAdmin) {
		return errkind.Forbidden("only admins keep the fingerprint rules")
	}
	return nil
}

// AddFingerprintRule adds a rule; the next run applies it (if enabled). Admins only.
func (s *Service) AddFingerprintRule(ctx context.Context, a access.Actor, in FingerprintRuleInput) (FingerprintRule, error) {
	if err := needRulesAdmin(a); err != nil {
		return FingerprintRule{}, err
	}
	seed, err := rulesSeed()
	if err != nil {
		return FingerprintRule{}, err
	}
	if err := s.ensureRules(ctx); err != nil {
		return FingerprintRule{}, err
	}
	in, err = validateRule(in)
	if err != nil {
		return FingerprintRule{}, err
	}
	var out FingerprintRule
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.ruleTx(ctx, tx, in.ID, seed.Functions); err == nil {
			return errkind.Invalid("id", "a rule named %q exists already", in.ID)
		} else if !errors.Is(err, errkind.ErrNotFound) {
			return err
		}
		if err := insertRule(ctx, tx, a, in, s.stamp()); err != nil {
			return err
		}
		if out, err = s.ruleTx(ctx, tx, in.ID, seed.Functions); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "fingerprint_rule.create", ObjectType: "fingerprint_rule",
			ObjectID: in.ID, After: out.Input()})
	})
	if err != nil {
		return FingerprintRule{}, err
	}
	return out, nil
}

// UpdateFingerprintRule replaces what rule id says, enabled or not included; the next run
// applies the change. The audit record names a change of Enabled alone as disabling or
// enabling the rule. Admins only.
func (s *Service) UpdateFingerprintRule(ctx context.Context, a access.Actor, id string, in FingerprintRuleInput) (FingerprintRule, error) {
	if err := needRulesAdmin(a); err != nil {
		return FingerprintRule{}, err
	}
	seed, err := rulesSeed()
	if err != nil {
		return FingerprintRule{}, err
	}
	if err := s.ensureRules(ctx); err != nil {
		return FingerprintRule{}, err
	}
	id = strings.TrimSpace(id)
	before, err := s.ruleTx(ctx, s.db.Read, id, seed.Functions)
	if err != nil {
		return FingerprintRule{}, err
	}
	if strings.TrimSpace(in.ID) == "" {
		in.ID = before.ID
	}
	in, err = validateRule(in)
	if in.ID != before.ID {
		// A rename would detach the evidence already stored, which quotes the old name.
		v := &errkind.ValidationError{}
		errors.As(err, &v)
		v.Add("id", "a rule keeps its name: add a new rule and disable this one instead")
		err = v.Err()
	}
	if err != nil {
		return FingerprintRule{}, err
	}
	action := "fingerprint_rule.update"
	if was := before.Input(); sameExceptEnabled(was, in) {
		if was.Enabled == in.Enabled {
			// Nothing changes: no write, no audit record.
			return before, nil
		}
		action = "fingerprint_rule.disable"
		if in.Enabled {
			action = "fingerprint_rule.enable"
		}
	}
	var out FingerprintRule
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE discovery_rules SET function = ?, confidence = ?, weak = ?, sys_descr = ?,
			sys_object_id = ?, hostname = ?, model = ?, manufacturer = ?, software = ?, note = ?, enabled = ?,
			updated_by = ?, updated_at = ? WHERE name = ?`,
			in.Function, in.Confidence, in.Weak, in.SysDescr, in.SysObjectID, in.Hostname, in.Model, in.Manufacturer,
			in.Software, in.Note, in.Enabled, a.Login, s.stamp(), before.ID)
		if err != nil {
			return fmt.Errorf("update fingerprint rule %s: %w", before.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errkind.NotFound("fingerprint rule", before.ID)
		}
		if out, err = s.ruleTx(ctx, tx, before.ID, seed.Functions); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: action, ObjectType: "fingerprint_rule", ObjectID: before.ID,
			Before: before.Input(), After: out.Input()})
	})
	if err != nil {
		return FingerprintRule{}, err
	}
	return out, nil
}

func sameExceptEnabled(a, b FingerprintRuleInput) bool {
	a.Enabled = b.Enabled
	return a == b
}

// SetFingerprintRuleEnabled disables or enables rule id, leaving the rest as it is.
func (s *Service) SetFingerprintRuleEnabled(ctx context.Context, a access.Actor, id string, enabled bool) (FingerprintRule, error) {
	if err := needRulesAdmin(a); err != nil {
		return FingerprintRule{}, err
	}
	r, err := s.FingerprintRule(ctx, a, id)
	if err != nil {
		return FingerprintRule{}, err
	}
	in := r.Input()
	in.Enabled = enabled
	return s.UpdateFingerprintRule(ctx, a, r.ID, in)
}

// storedRules compiles the enabled rules for matching.
func (s *Service) storedRules(ctx context.Context) (*Rules, error) {
	seed, err := rulesSeed()
	if err != nil {
		return nil, err
	}
	all, err := s.ruleList(ctx, s.db.Read, seed.Functions)
	if err != nil {
		return nil, err
	}
	enabled := all[:0]
	for _, r := range all {
		if r.Enabled {
			enabled = append(enabled, r)
		}
	}
	return compileRules(enabled, seed)
}

// compileRules builds the matcher of rs; its rules are in the order of rs.
func compileRules(rs []FingerprintRule, seed rulesFile) (*Rules, error) {
	out := &Rules{functions: map[string]string{}, confirmBelow: seed.ConfirmBelow}
	if out.confirmBelow <= 0 {
		out.confirmBelow = 0.7
	}
	for _, r := range rs {
		out.functions[r.Function] = r.FunctionName
	}
	for _, r := range rs {
		c, err := compileRule(r.Input().asJSON(), out.functions)
		if err != nil {
			return nil, fmt.Errorf("fingerprint rule %s: %w", r.ID, err)
		}
		out.rules = append(out.rules, c)
	}
	return out, nil
}

// FingerprintTrial is what a device says about itself, pasted by an admin to see what the
// rules make of it. Manufacturer and model left empty are inferred from sysObjectID and
// sysDescr as a sweep infers them when the device has no inventory table.
type FingerprintTrial struct {
	SysDescr     string `json:"sys_descr"`
	SysObjectID  string `json:"sys_object_id"`
	SysName      string `json:"sys_name"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	// Software lists running or installed software, one name per line.
	Software string `json:"software"`
}

// RuleHit is one rule that matched a trial.
type RuleHit struct {
	ID           string  `json:"id"`
	Function     string  `json:"function"`
	FunctionName string  `json:"function_name"`
	Confidence   float64 `json:"confidence"`
	Weak         bool    `json:"weak"`
	// Enabled is false for a disabled rule: it matched, but discovery does not apply it.
	Enabled  bool   `json:"enabled"`
	Evidence string `json:"evidence"`
}

// TrialResult is what the rules make of a trial device.
type TrialResult struct {
	// Manufacturer and Model are the ones the rules were matched against.
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	// Hits are the rules that match, disabled ones included.
	Hits []RuleHit `json:"hits"`
	// Functions are what discovery would assign: the enabled rules combined.
	Functions []FunctionMatch `json:"functions"`
}

// TryFingerprintRules matches a pasted device description against the stored rules.
func (s *Service) TryFingerprintRules(ctx context.Context, a access.Actor, t FingerprintTrial) (TrialResult, error) {
	v := &errkind.ValidationError{}
	for _, f := range []struct{ field, value string }{
		{"sys_descr", t.SysDescr}, {"sys_object_id", t.SysObjectID}, {"sys_name", t.SysName},
		{"manufacturer", t.Manufacturer}, {"model", t.Model}, {"software", t.Software},
	} {
		if len(f.value) > maxTrial {
			v.Add(f.field, "is longer than %d characters", maxTrial)
		}
	}
	oid := strings.TrimPrefix(strings.TrimSpace(t.SysObjectID), ".")
	if oid != "" && !oidRE.MatchString(oid) {
		v.Add("sys_object_id", "must be a dotted numeric OID such as 1.3.6.1.4.1.2636.1.1.1.2.25")
	}
	if err := v.Err(); err != nil {
		return TrialResult{}, err
	}
	seed, err := rulesSeed()
	if err != nil {
		return TrialResult{}, err
	}
	all, err := s.ruleList(ctx, s.db.Read, seed.Functions)
	if err != nil {
		return TrialResult{}, err
	}
	d := trialDevice(t, oid)
	every, err := compileRules(all, seed)
	if err != nil {
		return TrialResult{}, err
	}
	out := TrialResult{Manufacturer: d.Manufacturer, Model: d.Model, Hits: []RuleHit{}}
	var enabled []FingerprintRule
	for i, r := range all {
		if r.Enabled {
			enabled = append(enabled, r)
		}
		why, ok := every.rules[i].match(d)
		if !ok {
			continue
		}
		out.Hits = append(out.Hits, RuleHit{ID: r.ID, Function: r.Function, FunctionName: r.FunctionName,
			Confidence: r.Confidence, Weak: r.Weak, Enabled: r.Enabled, Evidence: why})
	}
	rs, err := compileRules(enabled, seed)
	if err != nil {
		return TrialResult{}, err
	}
	out.Functions = rs.Match(d)
	return out, nil
}

// trialDevice builds the device a trial describes, inferring what a sweep would infer.
func trialDevice(t FingerprintTrial, oid string) *Device {
	d := &Device{SysDescr: strings.TrimSpace(t.SysDescr), SysObjectID: oid, SysName: strings.TrimSpace(t.SysName),
		Enterprise: enterprise(oid), Manufacturer: strings.TrimSpace(t.Manufacturer), Model: strings.TrimSpace(t.Model)}
	if d.Manufacturer == "" {
		if v, ok := vendors[d.Enterprise]; ok && !v.generic {
			d.Manufacturer = v.name
		}
	} else {
		d.Manufacturer = canonicalManufacturer(d.Manufacturer)
	}
	if d.Model == "" {
		d.Model = modelFromDescr(d.Manufacturer, d.SysDescr)
	}
	for _, l := range strings.Split(t.Software, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.RunningSoftware = append(d.RunningSoftware, l)
		}
	}
	return d
}
