package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"critreg/audit"
	"critreg/store"
)

// binary builds the critreg command once per test run, for tests that need a real process
// to signal or kill.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "critreg-bin-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "critreg")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return path, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if path, err := binary(); err == nil {
		os.RemoveAll(filepath.Dir(path))
	}
	os.Exit(code)
}

func critregBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the critreg binary")
	}
	path, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "critreg test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// startServe runs `critreg serve` on a free loopback port and returns the process and the
// address it listens on, read from its log.
func startServe(t *testing.T, bin, db string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	args := append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "critreg serving" {
				addr <- line.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		return cmd, a
	case <-time.After(30 * time.Second):
		t.Fatal("critreg serve did not start within 30 s")
	}
	return nil, ""
}

// TestServeTLSAndSystemRecords starts the real binary with TLS, checks the protocol floor
// and the headers, stops it with SIGTERM and finds the start and the stop in the audit trail
// (38.1).
func TestServeTLSAndSystemRecords(t *testing.T) {
	bin := critregBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	cert, key := selfSigned(t, dir)
	cmd, addr := startServe(t, bin, db, "--tls-cert", cert, "--tls-key", key)

	pool := x509.NewCertPool()
	pemBytes, _ := os.ReadFile(cert)
	pool.AppendCertsFromPEM(pemBytes)
	for _, c := range []struct {
		name     string
		min, max uint16
		ok       bool
	}{
		{"TLS 1.0", tls.VersionTLS10, tls.VersionTLS10, false},
		{"TLS 1.1", tls.VersionTLS11, tls.VersionTLS11, false},
		{"TLS 1.2", tls.VersionTLS12, tls.VersionTLS12, true},
		{"TLS 1.3", tls.VersionTLS13, tls.VersionTLS13, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: c.min, MaxVersion: c.max})
			if (err == nil) != c.ok {
				t.Fatalf("handshake with %s: %v, want success %v", c.name, err, c.ok)
			}
			if err != nil {
				return
			}
			defer conn.Close()
			if got := conn.ConnectionState().Version; got != c.max {
				t.Errorf("negotiated %x, want %x", got, c.max)
			}
		})
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	for _, path := range []string{"/healthz", "/api/v1/items", "/no/such/page"} {
		resp, err := client.Get("https://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if h := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
			t.Errorf("GET %s (%d) over TLS: Strict-Transport-Security = %q", path, resp.StatusCode, h)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("critreg serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("critreg serve did not stop within 20 s of SIGTERM")
	}

	sdb, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var actions []string
	err = audit.Each(context.Background(), sdb.Read, func(r audit.Record) error {
		if strings.HasPrefix(r.Action, "system.") {
			actions = append(actions, r.Action)
		}
		return nil
	})
	if err != nil || strings.Join(actions, ",") != "system.start,system.stop" {
		t.Errorf("system records = %v, %v; want system.start,system.stop", actions, err)
	}
}

// TestBackupRestoreCommands runs backup and restore through the command line.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db, copyFile, target := filepath.Join(dir, "c.db"), filepath.Join(dir, "copy.db"), filepath.Join(dir, "restored.db")
	for _, s := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--db", db, "operator", "add", "--code", "OPA", "--name", "A"}, 0, "OPA"},
		{[]string{"--db", db, "backup"}, 2, ""},
		{[]string{"--db", db, "backup", "--out", copyFile}, 0, "copy.db.sha256"},
		{[]string{"--db", db, "backup", "--out", copyFile}, 1, ""},
		{[]string{"--db", target, "restore", "--verify", copyFile}, 0, "restored into"},
		{[]string{"--db", target, "audit", "verify"}, 0, "audit chain intact: 1 records"},
		{[]string{"--db", target, "restore", filepath.Join(dir, "none.db")}, 1, ""},
	} {
		code, out, errOut := critreg(t, "", s.args...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Fatalf("critreg %s = %d, %q, %q; want %d and %q", strings.Join(s.args[2:], " "), code, out, errOut, s.code, s.out)
		}
	}
}
