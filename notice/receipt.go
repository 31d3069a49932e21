package notice

import (
	"fmt"
	"time"
)

// Receipt is what critreg gives back for a submission, of a list or of a notice: when it
// was submitted, what it was and the hash of its canonical content.
type Receipt struct {
	// Kind is "annex7_list" or "change_notice".
	Kind     string `json:"kind"`
	Operator string `json:"operator"`
	// Subject says in words what was submitted.
	Subject string `json:"subject"`
	// SubmissionID is the list submission's id, or the notice's id for a notice.
	SubmissionID int64 `json:"submission_id"`
	// Version is the list's version number, or the notice's submission number (1 for the
	// first submission, 2 for the first resubmission …).
	Version     int    `json:"version"`
	SubmittedBy string `json:"submitted_by"`
	// SubmittedAtUTC and SubmittedAtRiga are the same instant, in UTC and in Latvian time.
	SubmittedAtUTC   string `json:"submitted_at_utc"`
	SubmittedAtRiga  string `json:"submitted_at_riga"`
	SHA256           string `json:"sha256"`
	Canonicalization string `json:"canonicalization"`
}

// Kinds of receipt.
const (
	KindList   = "annex7_list"
	KindNotice = "change_notice"
)

// stampFormat is the time of a submission: UTC to the second, as inside the hashed content.
const stampFormat = time.RFC3339

// timeFormat is the bookkeeping time of rows (created, updated, events).
const timeFormat = time.RFC3339Nano

func newReceipt(kind, operator, subject string, id int64, version int, by string, at time.Time, sha string) Receipt {
	return Receipt{
		Kind: kind, Operator: operator, Subject: subject, SubmissionID: id, Version: version, SubmittedBy: by,
		SubmittedAtUTC: at.UTC().Format(stampFormat), SubmittedAtRiga: at.In(riga()).Format(stampFormat),
		SHA256: sha, Canonicalization: Canonicalization,
	}
}

func listSubject(version, items int) string {
	return fmt.Sprintf("annex-7 list, version %d, %d items", version, items)
}

func noticeSubject(id int64, seq, lines int) string {
	if seq == 1 {
		return fmt.Sprintf("change notice %d, %d lines", id, lines)
	}
	return fmt.Sprintf("change notice %d, resubmission %d, %d lines", id, seq-1, lines)
}
