package demo

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"critreg/access"
	"critreg/account"
	"critreg/discovery"
	"critreg/discovery/snmpsim"
	"critreg/fixtures"
	"critreg/inventory"
	"critreg/store"
)

// Lab is the demo's management network: SNMP agents on loopback answering from the
// project's recordings (fixtures/snmp), so that discovery can be tried on the demo
// registry without a device. Close it with the server.
type Lab struct {
	sim *snmpsim.Server
	// Targets are the agents' addresses as the discovery form takes them.
	Targets string
}

// Demo discovery settings: the engineer who sweeps, the profile and its community.
const (
	labLogin     = "engineer.daugava"
	labProfile   = "demo-lab"
	labCommunity = "demo-lab"
)

// StartLab starts the demo's agents, gives the demo operator a credential profile for
// them, and, the first time, sweeps them once so that the discovery pages have a run with
// findings to review. It expects Load to have filled db.
func StartLab(ctx context.Context, db *store.DB) (*Lab, error) {
	agents, err := labAgents()
	if err != nil {
		return nil, err
	}
	sim, err := snmpsim.Start(context.Background(), snmpsim.Config{Agents: agents})
	if err != nil {
		return nil, fmt.Errorf("demo lab: %w", err)
	}
	var addrs []string
	for _, a := range sim.Addrs() {
		addrs = append(addrs, a.String())
	}
	lab := &Lab{sim: sim, Targets: strings.Join(addrs, ",")}
	if err := lab.prepare(ctx, db); err != nil {
		sim.Close()
		return nil, err
	}
	return lab, nil
}

// Close stops the agents.
func (l *Lab) Close() error { return l.sim.Close() }

// labAgents makes one v2c agent per recording, on a free loopback port.
func labAgents() ([]snmpsim.Agent, error) {
	names, err := fs.Glob(fixtures.FS(), "snmp/*.snmprec")
	if err != nil {
		return nil, err
	}
	var agents []snmpsim.Agent
	for _, name := range names {
		raw, err := fixtures.ReadFile(name)
		if err != nil {
			return nil, err
		}
		rec, err := snmpsim.ParseRecording(string(raw))
		if err != nil {
			return nil, fmt.Errorf("demo lab %s: %w", name, err)
		}
		agents = append(agents, snmpsim.Agent{Name: strings.TrimSuffix(path.Base(name), ".snmprec"), Recording: rec, Community: labCommunity})
	}
	return agents, nil
}

// prepare keeps the profile and sweeps once, as the demo engineer.
func (l *Lab) prepare(ctx context.Context, db *store.DB) error {
	u, err := account.New(db).UserByLogin(ctx, labLogin)
	if err != nil {
		return fmt.Errorf("demo lab: %w", err)
	}
	eng := access.Actor{UserID: u.ID, Login: u.Login, Role: u.Role, OperatorID: u.OperatorID}
	inv := inventory.NewStore(db)
	svc := discovery.New(db, inv, discovery.Config{})
	profiles, err := svc.Profiles(ctx, eng, "")
	if err != nil {
		return fmt.Errorf("demo lab: %w", err)
	}
	if len(profiles) == 0 {
		in := discovery.ProfileInput{Name: labProfile, Version: discovery.V2c, Community: discovery.NewSecret(labCommunity)}
		if _, err := svc.CreateProfile(ctx, eng, in); err != nil {
			return fmt.Errorf("demo lab profile: %w", err)
		}
	}
	runs, _, err := svc.Runs(ctx, eng, discovery.RunFilter{}, inventory.Page{Limit: 1})
	if err != nil || len(runs) > 0 {
		return err
	}
	targets, err := discovery.ParseTargets(l.Targets, discovery.TargetOptions{})
	if err != nil {
		return err
	}
	creds, err := svc.ProfileCredentials(ctx, eng, u.OperatorID, labProfile)
	if err != nil {
		return err
	}
	_, err = svc.RunLocal(ctx, eng, "", targets, creds, discovery.Options{Timeout: time.Second}, nil)
	return err
}
