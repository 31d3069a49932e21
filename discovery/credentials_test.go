package discovery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestSecretsNeverPrinted formats credentials every way a log line or an API answer might
// and checks no secret leaks.
func TestSecretsNeverPrinted(t *testing.T) {
	const community, auth, priv = "community-XYZ", "auth-pass-XYZ", "priv-pass-XYZ"
	creds := []Credentials{
		{Version: V2c, Community: NewSecret(community)},
		{Version: V3, User: "ops", AuthProtocol: AuthSHA512, AuthPassphrase: NewSecret(auth), PrivProtocol: PrivAES256, PrivPassphrase: NewSecret(priv)},
	}
	type holder struct {
		creds Credentials // unexported: fmt cannot call methods on it
		Name  string
	}
	for _, c := range creds {
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("sweep", "creds", c, "secret", c.Community)
		js, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		outputs := map[string]string{
			"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c),
			"%s": fmt.Sprintf("%s", c), "%q": fmt.Sprintf("%q", c), "%x": fmt.Sprintf("%x", c.AuthPassphrase),
			"holder %+v": fmt.Sprintf("%+v", holder{creds: c}), "holder %#v": fmt.Sprintf("%#v", holder{creds: c}),
			"secret %d": fmt.Sprintf("%d %s %v", c.Community, c.PrivPassphrase, &c.AuthPassphrase),
			"json":      string(js), "slog": logged.String(),
		}
		for how, out := range outputs {
			for _, s := range []string{community, auth, priv} {
				if strings.Contains(out, s) {
					t.Errorf("%s of %s leaks a secret: %s", how, c.Version, out)
				}
			}
		}
	}
}

func TestSecretRoundTrip(t *testing.T) {
	var c Credentials
	if err := json.Unmarshal([]byte(`{"version":"v3","user":"ops","auth_protocol":"SHA-256","auth_passphrase":"a-long-secret","priv_protocol":"AES","priv_passphrase":"another-secret"}`), &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
	if got := c.AuthPassphrase.Reveal(); got != "a-long-secret" {
		t.Errorf("Reveal = %q, want a-long-secret", got)
	}
}

func TestParseProtocols(t *testing.T) {
	auth := map[string]AuthProtocol{"sha": AuthSHA, "SHA1": AuthSHA, "sha-256": AuthSHA256, "SHA224": AuthSHA224, "sha_512": AuthSHA512}
	for in, want := range auth {
		if got, err := ParseAuthProtocol(in); err != nil || got != want {
			t.Errorf("ParseAuthProtocol(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	priv := map[string]PrivProtocol{"aes": PrivAES, "AES128": PrivAES, "aes-192": PrivAES192, "AES256C": PrivAES256C}
	for in, want := range priv {
		if got, err := ParsePrivProtocol(in); err != nil || got != want {
			t.Errorf("ParsePrivProtocol(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"md5", "des", ""} {
		if _, err := ParsePrivProtocol(bad); err == nil && bad != "" {
			t.Errorf("ParsePrivProtocol(%q) = nil error", bad)
		}
	}
	if _, err := ParseAuthProtocol("MD5"); err == nil {
		t.Error("ParseAuthProtocol(MD5) = nil error, want MD5 refused")
	}
}
