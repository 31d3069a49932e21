package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// ListDocument is the canonical content of a list submission: the operator's networks and
// its whole annex-7 list as they stood when it was submitted.
type ListDocument struct {
	Kind        string       `json:"kind"`
	Operator    OperatorRef  `json:"operator"`
	Version     int          `json:"version"`
	SubmittedAt string       `json:"submitted_at"`
	SubmittedBy string       `json:"submitted_by"`
	Networks    []NetworkRef `json:"networks"`
	Items       []ListItem   `json:"items"`
}

// OperatorRef names the operator a document is from.
type OperatorRef struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	RegistrationNo string `json:"registration_no"`
}

// NetworkRef is a network as a submission records it.
type NetworkRef struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Technology string `json:"technology"`
	Legacy     bool   `json:"legacy"`
}

// ListItem is one annex-7 item as a submission freezes it: its fields, its provenance, and
// not the register's internal ids or the bookkeeping times.
type ListItem struct {
	ID                  int64  `json:"id"`
	NetworkID           int64  `json:"network_id"`
	CriticalPart        string `json:"critical_part"`
	Kind                string `json:"kind"`
	Name                string `json:"name"`
	Model               string `json:"model"`
	Version             string `json:"version"`
	Manufacturer        string `json:"manufacturer"`
	ManufacturerCountry string `json:"manufacturer_country"`
	Distributor         string `json:"distributor"`
	OutsourcingProvider string `json:"outsourcing_provider"`
	OriginCountry       string `json:"origin_country"`
	Serial              string `json:"serial"`
	Quantity            int    `json:"quantity"`
	Site                string `json:"site"`
	ManagementAddress   string `json:"management_address"`
	InServiceSince      string `json:"in_service_since"`
	Notes               string `json:"notes"`
	Source              string `json:"source"`
	SourceRef           string `json:"source_ref"`
}

func listItem(it inventory.Item) ListItem {
	return ListItem{
		ID: it.ID, NetworkID: it.NetworkID, CriticalPart: it.CriticalPart, Kind: string(it.Kind), Name: it.Name, Model: it.Model,
		Version: it.Version, Manufacturer: it.Manufacturer, ManufacturerCountry: it.ManufacturerCountry, Distributor: it.Distributor,
		OutsourcingProvider: it.OutsourcingProvider, OriginCountry: it.OriginCountry, Serial: it.Serial, Quantity: it.Quantity,
		Site: it.Site, ManagementAddress: it.ManagementAddress, InServiceSince: it.InServiceSince, Notes: it.Notes,
		Source: string(it.Source), SourceRef: it.SourceRef,
	}
}

// ListSubmission is one frozen version of an operator's annex-7 list.
type ListSubmission struct {
	ID         int64   `json:"id"`
	OperatorID int64   `json:"operator_id"`
	Operator   string  `json:"operator"`
	Version    int     `json:"version"`
	ItemCount  int     `json:"item_count"`
	Receipt    Receipt `json:"receipt"`
	// Content is the canonical JSON that was hashed, byte for byte (a ListDocument); lists
	// of submissions leave it out.
	Content json.RawMessage `json:"content,omitempty"`
}

// operatorFor resolves the operator an actor acts for: the code given, or the actor's
// own operator when none is given.
func (s *Service) operatorFor(ctx context.Context, a access.Actor, code string) (inventory.Operator, error) {
	if code == "" {
		if !a.Role.OperatorScoped() {
			return inventory.Operator{}, errkind.Invalid("operator", "is required")
		}
		return s.inv.OperatorByID(ctx, a, a.OperatorID)
	}
	o, err := s.inv.Operator(ctx, a, code)
	if errors.Is(err, errkind.ErrNotFound) {
		return inventory.Operator{}, errkind.Invalid("operator", "no operator %q", code)
	}
	return o, err
}

// SubmitList freezes the operator's annex-7 list as its next numbered version and returns
// it with its receipt. The operator's compliance officer submits (63.2).
func (s *Service) SubmitList(ctx context.Context, a access.Actor, operator string) (ListSubmission, error) {
	op, err := s.operatorFor(ctx, a, operator)
	if err != nil {
		return ListSubmission{}, err
	}
	if !a.Writes(access.RoleOperator) || a.OperatorID != op.ID {
		return ListSubmission{}, errkind.Forbidden("only the operator's compliance officer submits its list")
	}
	var sub ListSubmission
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) + 1 FROM list_submissions WHERE operator_id = ?`, op.ID).Scan(&version); err != nil {
			return fmt.Errorf("number list submission: %w", err)
		}
		items, err := s.inv.OperatorItemsTx(ctx, tx, a, op.ID)
		if err != nil {
			return err
		}
		nets, err := s.inv.OperatorNetworksTx(ctx, tx, a, op.ID)
		if err != nil {
			return err
		}
		at := s.now().UTC().Truncate(time.Second)
		doc := ListDocument{Kind: KindList, Operator: operatorRef(op), Version: version, SubmittedAt: at.Format(stampFormat),
			SubmittedBy: a.Login, Networks: make([]NetworkRef, 0, len(nets)), Items: make([]ListItem, 0, len(items))}
		for _, n := range nets {
			doc.Networks = append(doc.Networks, NetworkRef{ID: n.ID, Name: n.Name, Technology: string(n.Technology), Legacy: n.Legacy})
		}
		for _, it := range items {
			doc.Items = append(doc.Items, listItem(it))
		}
		content, err := Canonical(doc)
		if err != nil {
			return err
		}
		sha := Digest(content)
		res, err := tx.ExecContext(ctx, `INSERT INTO list_submissions (operator_id, version, submitted_at, user_id, login, item_count, content, sha256)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, op.ID, version, doc.SubmittedAt, a.UserID, a.Login, len(items), string(content), sha)
		if err != nil {
			return fmt.Errorf("store list submission: %w", err)
		}
		id, _ := res.LastInsertId()
		sub = ListSubmission{ID: id, OperatorID: op.ID, Operator: op.Code, Version: version, ItemCount: len(items), Content: content,
			Receipt: newReceipt(KindList, op.Code, listSubject(version, len(items)), id, version, a.Login, at, sha)}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "list.submit", ObjectType: "list_submission", ObjectID: fmt.Sprint(id),
			OperatorID: op.ID, After: sub.Receipt})
	})
	return sub, err
}

func operatorRef(o inventory.Operator) OperatorRef {
	return OperatorRef{Code: o.Code, Name: o.Name, RegistrationNo: o.RegistrationNo}
}

const submissionColumns = `s.id, s.operator_id, o.code, s.version, s.item_count, s.submitted_at, s.login, s.sha256`
const submissionFrom = ` FROM list_submissions s JOIN operators o ON o.id = s.operator_id`

func scanSubmission(r interface{ Scan(...any) error }, extra ...any) (ListSubmission, error) {
	var sub ListSubmission
	var at, login, sha string
	err := r.Scan(append([]any{&sub.ID, &sub.OperatorID, &sub.Operator, &sub.Version, &sub.ItemCount, &at, &login, &sha}, extra...)...)
	t, _ := time.Parse(stampFormat, at)
	sub.Receipt = newReceipt(KindList, sub.Operator, listSubject(sub.Version, sub.ItemCount), sub.ID, sub.Version, login, t, sha)
	return sub, err
}

// Submission returns one list submission with its content, if the actor may see it.
func (s *Service) Submission(ctx context.Context, a access.Actor, id int64) (ListSubmission, error) {
	var content string
	sub, err := scanSubmission(s.db.Read.QueryRowContext(ctx, `SELECT `+submissionColumns+`, s.content`+submissionFrom+` WHERE s.id = ?`, id), &content)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(sub.OperatorID)) {
		return ListSubmission{}, errkind.NotFound("list submission", id)
	}
	if err != nil {
		return ListSubmission{}, fmt.Errorf("read list submission %d: %w", id, err)
	}
	sub.Content = json.RawMessage(content)
	return sub, nil
}

// SubmissionFilter selects list submissions.
type SubmissionFilter struct {
	Operator string // operator code
}

// Submissions lists the list submissions the actor may see, newest first within an
// operator, one page at a time in id order (descending: the cursor is the last id seen).
func (s *Service) Submissions(ctx context.Context, a access.Actor, f SubmissionFilter, p inventory.Page) ([]ListSubmission, int64, error) {
	q := `SELECT ` + submissionColumns + submissionFrom + ` WHERE 1 = 1`
	var args []any
	if p.After > 0 {
		q += ` AND s.id < ?`
		args = append(args, p.After)
	}
	if !a.SeesAll() {
		q += ` AND s.operator_id = ?`
		args = append(args, a.OperatorID)
	}
	if f.Operator != "" {
		q += ` AND o.code = upper(?)`
		args = append(args, f.Operator)
	}
	limit := pageLimit(p)
	q += ` ORDER BY s.id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	defer rows.Close()
	var out []ListSubmission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list submissions: %w", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

func pageLimit(p inventory.Page) int {
	switch {
	case p.Limit <= 0:
		return inventory.DefaultLimit
	case p.Limit > inventory.MaxLimit:
		return inventory.MaxLimit
	}
	return p.Limit
}
