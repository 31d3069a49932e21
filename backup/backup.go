// Package backup copies a live critreg database to a file with a SHA-256 checksum beside
// it, and restores such a copy after checking the checksum, the file's integrity and the
// audit chain.
package backup

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"critreg/audit"
	"critreg/store"
)

// Backup writes a consistent copy of the live database db to out, and out+".sha256" in
// sha256sum's format beside it. Writes go on meanwhile: the copy is made with SQLite's
// VACUUM INTO on a read-only connection, which reads one snapshot (WAL lets the writer commit
// beside it) and writes it compacted; the read connection is opened for the copy alone. out must not exist yet; the copy appears under its
// name only when complete and on disk.
func Backup(ctx context.Context, db *store.DB, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", out)
	}
	tmp, err := tempName(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp)
	// A connection of its own: the pool's read connections are query_only, which refuses
	// VACUUM INTO even though it writes only the new file. Opened read-only, it cannot
	// change the live database either.
	src, err := sql.Open("sqlite", "file:"+filepath.ToSlash(db.Path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("backup: copy database: %w", err)
	}
	sum, err := syncAndSum(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	line := fmt.Sprintf("%s  %s\n", sum, filepath.Base(out))
	if err := writeFileAtomic(out+".sha256", []byte(line)); err != nil {
		return fmt.Errorf("backup: checksum file: %w", err)
	}
	return syncDir(filepath.Dir(out))
}

// tempName returns an unused file name in the directory of path, for a file that is
// renamed to path when complete: a rename within one directory is atomic.
func tempName(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	// VACUUM INTO wants a file that does not exist.
	return name, os.Remove(name)
}

// syncAndSum flushes a file to disk and returns its SHA-256 in hex.
func syncAndSum(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// ErrChecksum is a backup whose content does not match its checksum file.
var ErrChecksum = errors.New("the backup does not match its checksum")

// ErrInUse is a restore refused because a process has the target database open.
var ErrInUse = errors.New("the database is in use: stop critreg before restoring")

// readChecksum returns the hex digest that file's ".sha256" companion names for it.
func readChecksum(file string) (string, error) {
	b, err := os.ReadFile(file + ".sha256")
	if err != nil {
		return "", fmt.Errorf("read checksum: %w", err)
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 || len(fields[0]) != 64 || strings.TrimPrefix(fields[1], "*") != filepath.Base(file) {
		return "", fmt.Errorf("checksum file %s.sha256: want one line \"SHA256  %s\"", file, filepath.Base(file))
	}
	return strings.ToLower(fields[0]), nil
}

// Restore replaces the database at dbPath with the backup file. With verify, the backup
// must match its ".sha256" file, pass SQLite's integrity check and hold an unbroken audit
// chain; all of that is checked on the very copy that is then put in place, so what is
// checked is what is restored. The copy is written beside dbPath, flushed, and renamed over
// it; the database it replaces is kept as dbPath+".pre-restore". A database that a running
// critreg has open is not touched.
func Restore(ctx context.Context, file, dbPath string, verify bool) error {
	var want string
	if verify {
		var err error
		if want, err = readChecksum(file); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := checkNotInUse(ctx, dbPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp, err := tempName(dbPath)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp)
	if err := copyFile(file, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	sum, err := syncAndSum(tmp)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if verify {
		if sum != want {
			return fmt.Errorf("restore %s: %w (sha256 %s, the checksum file says %s)", file, ErrChecksum, sum, want)
		}
		if err := check(ctx, tmp); err != nil {
			return fmt.Errorf("restore %s: %w", file, err)
		}
	}
	// A stale write-ahead log beside the target belongs to the database being replaced: left
	// there, SQLite would replay it into the restored one.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if _, err := os.Stat(dbPath); err == nil {
		if err := os.Rename(dbPath, dbPath+".pre-restore"); err != nil {
			return fmt.Errorf("restore: keep the replaced database: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return syncDir(filepath.Dir(dbPath))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// check opens a database file read-only and runs SQLite's integrity check and the audit
// chain's verification.
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	if _, err := audit.Verify(ctx, db); err != nil {
		return err
	}
	return nil
}

// checkNotInUse fails with ErrInUse when another connection has the database at path
// open. SQLite keeps a shared lock on the write-ahead log's index while a connection is
// open in WAL mode; taking the database in exclusive locking mode needs every other
// connection gone, and with no busy timeout it fails at once instead of waiting.
func checkNotInUse(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			return ErrInUse
		}
		return fmt.Errorf("lock %s: %w", path, err)
	}
	_, err = conn.ExecContext(ctx, `ROLLBACK`)
	return err
}
