package discovery

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// requireBinary finds a program the external-agent tests need. Without it they skip, unless
// CRITREG_REQUIRE_SNMPD=1 (set in CI) makes its absence a failure.
func requireBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CRITREG_REQUIRE_SNMPD") == "1" {
			t.Fatalf("%s not found and CRITREG_REQUIRE_SNMPD=1: %v", name, err)
		}
		t.Skipf("%s not found (install Debian packages snmpd snmp snmpsim, or set CRITREG_REQUIRE_SNMPD=1 to fail): %v", name, err)
	}
	return p
}

// freeUDPPort finds a loopback UDP port that is free right now.
func freeUDPPort(t testing.TB) int {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// startProcess runs an agent for the test's lifetime, its output kept for failure reports.
func startProcess(t testing.TB, env []string, name string, args ...string) *os.File {
	t.Helper()
	logf, err := os.Create(filepath.Join(t.TempDir(), filepath.Base(name)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
	})
	return logf
}

// waitRead polls until the agent answers or the wait runs out.
func waitRead(t testing.TB, tg Target, creds Credentials, within time.Duration, logf *os.File) *Device {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		d, err := Read(context.Background(), tg, creds, ReadOptions{Timeout: 500 * time.Millisecond, Retries: -1, Rules: loadRules(t)})
		if err == nil {
			return d
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logf.Name())
			t.Fatalf("agent at %s did not answer within %v: %v\nagent log:\n%s", tg, within, err, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestNetSNMP reads net-snmp's snmpd on a loopback port, over v2c and v3 authPriv.
func TestNetSNMP(t *testing.T) {
	snmpd := requireBinary(t, "snmpd")
	dir := t.TempDir()
	port := freeUDPPort(t)
	conf := filepath.Join(dir, "snmpd.conf")
	err := os.WriteFile(conf, []byte(fmt.Sprintf(`agentAddress udp:127.0.0.1:%d
rocommunity critreg-ro 127.0.0.1
createUser critreg SHA-256 "auth-secret-1" AES "priv-secret-1"
rouser critreg priv
sysName critreg-snmpd
sysLocation loopback
sysContact nobody@example.invalid
`, port)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	logf := startProcess(t, []string{"SNMP_PERSISTENT_DIR=" + dir, "MIBS="}, snmpd,
		"-f", "-C", "-c", conf, "-p", filepath.Join(dir, "snmpd.pid"), "-Lo")
	tg := Target{Host: "127.0.0.1", Port: uint16(port)}
	good := map[string]Credentials{
		"v2c": v2c("critreg-ro"),
		"v3":  {Version: V3, User: "critreg", AuthProtocol: AuthSHA256, AuthPassphrase: NewSecret("auth-secret-1"), PrivProtocol: PrivAES, PrivPassphrase: NewSecret("priv-secret-1")},
	}
	waitRead(t, tg, good["v2c"], 10*time.Second, logf)
	for _, name := range []string{"v2c", "v3"} {
		t.Run(name, func(t *testing.T) {
			d := waitRead(t, tg, good[name], 2*time.Second, logf)
			if d.SysName != "critreg-snmpd" || d.Enterprise != 8072 || d.Manufacturer != "" {
				t.Errorf("device = sysName %q enterprise %d manufacturer %q; want critreg-snmpd, 8072, unknown", d.SysName, d.Enterprise, d.Manufacturer)
			}
			if !slices.Contains(d.RunningSoftware, "snmpd") {
				t.Errorf("RunningSoftware = %q, want it to list snmpd", d.RunningSoftware)
			}
		})
	}
	bad := []struct {
		name  string
		creds Credentials
		want  Cause
	}{
		{"wrong community", v2c("not-the-community"), CauseTimeout},
		{"v3 wrong auth key", Credentials{Version: V3, User: "critreg", AuthProtocol: AuthSHA256, AuthPassphrase: NewSecret("wrong-secret"), PrivProtocol: PrivAES, PrivPassphrase: NewSecret("priv-secret-1")}, CauseAuth},
		{"v3 unknown user", Credentials{Version: V3, User: "intruder", AuthProtocol: AuthSHA256, AuthPassphrase: NewSecret("auth-secret-1"), PrivProtocol: PrivAES, PrivPassphrase: NewSecret("priv-secret-1")}, CauseAuth},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := sweepAll(t, []string{tg.String()}, tc.creds, testOptions(nil))
			if err != nil {
				t.Fatalf("Sweep = %v", err)
			}
			if r := got[tg.String()]; r.Cause != tc.want {
				t.Errorf("Cause = %q (%v), want %q", r.Cause, r.Err, tc.want)
			}
		})
	}
}

// TestSNMPSimd serves ../shared/snmprec with Debian's snmpsim and runs the acceptance checks
// against it, so the expectations hold for an agent that is not critreg's own.
func TestSNMPSimd(t *testing.T) {
	snmpsimd := requireBinary(t, "snmpsimd")
	if _, err := os.Stat(sharedRecordings); err != nil {
		t.Skipf("shared recordings not found at %s: %v", sharedRecordings, err)
	}
	data, err := filepath.Abs(sharedRecordings)
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	port := freeUDPPort(t)
	args := []string{"--data-dir=" + data, "--cache-dir=" + cache,
		fmt.Sprintf("--agent-udpv4-endpoint=127.0.0.1:%d", port),
		"--v3-user=simulator", "--v3-auth-key=auctoritas", "--v3-auth-proto=SHA",
		"--v3-priv-key=privatus", "--v3-priv-proto=AES", "--logging-method=stderr"}
	if os.Geteuid() == 0 {
		// snmpsimd refuses to run as root; it drops to an unprivileged user that must own
		// its cache.
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("running as root without a nobody user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(cache, uid, gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Dir(cache), 0o755); err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--process-user=nobody", "--process-group="+g.Name)
	}
	logf := startProcess(t, nil, snmpsimd, args...)
	tg := Target{Host: "127.0.0.1", Port: uint16(port)}
	waitRead(t, tg, v2c("sonus-sbc"), 60*time.Second, logf)
	recs := recordings(t, sharedRecordings)
	for name := range recs {
		t.Run(name, func(t *testing.T) {
			d := waitRead(t, tg, v2c(name), 10*time.Second, logf)
			checkShared(t, name, d)
		})
	}
	t.Run("v3 context vrp_ne", func(t *testing.T) {
		c := Credentials{Version: V3, User: "simulator", AuthProtocol: AuthSHA, AuthPassphrase: NewSecret("auctoritas"),
			PrivProtocol: PrivAES, PrivPassphrase: NewSecret("privatus"), ContextName: "vrp_ne"}
		checkShared(t, "vrp_ne", waitRead(t, tg, c, 10*time.Second, logf))
	})
}
