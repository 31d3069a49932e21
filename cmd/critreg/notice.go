package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"critreg/access"
	"critreg/inventory"
	"critreg/notice"
	"critreg/store"
	"critreg/vetting"
)

func newNoticeService(db *store.DB) *notice.Service {
	return notice.New(db, inventory.NewStore(db), notice.Vetted{V: vetting.New(db)})
}

// runCheck answers an engineer's question: does this change need a notice, and is what goes
// in allowed at all?
func runCheck(ctx context.Context, e *env, args []string) error {
	fs := e.flags("check")
	var in notice.CheckInput
	var change, kind, lang string
	var asJSON bool
	fs.StringVar(&in.Operator, "operator", "", "operator code")
	fs.StringVar(&change, "change", "", "replace_device, update_software, expand_capacity, change_outsourcing_provider, construct, rebuild or remove")
	fs.Int64Var(&in.CurrentItemID, "item", 0, "id of the item replaced, updated or removed")
	fs.Int64Var(&in.New.NetworkID, "network", 0, "network id (when there is no current item)")
	fs.StringVar(&in.New.CriticalPart, "part", "", "critical part: code, short name or name")
	fs.StringVar(&kind, "kind", "", "equipment, software or outsourcing")
	fs.StringVar(&in.New.Manufacturer, "manufacturer", "", "manufacturer or developer of what goes in")
	fs.StringVar(&in.New.Model, "model", "", "model of what goes in")
	fs.StringVar(&in.New.Name, "name", "", "name of what goes in")
	fs.StringVar(&in.New.Version, "version", "", "software or firmware version of what goes in")
	fs.StringVar(&in.New.OutsourcingProvider, "provider", "", "outsourcing provider that comes in")
	fs.BoolVar(&in.SimilarFunctions, "similar-functions", false, "the engineer confirms the new device's functions are similar (63.3.1, 63.3.3)")
	fs.StringVar(&lang, "lang", "lv", "language of the reasons: lv or en")
	fs.BoolVar(&asJSON, "json", false, "print the whole answer as JSON")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if in.Operator == "" || change == "" {
		return errUsage
	}
	c, err := inventory.ParseChange(change)
	if err != nil {
		return err
	}
	in.Change = c
	if kind != "" {
		k, ok := inventory.ParseKind(kind)
		if !ok {
			return fmt.Errorf("--kind %q: want equipment, software or outsourcing", kind)
		}
		in.New.Kind = k
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := newNoticeService(db).Check(ctx, access.System(), in)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	say := func(t inventory.Text) string {
		if lang == "en" {
			return t.EN
		}
		return t.LV
	}
	fmt.Fprintln(e.stdout, say(res.Summary))
	verdict := string(res.Exemption.Verdict)
	if res.Exemption.Clause != "" {
		verdict += " (" + res.Exemption.Clause + ")"
	}
	fmt.Fprintf(e.stdout, "notice: %s\n", verdict)
	for _, r := range res.Exemption.Reasons {
		fmt.Fprintf(e.stdout, "  - %s\n", say(r))
	}
	for _, w := range res.Exemption.Warnings {
		fmt.Fprintf(e.stdout, "  ! %s\n", say(w))
	}
	if p := res.Point64; p != nil {
		line := "point 64: " + p.Status
		if p.BindsFrom != "" {
			line += " from " + p.BindsFrom
		}
		if len(p.Opinions) > 0 {
			line += " (" + strings.Join(p.Opinions, ", ") + ")"
		}
		fmt.Fprintln(e.stdout, line)
		for _, r := range p.Reasons {
			fmt.Fprintf(e.stdout, "  - %s\n", say(r))
		}
	}
	return nil
}

func runNoticeExport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("notice export")
	id := fs.Int64("id", 0, "notice id")
	out := fs.String("out", "", "workbook to write")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *id <= 0 || *out == "" {
		return errUsage
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeFile(*out, func(f *os.File) error {
		return newNoticeService(db).ExportWorkbook(ctx, access.System(), *id, f)
	})
}

// writeFile writes a file whole or not at all: into a temporary file beside it, renamed
// into place only when write succeeded.
func writeFile(path string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(dirOf(path), ".critreg-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
