package notice

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
)

// Action is a step of a notice's review.
type Action string

// The steps of a notice's review.
const (
	ActionSubmit      Action = "submit"
	ActionReview      Action = "review"
	ActionAccept      Action = "accept"
	ActionObject      Action = "object"
	ActionRequestInfo Action = "request_info"
	ActionResubmit    Action = "resubmit"
	ActionWithdraw    Action = "withdraw"
)

// step is one allowed transition: from which states, to which, and who takes it.
type step struct {
	from []State
	to   State
	role access.Role
}

// steps is the notice's state machine. The operator's compliance officer submits,
// resubmits and withdraws; the bureau reviews and answers.
var steps = map[Action]step{
	ActionSubmit:      {from: []State{StateDraft}, to: StateSubmitted, role: access.RoleOperator},
	ActionReview:      {from: []State{StateSubmitted, StateResubmitted}, to: StateUnderReview, role: access.RoleBureau},
	ActionAccept:      {from: []State{StateUnderReview}, to: StateAccepted, role: access.RoleBureau},
	ActionObject:      {from: []State{StateUnderReview}, to: StateObjection, role: access.RoleBureau},
	ActionRequestInfo: {from: []State{StateUnderReview}, to: StateInformationRequested, role: access.RoleBureau},
	ActionResubmit:    {from: []State{StateInformationRequested}, to: StateResubmitted, role: access.RoleOperator},
	ActionWithdraw:    {from: []State{StateDraft, StateSubmitted, StateInformationRequested}, to: StateWithdrawn, role: access.RoleOperator},
}

// StepInput is what accompanies a step: the opinion an objection rests on, and a note.
type StepInput struct {
	// Opinion is the reference number of the bureau's opinion that grounds an objection.
	Opinion string `json:"opinion"`
	// Note is the bureau's question or answer, or the operator's explanation.
	Note string `json:"note"`
}

// Step moves a notice one step through its review. Submitting and resubmitting return the
// receipt of what was sent; the other steps return none.
func (s *Service) Step(ctx context.Context, a access.Actor, id int64, act Action, in StepInput) (Notice, *Receipt, error) {
	st, ok := steps[act]
	if !ok {
		return Notice{}, nil, errkind.Invalid("action", "unknown step %q", act)
	}
	n, err := s.Notice(ctx, a, id)
	if err != nil {
		return Notice{}, nil, err
	}
	if !a.Writes(st.role) || (st.role == access.RoleOperator && a.OperatorID != n.OperatorID) {
		return Notice{}, nil, errkind.Forbidden("only %s may %s a notice", roleName(st.role), strings.ReplaceAll(string(act), "_", " "))
	}
	if !slices.Contains(st.from, n.State) {
		return Notice{}, nil, errkind.Conflict("notice %d is %s; it can be %s only when %s", id, n.State, pastTense(act), statesText(st.from))
	}
	in.Opinion, in.Note = strings.TrimSpace(in.Opinion), strings.TrimSpace(in.Note)
	v := &errkind.ValidationError{}
	if act == ActionObject && in.Opinion == "" {
		v.Add("opinion", "an objection names the bureau's opinion that grounds it")
	}
	if act == ActionRequestInfo && in.Note == "" {
		v.Add("note", "say what information the bureau needs")
	}
	if utf8.RuneCountInString(in.Opinion) > 100 {
		v.Add("opinion", "is longer than 100 characters")
	}
	if !utf8.ValidString(in.Note) || utf8.RuneCountInString(in.Note) > 4000 {
		v.Add("note", "must be text of at most 4000 characters")
	}
	if err := v.Err(); err != nil {
		return Notice{}, nil, err
	}
	var sub *submission
	if act == ActionSubmit || act == ActionResubmit {
		if sub, err = s.prepareSubmission(ctx, a, n); err != nil {
			return Notice{}, nil, err
		}
	}
	var receipt *Receipt
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC().Format(timeFormat)
		set, args := `state = ?, updated_at = ?`, []any{st.to, now}
		switch act {
		case ActionObject:
			set += `, opinion = ?, response = ?`
			args = append(args, in.Opinion, in.Note)
		case ActionRequestInfo, ActionAccept:
			set += `, response = ?`
			args = append(args, in.Note)
		}
		if sub != nil {
			set += `, submitted_at = ?, earliest_start = ?, planned_start = ?`
			args = append(args, sub.at.Format(stampFormat), sub.earliest, plannedStart(sub.lines))
		}
		res, err := tx.ExecContext(ctx, `UPDATE notices SET `+set+` WHERE id = ? AND state = ?`, append(args, id, n.State)...)
		if err != nil {
			return fmt.Errorf("%s notice %d: %w", act, id, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return errkind.Conflict("notice %d changed state meanwhile", id)
		}
		if sub != nil {
			if receipt, err = s.storeSubmission(ctx, tx, a, n, sub); err != nil {
				return err
			}
		}
		if err := s.event(ctx, tx, a, id, string(act), n.State, st.to, in.Opinion, in.Note); err != nil {
			return err
		}
		return audit.Append(ctx, tx, a, audit.Entry{Action: "notice." + string(act), ObjectType: "notice", ObjectID: fmt.Sprint(id), OperatorID: n.OperatorID,
			Before: map[string]any{"state": n.State}, After: map[string]any{"state": st.to, "opinion": in.Opinion, "note": in.Note, "receipt": receipt}})
	})
	if err != nil {
		return Notice{}, nil, err
	}
	n, err = s.Notice(ctx, a, id)
	return n, receipt, err
}

func roleName(r access.Role) string {
	if r == access.RoleOperator {
		return "the operator's compliance officer"
	}
	return "the bureau"
}

func pastTense(a Action) string {
	switch a {
	case ActionSubmit:
		return "submitted"
	case ActionReview:
		return "taken for review"
	case ActionAccept:
		return "accepted"
	case ActionObject:
		return "objected to"
	case ActionRequestInfo:
		return "sent back for information"
	case ActionResubmit:
		return "resubmitted"
	}
	return "withdrawn"
}

func statesText(ss []State) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strings.ReplaceAll(string(s), "_", " ")
	}
	return strings.Join(parts, " or ")
}

// submission is a notice ready to be sent: its lines checked again as things stand now,
// its earliest start and its canonical content.
type submission struct {
	at       time.Time
	earliest string
	lines    []Line
	seq      int
	content  []byte
}

// NoticeDocument is the canonical content of a notice's submission.
type NoticeDocument struct {
	Kind          string      `json:"kind"`
	Notice        int64       `json:"notice"`
	Submission    int         `json:"submission"`
	Operator      OperatorRef `json:"operator"`
	Title         string      `json:"title"`
	SubmittedAt   string      `json:"submitted_at"`
	SubmittedBy   string      `json:"submitted_by"`
	EarliestStart string      `json:"earliest_start"`
	Lines         []DocLine   `json:"lines"`
}

// DocLine is a notice line as submitted.
type DocLine struct {
	Line             int                 `json:"line"`
	Change           string              `json:"change"`
	Current          *ListItem           `json:"current"`
	New              inventory.ItemInput `json:"new"`
	NetworkID        int64               `json:"network_id"`
	CriticalPart     string              `json:"critical_part"`
	PlannedStart     string              `json:"planned_start"`
	SimilarFunctions bool                `json:"similar_functions"`
	Verdict          string              `json:"verdict"`
	Clause           string              `json:"clause"`
	Basis            string              `json:"basis"`
	Reasons          []inventory.Text    `json:"reasons"`
	Point64          string              `json:"point64"`
	Warnings         []inventory.Text    `json:"warnings"`
}

// prepareSubmission checks every line again (items and opinions may have changed since
// the draft was saved), refuses what cannot be submitted, and builds the content.
func (s *Service) prepareSubmission(ctx context.Context, a access.Actor, n Notice) (*submission, error) {
	op, err := s.inv.OperatorByID(ctx, a, n.OperatorID)
	if err != nil {
		return nil, err
	}
	in := NoticeInput{Title: n.Title}
	for _, ln := range n.Lines {
		in.Lines = append(in.Lines, LineInput{Change: ln.Change, CurrentItemID: ln.CurrentItemID, New: ln.New, PlannedStart: ln.PlannedStart, SimilarFunctions: ln.SimilarFunctions})
	}
	lines, _, err := s.evaluateAll(ctx, a, op, in, n.Lines)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC().Truncate(time.Second)
	sub := &submission{at: at, earliest: EarliestStart(at), lines: lines, seq: len(n.Receipts) + 1}
	// A resubmission whose lines are unchanged keeps the notice period already running;
	// changed lines start it again.
	if n.State == StateInformationRequested && n.EarliestStart != "" {
		prev, err := s.SubmittedContent(ctx, a, n.ID, len(n.Receipts))
		if err != nil {
			return nil, err
		}
		if sameLines(prev, docLines(lines)) {
			sub.earliest = n.EarliestStart
		}
	}
	v := &errkind.ValidationError{}
	for i, ln := range lines {
		if ln.DoneAt != "" {
			continue
		}
		field := fmt.Sprintf("lines[%d].", i)
		if ln.Exemption.Verdict == inventory.VerdictNoticeRequired && ln.PlannedStart < sub.earliest {
			v.Add(field+"planned_start", "%s is too early: a notice submitted on %s allows this change to start on %s at the earliest (63.3)",
				ln.PlannedStart, RigaDate(at), sub.earliest)
		}
		for _, r := range ln.Refusals {
			v.Add(field+"new", "%s", r)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	doc := NoticeDocument{Kind: KindNotice, Notice: n.ID, Submission: sub.seq, Operator: operatorRef(op), Title: n.Title,
		SubmittedAt: at.Format(stampFormat), SubmittedBy: a.Login, EarliestStart: sub.earliest, Lines: docLines(lines)}
	if sub.content, err = Canonical(doc); err != nil {
		return nil, err
	}
	return sub, nil
}

func docLines(lines []Line) []DocLine {
	out := make([]DocLine, 0, len(lines))
	for _, ln := range lines {
		d := DocLine{Line: ln.No, Change: string(ln.Change), New: ln.New, NetworkID: ln.NetworkID, CriticalPart: ln.CriticalPart,
			PlannedStart: ln.PlannedStart, SimilarFunctions: ln.SimilarFunctions, Verdict: string(ln.Exemption.Verdict),
			Clause: ln.Exemption.Clause, Basis: string(ln.Exemption.Basis), Reasons: ln.Exemption.Reasons, Warnings: ln.Warnings}
		if ln.Current != nil {
			li := listItem(*ln.Current)
			d.Current = &li
		}
		if ln.Point64 != nil {
			d.Point64 = ln.Point64.Status
		}
		if d.Reasons == nil {
			d.Reasons = []inventory.Text{}
		}
		if d.Warnings == nil {
			d.Warnings = []inventory.Text{}
		}
		out = append(out, d)
	}
	return out
}

// sameLines reports whether the lines of a submitted document are those given.
func sameLines(prevContent []byte, lines []DocLine) bool {
	var prev struct {
		Lines json.RawMessage `json:"lines"`
	}
	if err := json.Unmarshal(prevContent, &prev); err != nil {
		return false
	}
	var generic any
	if err := json.Unmarshal(prev.Lines, &generic); err != nil {
		return false
	}
	a, err1 := Canonical(generic)
	b, err2 := Canonical(lines)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

func (s *Service) storeSubmission(ctx context.Context, tx *sql.Tx, a access.Actor, n Notice, sub *submission) (*Receipt, error) {
	sha := Digest(sub.content)
	if _, err := tx.ExecContext(ctx, `INSERT INTO notice_submissions (notice_id, seq, submitted_at, login, content, sha256) VALUES (?, ?, ?, ?, ?, ?)`,
		n.ID, sub.seq, sub.at.Format(stampFormat), a.Login, string(sub.content), sha); err != nil {
		return nil, fmt.Errorf("store submission of notice %d: %w", n.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM notice_lines WHERE notice_id = ?`, n.ID); err != nil {
		return nil, fmt.Errorf("store submission of notice %d: %w", n.ID, err)
	}
	if err := writeLines(ctx, tx, n.ID, sub.lines); err != nil {
		return nil, err
	}
	r := newReceipt(KindNotice, n.Operator, noticeSubject(n.ID, sub.seq, len(sub.lines)), n.ID, sub.seq, a.Login, sub.at, sha)
	return &r, nil
}
