package notice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Canonicalization names the canonical form the receipts' hashes are taken over; the
// package documentation defines it.
const Canonicalization = "critreg-json-c14n/1"

// Canonical encodes v in canonical JSON: v is encoded, read back as generic JSON and
// written again, which sorts every object's keys (encoding/json writes maps sorted) and
// drops whitespace. Numbers pass through as their literal text. Callers sort arrays.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Digest is the SHA-256 of content as 64 lower-case hex digits.
func Digest(content []byte) string {
	h := sha256.Sum256(content)
	return hex.EncodeToString(h[:])
}

// Verify reports whether content is canonical and hashes to sha, so that a receipt and
// the content it names can be checked by anyone holding both.
func Verify(content []byte, sha string) bool {
	var v any
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return false
	}
	again, err := Canonical(v)
	return err == nil && bytes.Equal(again, content) && Digest(content) == sha
}
