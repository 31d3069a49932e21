package notice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"critreg/access"
	"critreg/errkind"
	"critreg/inventory"
)

// State is where a notice stands in its review.
type State string

// The states of a notice.
const (
	StateDraft                State = "draft"
	StateSubmitted            State = "submitted"
	StateUnderReview          State = "under_review"
	StateAccepted             State = "accepted"
	StateObjection            State = "objection"
	StateInformationRequested State = "information_requested"
	StateResubmitted          State = "resubmitted"
	StateWithdrawn            State = "withdrawn"
)

// Notice is an operator's change notice to the bureau (63.3).
type Notice struct {
	ID         int64  `json:"id"`
	OperatorID int64  `json:"operator_id"`
	Operator   string `json:"operator"`
	Title      string `json:"title"`
	State      State  `json:"state"`
	// SubmittedAt is the instant of the latest submission (UTC); SubmittedDate its date in
	// Riga, from which the notice period runs.
	SubmittedAt   string `json:"submitted_at,omitempty"`
	SubmittedDate string `json:"submitted_date,omitempty"`
	// EarliestStart is the first day the notified changes may start (YYYY-MM-DD, Riga).
	EarliestStart string `json:"earliest_start,omitempty"`
	// PlannedStart is the earliest planned start of its lines.
	PlannedStart string `json:"planned_start,omitempty"`
	// Opinion is the reference of the bureau's opinion an objection rests on; Response the
	// bureau's latest words to the operator.
	Opinion   string    `json:"opinion,omitempty"`
	Response  string    `json:"response,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Lines     []Line    `json:"lines,omitempty"`
	History   []Event   `json:"history,omitempty"`
	Receipts  []Receipt `json:"receipts,omitempty"`
}

// Line is one planned change of a notice.
type Line struct {
	No            int              `json:"line"`
	Change        inventory.Change `json:"change"`
	CurrentItemID int64            `json:"current_item_id,omitempty"`
	// Current is the item changed as it stood when the line was last saved or submitted.
	Current          *inventory.Item     `json:"current,omitempty"`
	New              inventory.ItemInput `json:"new"`
	NetworkID        int64               `json:"network_id"`
	CriticalPart     string              `json:"critical_part"`
	PlannedStart     string              `json:"planned_start"`
	SimilarFunctions bool                `json:"similar_functions"`
	Exemption        inventory.Exemption `json:"exemption"`
	Point64          *Point64Status      `json:"point64,omitempty"`
	// Warnings do not stop the notice (a prohibited item in a legacy network before 2030);
	// Refusals stop its submission.
	Warnings []inventory.Text `json:"warnings"`
	Refusals []inventory.Text `json:"refusals"`
	// DoneAt is when the operator marked the line carried out; ResultItemID the item the
	// list holds for it since (0 for a removal).
	DoneAt       string `json:"done_at,omitempty"`
	DoneBy       string `json:"done_by,omitempty"`
	ResultItemID int64  `json:"result_item_id,omitempty"`
}

// Event is one step of a notice's history.
type Event struct {
	At      time.Time `json:"at"`
	Action  string    `json:"action"`
	From    State     `json:"from"`
	To      State     `json:"to"`
	Login   string    `json:"login"`
	Role    string    `json:"role"`
	Opinion string    `json:"opinion,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// LineInput is a planned change as an operator writes it.
type LineInput struct {
	Change        inventory.Change `json:"change"`
	CurrentItemID int64            `json:"current_item_id"`
	// New is the item that goes in (annex-7 fields). With a current item, empty fields
	// keep its values.
	New              inventory.ItemInput `json:"new"`
	PlannedStart     string              `json:"planned_start"`
	SimilarFunctions bool                `json:"similar_functions"`
}

// NoticeInput is a draft notice. Operator is the operator's code; its own users may
// leave it out.
type NoticeInput struct {
	Operator string      `json:"operator"`
	Title    string      `json:"title"`
	Lines    []LineInput `json:"lines"`
}

const noticeColumns = `n.id, n.operator_id, o.code, n.title, n.state, n.submitted_at, n.earliest_start, n.planned_start,
	n.opinion, n.response, n.created_by, n.created_at, n.updated_at`
const noticeFrom = ` FROM notices n JOIN operators o ON o.id = n.operator_id`

func scanNotice(r interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	var created, updated string
	err := r.Scan(&n.ID, &n.OperatorID, &n.Operator, &n.Title, &n.State, &n.SubmittedAt, &n.EarliestStart, &n.PlannedStart,
		&n.Opinion, &n.Response, &n.CreatedBy, &created, &updated)
	n.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	n.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	if t, perr := time.Parse(stampFormat, n.SubmittedAt); perr == nil && n.SubmittedAt != "" {
		n.SubmittedDate = RigaDate(t)
	}
	return n, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// noticeTx reads a notice with its lines, history and receipts, if the actor may see it.
func (s *Service) noticeTx(ctx context.Context, q querier, a access.Actor, id int64) (Notice, error) {
	n, err := scanNotice(q.QueryRowContext(ctx, `SELECT `+noticeColumns+noticeFrom+` WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !seesNotice(a, n)) {
		return Notice{}, errkind.NotFound("notice", id)
	}
	if err != nil {
		return Notice{}, fmt.Errorf("read notice %d: %w", id, err)
	}
	if n.Lines, err = readLines(ctx, q, id); err != nil {
		return Notice{}, err
	}
	if n.History, err = readHistory(ctx, q, id); err != nil {
		return Notice{}, err
	}
	if n.Receipts, err = s.readReceipts(ctx, q, n); err != nil {
		return Notice{}, err
	}
	return n, nil
}

// seesNotice: the operator's own users see its notices; the bureau and admins see them
// once submitted, since a draft is the operator's work in progress.
func seesNotice(a access.Actor, n Notice) bool {
	return a.Sees(n.OperatorID) && (n.State != StateDraft || a.Role.OperatorScoped())
}

// Notice returns one notice, if the actor may see it.
func (s *Service) Notice(ctx context.Context, a access.Actor, id int64) (Notice, error) {
	return s.noticeTx(ctx, s.db.Read, a, id)
}

const lineColumns = `line_no, change, current_item_id, current_item, new_item, network_id, critical_part, planned_start,
	similar_functions, exemption, point64, warnings, done_at, done_by, result_item_id`

func readLines(ctx context.Context, q querier, id int64) ([]Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+lineColumns+` FROM notice_lines WHERE notice_id = ? ORDER BY line_no`, id)
	if err != nil {
		return nil, fmt.Errorf("read lines of notice %d: %w", id, err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var ln Line
		var cur sql.NullString
		var newItem, exemption, p64, warnings string
		if err := rows.Scan(&ln.No, &ln.Change, &ln.CurrentItemID, &cur, &newItem, &ln.NetworkID, &ln.CriticalPart, &ln.PlannedStart,
			&ln.SimilarFunctions, &exemption, &p64, &warnings, &ln.DoneAt, &ln.DoneBy, &ln.ResultItemID); err != nil {
			return nil, fmt.Errorf("read lines of notice %d: %w", id, err)
		}
		if cur.Valid {
			ln.Current = &inventory.Item{}
			if err := json.Unmarshal([]byte(cur.String), ln.Current); err != nil {
				return nil, fmt.Errorf("notice %d line %d: current item: %w", id, ln.No, err)
			}
		}
		for _, f := range []struct {
			raw string
			to  any
		}{{newItem, &ln.New}, {exemption, &ln.Exemption}, {p64, &ln.Point64}, {warnings, &ln.Warnings}} {
			if err := json.Unmarshal([]byte(f.raw), f.to); err != nil {
				return nil, fmt.Errorf("notice %d line %d: %w", id, ln.No, err)
			}
		}
		ln.Refusals = refusals(ln)
		if ln.Warnings == nil {
			ln.Warnings = []inventory.Text{}
		}
		out = append(out, ln)
	}
	return out, rows.Err()
}

func readHistory(ctx context.Context, q querier, id int64) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT at, action, from_state, to_state, login, role, opinion, note FROM notice_events
		WHERE notice_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("read history of notice %d: %w", id, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&at, &e.Action, &e.From, &e.To, &e.Login, &e.Role, &e.Opinion, &e.Note); err != nil {
			return nil, fmt.Errorf("read history of notice %d: %w", id, err)
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Service) readReceipts(ctx context.Context, q querier, n Notice) ([]Receipt, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, submitted_at, login, sha256, content FROM notice_submissions WHERE notice_id = ? ORDER BY seq`, n.ID)
	if err != nil {
		return nil, fmt.Errorf("read receipts of notice %d: %w", n.ID, err)
	}
	defer rows.Close()
	var out []Receipt
	for rows.Next() {
		var seq int
		var at, login, sha, content string
		if err := rows.Scan(&seq, &at, &login, &sha, &content); err != nil {
			return nil, fmt.Errorf("read receipts of notice %d: %w", n.ID, err)
		}
		var doc struct {
			Lines []json.RawMessage `json:"lines"`
		}
		_ = json.Unmarshal([]byte(content), &doc)
		t, _ := time.Parse(stampFormat, at)
		out = append(out, newReceipt(KindNotice, n.Operator, noticeSubject(n.ID, seq, len(doc.Lines)), n.ID, seq, login, t, sha))
	}
	return out, rows.Err()
}

// SubmittedContent returns the canonical content of a notice's submission seq (1 for the
// first), byte for byte as hashed in its receipt.
func (s *Service) SubmittedContent(ctx context.Context, a access.Actor, id int64, seq int) ([]byte, error) {
	if _, err := s.Notice(ctx, a, id); err != nil {
		return nil, err
	}
	var content string
	err := s.db.Read.QueryRowContext(ctx, `SELECT content FROM notice_submissions WHERE notice_id = ? AND seq = ?`, id, seq).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errkind.NotFound("submission of notice", fmt.Sprintf("%d/%d", id, seq))
	}
	if err != nil {
		return nil, fmt.Errorf("read submission %d of notice %d: %w", seq, id, err)
	}
	return []byte(content), nil
}

// NoticeFilter selects notices.
type NoticeFilter struct {
	Operator string
	State    State
}

// Notices lists the notices the actor may see, without their lines, in id order.
func (s *Service) Notices(ctx context.Context, a access.Actor, f NoticeFilter, p inventory.Page) ([]Notice, int64, error) {
	q := `SELECT ` + noticeColumns + noticeFrom + ` WHERE n.id > ?`
	args := []any{p.After}
	if !a.SeesAll() {
		q += ` AND n.operator_id = ?`
		args = append(args, a.OperatorID)
	} else {
		q += ` AND n.state <> 'draft'`
	}
	if f.Operator != "" {
		q += ` AND o.code = upper(?)`
		args = append(args, f.Operator)
	}
	if f.State != "" {
		q += ` AND n.state = ?`
		args = append(args, f.State)
	}
	limit := pageLimit(p)
	q += ` ORDER BY n.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.Read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list notices: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list notices: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list notices: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}
