package discovery

import (
	"context"
	"database/sql"
	"fmt"

	"critreg/access"
	"critreg/audit"
)

// interruptedError is what a run left running by a stopped server records as its end.
const interruptedError = "the server stopped during the run; the results it stored stay"

// CloseInterrupted marks as failed the runs a server was sweeping when it stopped: their
// goroutines died with the process, so without this they would show "running" for good
// and hold a run slot in the operator's mind. It is called once as a server starts, before
// it accepts requests; runs of the command line and of agents are left alone, since those
// run in other processes that may still be alive. It returns how many runs it closed.
func (s *Service) CloseInterrupted(ctx context.Context) (int, error) {
	sys := access.System()
	sys.Login = "critreg"
	closed := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, operator_id FROM discovery_runs WHERE origin = 'server' AND status = 'running'`)
		if err != nil {
			return fmt.Errorf("find interrupted runs: %w", err)
		}
		type run struct{ id, operatorID int64 }
		var runs []run
		for rows.Next() {
			var r run
			if err := rows.Scan(&r.id, &r.operatorID); err != nil {
				rows.Close()
				return err
			}
			runs = append(runs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := s.stamp()
		for _, r := range runs {
			if _, err := tx.ExecContext(ctx, `UPDATE discovery_runs SET status = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
				StatusFailed, interruptedError, now, now, r.id); err != nil {
				return fmt.Errorf("close interrupted run %d: %w", r.id, err)
			}
			if err := audit.Append(ctx, tx, sys, audit.Entry{Action: "discovery.run.finish", ObjectType: "discovery_run", ObjectID: fmt.Sprint(r.id),
				OperatorID: r.operatorID, After: map[string]any{"status": StatusFailed, "error": interruptedError}}); err != nil {
				return err
			}
		}
		closed = len(runs)
		return nil
	})
	return closed, err
}
