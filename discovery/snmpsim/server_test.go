package snmpsim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// testRecording is small, with an OID arc above 2^31 and a gap between subtrees.
const testRecording = `1.3.6.1.2.1.1.1.0|4|Test router
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.1017
1.3.6.1.2.1.1.3.0|67|4242
1.3.6.1.2.1.1.5.0|4x|7274722d31
1.3.6.1.2.1.2.1.0|2|-3
1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615
1.3.6.1.4.1.9.10.106.1.2.1.2.2684354563|2|5
1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295|66|4294967295
1.3.6.1.4.1.9.10.106.1.2.1.3.1|64|192.0.2.1
`

func startTest(t *testing.T, agents ...Agent) *Server {
	t.Helper()
	srv, err := Start(context.Background(), Config{Agents: agents})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func mustRecording(t *testing.T) *Recording {
	t.Helper()
	rec, err := ParseRecording(testRecording)
	if err != nil {
		t.Fatalf("ParseRecording: %v", err)
	}
	return rec
}

func client(t *testing.T, srv *Server, i int, setup func(g *gosnmp.GoSNMP)) *gosnmp.GoSNMP {
	t.Helper()
	a := srv.Addrs()[i]
	g := &gosnmp.GoSNMP{
		Target: a.Addr().String(), Port: a.Port(), Transport: "udp",
		Version: gosnmp.Version2c, Community: "public",
		Timeout: 300 * time.Millisecond, Retries: 0, MaxOids: gosnmp.MaxOids,
	}
	if setup != nil {
		setup(g)
	}
	if err := g.Connect(); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { g.Conn.Close() })
	return g
}

type vb struct {
	name string
	typ  gosnmp.Asn1BER
	val  string
}

func flatten(pdus []gosnmp.SnmpPDU) []vb {
	out := make([]vb, len(pdus))
	for i, p := range pdus {
		v := ""
		switch x := p.Value.(type) {
		case []byte:
			v = string(x)
		case string:
			v = x
		case nil:
		default:
			v = gosnmp.ToBigInt(x).String()
		}
		out[i] = vb{p.Name, p.Type, v}
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no fields", "1.3.6.1.2.1.1.1.0\n", "want OID|TYPE|VALUE"},
		{"bad oid", "1.3.x|4|a\n", "arc"},
		{"arc too large", "1.3.6.4294967296|4|a\n", "arc"},
		{"bad type", "1.3.6.1|zz|a\n", "type"},
		{"bad int", "1.3.6.1|2|abc\n", "integer"},
		{"bad hex", "1.3.6.1|4x|zz\n", "hex"},
		{"variation", "1.3.6.1|2:numeric|1\n", "variation"},
		{"unknown tag", "1.3.6.1|99|1\n", "unsupported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRecording(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseRecording(%q) = %v, want error containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestV2cOperations(t *testing.T) {
	srv := startTest(t, Agent{Name: "r1", Recording: mustRecording(t), Community: "public"})
	g := client(t, srv, 0, nil)
	tests := []struct {
		name string
		do   func() (*gosnmp.SnmpPacket, error)
		want []vb
	}{
		{"get", func() (*gosnmp.SnmpPacket, error) {
			return g.Get([]string{".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.9.0", ".1.3.6.1.2.1.1.5.1", ".1.3.6.1.2.1.2.1.0"})
		}, []vb{
			{".1.3.6.1.2.1.1.5.0", gosnmp.OctetString, "rtr-1"},
			{".1.3.6.1.2.1.1.9.0", gosnmp.NoSuchObject, ""},
			{".1.3.6.1.2.1.1.5.1", gosnmp.NoSuchInstance, ""},
			{".1.3.6.1.2.1.2.1.0", gosnmp.Integer, "-3"},
		}},
		{"get big arcs", func() (*gosnmp.SnmpPacket, error) {
			return g.Get([]string{".1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295", ".1.3.6.1.2.1.31.1.1.1.6.1"})
		}, []vb{
			{".1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295", gosnmp.Gauge32, "4294967295"},
			{".1.3.6.1.2.1.31.1.1.1.6.1", gosnmp.Counter64, "18446744073709551615"},
		}},
		{"getnext", func() (*gosnmp.SnmpPacket, error) {
			return g.GetNext([]string{".1.3.6.1.2.1.1", ".1.3.6.1.4.1.9.10.106.1.2.1.2.2684354563", ".1.3.6.1.4.1.9.10.106.1.2.1.3.1"})
		}, []vb{
			{".1.3.6.1.2.1.1.1.0", gosnmp.OctetString, "Test router"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295", gosnmp.Gauge32, "4294967295"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.3.1", gosnmp.EndOfMibView, ""},
		}},
		{"getbulk", func() (*gosnmp.SnmpPacket, error) {
			return g.GetBulk([]string{".1.3.6.1.2.1.1.2.0", ".1.3.6.1.4.1.9.10.106.1.2.1.2"}, 1, 3)
		}, []vb{
			{".1.3.6.1.2.1.1.3.0", gosnmp.TimeTicks, "4242"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.2.2684354563", gosnmp.Integer, "5"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295", gosnmp.Gauge32, "4294967295"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.3.1", gosnmp.IPAddress, "192.0.2.1"},
		}},
		{"getbulk past the end", func() (*gosnmp.SnmpPacket, error) {
			return g.GetBulk([]string{".1.3.6.1.4.1.9.10.106.1.2.1.2.4294967295"}, 0, 5)
		}, []vb{
			{".1.3.6.1.4.1.9.10.106.1.2.1.3.1", gosnmp.IPAddress, "192.0.2.1"},
			{".1.3.6.1.4.1.9.10.106.1.2.1.3.1", gosnmp.EndOfMibView, ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.do()
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			got := flatten(res.Variables)
			if len(got) != len(tc.want) {
				t.Fatalf("varbinds = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("varbind %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
	t.Run("bulkwalk", func(t *testing.T) {
		res, err := g.BulkWalkAll(".1.3.6.1")
		if err != nil || len(res) != 9 {
			t.Fatalf("BulkWalkAll = %d values, %v; want 9", len(res), err)
		}
	})
}

func TestV3(t *testing.T) {
	users := []User{
		{Name: "sha", Auth: SHA, AuthPass: "authpass-1", Priv: AES128, PrivPass: "privpass-1"},
		{Name: "sha256", Auth: SHA256, AuthPass: "authpass-2", Priv: AES128, PrivPass: "privpass-2"},
		{Name: "sha512", Auth: SHA512, AuthPass: "authpass-3", Priv: AES256, PrivPass: "privpass-3"},
	}
	srv := startTest(t, Agent{Name: "r1", Recording: mustRecording(t), Users: users})
	v3 := func(user string, a gosnmp.SnmpV3AuthProtocol, ap string, p gosnmp.SnmpV3PrivProtocol, pp string) func(*gosnmp.GoSNMP) {
		return func(g *gosnmp.GoSNMP) {
			g.Version = gosnmp.Version3
			g.SecurityModel = gosnmp.UserSecurityModel
			g.MsgFlags = gosnmp.AuthPriv
			g.SecurityParameters = &gosnmp.UsmSecurityParameters{UserName: user,
				AuthenticationProtocol: a, AuthenticationPassphrase: ap, PrivacyProtocol: p, PrivacyPassphrase: pp}
		}
	}
	tests := []struct {
		name    string
		setup   func(*gosnmp.GoSNMP)
		wantErr bool
	}{
		{"SHA AES", v3("sha", gosnmp.SHA, "authpass-1", gosnmp.AES, "privpass-1"), false},
		{"SHA-256 AES", v3("sha256", gosnmp.SHA256, "authpass-2", gosnmp.AES, "privpass-2"), false},
		{"SHA-512 AES-256", v3("sha512", gosnmp.SHA512, "authpass-3", gosnmp.AES256, "privpass-3"), false},
		{"wrong auth key", v3("sha", gosnmp.SHA, "wrong-pass", gosnmp.AES, "privpass-1"), true},
		{"wrong priv key", v3("sha", gosnmp.SHA, "authpass-1", gosnmp.AES, "wrong-priv"), true},
		{"unknown user", v3("nobody", gosnmp.SHA, "authpass-1", gosnmp.AES, "privpass-1"), true},
		{"wrong auth protocol", v3("sha", gosnmp.SHA256, "authpass-1", gosnmp.AES, "privpass-1"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := client(t, srv, 0, tc.setup)
			res, err := g.Get([]string{".1.3.6.1.2.1.1.5.0"})
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Get = %+v, want an error", flatten(res.Variables))
				}
				if strings.Contains(err.Error(), "timeout") {
					t.Errorf("Get error = %v, want an authentication error, not a timeout", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get = %v", err)
			}
			if got := flatten(res.Variables); len(got) != 1 || got[0].val != "rtr-1" {
				t.Errorf("Get = %+v, want rtr-1", got)
			}
			if res, err := g.GetBulk([]string{".1.3.6.1.2.1.1"}, 0, 4); err != nil || len(res.Variables) != 4 {
				t.Errorf("GetBulk = %v, %v; want 4 varbinds", res, err)
			}
		})
	}
}

func TestMisbehaviour(t *testing.T) {
	rec := mustRecording(t)
	srv := startTest(t,
		Agent{Name: "ok", Recording: rec, Community: "public"},
		Agent{Name: "silent", Fault: FaultSilent},
		Agent{Name: "truncate", Recording: rec, Community: "public", Fault: FaultTruncate},
		Agent{Name: "malformed", Recording: rec, Community: "public", Fault: FaultMalformed},
	)
	tests := []struct {
		name      string
		agent     int
		community string
	}{
		{"wrong community", 0, "private"},
		{"silent", 1, "public"},
		{"truncated", 2, "public"},
		{"malformed", 3, "public"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := client(t, srv, tc.agent, func(g *gosnmp.GoSNMP) { g.Community = tc.community; g.Timeout = 150 * time.Millisecond })
			res, err := g.Get([]string{".1.3.6.1.2.1.1.5.0"})
			if err == nil {
				t.Fatalf("Get = %+v, want an error", flatten(res.Variables))
			}
		})
	}
	// The agent survives garbage: after it, a good request still gets an answer.
	conn := client(t, srv, 0, nil)
	for _, junk := range [][]byte{{}, {0x30}, {0x30, 0x84, 0xff, 0xff, 0xff, 0xff}, {0x30, 0x03, 0x02, 0x01, 0x01}, []byte(strings.Repeat("\xa5", 300))} {
		if _, err := conn.Conn.Write(junk); err != nil {
			t.Fatalf("write junk: %v", err)
		}
	}
	if _, err := conn.Get([]string{".1.3.6.1.2.1.1.5.0"}); err != nil {
		t.Errorf("Get after junk = %v", err)
	}
}

func TestStartErrors(t *testing.T) {
	tests := []struct {
		name  string
		agent Agent
	}{
		{"no recording", Agent{Name: "x"}},
		{"priv without auth", Agent{Name: "x", Recording: &Recording{}, Users: []User{{Name: "u", Priv: AES128, PrivPass: "12345678"}}}},
		{"bad address", Agent{Name: "x", Recording: &Recording{}, Addr: "256.0.0.1:1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := Start(context.Background(), Config{Agents: []Agent{tc.agent}})
			if err == nil {
				srv.Close()
				t.Fatal("Start = nil error, want one")
			}
		})
	}
}

func TestCloseOnContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := Start(ctx, Config{Agents: []Agent{{Name: "r", Recording: mustRecording(t), Community: "public"}}})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal(errors.New("Close did not return after the context ended"))
	}
}
