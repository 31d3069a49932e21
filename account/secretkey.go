package account

import (
	"os"
	"sync"

	"critreg/secretkey"
)

// keyring holds the key that encrypts second-factor secrets (see package secretkey),
// loaded at first use so that deployments without any second factor never need one.
type keyring struct {
	mu     sync.Mutex
	key    secretkey.Key
	loaded bool
}

// SetSecretKey gives the key explicitly instead of loading it from the environment.
func (s *Accounts) SetSecretKey(k secretkey.Key) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	s.keys.key, s.keys.loaded = k, true
}

func (s *Accounts) secretKey() (secretkey.Key, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if !s.keys.loaded {
		k, err := secretkey.Load(os.Getenv, s.db.Path)
		if err != nil {
			return k, err
		}
		s.keys.key, s.keys.loaded = k, true
	}
	return s.keys.key, nil
}
