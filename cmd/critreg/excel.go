package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"critreg/access"
	"critreg/inventory"
)

// runImport reads an annex-7 workbook, or an operator's own layout, into the operator's list.
// Every problem in the file is printed and nothing is written while any remains.
func runImport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import")
	operator := fs.String("operator", "", "operator code")
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	sync := fs.Bool("sync", false, "the file is the whole list of its networks: remove items it does not name")
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if *operator == "" {
		return errUsage
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	inv := inventory.NewStore(db)
	a, err := operatorActor(ctx, inv, *operator)
	if err != nil {
		return err
	}
	bar := newProgressBar(e.stderr)
	res, err := inv.Import(ctx, a, *operator, f, st.Size(),
		inventory.ImportOptions{DryRun: *dryRun, Sync: *sync, FileName: filepath.Base(path), Progress: bar.update})
	bar.done()
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintln(e.stderr, p.String())
		}
		if res.MoreProblems > 0 {
			fmt.Fprintf(e.stderr, "… and %d more problems\n", res.MoreProblems)
		}
		fmt.Fprintf(e.stderr, "critreg import: %d problems in %s; nothing was changed\n", len(res.Problems)+res.MoreProblems, path)
		return exitError{1}
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if *dryRun {
		verb = "would import"
	}
	fmt.Fprintf(e.stdout, "%s %s: %d rows; %d added, %d updated, %d unchanged", verb, path, res.Rows, len(res.Added), len(res.Updated), res.Unchanged)
	if *sync {
		fmt.Fprintf(e.stdout, ", %d removed", len(res.Removed))
	}
	fmt.Fprintln(e.stdout)
	if *dryRun {
		for _, u := range res.Updated {
			for _, c := range u.Fields {
				fmt.Fprintf(e.stdout, "  %s row %d, item %d: %s %q → %q\n", u.Sheet, u.Row, u.ItemID, c.Field, c.From, c.To)
			}
		}
	}
	return nil
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export")
	operator := fs.String("operator", "", "operator code")
	out := fs.String("out", "", "workbook to write")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *operator == "" || *out == "" {
		return errUsage
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	err = writeFile(*out, func(f *os.File) error {
		return inventory.NewStore(db).Export(ctx, access.System(), *operator, f)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "annex-7 list of %s written to %s\n", *operator, *out)
	return nil
}

// progressBar draws import progress on a terminal, and stays silent elsewhere so that logs
// and pipes get only the result.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	last  time.Time
	shown bool
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, on: ok && isTerminal(f)}
}

func (p *progressBar) update(done, total int) {
	if !p.on || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last, p.shown = time.Now(), true
	const width = 40
	n := min(width, done*width/total)
	fmt.Fprintf(p.w, "\r[%-*s] %3d%% %d/%d", width, repeat('#', n), done*100/total, done, total)
}

func (p *progressBar) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

// operatorActor is the actor of a local command that changes an operator's list: the
// operator's own role, recorded in the audit trail as the command line of the server.
func operatorActor(ctx context.Context, inv *inventory.Store, code string) (access.Actor, error) {
	o, err := inv.Operator(ctx, access.System(), code)
	if err != nil {
		return access.Actor{}, err
	}
	return access.Actor{Login: "cli:" + o.Code, Role: access.RoleOperator, OperatorID: o.ID, Via: "cli"}, nil
}
