package discovery

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"critreg/access"
	"critreg/errkind"
)

// UploadInput opens an upload: a run an agent sweeps inside the operator's management
// network and sends here in batches.
type UploadInput struct {
	// Operator is the operator's code; the agent's token belongs to one of its users.
	Operator string `json:"operator"`
	Targets  string `json:"targets"`
	// Profile names the agent's local profile, Credentials describes what it swept with;
	// neither holds a secret.
	Profile     string     `json:"profile"`
	Credentials string     `json:"credentials"`
	Options     RunOptions `json:"options"`
}

// UploadState is what the server holds of an upload: the last batch in sequence it has,
// so that an agent whose connection dropped resumes after it.
type UploadState struct {
	ID      int64  `json:"id"`
	Status  Status `json:"status"`
	HeldSeq int    `json:"held_seq"`
}

// BatchResult is one host's result in an upload batch.
type BatchResult struct {
	Target Target    `json:"target"`
	ReadAt time.Time `json:"read_at"`
	Cause  Cause     `json:"cause,omitempty"`
	Device *Device   `json:"device,omitempty"`
}

// Batch is one numbered part of an upload, with the agent's counts so far.
type Batch struct {
	Results  []BatchResult `json:"results"`
	Progress *Progress     `json:"progress,omitempty"`
}

// CommitInput ends an upload: how many batches were sent, the final counts and, when the
// sweep stopped short, why.
type CommitInput struct {
	Batches  int      `json:"batches"`
	Progress Progress `json:"progress"`
	Error    string   `json:"error"`
}

// maxBatchResults bounds one batch; the agent sends far fewer.
const maxBatchResults = 1000

// CreateUpload opens an agent's run. The caller must be one of the operator's own users:
// an agent's discovery token, or a person's.
func (s *Service) CreateUpload(ctx context.Context, a access.Actor, in UploadInput) (UploadState, error) {
	o, err := s.operatorFor(ctx, a, in.Operator)
	if err != nil {
		return UploadState{}, err
	}
	if !mayDiscover(a, o.ID) {
		return UploadState{}, errkind.Forbidden("only the operator's own users upload its discovery runs")
	}
	v := &errkind.ValidationError{}
	parseRunTargets(v, in.Targets)
	ri := RunInput{Workers: in.Options.Workers, TimeoutMS: in.Options.TimeoutMS, Retries: &in.Options.Retries, DeadlineS: in.Options.DeadlineS}
	opts := ri.options(v)
	if len(in.Profile) > 64 {
		v.Add("profile", "is longer than 64 characters")
	}
	if len(in.Credentials) > 200 {
		v.Add("credentials", "is longer than 200 characters")
	}
	if err := v.Err(); err != nil {
		return UploadState{}, err
	}
	run, err := s.createRun(ctx, a, Run{OperatorID: o.ID, Operator: o.Code, Origin: OriginAgent, Status: StatusUploading,
		Targets: strings.TrimSpace(in.Targets), Profile: in.Profile, Credentials: in.Credentials, Options: opts})
	if err != nil {
		return UploadState{}, err
	}
	return UploadState{ID: run.ID, Status: run.Status}, nil
}

// uploadRun reads an upload's run for a change by a.
func (s *Service) uploadRun(ctx context.Context, q querier, a access.Actor, id int64) (Run, error) {
	run, err := s.runTx(ctx, q, a, id)
	if err != nil {
		return Run{}, err
	}
	if run.Origin != OriginAgent {
		return Run{}, errkind.NotFound("upload", id)
	}
	if !mayDiscover(a, run.OperatorID) {
		return Run{}, errkind.Forbidden("only the operator's own users upload its discovery runs")
	}
	return run, nil
}

// Upload says what the server holds of an upload.
func (s *Service) Upload(ctx context.Context, a access.Actor, id int64) (UploadState, error) {
	run, err := s.uploadRun(ctx, s.db.Read, a, id)
	if err != nil {
		return UploadState{}, err
	}
	return UploadState{ID: run.ID, Status: run.Status, HeldSeq: run.HeldSeq}, nil
}

// PutBatch stores batch seq of an upload. Batches come in order: seq is the next after
// the one held, or one already held, which is answered without change when its content
// is the same (the agent retrying a batch whose answer it lost) and refused when not.
func (s *Service) PutBatch(ctx context.Context, a access.Actor, id int64, seq int, b Batch) (UploadState, error) {
	v := &errkind.ValidationError{}
	if len(b.Results) > maxBatchResults {
		v.Add("results", "holds more than %d results; send smaller batches", maxBatchResults)
	}
	for i, r := range b.Results {
		if r.Target.Host == "" || r.Target.Port == 0 {
			v.Add(fmt.Sprintf("results[%d].target", i), "needs a host and a port")
		}
		if r.Device == nil && r.Cause == "" {
			v.Add(fmt.Sprintf("results[%d]", i), "holds neither a device nor a cause")
		}
	}
	if seq < 1 {
		v.Add("seq", "batches are numbered from 1")
	}
	if err := v.Err(); err != nil {
		return UploadState{}, err
	}
	canon, err := json.Marshal(b)
	if err != nil {
		return UploadState{}, fmt.Errorf("batch %d: %w", seq, err)
	}
	sum := sha256.Sum256(canon)
	digest := hex.EncodeToString(sum[:])
	var st UploadState
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		run, err := s.uploadRun(ctx, tx, a, id)
		if err != nil {
			return err
		}
		st = UploadState{ID: run.ID, Status: run.Status, HeldSeq: run.HeldSeq}
		if seq <= run.HeldSeq {
			var held string
			if err := tx.QueryRowContext(ctx, `SELECT sha256 FROM discovery_batches WHERE run_id = ? AND seq = ?`, id, seq).Scan(&held); err != nil {
				return fmt.Errorf("read batch %d of upload %d: %w", seq, id, err)
			}
			if held != digest {
				return errkind.Conflict("batch %d of upload %d is already held with other content", seq, id)
			}
			return nil
		}
		if run.Status != StatusUploading {
			return errkind.Conflict("upload %d is %s; it takes no more batches", id, run.Status)
		}
		ts, err := ParseTargets(run.Targets, TargetOptions{})
		if err != nil {
			return fmt.Errorf("upload %d targets: %w", id, err)
		}
		for i, r := range b.Results {
			if !ts.Contains(r.Target.Host, r.Target.Port) {
				v.Add(fmt.Sprintf("results[%d].target", i), "%s is not among the targets of upload %d", r.Target, id)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if seq != run.HeldSeq+1 {
			return errkind.Conflict("upload %d holds batches up to %d; send batch %d next", id, run.HeldSeq, run.HeldSeq+1)
		}
		rs := make([]storedResult, 0, len(b.Results))
		for _, r := range b.Results {
			if r.Device != nil {
				r.Device.Target = r.Target
			}
			rs = append(rs, storedResult{Target: r.Target, ReadAt: r.ReadAt, Cause: r.Cause, Device: r.Device})
		}
		if err := writeResults(ctx, tx, run, rs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO discovery_batches (run_id, seq, sha256, results, received_at) VALUES (?, ?, ?, ?, ?)`,
			id, seq, digest, len(b.Results), s.stamp()); err != nil {
			return fmt.Errorf("store batch %d of upload %d: %w", seq, id, err)
		}
		set, args := `held_seq = ?, updated_at = ?`, []any{seq, s.stamp()}
		if b.Progress != nil {
			prog, err := json.Marshal(b.Progress)
			if err != nil {
				return err
			}
			set += `, progress = ?`
			args = append(args, string(prog))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE discovery_runs SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
			return fmt.Errorf("store batch %d of upload %d: %w", seq, id, err)
		}
		st.HeldSeq = seq
		return nil
	})
	return st, err
}

// CommitUpload ends an upload once every batch is held, and reconciles it like a run
// swept here. Committing again answers the run as it ended.
func (s *Service) CommitUpload(ctx context.Context, a access.Actor, id int64, in CommitInput) (Run, error) {
	run, err := s.uploadRun(ctx, s.db.Read, a, id)
	if err != nil {
		return Run{}, err
	}
	if run.Status != StatusUploading {
		return run, nil
	}
	if in.Batches != run.HeldSeq {
		return Run{}, errkind.Conflict("upload %d holds %d batches, the agent says it sent %d; send the rest first", id, run.HeldSeq, in.Batches)
	}
	if len(in.Error) > 1000 {
		return Run{}, errkind.Invalid("error", "is longer than 1000 characters")
	}
	ts, err := ParseTargets(run.Targets, TargetOptions{})
	if err != nil {
		return Run{}, fmt.Errorf("upload %d targets: %w", id, err)
	}
	complete := in.Error == "" && in.Progress.Done == in.Progress.Total && in.Progress.Total == ts.Len()
	err = s.finishRun(ctx, a, run, StatusDone, in.Progress, in.Error, func(tx *sql.Tx) ([]Finding, error) {
		// Two commits racing: only the first closes the run.
		var status Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM discovery_runs WHERE id = ?`, id).Scan(&status); err != nil {
			return nil, fmt.Errorf("commit upload %d: %w", id, err)
		}
		if status != StatusUploading {
			return nil, errkind.Conflict("upload %d was committed meanwhile", id)
		}
		return s.reconcileRun(ctx, tx, a, run, ts, complete)
	})
	if err != nil {
		return Run{}, err
	}
	return s.runTx(ctx, s.db.Read, a, id)
}
