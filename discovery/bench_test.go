package discovery

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"critreg/discovery/snmpsim"
)

// BenchmarkSweep1000Devices discovers 1,000 simulated devices (one simulator, 1,000 ports,
// the project's recordings in turn) with full inventory.
func BenchmarkSweep1000Devices(b *testing.B) {
	const devices = 1000
	recs := recordings(b, fixturesDir)
	names := slices.Sorted(maps.Keys(recs))
	agents := make([]snmpsim.Agent, devices)
	for i := range agents {
		n := names[i%len(names)]
		agents[i] = snmpsim.Agent{Name: fmt.Sprintf("%s-%d", n, i), Recording: recs[n], Community: "bench"}
	}
	srv := startSim(b, agents...)
	var list []string
	for _, a := range srv.Addrs() {
		list = append(list, a.String())
	}
	ts, err := ParseTargets(strings.Join(list, ","), TargetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rules := loadRules(b)
	b.ResetTimer()
	for b.Loop() {
		components := 0
		p, err := Sweep(context.Background(), ts, v2c("bench"), Options{Workers: 64, Timeout: 2 * time.Second, Retries: 1, Rules: rules,
			OnResult: func(r Result) {
				if r.Device != nil {
					components += len(r.Device.Components)
				}
			}})
		if err != nil || p.Answering != devices {
			b.Fatalf("Sweep = %+v, %v; want %d answering", p, err, devices)
		}
		b.ReportMetric(float64(components), "components/op")
	}
}

// BenchmarkSweepSlash22 sweeps the 1,022 hosts of 127.1.0.0/22 where 100 answer and the
// rest are sockets that read and never reply (1 s timeout, 1 retry).
func BenchmarkSweepSlash22(b *testing.B) {
	const answering = 100
	prefix := netip.MustParsePrefix("127.1.0.0/22")
	port := freeUDPPortOn(b, netip.MustParseAddr("127.1.0.1"))
	rec := recordings(b, fixturesDir)["huawei-ne40e"]
	var agents []snmpsim.Agent
	i := 0
	ts, err := ParseTargets(prefix.String(), TargetOptions{DefaultPort: port})
	if err != nil {
		b.Fatal(err)
	}
	step := ts.Len() / answering
	for tg := range ts.All() {
		a := snmpsim.Agent{Name: tg.Host, Addr: tg.String(), Fault: snmpsim.FaultSilent}
		if i%step == 0 && i/step < answering {
			a = snmpsim.Agent{Name: tg.Host, Addr: tg.String(), Recording: rec, Community: "bench"}
		}
		agents = append(agents, a)
		i++
	}
	startSim(b, agents...)
	b.ResetTimer()
	for b.Loop() {
		p, err := Sweep(context.Background(), ts, v2c("bench"), Options{Workers: 256, Timeout: time.Second, Retries: 1})
		if err != nil || p.Answering != answering || p.Timeout != ts.Len()-answering {
			b.Fatalf("Sweep = %+v, %v; want %d answering, the rest timeouts", p, err, answering)
		}
	}
}

// freeUDPPortOn finds a port free on addr (other 127.x addresses are almost surely free too).
func freeUDPPortOn(b testing.TB, addr netip.Addr) uint16 {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Port()
}

// BenchmarkInventoryRead compares one device's inventory read with net-snmp's snmpbulkwalk of
// the same subtrees against the same agent (the largest recording, a Cisco ASR 9001 with
// ~3,900 ENTITY-MIB values, from ../shared/snmprec; else the project's Cisco recording).
// "snmpbulkwalk-columns" walks exactly the columns critreg reads, one process per column;
// "snmpbulkwalk-tables" walks the enclosing tables, one process per table, which reads more
// values but starts fewer processes.
func BenchmarkInventoryRead(b *testing.B) {
	rec, err := snmpsim.LoadFile(sharedRecordings + "/iosxr_asr9001.snmprec")
	if err != nil {
		rec = recordings(b, fixturesDir)["cisco-asr9006"]
	}
	srv := startSim(b, snmpsim.Agent{Name: "dut", Recording: rec, Community: "bench"})
	addr := srv.Addrs()[0]
	tg := Target{Host: addr.Addr().String(), Port: addr.Port()}
	rules := loadRules(b)
	b.Run("critreg", func(b *testing.B) {
		for b.Loop() {
			if _, err := Read(context.Background(), tg, v2c("bench"), ReadOptions{Timeout: 2 * time.Second, Rules: rules}); err != nil {
				b.Fatal(err)
			}
		}
	})
	walk, err := exec.LookPath("snmpbulkwalk")
	if err != nil {
		b.Skipf("snmpbulkwalk not found: %v", err)
	}
	columns := []string{"1.3.6.1.2.1.1"}
	for c := range entityColumns {
		columns = append(columns, c)
	}
	columns = append(columns, hrSWRunName, hrSWInstalledName)
	tables := []string{"1.3.6.1.2.1.1", "1.3.6.1.2.1.47.1.1.1", hrSWRunName, hrSWInstalledName}
	for _, set := range []struct {
		name    string
		subtree []string
	}{{"snmpbulkwalk-columns", columns}, {"snmpbulkwalk-tables", tables}} {
		b.Run(set.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range set.subtree {
					cmd := exec.Command(walk, "-v2c", "-c", "bench", "-Cr25", "-On", "-Oq", "-m", "", "-t", "2", addr.String(), s)
					cmd.Env = append(os.Environ(), "MIBS=")
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("snmpbulkwalk %s: %v\n%s", s, err, out)
					}
				}
			}
		})
	}
}
