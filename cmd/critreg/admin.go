package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/audit"
	"critreg/inventory"
)

func runOperatorAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("operator add")
	var in inventory.OperatorInput
	fs.StringVar(&in.Code, "code", "", "operator code")
	fs.StringVar(&in.Name, "name", "", "operator name")
	fs.StringVar(&in.RegistrationNo, "registration-no", "", "registration number")
	fs.StringVar(&in.Contact, "contact", "", "contact")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	o, err := inventory.NewStore(db).CreateOperator(ctx, access.System(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "operator %s (%s) added\n", o.Code, o.Name)
	return nil
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("user add")
	var in account.UserInput
	var role string
	fs.StringVar(&in.Login, "login", "", "login")
	fs.StringVar(&role, "role", "", "operator, engineer, bureau or admin")
	fs.StringVar(&in.Operator, "operator", "", "operator code (operator and engineer roles)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	in.Role = access.Role(role)
	if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprint(e.stderr, "password: ")
	}
	// The password comes on stdin so that it is never in the process list or shell history.
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	in.Password = strings.TrimRight(line, "\r\n")
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := account.New(db).AddUser(ctx, access.System(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s (%s) added\n", u.Login, u.Role)
	return nil
}

func runTokenCreate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("token create")
	login := fs.String("login", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for")
	scope := fs.String("scope", "write", "read, write or discovery")
	days := fs.Int("days", 0, "days until it expires (0: never)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	_, secret, err := account.New(db).CreateToken(ctx, access.System(), *login, *name, account.Scope(*scope), time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

func runAuditVerify(ctx context.Context, e *env, args []string) error {
	fs := e.flags("audit verify")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := audit.Verify(ctx, db.Read)
	if err != nil {
		fmt.Fprintf(e.stderr, "critreg audit verify: %v (after %d good records)\n", err, n)
		return exitError{1}
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d records\n", n)
	return nil
}

func runAuditExport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("audit export")
	out := fs.String("out", "", "file to write (default stdout)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	err = audit.Each(ctx, db.Read, func(r audit.Record) error { return enc.Encode(r) })
	if err != nil {
		return err
	}
	return bw.Flush()
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
