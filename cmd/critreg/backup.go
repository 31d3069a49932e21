package main

import (
	"context"
	"fmt"

	"critreg/backup"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flags("backup")
	out := fs.String("out", "", "file to write the copy to (must not exist); FILE.sha256 is written beside it")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return errUsage
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := backup.Backup(ctx, db, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s with checksum %s.sha256\n", *out, *out)
	return nil
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flags("restore")
	verify := fs.Bool("verify", true, "check the checksum, the file's integrity and the audit chain before restoring")
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	file := fs.Arg(0)
	if err := backup.Restore(ctx, file, e.dbPath, *verify); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s restored into %s\n", file, e.dbPath)
	return nil
}
