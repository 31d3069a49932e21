package discovery

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

// FuzzSNMPResponse serves an arbitrary recording from the simulator on loopback and reads
// the device from it: whatever values, types and OIDs an agent answers with, Read returns
// a device or an error, never panics or hangs, and the device it returns encodes as JSON
// and goes through the fingerprint rules. The seeds are the project's recordings.
func FuzzSNMPResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*.snmprec"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("1.3.6.1.2.1.1.1.0|4|\n1.3.6.1.2.1.47.1.1.1.1.2.1|4x|ff00fe\n1.3.6.1.2.1.47.1.1.1.1.4.1|2|-5\n")
	f.Add("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2636.1.1.1.2.25\n1.3.6.1.4.1.2636.3.1.2.1.5.1|4|\n")
	rules := loadRules(f)
	f.Fuzz(func(t *testing.T, recording string) {
		// A hang becomes a crash, which the fuzzer keeps as a regression case.
		hang := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("exec hangs on %q", recording)) })
		defer hang.Stop()
		rec, err := snmpsim.ParseRecording(recording)
		if err != nil {
			return // not a recording the simulator can serve
		}
		srv := startSim(t, snmpsim.Agent{Name: "fuzz", Recording: rec, Community: "fuzz"})
		addr := srv.Addrs()[0]
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		done := make(chan struct{})
		var d *Device
		go func() {
			defer close(done)
			d, err = Read(ctx, Target{Host: addr.Addr().String(), Port: addr.Port()}, v2c("fuzz"),
				ReadOptions{Timeout: 300 * time.Millisecond, Retries: -1, Rules: rules})
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Read did not return within 30 s")
		}
		if err != nil || d == nil {
			return
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("device from %q does not encode: %v", recording, err)
		}
		_ = rules.Match(d)
	})
}
