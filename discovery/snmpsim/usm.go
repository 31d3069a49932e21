package snmpsim

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
)

// AuthProtocol is a USM authentication protocol (RFC 3414, RFC 7860).
type AuthProtocol int

// Authentication protocols the simulator accepts.
const (
	NoAuth AuthProtocol = iota
	MD5
	SHA
	SHA224
	SHA256
	SHA384
	SHA512
)

// PrivProtocol is a USM privacy protocol (RFC 3826 AES in CFB-128 mode).
type PrivProtocol int

// Privacy protocols the simulator accepts. AES192 and AES256 extend the localized key the
// way draft-blumenthal-aes-usm does (gosnmp's AES192 and AES256).
const (
	NoPriv PrivProtocol = iota
	AES128
	AES192
	AES256
)

func (p AuthProtocol) newHash() func() hash.Hash {
	switch p {
	case MD5:
		return md5.New
	case SHA:
		return sha1.New
	case SHA224:
		return sha256.New224
	case SHA256:
		return sha256.New
	case SHA384:
		return sha512.New384
	case SHA512:
		return sha512.New
	}
	return nil
}

// macLen is the length of msgAuthenticationParameters: 96-bit truncation for MD5 and SHA-1
// (RFC 3414), RFC 7860's lengths for the SHA-2 family.
func (p AuthProtocol) macLen() int {
	switch p {
	case MD5, SHA:
		return 12
	case SHA224:
		return 16
	case SHA256:
		return 24
	case SHA384:
		return 32
	case SHA512:
		return 48
	}
	return 0
}

func (p PrivProtocol) keyLen() int {
	switch p {
	case AES128:
		return 16
	case AES192:
		return 24
	case AES256:
		return 32
	}
	return 0
}

// passwordToKey is RFC 3414 A.2: the digest of the passphrase repeated over one megabyte.
// It costs milliseconds, so the server computes it once per user, not per message.
func passwordToKey(p AuthProtocol, pass string) ([]byte, error) {
	if pass == "" {
		return nil, fmt.Errorf("empty passphrase")
	}
	h := p.newHash()()
	var block [64]byte
	idx := 0
	for count := 0; count < 1<<20; count += len(block) {
		for i := range block {
			block[i] = pass[idx%len(pass)]
			idx++
		}
		h.Write(block[:])
	}
	return h.Sum(nil), nil
}

// localizeKey is RFC 3414 A.2.2: Kul = H(Ku || engineID || Ku).
func localizeKey(p AuthProtocol, ku, engineID []byte) []byte {
	h := p.newHash()()
	h.Write(ku)
	h.Write(engineID)
	h.Write(ku)
	return h.Sum(nil)
}

// privKey derives the localized privacy key of the wanted length.
func privKey(a AuthProtocol, p PrivProtocol, ku, engineID []byte) []byte {
	k := localizeKey(a, ku, engineID)
	for len(k) < p.keyLen() {
		h := a.newHash()()
		h.Write(k)
		k = append(k, h.Sum(nil)...)
	}
	return k[:p.keyLen()]
}

// digest computes the truncated HMAC over a whole message whose authentication field is zeroed.
func digest(p AuthProtocol, key, msg []byte) []byte {
	m := hmac.New(p.newHash(), key)
	m.Write(msg)
	return m.Sum(nil)[:p.macLen()]
}

// cfb runs AES-CFB128 with the RFC 3826 IV: engine boots, engine time, then the 8-byte salt.
func cfb(key []byte, boots, etime uint32, salt []byte, in []byte, decrypt bool) ([]byte, error) {
	if len(salt) != 8 {
		return nil, fmt.Errorf("privacy parameters of %d bytes, want 8", len(salt))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	var iv [16]byte
	binary.BigEndian.PutUint32(iv[0:], boots)
	binary.BigEndian.PutUint32(iv[4:], etime)
	copy(iv[8:], salt)
	out := make([]byte, len(in))
	if decrypt {
		//lint:ignore SA1019 RFC 3826 prescribes CFB-128.
		cipher.NewCFBDecrypter(block, iv[:]).XORKeyStream(out, in)
	} else {
		//lint:ignore SA1019 RFC 3826 prescribes CFB-128.
		cipher.NewCFBEncrypter(block, iv[:]).XORKeyStream(out, in)
	}
	return out, nil
}
