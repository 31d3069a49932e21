package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/sirupsen/logrus"

	"critreg/server"
	"critreg/store"
)

// env is what every command gets: its streams and the global options.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dbPath         string
	log            *logrus.Logger
}

// command is one subcommand. Words are the words that name it ("token create").
type command struct {
	words []string
	usage string
	run   func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{[]string{"serve"}, "serve [--addr 127.0.0.1:8080] [--demo] [--tls-cert F --tls-key F] [--trusted-proxy CIDR]  web app and API", runServe},
		{[]string{"operator", "add"}, "operator add --code CODE --name NAME [--registration-no N] [--contact C]", runOperatorAdd},
		{[]string{"user", "add"}, "user add --login L --role operator|engineer|bureau|admin [--operator CODE]   (password on stdin)", runUserAdd},
		{[]string{"token", "create"}, "token create --login L [--name N] [--scope read|write|discovery] [--days D]   prints a new API token once", runTokenCreate},
		{[]string{"audit", "verify"}, "audit verify   checks the audit chain; exit 1 on a break", runAuditVerify},
		{[]string{"audit", "export"}, "audit export [--out FILE]   audit records as JSON lines", runAuditExport},
		{[]string{"import"}, "import --operator CODE [--dry-run] [--sync] FILE.xlsx   annex-7 workbook or the operator's own layout", runImport},
		{[]string{"export"}, "export --operator CODE --out FILE.xlsx   the annex-7 list", runExport},
		{[]string{"discover"}, "discover --operator CODE --targets CIDR|HOST[:PORT],... (--profile NAME | --community C | --v3-user U [--auth-proto P] --auth-pass-file F [--priv-proto P] --priv-pass-file F) [--workers N --timeout D --retries N --deadline D] [--server URL --token T] [--json]", runDiscover},
		{[]string{"check"}, "check --operator CODE --change KIND [--item ID | --network ID --part P] [--manufacturer M --model X --version V ...] [--similar-functions] [--lang lv|en] [--json]", runCheck},
		{[]string{"notice", "export"}, "notice export --id N --out FILE.xlsx   a notice as a change-list workbook", runNoticeExport},
		{[]string{"demo", "load"}, "demo load   loads the demo registry into --db", runDemoLoad},
		{[]string{"backup"}, "backup --out FILE   a consistent copy of the live database, and FILE.sha256", runBackup},
		{[]string{"restore"}, "restore [--verify=true] FILE   checks FILE (checksum, integrity, audit chain) and puts it in place of --db", runRestore},
	}
}

// errUsage marks a command line that could not be understood: exit code 2.
var errUsage = errors.New("usage")

// errExit1 asks for exit code 1 after the command printed its own explanation.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, dbPath: os.Getenv("CRITREG_DB"), log: newLogger(stderr)}
	if e.dbPath == "" {
		e.dbPath = "critreg.db"
	}
	global := flag.NewFlagSet("critreg", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.StringVar(&e.dbPath, "db", e.dbPath, "database file (env CRITREG_DB)")
	global.Usage = func() { usage(stderr) }
	if err := global.Parse(args); err != nil {
		return 2
	}
	args = global.Args()
	cmd, rest, ok := find(args)
	if !ok {
		usage(stderr)
		return 2
	}
	err := cmd.run(ctx, e, rest)
	var ex exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ex):
		return ex.code
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, "usage: critreg [--db FILE] %s\n", cmd.usage)
		return 2
	}
	fmt.Fprintf(stderr, "critreg %s: %v\n", strings.Join(cmd.words, " "), err)
	return 1
}

func find(args []string) (command, []string, bool) {
	for _, c := range commands() {
		if len(args) >= len(c.words) && strings.Join(args[:len(c.words)], " ") == strings.Join(c.words, " ") {
			return c, args[len(c.words):], true
		}
	}
	return command{}, nil, false
}

func usage(w io.Writer) {
	var lines []string
	for _, c := range commands() {
		lines = append(lines, "  critreg [--db FILE] "+c.usage)
	}
	sort.Strings(lines)
	fmt.Fprintf(w, "critreg: the registry of critical parts of public electronic communications networks\n\n%s\n", strings.Join(lines, "\n"))
}

// flags returns a flag set for a command that also accepts --db after the command words.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.dbPath, "db", e.dbPath, "database file (env CRITREG_DB)")
	return fs
}

// parse parses a command's flags; stray arguments are a usage error.
func parse(fs *flag.FlagSet, args []string, positional int) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != positional {
		return errUsage
	}
	return nil
}

// open opens and migrates the database.
func (e *env) open(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(e.dbPath)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, server.Schemas()...); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// newLogger logs JSON, as production log collectors read it, unless told otherwise.
func newLogger(w io.Writer) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(w)
	if os.Getenv("CRITREG_LOG") == "text" {
		l.SetFormatter(&logrus.TextFormatter{})
	} else {
		l.SetFormatter(&logrus.JSONFormatter{})
	}
	if os.Getenv("CRITREG_DEBUG") != "" {
		l.SetLevel(logrus.DebugLevel)
	}
	return l
}
