package notice

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
		if err := s.indexSubmission(ctx, tx, op.ID, id, doc.Items, content); err != nil {
			return err
		}
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

// indexEntry is one item of a submission's index: its id and the SHA-256 of its canonical
// JSON, exactly the bytes the submission's content holds for it.
type indexEntry struct {
	id  int64
	sha [sha256.Size]byte
}

const indexEntrySize = 8 + sha256.Size

func encodeIndex(es []indexEntry) []byte {
	out := make([]byte, 0, len(es)*indexEntrySize)
	for _, e := range es {
		out = binary.BigEndian.AppendUint64(out, uint64(e.id))
		out = append(out, e.sha[:]...)
	}
	return out
}

func decodeIndex(b []byte) ([]indexEntry, error) {
	if len(b)%indexEntrySize != 0 {
		return nil, fmt.Errorf("list index of %d bytes is not whole entries", len(b))
	}
	out := make([]indexEntry, len(b)/indexEntrySize)
	for i := range out {
		e := b[i*indexEntrySize:]
		out[i].id = int64(binary.BigEndian.Uint64(e))
		copy(out[i].sha[:], e[8:indexEntrySize])
	}
	return out, nil
}

// find returns the entry of item id in es, sorted by id.
func find(es []indexEntry, id int64) (indexEntry, bool) {
	k, ok := slices.BinarySearchFunc(es, id, func(e indexEntry, id int64) int { return cmp.Compare(e.id, id) })
	if !ok {
		return indexEntry{}, false
	}
	return es[k], true
}

// itemsPrefix opens every list document's canonical form: "items" sorts first of its keys.
const itemsPrefix = `{"items":[`

// itemSlices cuts the canonical content of a list document into the canonical JSON of
// each item, in order, as sub-slices of content.
func itemSlices(content []byte) ([][]byte, error) {
	if !bytes.HasPrefix(content, []byte(itemsPrefix)) {
		return nil, errors.New("list document does not open with its items")
	}
	var out [][]byte
	i := len(itemsPrefix)
	if i < len(content) && content[i] == ']' {
		return out, nil
	}
	for i < len(content) {
		if content[i] != '{' {
			return nil, fmt.Errorf("list document: item %d does not open at byte %d", len(out), i)
		}
		start, depth, inString := i, 0, false
		for ; i < len(content); i++ {
			c := content[i]
			switch {
			case inString && c == '\\':
				i++
			case c == '"':
				inString = !inString
			case inString:
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if i >= len(content) {
			return nil, fmt.Errorf("list document: item %d is not closed", len(out))
		}
		i++
		out = append(out, content[start:i])
		if i >= len(content) {
			break
		}
		switch content[i] {
		case ',':
			i++
		case ']':
			return out, nil
		default:
			return nil, fmt.Errorf("list document: unexpected %q after item %d", content[i], len(out)-1)
		}
	}
	return nil, errors.New("list document: the items are not closed")
}

// indexSubmission records submission id's index and the item versions it names, within
// the transaction that stores it, and prunes the change log the index makes obsolete.
// items is the document's list, content its canonical JSON.
func (s *Service) indexSubmission(ctx context.Context, tx *sql.Tx, operatorID, id int64, items []ListItem, content []byte) error {
	raws, err := itemSlices(content)
	if err != nil {
		return err
	}
	if len(raws) != len(items) {
		return fmt.Errorf("list document holds %d items, want %d", len(raws), len(items))
	}
	// Item versions stored for an earlier submission are stored already: only new ones
	// are written.
	var prevBlob []byte
	err = tx.QueryRowContext(ctx, `SELECT x.items FROM list_submission_index x JOIN list_submissions s ON s.id = x.submission_id
		WHERE s.operator_id = ? AND s.id <> ? ORDER BY s.version DESC LIMIT 1`, operatorID, id).Scan(&prevBlob)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read index of the previous list submission: %w", err)
	}
	prev, err := decodeIndex(prevBlob)
	if err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO list_item_versions (sha256, item) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("store item versions: %w", err)
	}
	defer ins.Close()
	es := make([]indexEntry, len(items))
	for i, raw := range raws {
		es[i] = indexEntry{id: items[i].ID, sha: sha256.Sum256(raw)}
		if p, ok := find(prev, es[i].id); ok && p.sha == es[i].sha {
			continue
		}
		var head struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil || head.ID != items[i].ID {
			return fmt.Errorf("list document: item %d is %d, want %d (%v)", i, head.ID, items[i].ID, err)
		}
		if _, err := ins.ExecContext(ctx, es[i].sha[:], string(raw)); err != nil {
			return fmt.Errorf("store version of item %d: %w", items[i].ID, err)
		}
	}
	// The submit holds the write lock: every change committed is at or below the sequence.
	var mark int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'list_item_changes'), 0)`).Scan(&mark); err != nil {
		return fmt.Errorf("read item change sequence: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO list_submission_index (submission_id, change_seq, items) VALUES (?, ?, ?)`, id, mark, encodeIndex(es)); err != nil {
		return fmt.Errorf("store list submission index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM list_item_changes WHERE operator_id = ? AND seq <= ?`, operatorID, mark); err != nil {
		return fmt.Errorf("prune item change log: %w", err)
	}
	return nil
}

// itemVersions reads the items stored under the digests given, decoded.
func itemVersions(ctx context.Context, q interface {
	PrepareContext(context.Context, string) (*sql.Stmt, error)
}, shas [][sha256.Size]byte) (map[[sha256.Size]byte]ListItem, error) {
	out := make(map[[sha256.Size]byte]ListItem, len(shas))
	if len(shas) == 0 {
		return out, nil
	}
	st, err := q.PrepareContext(ctx, `SELECT item FROM list_item_versions WHERE sha256 = ?`)
	if err != nil {
		return nil, fmt.Errorf("read item versions: %w", err)
	}
	defer st.Close()
	for _, sha := range shas {
		if _, ok := out[sha]; ok {
			continue
		}
		var raw []byte
		if err := st.QueryRowContext(ctx, sha[:]).Scan(&raw); err != nil {
			return nil, fmt.Errorf("read item version %x: %w", sha, err)
		}
		var it ListItem
		if err := json.Unmarshal(raw, &it); err != nil {
			return nil, fmt.Errorf("read item version %x: %w", sha, err)
		}
		out[sha] = it
	}
	return out, nil
}

// submissionIndex reads submission id's index and change sequence; ok is false for a
// submission made before submissions were indexed.
func submissionIndex(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (es []indexEntry, mark int64, ok bool, err error) {
	var blob []byte
	err = q.QueryRowContext(ctx, `SELECT change_seq, items FROM list_submission_index WHERE submission_id = ?`, id).Scan(&mark, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("read index of list submission %d: %w", id, err)
	}
	es, err = decodeIndex(blob)
	return es, mark, err == nil, err
}

// submissionHead returns one list submission without its content, if the actor may see it.
func (s *Service) submissionHead(ctx context.Context, a access.Actor, id int64) (ListSubmission, error) {
	sub, err := scanSubmission(s.db.Read.QueryRowContext(ctx, `SELECT `+submissionColumns+submissionFrom+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Sees(sub.OperatorID)) {
		return ListSubmission{}, errkind.NotFound("list submission", id)
	}
	if err != nil {
		return ListSubmission{}, fmt.Errorf("read list submission %d: %w", id, err)
	}
	return sub, nil
}
