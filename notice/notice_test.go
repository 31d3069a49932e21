package notice

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/errkind"
	"critreg/inventory"
	"critreg/vetting"
)

func TestSubmitEarliestStart(t *testing.T) {
	tests := []struct {
		name     string
		at       string
		change   inventory.Change
		planned  string
		want     error
		text     string
		earliest string
	}{
		{"notice a day early", "2027-01-31T10:00:00Z", inventory.ChangeReplaceDevice, "2027-02-27", invalid, "2027-02-28", ""},
		{"notice on the earliest day (February of a common year)", "2027-01-31T10:00:00Z", inventory.ChangeReplaceDevice, "2027-02-28", nil, "", "2027-02-28"},
		{"leap year: 28 February is too early", "2028-01-31T10:00:00Z", inventory.ChangeReplaceDevice, "2028-02-28", invalid, "2028-02-29", ""},
		{"leap year: 29 February", "2028-01-31T10:00:00Z", inventory.ChangeReplaceDevice, "2028-02-29", nil, "", "2028-02-29"},
		{"1 April in Riga: 30 April is too early", "2026-03-31T23:30:00Z", inventory.ChangeReplaceDevice, "2026-04-30", invalid, "2026-05-01", ""},
		{"1 April in Riga: 1 May", "2026-03-31T23:30:00Z", inventory.ChangeReplaceDevice, "2026-05-01", nil, "", "2026-05-01"},
		{"exempt line may start at once", "2027-01-31T10:00:00Z", inventory.ChangeUpdateSoftware, "2027-02-01", nil, "", "2027-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			cur := e.router("Ericsson AB", "MME 1000")
			in := inventory.ItemInput{Manufacturer: "Nokia", Model: "MME 9"}
			if tt.change == inventory.ChangeUpdateSoftware {
				in = inventory.ItemInput{Version: "1.1"}
			}
			n := e.draft(e.alice, LineInput{Change: tt.change, CurrentItemID: cur.ID, New: in, PlannedStart: tt.planned})
			e.at(tt.at)
			got, r, err := e.svc.Step(e.ctx, e.alice, n.ID, ActionSubmit, StepInput{})
			wantErr(t, "submit", err, tt.want, tt.text)
			if tt.want != nil {
				if again, _ := e.svc.Notice(e.ctx, e.alice, n.ID); again.State != StateDraft || len(again.Receipts) != 0 {
					t.Errorf("refused notice is %s with %d receipts, want a draft without any", again.State, len(again.Receipts))
				}
				return
			}
			if got.State != StateSubmitted || got.EarliestStart != tt.earliest {
				t.Errorf("submitted notice = %s, earliest %s, want submitted, %s", got.State, got.EarliestStart, tt.earliest)
			}
			if r == nil || r.SubmittedAtUTC != mustTime(t, tt.at).UTC().Format(stampFormat) {
				t.Fatalf("receipt = %+v, want one stamped %s", r, tt.at)
			}
			if !strings.HasPrefix(r.SubmittedAtRiga, RigaDate(mustTime(t, tt.at))) {
				t.Errorf("receipt Riga time = %s, want the Riga date %s", r.SubmittedAtRiga, RigaDate(mustTime(t, tt.at)))
			}
		})
	}
}

func TestReceiptTimes(t *testing.T) {
	e := newEnv(t)
	cur := e.router("Ericsson AB", "MME 1000")
	n := e.draft(e.alice, LineInput{Change: inventory.ChangeRemove, CurrentItemID: cur.ID, PlannedStart: "2026-04-01"})
	e.at("2026-03-31T23:30:00Z")
	_, r, err := e.svc.Step(e.ctx, e.alice, n.ID, ActionSubmit, StepInput{})
	if err != nil {
		t.Fatal(err)
	}
	if r.SubmittedAtUTC != "2026-03-31T23:30:00Z" || r.SubmittedAtRiga != "2026-04-01T02:30:00+03:00" {
		t.Errorf("receipt times = %s / %s, want 2026-03-31T23:30:00Z / 2026-04-01T02:30:00+03:00", r.SubmittedAtUTC, r.SubmittedAtRiga)
	}
	content, err := e.svc.SubmittedContent(e.ctx, e.bea, n.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !Verify(content, r.SHA256) {
		t.Errorf("Verify(content of notice %d, %s) = false, want true", n.ID, r.SHA256)
	}
	if !strings.Contains(string(content), `"submitted_at":"2026-03-31T23:30:00Z"`) || !strings.Contains(string(content), `"earliest_start":"2026-05-01"`) {
		t.Errorf("content = %s, want the submission time and earliest start in it", content)
	}
	got, _ := e.svc.Notice(e.ctx, e.alice, n.ID)
	if got.SubmittedDate != "2026-04-01" || len(got.Receipts) != 1 || got.Receipts[0] != *r {
		t.Errorf("notice = date %s, receipts %+v, want 2026-04-01 and the receipt given", got.SubmittedDate, got.Receipts)
	}
}

func TestStepRoles(t *testing.T) {
	// reach drives a fresh notice to a state with the right actors.
	reach := func(e *env, s State) Notice {
		cur := e.router("Ericsson AB", "MME 1000")
		n := e.draft(e.alice, LineInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: cur.ID, New: inventory.ItemInput{Manufacturer: "Nokia", Model: "MME 9"}, PlannedStart: "2027-03-01"})
		path := map[State][]Action{
			StateDraft:                nil,
			StateSubmitted:            {ActionSubmit},
			StateUnderReview:          {ActionSubmit, ActionReview},
			StateInformationRequested: {ActionSubmit, ActionReview, ActionRequestInfo},
			StateAccepted:             {ActionSubmit, ActionReview, ActionAccept},
		}[s]
		for _, act := range path {
			who := e.alice
			if steps[act].role == access.RoleBureau {
				who = e.bea
			}
			n = e.step(who, n.ID, act, StepInput{Note: "what is the MME 9?"})
		}
		return n
	}
	roOperator := func(e *env) access.Actor { a := e.alice; a.ReadOnly = true; return a }
	tests := []struct {
		from State
		act  Action
		who  func(e *env) access.Actor
		in   StepInput
		want error
		to   State
	}{
		{StateDraft, ActionSubmit, func(e *env) access.Actor { return e.eric }, StepInput{}, errkind.ErrForbidden, ""},
		{StateDraft, ActionSubmit, func(e *env) access.Actor { return e.bob }, StepInput{}, errkind.ErrNotFound, ""},
		{StateDraft, ActionSubmit, func(e *env) access.Actor { return e.bea }, StepInput{}, errkind.ErrNotFound, ""},
		{StateDraft, ActionSubmit, func(e *env) access.Actor { return e.adm }, StepInput{}, errkind.ErrNotFound, ""},
		{StateDraft, ActionSubmit, roOperator, StepInput{}, errkind.ErrForbidden, ""},
		{StateDraft, ActionSubmit, func(e *env) access.Actor { return e.alice }, StepInput{}, nil, StateSubmitted},
		{StateDraft, ActionReview, func(e *env) access.Actor { return e.bea }, StepInput{}, errkind.ErrNotFound, ""},
		{StateDraft, ActionWithdraw, func(e *env) access.Actor { return e.alice }, StepInput{}, nil, StateWithdrawn},

		{StateSubmitted, ActionReview, func(e *env) access.Actor { return e.alice }, StepInput{}, errkind.ErrForbidden, ""},
		{StateSubmitted, ActionReview, func(e *env) access.Actor { return e.eric }, StepInput{}, errkind.ErrForbidden, ""},
		{StateSubmitted, ActionReview, func(e *env) access.Actor { return e.adm }, StepInput{}, errkind.ErrForbidden, ""},
		{StateSubmitted, ActionReview, func(e *env) access.Actor { return e.bob }, StepInput{}, errkind.ErrNotFound, ""},
		{StateSubmitted, ActionReview, func(e *env) access.Actor { return e.bea }, StepInput{}, nil, StateUnderReview},
		{StateSubmitted, ActionAccept, func(e *env) access.Actor { return e.bea }, StepInput{}, errkind.ErrConflict, ""},
		{StateSubmitted, ActionSubmit, func(e *env) access.Actor { return e.alice }, StepInput{}, errkind.ErrConflict, ""},
		{StateSubmitted, ActionWithdraw, func(e *env) access.Actor { return e.bea }, StepInput{}, errkind.ErrForbidden, ""},
		{StateSubmitted, ActionWithdraw, func(e *env) access.Actor { return e.eric }, StepInput{}, errkind.ErrForbidden, ""},
		{StateSubmitted, ActionWithdraw, func(e *env) access.Actor { return e.alice }, StepInput{Note: "plans changed"}, nil, StateWithdrawn},

		{StateUnderReview, ActionAccept, func(e *env) access.Actor { return e.alice }, StepInput{}, errkind.ErrForbidden, ""},
		{StateUnderReview, ActionAccept, func(e *env) access.Actor { return e.adm }, StepInput{}, errkind.ErrForbidden, ""},
		{StateUnderReview, ActionAccept, func(e *env) access.Actor { return e.bea }, StepInput{}, nil, StateAccepted},
		{StateUnderReview, ActionObject, func(e *env) access.Actor { return e.alice }, StepInput{Opinion: "SAB-2026/1"}, errkind.ErrForbidden, ""},
		{StateUnderReview, ActionObject, func(e *env) access.Actor { return e.bea }, StepInput{}, invalid, ""},
		{StateUnderReview, ActionObject, func(e *env) access.Actor { return e.bea }, StepInput{Opinion: "SAB-2026/1", Note: "see the opinion"}, nil, StateObjection},
		{StateUnderReview, ActionRequestInfo, func(e *env) access.Actor { return e.eric }, StepInput{Note: "?"}, errkind.ErrForbidden, ""},
		{StateUnderReview, ActionRequestInfo, func(e *env) access.Actor { return e.bea }, StepInput{}, invalid, ""},
		{StateUnderReview, ActionRequestInfo, func(e *env) access.Actor { return e.bea }, StepInput{Note: "which sites?"}, nil, StateInformationRequested},
		{StateUnderReview, ActionWithdraw, func(e *env) access.Actor { return e.alice }, StepInput{}, errkind.ErrConflict, ""},

		{StateInformationRequested, ActionResubmit, func(e *env) access.Actor { return e.bea }, StepInput{}, errkind.ErrForbidden, ""},
		{StateInformationRequested, ActionResubmit, func(e *env) access.Actor { return e.eric }, StepInput{}, errkind.ErrForbidden, ""},
		{StateInformationRequested, ActionResubmit, func(e *env) access.Actor { return e.bob }, StepInput{}, errkind.ErrNotFound, ""},
		{StateInformationRequested, ActionResubmit, func(e *env) access.Actor { return e.alice }, StepInput{Note: "all sites"}, nil, StateResubmitted},
		{StateInformationRequested, ActionWithdraw, func(e *env) access.Actor { return e.alice }, StepInput{}, nil, StateWithdrawn},

		{StateAccepted, ActionWithdraw, func(e *env) access.Actor { return e.alice }, StepInput{}, errkind.ErrConflict, ""},
		{StateAccepted, ActionObject, func(e *env) access.Actor { return e.bea }, StepInput{Opinion: "SAB-2026/1"}, errkind.ErrConflict, ""},
	}
	for _, tt := range tests {
		e := newEnv(t)
		who := tt.who(e)
		t.Run(string(tt.from)+"/"+string(tt.act)+"/"+who.Login+map[bool]string{true: "-ro"}[who.ReadOnly], func(t *testing.T) {
			e.t = t
			n := reach(e, tt.from)
			got, _, err := e.svc.Step(e.ctx, who, n.ID, tt.act, tt.in)
			wantErr(t, "Step("+string(tt.act)+")", err, tt.want, "")
			after, _ := e.svc.Notice(e.ctx, e.alice, n.ID)
			if tt.want != nil {
				if after.State != tt.from {
					t.Errorf("refused step left the notice %s, want %s", after.State, tt.from)
				}
				return
			}
			if got.State != tt.to {
				t.Errorf("state = %s, want %s", got.State, tt.to)
			}
			last := got.History[len(got.History)-1]
			if last.Action != string(tt.act) || last.From != tt.from || last.To != tt.to || last.Login != who.Login || last.At.IsZero() {
				t.Errorf("last event = %+v, want %s by %s from %s to %s with a time", last, tt.act, who.Login, tt.from, tt.to)
			}
			if tt.act == ActionObject && (got.Opinion != tt.in.Opinion || last.Opinion != tt.in.Opinion) {
				t.Errorf("objection opinion = %q / %q, want %q", got.Opinion, last.Opinion, tt.in.Opinion)
			}
			recs, err := audit.List(e.ctx, e.svc.db.Read, e.bea, audit.Filter{ObjectType: "notice", Action: "notice." + string(tt.act)})
			if err != nil || len(recs) == 0 || recs[0].Login != who.Login {
				t.Errorf("audit of %s = %v, %v, want a record by %s", tt.act, recs, err, who.Login)
			}
		})
	}
}

func TestMarkDone(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	sw := e.item(e.alice, inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "2.1", Kind: inventory.KindSoftware, Name: "HSS", Manufacturer: "Ericsson AB", Version: "3.2"})
	old := e.item(e.alice, inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "1.8", Kind: inventory.KindEquipment, Name: "old NMS", Manufacturer: "Ericsson AB"})
	n := e.draft(e.alice,
		LineInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: mme.ID, New: inventory.ItemInput{Manufacturer: "Nokia", Model: "MME 9", Serial: "N-1"}, PlannedStart: "2027-02-10"},
		LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: sw.ID, New: inventory.ItemInput{Version: "3.3"}, PlannedStart: "2027-01-11"},
		LineInput{Change: inventory.ChangeExpandCapacity, New: inventory.ItemInput{NetworkID: e.lte.ID, CriticalPart: "2.4", Kind: inventory.KindEquipment, Manufacturer: "Ericsson AB", Model: "MME 1000", Quantity: 2}, PlannedStart: "2027-01-11"},
		LineInput{Change: inventory.ChangeRemove, CurrentItemID: old.ID, PlannedStart: "2027-01-11"},
	)
	verdicts := []inventory.Verdict{inventory.VerdictNoticeRequired, inventory.VerdictExempt, inventory.VerdictExempt, inventory.VerdictNoNotice}
	for i, ln := range n.Lines {
		if ln.Exemption.Verdict != verdicts[i] {
			t.Errorf("line %d verdict = %s, want %s", ln.No, ln.Exemption.Verdict, verdicts[i])
		}
	}
	_, err := e.svc.MarkDone(e.ctx, e.alice, n.ID, 2)
	wantErr(t, "MarkDone on a draft", err, errkind.ErrConflict, "draft")

	e.step(e.alice, n.ID, ActionSubmit, StepInput{}) // 2027-01-10: earliest start 2027-02-10
	e.step(e.bea, n.ID, ActionReview, StepInput{})

	_, err = e.svc.MarkDone(e.ctx, e.bea, n.ID, 2)
	wantErr(t, "MarkDone by the bureau", err, errkind.ErrForbidden, "")
	_, err = e.svc.MarkDone(e.ctx, e.bob, n.ID, 2)
	wantErr(t, "MarkDone by another operator", err, errkind.ErrNotFound, "")
	_, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 9)
	wantErr(t, "MarkDone of a line that is not there", err, errkind.ErrNotFound, "")

	// Exempt lines go ahead at once; the engineer may carry them out.
	got, err := e.svc.MarkDone(e.ctx, e.eric, n.ID, 2)
	wantErr(t, "MarkDone of the exempt update", err, nil, "")
	if ln := got.Lines[1]; ln.DoneAt == "" || ln.DoneBy != "eric" || ln.ResultItemID != sw.ID {
		t.Errorf("line 2 = done %q by %q item %d, want done by eric on item %d", ln.DoneAt, ln.DoneBy, ln.ResultItemID, sw.ID)
	}
	checkItem(t, e, sw.ID, "3.3", "Ericsson AB", n.ID, 2)
	_, err = e.svc.MarkDone(e.ctx, e.eric, n.ID, 2)
	wantErr(t, "MarkDone twice", err, errkind.ErrConflict, "carried out")

	got, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 3)
	wantErr(t, "MarkDone of the capacity expansion", err, nil, "")
	added := got.Lines[2].ResultItemID
	checkItem(t, e, added, "", "Ericsson AB", n.ID, 3)

	_, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 4)
	wantErr(t, "MarkDone of the removal", err, nil, "")
	if _, err := e.inv.Item(e.ctx, e.alice, old.ID); !errors.Is(err, errkind.ErrNotFound) {
		t.Errorf("removed item %d: %v, want not found", old.ID, err)
	}

	// An edit made since the submission, to a field the line does not change, stays.
	edited := mme.Input()
	edited.Site = "Riga DC"
	if _, err := e.inv.UpdateItem(e.ctx, e.alice, mme.ID, edited, inventory.SourceTyped, ""); err != nil {
		t.Fatal(err)
	}
	// The replacement needed notice: not before 2027-02-10 (Riga).
	e.at("2027-02-09T21:59:00Z") // 23:59 on 9 February in Riga
	_, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	wantErr(t, "MarkDone before the earliest start", err, errkind.ErrConflict, "2027-02-10")
	checkItem(t, e, mme.ID, "1.0", "Ericsson AB", 0, 0)
	e.at("2027-02-09T22:00:00Z") // midnight in Riga
	got, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	wantErr(t, "MarkDone on the earliest start", err, nil, "")
	it := checkItem(t, e, mme.ID, "", "Nokia", n.ID, 1)
	if it.Model != "MME 9" || it.Serial != "N-1" || it.CriticalPart != "2.4" || it.Site != "Riga DC" {
		t.Errorf("replaced item = %s %s serial %s in %s at %q, want MME 9 serial N-1 in 2.4 at Riga DC", it.Manufacturer, it.Model, it.Serial, it.CriticalPart, it.Site)
	}
	for _, ln := range got.Lines {
		if ln.DoneAt == "" {
			t.Errorf("line %d not done", ln.No)
		}
	}
}

func checkItem(t *testing.T, e *env, id int64, version, maker string, noticeID int64, line int) inventory.Item {
	t.Helper()
	it, err := e.inv.Item(e.ctx, e.alice, id)
	if err != nil {
		t.Fatalf("item %d: %v", id, err)
	}
	if version != "" && it.Version != version {
		t.Errorf("item %d version = %q, want %q", id, it.Version, version)
	}
	if it.Manufacturer != maker {
		t.Errorf("item %d manufacturer = %q, want %q", id, it.Manufacturer, maker)
	}
	wantSrc, wantRef := inventory.SourceTyped, ""
	if noticeID != 0 {
		wantSrc, wantRef = inventory.SourceNotice, fmt.Sprintf("notice %d line %d", noticeID, line)
	}
	if it.Source != wantSrc || it.SourceRef != wantRef {
		t.Errorf("item %d provenance = %s %q, want %s %q", id, it.Source, it.SourceRef, wantSrc, wantRef)
	}
	return it
}

func TestMarkDoneIsOneTransaction(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	n := e.draft(e.alice, LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: mme.ID, New: inventory.ItemInput{Version: "1.1"}, PlannedStart: "2027-01-11"})
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})
	if err := e.inv.DeleteItem(e.ctx, e.alice, mme.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	wantErr(t, "MarkDone of a line whose item is gone", err, errkind.ErrNotFound, "")
	// The newest item's number is handed out again: the line must not change the newcomer.
	time.Sleep(time.Millisecond)
	newcomer := e.router("Cisco Systems", "ASR 5500")
	if newcomer.ID != mme.ID {
		t.Logf("item number %d was not reused (got %d); the check below is then trivial", mme.ID, newcomer.ID)
	}
	_, err = e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	if newcomer.ID == mme.ID {
		wantErr(t, "MarkDone of a line whose item number was reused", err, errkind.ErrConflict, "reused")
	}
	checkItem(t, e, newcomer.ID, "1.0", "Cisco Systems", 0, 0)
	got, _ := e.svc.Notice(e.ctx, e.alice, n.ID)
	if got.Lines[0].DoneAt != "" {
		t.Errorf("line 1 done at %s after a failed change, want not done", got.Lines[0].DoneAt)
	}
}

func TestObjectionStopsExecution(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	n := e.draft(e.alice, LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: mme.ID, New: inventory.ItemInput{Version: "1.1"}, PlannedStart: "2027-01-11"})
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})
	e.step(e.bea, n.ID, ActionReview, StepInput{})
	e.step(e.bea, n.ID, ActionObject, StepInput{Opinion: "SAB-2026/7"})
	_, err := e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	wantErr(t, "MarkDone after an objection", err, errkind.ErrConflict, "objection")
}

func TestPoint64OnLines(t *testing.T) {
	tests := []struct {
		name    string
		legacy  bool
		maker   string
		planned string
		want    error
		warning string
	}{
		{"prohibited in a new network", false, "Huawei Technologies Co., Ltd.", "2027-03-01", invalid, "Point 64 prohibits"},
		{"prohibited in a legacy network before 2030", true, "HUAWEI TECHNOLOGIES", "2027-03-01", nil, "2030-01-01"},
		{"prohibited in a legacy network from 2030", true, "Huawei Technologies", "2030-01-01", invalid, "Point 64 prohibits"},
		{"restricted", false, "ZTE Corporation", "2027-03-01", nil, "66.3"},
		{"no objection", false, "Nokia", "2027-03-01", nil, ""},
		{"not assessed", false, "Acme", "2027-03-01", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			net := e.core
			if tt.legacy {
				net = e.lte
			}
			n := e.draft(e.alice, LineInput{Change: inventory.ChangeConstruct, PlannedStart: tt.planned,
				New: inventory.ItemInput{NetworkID: net.ID, CriticalPart: "4.1", Kind: inventory.KindEquipment, Manufacturer: tt.maker, Model: "X1"}})
			got, _, err := e.svc.Step(e.ctx, e.alice, n.ID, ActionSubmit, StepInput{})
			wantErr(t, "submit", err, tt.want, tt.warning)
			if tt.want != nil {
				if len(n.Lines[0].Refusals) == 0 {
					t.Errorf("draft line shows no refusal, want the prohibition shown before submission")
				}
				return
			}
			ws := got.Lines[0].Warnings
			if tt.warning == "" {
				if len(ws) != 0 {
					t.Errorf("warnings = %v, want none", ws)
				}
				return
			}
			if len(ws) != 1 || !strings.Contains(ws[0].EN, tt.warning) || !strings.Contains(ws[0].LV, strings.TrimSuffix(tt.warning, ".")) {
				t.Errorf("warnings = %v, want one naming %s in both languages", ws, tt.warning)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	e := newEnv(t)
	hw := e.item(e.alice, inventory.ItemInput{NetworkID: e.core.ID, CriticalPart: "4.2", Kind: inventory.KindEquipment, Name: "UPF", Model: "UDG", Manufacturer: "Huawei Technologies"})
	other := e.item(e.bob, inventory.ItemInput{NetworkID: e.netB.ID, CriticalPart: "4.2", Kind: inventory.KindEquipment, Name: "UPF", Model: "UDG", Manufacturer: "Nokia"})

	res, err := e.svc.Check(e.ctx, e.eric, CheckInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: hw.ID, New: inventory.ItemInput{Serial: "NEW-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exemption.Verdict != inventory.VerdictExempt || res.Exemption.Clause != "63.3.1" || res.Point64 == nil || res.Point64.Status != StatusProhibited {
		t.Fatalf("Check(same-model replacement of a prohibited model) = %s %s / %v, want exempt 63.3.1 and prohibited", res.Exemption.Verdict, res.Exemption.Clause, res.Point64)
	}
	if !strings.Contains(res.Summary.EN, "Exempt from notice (63.3.1)") || !strings.Contains(res.Summary.EN, "point 64 prohibits") || !strings.Contains(res.Summary.LV, "64. punkts aizliedz") {
		t.Errorf("summary = %+v, want both the exemption and the prohibition", res.Summary)
	}

	res, err = e.svc.Check(e.ctx, e.eric, CheckInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: hw.ID, New: inventory.ItemInput{Model: "UDG 2"}, SimilarFunctions: true})
	if err != nil || res.Exemption.Basis != inventory.BasisSameManufacturer {
		t.Fatalf("Check(same manufacturer, confirmed) = %+v, %v, want exempt on the same manufacturer", res.Exemption, err)
	}
	recs, err := audit.List(e.ctx, e.svc.db.Read, e.alice, audit.Filter{Action: "exemption.check"})
	if err != nil || len(recs) != 2 || !strings.Contains(string(recs[0].After), `"similar_functions_confirmed":true`) || recs[0].Login != "eric" {
		t.Errorf("audit of checks = %d records, %v, want 2 with eric's confirmation recorded", len(recs), err)
	}

	_, err = e.svc.Check(e.ctx, e.eric, CheckInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: other.ID})
	wantErr(t, "Check on another operator's item", err, invalid, "no item")
	_, err = e.svc.Check(e.ctx, e.bea, CheckInput{Operator: "OPA", Change: inventory.ChangeReplaceDevice, CurrentItemID: other.ID})
	wantErr(t, "Check naming an item of another operator than the one given", err, invalid, "no item")
	_, err = e.svc.Check(e.ctx, e.eric, CheckInput{Change: "paint", New: inventory.ItemInput{NetworkID: e.core.ID}})
	wantErr(t, "Check of an unknown change", err, invalid, "unknown change")
	_, err = e.svc.Check(e.ctx, e.eric, CheckInput{Change: inventory.ChangeConstruct, New: inventory.ItemInput{NetworkID: e.netB.ID, CriticalPart: "4.2", Kind: inventory.KindEquipment, Model: "X"}})
	wantErr(t, "Check in another operator's network", err, invalid, "no network")
	_, err = e.svc.Check(e.ctx, access.System(), CheckInput{Operator: "OPA", Change: inventory.ChangeRemove, CurrentItemID: hw.ID})
	wantErr(t, "Check by the command line", err, nil, "")
}

func TestResubmitEarliestStart(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	line := LineInput{Change: inventory.ChangeReplaceDevice, CurrentItemID: mme.ID, New: inventory.ItemInput{Manufacturer: "Nokia", Model: "MME 9"}, PlannedStart: "2027-02-10"}
	n := e.draft(e.alice, line)
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})
	e.step(e.bea, n.ID, ActionReview, StepInput{})
	e.step(e.bea, n.ID, ActionRequestInfo, StepInput{Note: "which sites?"})

	e.at("2027-01-25T09:00:00Z")
	got := e.step(e.alice, n.ID, ActionResubmit, StepInput{Note: "Riga only"})
	if got.EarliestStart != "2027-02-10" || len(got.Receipts) != 2 || got.Receipts[1].Version != 2 {
		t.Fatalf("unchanged resubmission: earliest %s, %d receipts, want 2027-02-10 kept and a second receipt", got.EarliestStart, len(got.Receipts))
	}
	e.step(e.bea, n.ID, ActionReview, StepInput{})
	e.step(e.bea, n.ID, ActionRequestInfo, StepInput{Note: "and the model?"})

	line.New.Model = "MME 10"
	if _, err := e.svc.UpdateNotice(e.ctx, e.alice, n.ID, NoticeInput{Title: "new model", Lines: []LineInput{line}}); err != nil {
		t.Fatal(err)
	}
	e.at("2027-02-05T09:00:00Z")
	_, _, err := e.svc.Step(e.ctx, e.alice, n.ID, ActionResubmit, StepInput{})
	wantErr(t, "resubmission with changed lines and the old start", err, invalid, "2027-03-05")
	line.PlannedStart = "2027-03-05"
	if _, err := e.svc.UpdateNotice(e.ctx, e.alice, n.ID, NoticeInput{Title: "new model", Lines: []LineInput{line}}); err != nil {
		t.Fatal(err)
	}
	got = e.step(e.alice, n.ID, ActionResubmit, StepInput{})
	if got.EarliestStart != "2027-03-05" || got.State != StateResubmitted {
		t.Errorf("changed resubmission: %s, earliest %s, want resubmitted, 2027-03-05", got.State, got.EarliestStart)
	}
	_, err = e.svc.UpdateNotice(e.ctx, e.alice, n.ID, NoticeInput{Lines: []LineInput{line}})
	wantErr(t, "UpdateNotice of a resubmitted notice", err, errkind.ErrConflict, "")
}

func TestDraftValidation(t *testing.T) {
	e := newEnv(t)
	other := e.item(e.bob, inventory.ItemInput{NetworkID: e.netB.ID, CriticalPart: "4.2", Kind: inventory.KindEquipment, Model: "X"})
	_, err := e.svc.CreateNotice(e.ctx, e.alice, NoticeInput{Title: "bad", Lines: []LineInput{
		{Change: "swap", PlannedStart: "2027-02-10"},
		{Change: inventory.ChangeRemove, CurrentItemID: other.ID, PlannedStart: "10.02.2027"},
		{Change: inventory.ChangeConstruct, New: inventory.ItemInput{NetworkID: e.core.ID, CriticalPart: "9.9", Kind: "robot", OriginCountry: "XX"}, PlannedStart: "2027-02-31"},
	}})
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("CreateNotice(bad lines) = %v, want a validation error", err)
	}
	want := []string{"lines[0].change", "lines[1].planned_start", "lines[1].current_item_id", "lines[2].planned_start", "lines[2].new.critical_part", "lines[2].new.kind", "lines[2].new.origin_country", "lines[2].new.name"}
	got := map[string]bool{}
	for _, f := range v.Fields {
		got[f.Field] = true
	}
	for _, f := range want {
		if !got[f] {
			t.Errorf("CreateNotice(bad lines): no problem reported for %s (got %v)", f, v.Fields)
		}
	}
	if ns, _, _ := e.svc.Notices(e.ctx, e.alice, NoticeFilter{}, inventory.Page{}); len(ns) != 0 {
		t.Errorf("a refused draft left %d notices, want none", len(ns))
	}
	_, err = e.svc.CreateNotice(e.ctx, e.alice, NoticeInput{})
	wantErr(t, "CreateNotice without lines", err, invalid, "at least one line")
	_, err = e.svc.CreateNotice(e.ctx, e.bea, NoticeInput{Operator: "OPA", Lines: []LineInput{{Change: inventory.ChangeRemove}}})
	wantErr(t, "CreateNotice by the bureau", err, errkind.ErrForbidden, "")
}

func TestQueue(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	starts := []string{"2027-04-01", "2027-01-12", "2027-02-20", "2027-01-17", "2027-01-20"}
	ids := make([]int64, len(starts))
	for i, s := range starts {
		n := e.draft(e.alice, LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: mme.ID, New: inventory.ItemInput{Version: "2"}, PlannedStart: s})
		e.step(e.alice, n.ID, ActionSubmit, StepInput{})
		ids[i] = n.ID
	}
	e.step(e.bea, ids[2], ActionReview, StepInput{})
	e.step(e.bea, ids[0], ActionReview, StepInput{})
	e.step(e.bea, ids[0], ActionAccept, StepInput{}) // answered: leaves the queue
	e.draft(e.alice, LineInput{Change: inventory.ChangeUpdateSoftware, CurrentItemID: mme.ID, New: inventory.ItemInput{Version: "2"}, PlannedStart: "2027-01-11"})

	q, err := e.svc.Queue(e.ctx, e.bea)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []int64{ids[1], ids[3], ids[4], ids[2]}
	wantSoon := []bool{true, true, false, false} // today is 2027-01-10 in Riga
	if len(q) != len(wantIDs) {
		t.Fatalf("queue holds %d notices, want %d", len(q), len(wantIDs))
	}
	for i, qe := range q {
		if qe.ID != wantIDs[i] || qe.Soon != wantSoon[i] {
			t.Errorf("queue[%d] = notice %d (start %s, soon %v), want %d soon %v", i, qe.ID, qe.PlannedStart, qe.Soon, wantIDs[i], wantSoon[i])
		}
	}
	_, err = e.svc.Queue(e.ctx, e.alice)
	wantErr(t, "Queue as an operator", err, errkind.ErrForbidden, "")
}

func TestListSubmissions(t *testing.T) {
	e := newEnv(t)
	a := e.router("Ericsson AB", "MME 1000")
	b := e.router("Ericsson AB", "MME 2000")
	// A third item, so that b is not the newest: SQLite hands the newest id out again
	// once it is deleted, and the diff matches items by id.
	e.router("Ericsson AB", "MME 3000")
	v1, err := e.svc.SubmitList(e.ctx, e.alice, "")
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.ItemCount != 3 || v1.Receipt.Kind != KindList || !Verify(v1.Content, v1.Receipt.SHA256) {
		t.Fatalf("first submission = version %d, %d items, receipt %+v, want version 1 of 3 items, verifiable", v1.Version, v1.ItemCount, v1.Receipt)
	}
	in := a.Input()
	in.Version = "1.1"
	if _, err := e.inv.UpdateItem(e.ctx, e.alice, a.ID, in, inventory.SourceTyped, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.inv.DeleteItem(e.ctx, e.alice, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	c := e.router("Nokia", "MME 9")
	e.at("2027-01-11T09:00:00Z")
	v2, err := e.svc.SubmitList(e.ctx, e.alice, "OPA")
	if err != nil || v2.Version != 2 {
		t.Fatalf("second submission = %+v, %v, want version 2", v2, err)
	}
	again, err := e.svc.Submission(e.ctx, e.bea, v1.ID)
	if err != nil || string(again.Content) != string(v1.Content) || again.Receipt != v1.Receipt {
		t.Fatalf("version 1 read back = %v, want it unchanged by later edits", err)
	}
	d, err := e.svc.Diff(e.ctx, e.bea, v1.ID, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Added) != 1 || d.Added[0].ID != c.ID || len(d.Removed) != 1 || d.Removed[0].ID != b.ID || len(d.Changed) != 1 ||
		d.Changed[0].ID != a.ID || len(d.Changed[0].Fields) != 1 || d.Changed[0].Fields[0] != (FieldChange{Field: "version", From: "1.0", To: "1.1"}) {
		t.Errorf("Diff(v1, v2) = %+v, want item %d added, %d removed, %d's version 1.0 → 1.1", d, c.ID, b.ID, a.ID)
	}
	_, err = e.svc.Submission(e.ctx, e.bob, v1.ID)
	wantErr(t, "Submission of another operator", err, errkind.ErrNotFound, "")
	_, err = e.svc.Diff(e.ctx, e.bob, v1.ID, v2.ID)
	wantErr(t, "Diff of another operator", err, errkind.ErrNotFound, "")
	_, err = e.svc.SubmitList(e.ctx, e.eric, "")
	wantErr(t, "SubmitList by an engineer", err, errkind.ErrForbidden, "")
	_, err = e.svc.SubmitList(e.ctx, e.bea, "OPA")
	wantErr(t, "SubmitList by the bureau", err, errkind.ErrForbidden, "")
	subsB, _, _ := e.svc.Submissions(e.ctx, e.bob, SubmissionFilter{}, inventory.Page{})
	subsBea, _, _ := e.svc.Submissions(e.ctx, e.bea, SubmissionFilter{Operator: "opa"}, inventory.Page{})
	if len(subsB) != 0 || len(subsBea) != 2 || subsBea[0].Version != 2 {
		t.Errorf("Submissions: B sees %d, the bureau %d, want 0 and 2 newest first", len(subsB), len(subsBea))
	}
}

func TestResubmitKeepsDoneLines(t *testing.T) {
	e := newEnv(t)
	mme := e.router("Ericsson AB", "MME 1000")
	old := e.router("Ericsson AB", "MME 500")
	lines := []LineInput{
		{Change: inventory.ChangeRemove, CurrentItemID: old.ID, PlannedStart: "2027-01-11"},
		{Change: inventory.ChangeReplaceDevice, CurrentItemID: mme.ID, New: inventory.ItemInput{Manufacturer: "Nokia", Model: "MME 9"}, PlannedStart: "2027-02-10"},
	}
	n := e.draft(e.alice, lines...)
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})
	e.step(e.bea, n.ID, ActionReview, StepInput{})
	done, err := e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	e.step(e.bea, n.ID, ActionRequestInfo, StepInput{Note: "why Nokia?"})
	_, err = e.svc.UpdateNotice(e.ctx, e.alice, n.ID, NoticeInput{Lines: lines})
	wantErr(t, "UpdateNotice with a line carried out", err, errkind.ErrConflict, "carried out")
	got := e.step(e.alice, n.ID, ActionResubmit, StepInput{Note: "price"})
	if got.Lines[0].DoneAt != done.Lines[0].DoneAt || got.Lines[0].Current == nil || got.Lines[0].Current.ID != old.ID {
		t.Errorf("resubmitted line 1 = done %q, current %v, want it kept as carried out (%q)", got.Lines[0].DoneAt, got.Lines[0].Current, done.Lines[0].DoneAt)
	}
}

func TestMarkDoneChecksPoint64Again(t *testing.T) {
	e := newEnv(t)
	n := e.draft(e.alice, LineInput{Change: inventory.ChangeExpandCapacity, PlannedStart: "2027-02-10",
		New: inventory.ItemInput{NetworkID: e.core.ID, CriticalPart: "4.2", Kind: inventory.KindEquipment, Manufacturer: "Acme Networks", Model: "U1"}})
	e.step(e.alice, n.ID, ActionSubmit, StepInput{})
	e.step(e.bea, n.ID, ActionReview, StepInput{})
	e.step(e.bea, n.ID, ActionAccept, StepInput{})
	if _, err := e.inv.CreateSupplier(e.ctx, e.bea, inventory.SupplierInput{Name: "Acme Networks"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.vet.Issue(e.ctx, e.bea, vetting.OpinionInput{Reference: "SAB-2027/1", SubjectKind: vetting.SubjectSupplier, Supplier: "Acme Networks",
		Verdict: vetting.VerdictThreat, IssuedOn: "2026-11-01", PublicSummary: "threat", Rationale: "test"}); err != nil {
		t.Fatal(err)
	}
	e.at("2027-02-10T09:00:00Z")
	_, err := e.svc.MarkDone(e.ctx, e.alice, n.ID, 1)
	wantErr(t, "MarkDone of a line an opinion since prohibits", err, errkind.ErrConflict, "SAB-2027/1")
	if items, _, _ := e.inv.Items(e.ctx, e.alice, inventory.ItemFilter{NetworkID: e.core.ID}, inventory.Page{}); len(items) != 0 {
		t.Errorf("the list holds %d items in the core, want none", len(items))
	}
}
