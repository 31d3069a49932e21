package discovery

import (
	"slices"
	"strings"
	"testing"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		in    string
		opts  TargetOptions
		want  []string // first few targets
		count int
	}{
		{in: "10.0.0.1", want: []string{"10.0.0.1:161"}, count: 1},
		{in: "10.0.0.1:1161, router1.example.lv:16100", want: []string{"10.0.0.1:1161", "router1.example.lv:16100"}, count: 2},
		{in: "[fd00::1]:1161 fd00::2", want: []string{"[fd00::1]:1161", "[fd00::2]:161"}, count: 2},
		{in: "192.0.2.0/30", want: []string{"192.0.2.1:161", "192.0.2.2:161"}, count: 2},
		{in: "192.0.2.0/31", want: []string{"192.0.2.0:161", "192.0.2.1:161"}, count: 2},
		{in: "127.1.0.0/22", opts: TargetOptions{DefaultPort: 16100}, want: []string{"127.1.0.1:16100", "127.1.0.2:16100"}, count: 1022},
		{in: "fd00::/126", want: []string{"[fd00::]:161", "[fd00::1]:161"}, count: 4},
		{in: "10.0.0.1\n10.0.0.1,10.0.0.2", want: []string{"10.0.0.1:161", "10.0.0.2:161"}, count: 2},
		{in: "::ffff:10.0.0.9", want: []string{"10.0.0.9:161"}, count: 1},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ts, err := ParseTargets(tc.in, tc.opts)
			if err != nil {
				t.Fatalf("ParseTargets(%q) = %v", tc.in, err)
			}
			if ts.Len() != tc.count {
				t.Errorf("ParseTargets(%q).Len() = %d, want %d", tc.in, ts.Len(), tc.count)
			}
			var got []string
			n := 0
			for tg := range ts.All() {
				if len(got) < len(tc.want) {
					got = append(got, tg.String())
				}
				n++
			}
			if n != tc.count {
				t.Errorf("ParseTargets(%q) yields %d targets, want %d", tc.in, n, tc.count)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ParseTargets(%q) = %q…, want %q…", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseTargetsRefuses(t *testing.T) {
	tests := []struct {
		in, want string
		opts     TargetOptions
	}{
		{"", "no targets", TargetOptions{}},
		{" , ", "no targets", TargetOptions{}},
		{"10.0.0.0/8", "limit", TargetOptions{}},
		{"10.0.0.0/24", "limit", TargetOptions{MaxHosts: 100}},
		{"10.0.0.0/25,10.0.1.0/25", "limit", TargetOptions{MaxHosts: 200}},
		{"fd00::/64", "too large", TargetOptions{}},
		{"10.0.0.5/24", "did you mean 10.0.0.0/24", TargetOptions{}},
		{"10.0.0.0/33", "CIDR", TargetOptions{}},
		{"10.0.0.256", "neither", TargetOptions{}},
		{"10.0.0.1:0", "port", TargetOptions{}},
		{"10.0.0.1:70000", "port", TargetOptions{}},
		{"10.0.0.1:abc", "port", TargetOptions{}},
		{"0.0.0.0", "unspecified", TargetOptions{}},
		{"224.0.0.1", "multicast", TargetOptions{}},
		{"255.255.255.255", "broadcast", TargetOptions{}},
		{"host_name!", "neither", TargetOptions{}},
		{"fe80::1%eth0", "zoned", TargetOptions{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseTargets(tc.in, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseTargets(%q) = %v, want error containing %q", tc.in, err, tc.want)
			}
		})
	}
}
