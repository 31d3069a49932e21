package secretkey_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"critreg/secretkey"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	hexKey := strings.Repeat("ab", 32)
	b64Key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xab}, 32))
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(b64Key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var want secretkey.Key
	copy(want[:], bytes.Repeat([]byte{0xab}, 32))
	for _, c := range []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"hex", map[string]string{secretkey.Env: hexKey}, ""},
		{"base64", map[string]string{secretkey.Env: b64Key}, ""},
		{"file", map[string]string{secretkey.FileEnv: keyFile}, ""},
		{"short", map[string]string{secretkey.Env: "abcd"}, "32 bytes"},
		{"missing file", map[string]string{secretkey.FileEnv: filepath.Join(dir, "nope")}, "no such file"},
		{"none, in memory", map[string]string{}, secretkey.FileEnv},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := secretkey.Load(func(n string) string { return c.env[n] }, ":memory:")
			switch {
			case c.wantErr == "" && (err != nil || k != want):
				t.Errorf("Load(%v) = %x, %v; want the key", c.env, k[:4], err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("Load(%v) error = %v, want %q in it", c.env, err, c.wantErr)
			}
		})
	}
	if _, err := secretkey.Load(func(string) string { return "" }, ""); !errors.Is(err, secretkey.ErrNoKey) {
		t.Errorf("Load(no key, no database) = %v, want ErrNoKey", err)
	}

	// Without either variable, a key is made beside the database, readable by its owner only,
	// and the same key is read back next time.
	dbPath := filepath.Join(dir, "critreg.db")
	k1, err := secretkey.Load(func(string) string { return "" }, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dbPath + ".key")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file = %v, %v; want mode 0600", st, err)
	}
	k2, _ := secretkey.Load(func(string) string { return "" }, dbPath)
	if k1 != k2 || k1 == (secretkey.Key{}) {
		t.Error("the key file does not give the same, non-zero key twice")
	}
}

func TestSealBindsToItsRow(t *testing.T) {
	var k, other secretkey.Key
	copy(k[:], "0123456789abcdef0123456789abcdef")
	copy(other[:], "fedcba9876543210fedcba9876543210")
	sealed, err := k.Seal([]byte("the community"), "profile 1 lab")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "community") {
		t.Fatalf("sealed = %q holds the plain text", sealed)
	}
	if again, _ := k.Seal([]byte("the community"), "profile 1 lab"); again == sealed {
		t.Error("Seal gave the same ciphertext twice: the nonce is not fresh")
	}
	if got, err := k.Open(sealed, "profile 1 lab"); err != nil || string(got) != "the community" {
		t.Errorf("Open = %q, %v", got, err)
	}
	for name, open := range map[string]func() ([]byte, error){
		"another row": func() ([]byte, error) { return k.Open(sealed, "profile 2 lab") },
		"another key": func() ([]byte, error) { return other.Open(sealed, "profile 1 lab") },
		"garbage":     func() ([]byte, error) { return k.Open("!!", "profile 1 lab") },
		"truncated":   func() ([]byte, error) { return k.Open(sealed[:8], "profile 1 lab") },
	} {
		if got, err := open(); !errors.Is(err, secretkey.ErrOpen) {
			t.Errorf("Open with %s = %q, %v; want ErrOpen", name, got, err)
		}
	}
}
