package account

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
	"sync"
)

// SecretKey is the 256-bit AES key that encrypts the second-factor secrets at rest. A copy
// of the database alone (a backup, a stolen disk image) then holds no usable TOTP secret.
//
// The key comes from, in this order:
//   - CRITREG_SECRET_KEY: the key itself, 32 bytes as standard base64 or as 64 hex digits;
//   - CRITREG_SECRET_KEY_FILE: a file holding the key in either of those forms;
//   - the file "<database>.key" beside the database, made with mode 0600 at first use when
//     neither variable is set. Production installations should name a key file on another
//     volume than the database and its backups, and back the key up separately: without it
//     every enrolled user must enrol again.
type SecretKey [32]byte

// Environment variables that give the secret key.
const (
	SecretKeyEnv     = "CRITREG_SECRET_KEY"
	SecretKeyFileEnv = "CRITREG_SECRET_KEY_FILE"
)

// ParseSecretKey reads a key written as base64 or hex.
func ParseSecretKey(s string) (SecretKey, error) {
	var k SecretKey
	s = strings.TrimSpace(s)
	var raw []byte
	if b, err := hex.DecodeString(s); err == nil && len(b) == len(k) {
		raw = b
	} else if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == len(k) {
		raw = b
	} else {
		return k, errors.New("the secret key must be 32 bytes written as base64 or 64 hex digits")
	}
	copy(k[:], raw)
	return k, nil
}

// LoadSecretKey finds the secret key as SecretKey describes; getenv reads the environment
// (os.Getenv) and dbPath is the database file.
func LoadSecretKey(getenv func(string) string, dbPath string) (SecretKey, error) {
	if v := getenv(SecretKeyEnv); v != "" {
		k, err := ParseSecretKey(v)
		if err != nil {
			return k, fmt.Errorf("%s: %w", SecretKeyEnv, err)
		}
		return k, nil
	}
	file := getenv(SecretKeyFileEnv)
	if file == "" {
		if dbPath == "" || strings.HasPrefix(dbPath, ":memory:") {
			return SecretKey{}, fmt.Errorf("no secret key: set %s or %s", SecretKeyEnv, SecretKeyFileEnv)
		}
		file = dbPath + ".key"
		if err := createKeyFile(file); err != nil {
			return SecretKey{}, err
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return SecretKey{}, fmt.Errorf("read secret key: %w", err)
	}
	k, err := ParseSecretKey(string(b))
	if err != nil {
		return k, fmt.Errorf("secret key file %s: %w", file, err)
	}
	return k, nil
}

// createKeyFile writes a new random key to file unless the file exists.
func createKeyFile(file string) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create secret key file: %w", err)
	}
	var k SecretKey
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

// keyring holds the key of an Accounts, loaded at first use so that deployments without
// any second factor never need one.
type keyring struct {
	mu     sync.Mutex
	key    SecretKey
	loaded bool
}

// SetSecretKey gives the key explicitly instead of loading it from the environment.
func (s *Accounts) SetSecretKey(k SecretKey) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	s.keys.key, s.keys.loaded = k, true
}

func (s *Accounts) secretKey() (SecretKey, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if !s.keys.loaded {
		k, err := LoadSecretKey(os.Getenv, s.db.Path)
		if err != nil {
			return k, err
		}
		s.keys.key, s.keys.loaded = k, true
	}
	return s.keys.key, nil
}

// seal encrypts plain with AES-256-GCM; aad binds the ciphertext to its owner, so that a
// secret copied to another user's row does not decrypt.
func seal(k SecretKey, plain []byte, aad string) (string, error) {
	aead, err := newAEAD(k)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte(aad))), nil
}

// open decrypts what seal made.
func open(k SecretKey, sealed, aad string) ([]byte, error) {
	aead, err := newAEAD(k)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < aead.NonceSize() {
		return nil, errors.New("decrypt secret: malformed")
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(aad))
	if err != nil {
		return nil, errors.New("decrypt secret: wrong key or altered data")
	}
	return plain, nil
}

func newAEAD(k SecretKey) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return cipher.NewGCM(block)
}
