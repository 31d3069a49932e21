// Package secretkey holds the one key that encrypts critreg's secrets at rest (second-factor
// secrets, SNMP credential profiles), so that a copy of the database alone — a backup, a
// stolen disk image — holds no usable secret.
//
// The key comes from, in this order:
//   - CRITREG_SECRET_KEY: the key itself, 32 bytes as standard base64 or as 64 hex digits;
//   - CRITREG_SECRET_KEY_FILE: a file holding the key in either of those forms;
//   - the file "<database>.key" beside the database, made with mode 0600 at first use when
//     neither variable is set. Production installations should name a key file on another
//     volume than the database and its backups, and back the key up separately: without it
//     every enrolled user must enrol again and every credential profile be entered again.
package secretkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Key is a 256-bit AES key.
type Key [32]byte

// Environment variables that give the key.
const (
	Env     = "CRITREG_SECRET_KEY"
	FileEnv = "CRITREG_SECRET_KEY_FILE"
)

// ErrNoKey means no key is configured and none can be kept beside the database (an
// in-memory database has no place for one).
var ErrNoKey = errors.New("no secret key is configured: set " + Env + " (32 bytes as base64) or " + FileEnv + " (a file holding it)")

// Parse reads a key written as base64 or hex.
func Parse(s string) (Key, error) {
	var k Key
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == len(k) {
		copy(k[:], b)
		return k, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == len(k) {
		copy(k[:], b)
		return k, nil
	}
	return k, errors.New("the secret key must be 32 bytes written as base64 or 64 hex digits")
}

// Load finds the key as the package describes; getenv reads the environment (os.Getenv
// outside tests) and dbPath is the database file.
func Load(getenv func(string) string, dbPath string) (Key, error) {
	if v := getenv(Env); v != "" {
		k, err := Parse(v)
		if err != nil {
			return k, fmt.Errorf("%s: %w", Env, err)
		}
		return k, nil
	}
	file := getenv(FileEnv)
	if file == "" {
		if dbPath == "" || strings.HasPrefix(dbPath, ":memory:") {
			return Key{}, ErrNoKey
		}
		file = dbPath + ".key"
		if err := createFile(file); err != nil {
			return Key{}, err
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return Key{}, fmt.Errorf("read secret key file: %w", err)
	}
	k, err := Parse(string(b))
	if err != nil {
		return k, fmt.Errorf("secret key file %s: %w", file, err)
	}
	return k, nil
}

// createFile writes a new random key to file unless the file exists.
func createFile(file string) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create secret key file: %w", err)
	}
	var k Key
	_, _ = rand.Read(k[:])
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(k[:]) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write secret key file: %w", err)
	}
	return nil
}

// ErrOpen means a sealed value did not decrypt: another key, or altered data.
var ErrOpen = errors.New("decrypt: wrong secret key (" + Env + ") or altered data")

// Seal encrypts plain with AES-256-GCM. aad binds the ciphertext to its row, so that a
// sealed value copied to another user's or operator's row does not decrypt.
func (k Key) Seal(plain []byte, aad string) (string, error) {
	aead, err := k.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte(aad))), nil
}

// Open decrypts what Seal made under the same aad.
func (k Key) Open(sealed, aad string) ([]byte, error) {
	aead, err := k.aead()
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < aead.NonceSize() {
		return nil, ErrOpen
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

func (k Key) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return cipher.NewGCM(block)
}
