package discovery

import (
	"context"
	"fmt"
	"math/bits"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"critreg/access"
	"critreg/audit"
	"critreg/discovery/snmpsim"
	"critreg/inventory"
	"critreg/store/storetest"
)

// BenchmarkRunMemory runs whole sweeps through the Service, results stored in SQLite as
// they come, and reports the peak live heap (sampled after a collection every 20 ms) above
// what was in use before, the simulator's agents included: it should not grow with the
// number of targets.
// "silent" targets are sockets that read and never answer (200 ms timeout, no retry);
// "refused" targets have no socket, so every host fails at once and its result is stored.
func BenchmarkRunMemory(b *testing.B) {
	for _, c := range []struct {
		kind  string
		sizes []int
	}{{"silent", []int{1022, 4094}}, {"refused", []int{1022, 4094, 16382}}} {
		for _, n := range c.sizes {
			b.Run(fmt.Sprintf("%s/%d", c.kind, n), func(b *testing.B) { benchRun(b, c.kind, n) })
		}
	}
}

func benchRun(b *testing.B, kind string, n int) {
	ctx := context.Background()
	db := storetest.Open(b, audit.Schema, inventory.Schema, Schema)
	inv := inventory.NewStore(db)
	op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "BENCH", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	a := access.Actor{Login: "bench", Role: access.RoleEngineer, OperatorID: op.ID}
	svc := New(db, inv, Config{Rules: loadRules(b)})

	// A loopback range on one port, expanded lazily as a real sweep's would be.
	prefix := netip.PrefixFrom(netip.MustParseAddr("127.3.0.0"), 32-bits.Len(uint(n+1)))
	port := freeUDPPortOn(b, netip.MustParseAddr("127.3.0.1"))
	ts, err := ParseTargets(prefix.String(), TargetOptions{DefaultPort: port})
	if err != nil {
		b.Fatal(err)
	}
	n = ts.Len()
	if kind == "silent" {
		var agents []snmpsim.Agent
		for t := range ts.All() {
			agents = append(agents, snmpsim.Agent{Name: t.Host, Addr: t.String(), Fault: snmpsim.FaultSilent})
		}
		startSim(b, agents...)
		// Each agent allocates its 64 KiB read buffer when its goroutine starts.
		time.Sleep(200 * time.Millisecond)
	}
	opts := Options{Workers: 256, Timeout: 200 * time.Millisecond, Retries: -1}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	// The simulator's sockets live in this process too: the baseline holds them, and the
	// figure is what the run adds on top.
	runtime.GC()
	var base0 runtime.MemStats
	runtime.ReadMemStats(&base0)
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			// Live heap, not heap including garbage: with the simulator's buffers in the
			// baseline the collector would otherwise let garbage pile up to twice that.
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		run, err := svc.RunLocal(ctx, a, "BENCH", ts, v2c("bench"), opts, nil)
		if err != nil || run.Progress.Done != n || run.Progress.Answering != 0 {
			b.Fatalf("RunLocal = %+v, %v", run.Progress, err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), base0.HeapAlloc))/(1<<20), "peak-heap-MB")
}
