package discovery

import "testing"

func TestTargetsContainsAndAddressMatches(t *testing.T) {
	ts, err := ParseTargets("10.0.0.0/30, 192.0.2.7:1161, router1, fd00::/126", TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"10.0.0.1", true}, {"10.0.0.2:161", true}, {"10.0.0.0", false}, {"10.0.0.3", false}, {"10.0.0.1:1161", false},
		{"192.0.2.7:1161", true}, {"192.0.2.7", true}, {"192.0.2.7:161", false},
		{"ROUTER1", true}, {"router2", false}, {"[fd00::1]:161", true}, {"fd00::9", false},
	} {
		host, port := splitAddress(c.addr)
		if got := ts.Contains(host, port); got != c.want {
			t.Errorf("Contains(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
	tg := Target{Host: "127.0.0.1", Port: 16101}
	for addr, want := range map[string]bool{"127.0.0.1": true, "127.0.0.1:16101": true, "127.0.0.1:161": false, "127.0.0.2": false, "": false, "localhost": false} {
		if got := addressMatches(addr, tg); got != want {
			t.Errorf("addressMatches(%q, %s) = %v, want %v", addr, tg, got, want)
		}
	}
	if got := ts.String(); got != "10.0.0.0/30,192.0.2.7:1161,router1,fd00::/126" {
		t.Errorf("String() = %q", got)
	}
}
