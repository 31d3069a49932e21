package vetting

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// BODSResult says what an import of Beneficial Ownership Data Standard statements did.
type BODSResult struct {
	Version           string `json:"version"`
	PartiesCreated    int    `json:"parties_created"`
	PartiesUpdated    int    `json:"parties_updated"`
	StatementsCreated int    `json:"statements_created"`
	StatementsUpdated int    `json:"statements_updated"`
	SuppliersLinked   int    `json:"suppliers_linked"`
	// Skipped are relationships with an unknown or unspecified party (a declaration that
	// no beneficial owner could be identified, for instance): the graph records known
	// parties only.
	Skipped []string `json:"skipped"`
}

// errUnspecified marks a relationship whose party BODS declares unknown.
var errUnspecified = errors.New("names an unknown or unspecified party")

// bodsStatement holds the fields critreg reads of both shapes: version 0.4 (recordType,
// recordDetails) and the older 0.2 (statementType with the details at the top level).
type bodsStatement struct {
	// 0.4
	StatementID   string          `json:"statementId"`
	RecordID      string          `json:"recordId"`
	RecordType    string          `json:"recordType"`
	RecordDetails json.RawMessage `json:"recordDetails"`
	// 0.2
	StatementID02 string `json:"statementID"`
	StatementType string `json:"statementType"`
	bodsDetails
	StatementDate string          `json:"statementDate"`
	Source        json.RawMessage `json:"source"`
}

type bodsDetails struct {
	EntityType                 json.RawMessage `json:"entityType"`
	PersonType                 string          `json:"personType"`
	Name                       string          `json:"name"`
	Names                      []bodsName      `json:"names"`
	Jurisdiction               *bodsCountry    `json:"jurisdiction"`
	IncorporatedInJurisdiction *bodsCountry    `json:"incorporatedInJurisdiction"`
	Nationalities              []bodsCountry   `json:"nationalities"`
	Identifiers                []struct {
		ID     string `json:"id"`
		Scheme string `json:"scheme"`
	} `json:"identifiers"`
	Subject         json.RawMessage `json:"subject"`
	InterestedParty json.RawMessage `json:"interestedParty"`
	Interests       []bodsInterest  `json:"interests"`
}

type bodsName struct {
	FullName string `json:"fullName"`
}

type bodsCountry struct {
	Name string `json:"name"`
	Code string `json:"code"`
}

type bodsInterest struct {
	Type  string `json:"type"`
	Share *struct {
		Exact            *float64 `json:"exact"`
		Minimum          *float64 `json:"minimum"`
		Maximum          *float64 `json:"maximum"`
		ExclusiveMinimum *float64 `json:"exclusiveMinimum"`
		ExclusiveMaximum *float64 `json:"exclusiveMaximum"`
	} `json:"share"`
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

// bodsControl maps BODS interest types to critreg's kinds of control. Shareholdings and
// rights to profit become shares; an interest of unknown or unpublished type becomes a
// share of unknown size, so the link is kept without claiming control.
var bodsControl = map[string]string{
	"votingRights": ControlVoting, "appointmentOfBoard": ControlBoard, "otherInfluenceOrControl": ControlOther,
	"seniorManagingOfficial": ControlManagement, "settlor": ControlTrust, "trustee": ControlTrust, "protector": ControlTrust,
	"beneficiaryOfLegalArrangement": ControlTrust, "rightsGrantedByContract": ControlContract,
	"conditionalRightsGrantedByContract": ControlContract, "controlByLegalFramework": ControlLegalFramework,
	"influence-or-control": ControlOther, "boardMember": ControlBoard, "boardChair": ControlBoard,
	"controlViaCompanyRulesOrArticles": ControlOther,
}

var bodsShare = map[string]bool{"shareholding": true, "rightsToSurplusAssetsOnDissolution": true, "rightsToProfitOrIncome": true,
	"rightsToSurplusAssets": true, "unknownInterest": true, "unpublishedInterest": true, "enjoymentAndUseOfAssets": true,
	"rightToProfitOrIncomeFromAssets": true}

// ImportBODS reads BODS statements (a JSON array, or JSON lines) of version 0.4 or 0.2
// and merges them into the graph: parties and relationships are matched by their BODS
// identifiers, so importing the same file twice changes nothing the second time. Entities
// whose name the supplier register knows are linked to that supplier. The import is all
// or nothing, and every change is audited.
func (v *Vetting) ImportBODS(ctx context.Context, a access.Actor, data []byte) (BODSResult, error) {
	if err := needBureauWrite(a); err != nil {
		return BODSResult{}, err
	}
	stmts, err := decodeBODS(data)
	if err != nil {
		return BODSResult{}, err
	}
	res := BODSResult{Version: "0.4", Skipped: []string{}}
	for _, s := range stmts {
		if s.StatementType != "" {
			res.Version = "0.2"
		}
	}
	err = v.db.Tx(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		ve := &errkind.ValidationError{}
		var rels []int
		for i, s := range stmts {
			kind, key, d, err := s.normalise()
			if err != nil {
				ve.AddErr(fmt.Sprintf("statements[%d]", i), err)
				continue
			}
			if kind == "relationship" {
				rels = append(rels, i)
				continue
			}
			id, err := v.mergeBODSParty(ctx, tx, a, key, kind, d, &res)
			var verr *errkind.ValidationError
			if errors.As(err, &verr) {
				for _, f := range verr.Fields {
					ve.AddField(fmt.Sprintf("statements[%d].%s", i, f.Field), f)
				}
				continue
			}
			if err != nil {
				return err
			}
			ids[key] = id
			if s.RecordID != "" && s.StatementID != "" {
				ids[s.StatementID] = id
			}
		}
		for _, i := range rels {
			s := stmts[i]
			_, key, d, _ := s.normalise()
			in, err := d.statementInput(ids, s.source())
			if errors.Is(err, errUnspecified) {
				res.Skipped = append(res.Skipped, fmt.Sprintf("statements[%d] (%s): %v", i, key, err))
				continue
			}
			if err == nil {
				err = v.mergeBODSStatement(ctx, tx, a, key, in, &res)
			}
			var verr *errkind.ValidationError
			if errors.As(err, &verr) {
				for _, f := range verr.Fields {
					ve.AddField(fmt.Sprintf("statements[%d].%s", i, f.Field), f)
				}
				continue
			}
			if err != nil {
				return err
			}
		}
		return ve.Err()
	})
	if err != nil {
		return BODSResult{}, err
	}
	return res, nil
}

func decodeBODS(data []byte) ([]bodsStatement, error) {
	data = bytes.TrimSpace(data)
	var stmts []bodsStatement
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &stmts); err != nil {
			return nil, errkind.Invalid("body", "not a JSON array of BODS statements: %v", err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var s bodsStatement
			if err := dec.Decode(&s); err != nil {
				return nil, errkind.Invalid("body", "not BODS JSON lines: %v", err)
			}
			stmts = append(stmts, s)
		}
	}
	if len(stmts) == 0 {
		return nil, errkind.Invalid("body", "no BODS statements")
	}
	return stmts, nil
}

// normalise returns the statement's kind (entity, person, relationship), its stable key
// and its details, whichever version it is.
func (s bodsStatement) normalise() (string, string, bodsDetails, error) {
	if s.RecordType != "" {
		var d bodsDetails
		if err := json.Unmarshal(s.RecordDetails, &d); err != nil {
			return "", "", d, errkind.Errorf("recordDetails: %v", err)
		}
		key := s.RecordID
		if key == "" {
			key = s.StatementID
		}
		if key == "" {
			return "", "", d, errkind.Errorf("no recordId or statementId")
		}
		switch s.RecordType {
		case "entity", "person", "relationship":
			return s.RecordType, key, d, nil
		}
		return "", "", d, errkind.Errorf("unknown recordType %q", s.RecordType)
	}
	if s.StatementID02 == "" {
		return "", "", s.bodsDetails, errkind.Errorf("no statementID")
	}
	switch s.StatementType {
	case "entityStatement":
		return "entity", s.StatementID02, s.bodsDetails, nil
	case "personStatement":
		return "person", s.StatementID02, s.bodsDetails, nil
	case "ownershipOrControlStatement":
		return "relationship", s.StatementID02, s.bodsDetails, nil
	}
	return "", "", s.bodsDetails, errkind.Errorf("unknown statementType %q", s.StatementType)
}

func (s bodsStatement) source() string {
	src := "BODS statement " + firstNonEmpty(s.StatementID, s.StatementID02)
	if s.StatementDate != "" {
		src += " of " + s.StatementDate
	}
	var desc struct {
		Description string `json:"description"`
		URL         string `json:"url"`
	}
	if len(s.Source) > 0 && json.Unmarshal(s.Source, &desc) == nil {
		if desc.Description != "" {
			src += "; " + desc.Description
		}
		if desc.URL != "" {
			src += " <" + desc.URL + ">"
		}
	}
	return src
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// party returns the party an entity or person statement describes.
func (d bodsDetails) party(kind string) PartyInput {
	if kind == "person" {
		in := PartyInput{Kind: PartyPerson, Citizenships: []string{}}
		for _, n := range d.Names {
			if n.FullName != "" {
				in.Name = n.FullName
				break
			}
		}
		for _, c := range d.Nationalities {
			in.Citizenships = append(in.Citizenships, c.Code)
		}
		return in
	}
	in := PartyInput{Kind: PartyCompany, Name: d.Name}
	var et string
	var typed struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(d.EntityType, &et) != nil && json.Unmarshal(d.EntityType, &typed) == nil {
		et = typed.Type
	}
	switch et {
	case "state":
		in.Kind = PartyState
	case "stateBody":
		in.Kind = PartyStateBody
	}
	if j := d.Jurisdiction; j != nil {
		in.Country = j.Code
	}
	if j := d.IncorporatedInJurisdiction; j != nil && in.Country == "" {
		in.Country = j.Code
	}
	for _, id := range d.Identifiers {
		if id.ID != "" {
			in.RegistrationNo = id.ID
			break
		}
	}
	return in
}

func (v *Vetting) mergeBODSParty(ctx context.Context, tx *sql.Tx, a access.Actor, key, kind string, d bodsDetails, res *BODSResult) (int64, error) {
	in := d.party(kind)
	var id, supplierID int64
	err := tx.QueryRowContext(ctx, `SELECT id, coalesce(supplier_id, 0) FROM vet_parties WHERE bods_id = ?`, key).Scan(&id, &supplierID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find party %s: %w", key, err)
	}
	if in.Kind == PartyCompany || in.Kind == PartyPerson {
		in.SupplierID = supplierID
		if in.SupplierID == 0 && in.Name != "" {
			var sid int64
			err := tx.QueryRowContext(ctx, `SELECT s.id FROM suppliers s WHERE s.name_key = ?
				AND NOT EXISTS (SELECT 1 FROM vet_parties p WHERE p.supplier_id = s.id)`, inventory.SupplierKey(in.Name)).Scan(&sid)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return 0, fmt.Errorf("find supplier %q: %w", in.Name, err)
			}
			if sid != 0 {
				in.SupplierID = sid
				res.SuppliersLinked++
			}
		}
	}
	if id == 0 {
		p, err := v.createPartyTx(ctx, tx, a, in, key)
		if err != nil {
			return 0, err
		}
		res.PartiesCreated++
		return p.ID, nil
	}
	before, err := partyTx(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	checked, err := v.validateParty(ctx, tx, in)
	if err != nil {
		return 0, err
	}
	if before.Kind == checked.Kind && before.Name == checked.Name && before.Country == checked.Country &&
		strings.Join(before.Citizenships, ",") == strings.Join(checked.Citizenships, ",") &&
		before.RegistrationNo == checked.RegistrationNo && before.SupplierID == checked.SupplierID {
		return id, nil
	}
	in.Note = before.Note
	if _, err := v.updatePartyTx(ctx, tx, a, id, in); err != nil {
		return 0, err
	}
	res.PartiesUpdated++
	return id, nil
}

// statementInput turns a relationship into a statement between parties already merged.
func (d bodsDetails) statementInput(ids map[string]int64, source string) (StatementInput, error) {
	ve := &errkind.ValidationError{}
	in := StatementInput{Source: source, Control: []string{}}
	unspecified := false
	ref := func(field string, raw json.RawMessage) int64 {
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			if id, ok := ids[s]; ok {
				return id
			}
			ve.Add(field, "names %q, which this file does not describe", s)
			return 0
		}
		var old struct {
			Entity string `json:"describedByEntityStatement"`
			Person string `json:"describedByPersonStatement"`
		}
		if json.Unmarshal(raw, &old) == nil && firstNonEmpty(old.Entity, old.Person) != "" {
			key := firstNonEmpty(old.Entity, old.Person)
			if id, ok := ids[key]; ok {
				return id
			}
			ve.Add(field, "names %q, which this file does not describe", key)
			return 0
		}
		unspecified = true
		return 0
	}
	in.SubjectID = ref("subject", d.Subject)
	in.OwnerID = ref("interestedParty", d.InterestedParty)
	if unspecified {
		return in, errUnspecified
	}
	var share *Share
	open := false
	for _, it := range d.Interests {
		if c, ok := bodsControl[it.Type]; ok {
			if c != ControlVoting || it.Share == nil || lowerBound(it) > 50 {
				in.Control = append(in.Control, c)
			}
		} else if !bodsShare[it.Type] {
			ve.Add("interests", "unknown interest type %q", it.Type)
		}
		if (bodsShare[it.Type] || it.Type == "votingRights") && share == nil {
			share = &Share{}
			if it.Share != nil {
				sh := it.Share
				switch {
				case sh.Exact != nil:
					share.Exact = sh.Exact
				default:
					share.Min = firstFloat(sh.Minimum, sh.ExclusiveMinimum)
					share.Max = firstFloat(sh.Maximum, sh.ExclusiveMaximum)
				}
			}
			if share.Exact == nil && share.Min == nil && share.Max == nil {
				zero, full := 0.0, 100.0
				share.Min, share.Max = &zero, &full
			}
			if it.Type == "votingRights" && len(in.Control) > 0 {
				share = nil
			}
		}
		if it.StartDate != "" && (in.StartDate == "" || it.StartDate < in.StartDate) {
			in.StartDate = it.StartDate
		}
		if it.EndDate == "" {
			open = true
		} else if it.EndDate > in.EndDate {
			in.EndDate = it.EndDate
		}
	}
	if open {
		in.EndDate = ""
	}
	in.Share = share
	return in, ve.Err()
}

func lowerBound(it bodsInterest) float64 {
	if it.Share == nil {
		return 0
	}
	if f := firstFloat(it.Share.Exact, it.Share.Minimum, it.Share.ExclusiveMinimum); f != nil {
		return *f
	}
	return 0
}

func firstFloat(fs ...*float64) *float64 {
	for _, f := range fs {
		if f != nil {
			return f
		}
	}
	return nil
}

func (v *Vetting) mergeBODSStatement(ctx context.Context, tx *sql.Tx, a access.Actor, key string, in StatementInput, res *BODSResult) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM vet_ownership WHERE bods_id = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := v.createStatementTx(ctx, tx, a, in, key); err != nil {
			return err
		}
		res.StatementsCreated++
		return nil
	}
	if err != nil {
		return fmt.Errorf("find statement %s: %w", key, err)
	}
	before, err := statementTx(ctx, tx, id)
	if err != nil {
		return err
	}
	checked, err := validateStatement(ctx, tx, in)
	if err != nil {
		return err
	}
	lo, hi := shareColumns(checked.Share)
	blo, bhi := shareColumns(before.Share)
	if before.SubjectID == checked.SubjectID && before.OwnerID == checked.OwnerID && fmt.Sprint(lo, hi) == fmt.Sprint(blo, bhi) &&
		strings.Join(before.Control, ",") == strings.Join(checked.Control, ",") && before.StartDate == checked.StartDate &&
		before.EndDate == checked.EndDate && before.Source == checked.Source {
		return nil
	}
	if _, err := v.updateStatementTx(ctx, tx, a, id, in); err != nil {
		return err
	}
	res.StatementsUpdated++
	return nil
}
