package vetting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// SubjectKind is what an opinion is about.
type SubjectKind string

// The subjects of an opinion.
const (
	// SubjectSupplier covers everything the supplier makes, develops, distributes or
	// provides: it matches items that name it in any role.
	SubjectSupplier SubjectKind = "supplier"
	// SubjectProduct is equipment: a manufacturer and a model.
	SubjectProduct SubjectKind = "product"
	// SubjectSoftware is a developer and a product, optionally a range of versions.
	SubjectSoftware SubjectKind = "software"
	// SubjectOutsourcing is an outsourcing provider, optionally one service of it.
	SubjectOutsourcing SubjectKind = "outsourcing"
)

var subjectKinds = []SubjectKind{SubjectSupplier, SubjectProduct, SubjectSoftware, SubjectOutsourcing}

// Verdict is what the bureau decided.
type Verdict string

// The verdicts of an opinion.
const (
	// VerdictThreat: use may threaten national security; point 64 prohibits it in critical
	// parts.
	VerdictThreat Verdict = "threat"
	// VerdictRestricted: use is restricted (66.3) as the restriction says, in the critical
	// parts it lists (all parts when none are listed).
	VerdictRestricted Verdict = "restricted"
	// VerdictNoObjection: the bureau has no objection.
	VerdictNoObjection Verdict = "no_objection"
)

var verdicts = []Verdict{VerdictThreat, VerdictRestricted, VerdictNoObjection}

// The statuses of an opinion on a day.
const (
	StatusInForce    = "in_force"
	StatusPending    = "not_yet_effective"
	StatusRevoked    = "revoked"
	StatusSuperseded = "superseded"
)

// Opinion is an act of the bureau. It is never edited: a later opinion supersedes it, or a
// revocation ends it. What an operator's user may read is all here except Restricted.
type Opinion struct {
	ID          int64       `json:"id"`
	Reference   string      `json:"reference"`
	SubjectKind SubjectKind `json:"subject_kind"`
	SupplierID  int64       `json:"supplier_id"`
	Supplier    string      `json:"supplier"`
	// Product is the model of equipment or the software product.
	Product     string `json:"product,omitempty"`
	VersionFrom string `json:"version_from,omitempty"`
	VersionTo   string `json:"version_to,omitempty"`
	// Service is the outsourcing service, when the opinion covers one service only.
	Service       string   `json:"service,omitempty"`
	Verdict       Verdict  `json:"verdict"`
	Restriction   string   `json:"restriction,omitempty"`
	Parts         []string `json:"critical_parts,omitempty"`
	IssuedOn      string   `json:"issued_on"`
	EffectiveOn   string   `json:"effective_on"`
	PublicSummary string   `json:"public_summary"`
	Supersedes    int64    `json:"supersedes,omitempty"`
	// SupersededBy is the opinion that replaces this one, and from when.
	SupersededBy   int64       `json:"superseded_by,omitempty"`
	SupersededFrom string      `json:"superseded_from,omitempty"`
	Revocation     *Revocation `json:"revocation,omitempty"`
	// Status is the opinion's status on AsOf.
	Status string `json:"status"`
	AsOf   string `json:"as_of"`
	// Restricted is the bureau's own part; nil for everyone else, and nil in lists.
	Restricted *OpinionRestricted `json:"restricted,omitempty"`
	CreatedAt  time.Time          `json:"created_at"`

	rationale, revRationale, createdBy string
}

// Revocation ends an opinion from RevokedOn.
type Revocation struct {
	Reference     string `json:"reference"`
	RevokedOn     string `json:"revoked_on"`
	PublicSummary string `json:"public_summary"`
}

// OpinionRestricted is what only the bureau reads of an opinion.
type OpinionRestricted struct {
	Rationale           string `json:"rationale"`
	RevocationRationale string `json:"revocation_rationale,omitempty"`
	IssuedBy            string `json:"issued_by"`
}

// OpinionInput is a new opinion. Supersedes names the opinion it replaces.
type OpinionInput struct {
	Reference   string      `json:"reference"`
	SubjectKind SubjectKind `json:"subject_kind"`
	// SupplierID, or Supplier by name as the register knows it.
	SupplierID    int64    `json:"supplier_id"`
	Supplier      string   `json:"supplier"`
	Product       string   `json:"product"`
	VersionFrom   string   `json:"version_from"`
	VersionTo     string   `json:"version_to"`
	Service       string   `json:"service"`
	Verdict       Verdict  `json:"verdict"`
	Restriction   string   `json:"restriction"`
	Parts         []string `json:"critical_parts"`
	IssuedOn      string   `json:"issued_on"`
	EffectiveOn   string   `json:"effective_on"`
	PublicSummary string   `json:"public_summary"`
	Rationale     string   `json:"rationale"`
	Supersedes    int64    `json:"supersedes"`
}

// RevocationInput is the act that revokes an opinion.
type RevocationInput struct {
	Reference string `json:"reference"`
	// RevokedOn is the day the revocation takes effect; empty: today.
	RevokedOn     string `json:"revoked_on"`
	PublicSummary string `json:"public_summary"`
	Rationale     string `json:"rationale"`
}

var partCodeRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$`)

// validate checks a new opinion and resolves its supplier. It reports every problem.
func (in OpinionInput) validate(ctx context.Context, q querier, today string) (OpinionInput, error) {
	ve := &errkind.ValidationError{}
	in.Reference = ve.Text("reference", in.Reference, maxShort, true)
	if !slices.Contains(subjectKinds, in.SubjectKind) {
		ve.Add("subject_kind", "must be supplier, product, software or outsourcing")
	}
	if !slices.Contains(verdicts, in.Verdict) {
		ve.Add("verdict", "must be threat, restricted or no_objection")
	}
	in.Supplier = ve.Text("supplier", in.Supplier, maxName, false)
	switch {
	case in.SupplierID != 0:
		var name string
		err := q.QueryRowContext(ctx, `SELECT name FROM suppliers WHERE id = ?`, in.SupplierID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			ve.Add("supplier_id", "no supplier %d in the register", in.SupplierID)
		} else if err != nil {
			return in, fmt.Errorf("read supplier %d: %w", in.SupplierID, err)
		}
	case in.Supplier != "":
		err := q.QueryRowContext(ctx, `SELECT id FROM suppliers WHERE name_key = ?`, inventory.SupplierKey(in.Supplier)).Scan(&in.SupplierID)
		if errors.Is(err, sql.ErrNoRows) {
			ve.Add("supplier", "the register has no supplier named %q", in.Supplier)
		} else if err != nil {
			return in, fmt.Errorf("find supplier %q: %w", in.Supplier, err)
		}
	default:
		ve.Add("supplier_id", "is required (or supplier, by name)")
	}
	in.Product = ve.Text("product", in.Product, maxName, in.SubjectKind == SubjectProduct || in.SubjectKind == SubjectSoftware)
	if in.Product != "" && in.SubjectKind != SubjectProduct && in.SubjectKind != SubjectSoftware {
		ve.Add("product", "only a product or software opinion names a product")
	}
	in.VersionFrom = ve.Text("version_from", in.VersionFrom, maxShort, false)
	in.VersionTo = ve.Text("version_to", in.VersionTo, maxShort, false)
	if (in.VersionFrom != "" || in.VersionTo != "") && in.SubjectKind != SubjectSoftware {
		ve.Add("version_from", "only a software opinion has a version range")
	}
	if in.VersionFrom != "" && in.VersionTo != "" && compareVersions(in.VersionFrom, in.VersionTo) > 0 {
		ve.Add("version_to", "must not be below version_from")
	}
	in.Service = ve.Text("service", in.Service, maxName, false)
	if in.Service != "" && in.SubjectKind != SubjectOutsourcing {
		ve.Add("service", "only an outsourcing opinion names a service")
	}
	in.Restriction = ve.Text("restriction", in.Restriction, maxText, in.Verdict == VerdictRestricted)
	if in.Restriction != "" && in.Verdict != VerdictRestricted {
		ve.Add("restriction", "only a restricted verdict has a restriction")
	}
	parts := []string{}
	for i, p := range in.Parts {
		p = strings.TrimSpace(p)
		if ap, ok := inventory.Annex6Part(p); ok {
			p = ap.Code
		} else if !partCodeRE.MatchString(p) {
			ve.Add("critical_parts["+itoa(i)+"]", "%q is not a critical-part code", p)
			continue
		}
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 && in.Verdict != VerdictRestricted {
		ve.Add("critical_parts", "only a restricted verdict lists the critical parts it covers")
	}
	in.Parts = parts
	in.IssuedOn = date(ve, "issued_on", in.IssuedOn, false)
	if in.IssuedOn == "" {
		in.IssuedOn = today
	}
	in.EffectiveOn = date(ve, "effective_on", in.EffectiveOn, false)
	if in.EffectiveOn == "" {
		in.EffectiveOn = in.IssuedOn
	}
	if in.EffectiveOn < in.IssuedOn {
		ve.Add("effective_on", "must not be before issued_on")
	}
	in.PublicSummary = ve.Text("public_summary", in.PublicSummary, maxText, true)
	in.Rationale = ve.Text("rationale", in.Rationale, maxText, false)
	return in, ve.Err()
}

// opinion returns the opinion an input would issue, for matching a draft.
func (in OpinionInput) opinion() Opinion {
	return Opinion{Reference: in.Reference, SubjectKind: in.SubjectKind, SupplierID: in.SupplierID, Product: in.Product,
		VersionFrom: in.VersionFrom, VersionTo: in.VersionTo, Service: in.Service, Verdict: in.Verdict,
		Restriction: in.Restriction, Parts: in.Parts, IssuedOn: in.IssuedOn, EffectiveOn: in.EffectiveOn,
		PublicSummary: in.PublicSummary, Status: StatusPending}
}

// statusOn derives an opinion's status on day from the acts that followed it.
func (o *Opinion) statusOn(day string) {
	o.AsOf = day
	switch {
	case o.Revocation != nil && o.Revocation.RevokedOn <= day:
		o.Status = StatusRevoked
	case o.SupersededBy != 0 && o.SupersededFrom <= day:
		o.Status = StatusSuperseded
	case o.EffectiveOn > day:
		o.Status = StatusPending
	default:
		o.Status = StatusInForce
	}
}

// current reports whether the opinion still stands on its day: in force, or issued and
// waiting for its effective date.
func (o *Opinion) current() bool { return o.Status == StatusInForce || o.Status == StatusPending }

// redact keeps what an operator's user may read.
func redact(o Opinion, a access.Actor) Opinion {
	if !bureau(a) {
		o.Restricted = nil
	}
	return o
}
