package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointEvery is how often the background checkpoint runs. A second keeps the log
// small enough that readers find their pages quickly, and costs nothing when idle.
const checkpointEvery = time.Second

// checkpointer copies committed pages from the write-ahead log into the database file in
// the background. SQLite's own automatic checkpoint runs inside the commit that takes the
// log past 1,000 pages, so one request pays for everybody's writes: after an import of
// 100,000 items that commit copied the whole log, about a second. The writer connection
// therefore has the automatic checkpoint off (see dsn) and this loop does the work on a
// connection of its own. A PASSIVE checkpoint never blocks writers or readers; what it
// cannot copy yet (pages a reader still needs) it copies on a later round.
type checkpointer struct {
	conn *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

func startCheckpointer(path string) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open checkpoint connection: %w", err)
	}
	conn.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{conn: conn, stop: stop, done: make(chan struct{})}
	go c.loop(ctx)
	return c, nil
}

func (c *checkpointer) loop(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// An error here (a busy database, a closing process) is retried next round; the
			// log only grows meanwhile, and no data depends on the checkpoint.
			_, _ = c.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// close stops the loop and closes its connection.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return c.conn.Close()
}
