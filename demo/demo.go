// Package demo loads the demo registry from fixtures: two operators with a legacy 4G network
// and a new 5G network, their annex-7 items from several real manufacturers, the supplier
// register, the ownership behind some suppliers, three of the bureau's opinions and one user
// per role, so that a newcomer sees a working registry at once.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"critreg/access"
	"critreg/account"
	"critreg/fixtures"
	"critreg/inventory"
	"critreg/store"
	"critreg/vetting"
)

// Password is the password of every demo user. The demo is for looking around on one's own
// machine; a registry with real data never loads it.
const Password = "demo-password-2026"

// Login is one demo user.
type Login struct {
	Login    string `json:"login"`
	Role     string `json:"role"`
	Operator string `json:"operator,omitempty"`
}

type data struct {
	Operators []struct {
		inventory.OperatorInput
		Networks []struct {
			inventory.NetworkInput
			Items []inventory.ItemInput `json:"items"`
		} `json:"networks"`
	} `json:"operators"`
	Suppliers []inventory.SupplierInput `json:"suppliers"`
	Users     []Login                   `json:"users"`
	// Parties, Statements and Opinions are the bureau's side: who is behind the suppliers
	// and what the bureau decided about them.
	Parties []struct {
		Key      string `json:"key"`
		Supplier string `json:"supplier"`
		vetting.PartyInput
	} `json:"parties"`
	Statements []struct {
		Subject string  `json:"subject"`
		Owner   string  `json:"owner"`
		Share   float64 `json:"share"`
		Source  string  `json:"source"`
	} `json:"statements"`
	Opinions []vetting.OpinionInput `json:"opinions"`
}

// ErrNotEmpty means the database already holds a registry that is not the demo's.
var ErrNotEmpty = errors.New("the database already holds operators; the demo loads only into an empty registry")

// Load fills an empty, migrated database with the demo registry and returns its logins. On a
// database that already holds the demo it changes nothing and returns the logins again; a
// load that was cut short completes.
func Load(ctx context.Context, db *store.DB) ([]Login, error) {
	raw, err := fixtures.ReadFile("demo/demo.json")
	if err != nil {
		return nil, fmt.Errorf("read demo data: %w", err)
	}
	var d data
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("read demo data: %w", err)
	}
	inv, acc := inventory.NewStore(db), account.New(db)
	sys := access.System()
	// Each step skips what is already there, so that a load cut short (a killed process)
	// completes when run again. A registry with operators of its own is never touched.
	demoOps := map[string]bool{}
	for _, o := range d.Operators {
		demoOps[strings.ToUpper(o.Code)] = true
	}
	ops, _, err := inv.Operators(ctx, sys, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, o := range ops {
		if !demoOps[o.Code] {
			return nil, ErrNotEmpty
		}
	}
	for _, sp := range d.Suppliers {
		if _, err := inv.SupplierByName(ctx, sys, sp.Name); err == nil {
			continue
		}
		if _, err := inv.CreateSupplier(ctx, sys, sp); err != nil {
			return nil, fmt.Errorf("demo supplier %s: %w", sp.Name, err)
		}
	}
	for _, o := range d.Operators {
		if _, err := inv.Operator(ctx, sys, o.Code); err == nil {
			continue
		}
		if _, err := inv.CreateOperator(ctx, sys, o.OperatorInput); err != nil {
			return nil, fmt.Errorf("demo operator %s: %w", o.Code, err)
		}
	}
	for _, u := range d.Users {
		if _, err := acc.UserByLogin(ctx, u.Login); err == nil {
			continue
		}
		if _, err := acc.AddUser(ctx, sys, account.UserInput{Login: u.Login, Role: access.Role(u.Role), Operator: u.Operator, Password: Password}); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Login, err)
		}
	}
	for _, o := range d.Operators {
		// Networks and items are kept by the operator's own compliance officer.
		officer, err := acc.UserByLogin(ctx, "operator."+lower(o.Code))
		if err != nil {
			return nil, fmt.Errorf("demo operator %s has no compliance officer: %w", o.Code, err)
		}
		a := officer.Actor("", "cli")
		have, _, err := inv.Networks(ctx, a, inventory.NetworkFilter{}, inventory.Page{Limit: inventory.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, n := range o.Networks {
			n.Operator = o.Code
			nw, found := inventory.Network{}, false
			for _, h := range have {
				if h.Name == n.Name {
					nw, found = h, true
				}
			}
			if !found {
				if nw, err = inv.CreateNetwork(ctx, a, n.NetworkInput); err != nil {
					return nil, fmt.Errorf("demo network %s: %w", n.Name, err)
				}
			}
			loaded := map[string]bool{}
			items, _, err := inv.Items(ctx, a, inventory.ItemFilter{NetworkID: nw.ID}, inventory.Page{Limit: inventory.MaxLimit})
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				loaded[it.SourceRef] = true
			}
			for i, it := range n.Items {
				ref := fmt.Sprintf("demo.json %s/%s item %d", o.Code, n.Name, i+1)
				if loaded[ref] {
					continue
				}
				it.NetworkID = nw.ID
				if _, err := inv.CreateItem(ctx, a, it, inventory.SourceImported, ref); err != nil {
					return nil, fmt.Errorf("demo item %s/%s #%d: %w", o.Code, n.Name, i+1, err)
				}
			}
		}
	}
	if err := loadVetting(ctx, db, acc, d); err != nil {
		return nil, err
	}
	return d.Users, nil
}

// loadVetting records, as the demo's bureau analyst, the ownership behind some suppliers
// and three opinions: a threat, a restriction and a no-objection.
func loadVetting(ctx context.Context, db *store.DB, acc *account.Accounts, d data) error {
	analyst, err := acc.UserByLogin(ctx, "analyst.bureau")
	if err != nil {
		return fmt.Errorf("demo has no bureau analyst: %w", err)
	}
	a := analyst.Actor("", "cli")
	inv, v := inventory.NewStore(db), vetting.New(db)
	ids := map[string]int64{}
	for _, p := range d.Parties {
		in := p.PartyInput
		f := vetting.PartyFilter{Q: in.Name}
		if p.Supplier != "" {
			sp, err := inv.SupplierByName(ctx, a, p.Supplier)
			if err != nil {
				return fmt.Errorf("demo party %s: %w", p.Key, err)
			}
			in.SupplierID = sp.ID
			f = vetting.PartyFilter{SupplierID: sp.ID}
		}
		if have, _, err := v.Parties(ctx, a, f, inventory.Page{Limit: 1}); err == nil && len(have) == 1 {
			ids[p.Key] = have[0].ID
			continue
		}
		party, err := v.CreateParty(ctx, a, in)
		if err != nil {
			return fmt.Errorf("demo party %s: %w", p.Key, err)
		}
		ids[p.Key] = party.ID
	}
	for _, st := range d.Statements {
		if have, _, err := v.Statements(ctx, a, vetting.StatementFilter{SubjectID: ids[st.Subject], OwnerID: ids[st.Owner]}, inventory.Page{Limit: 1}); err == nil && len(have) > 0 {
			continue
		}
		share := st.Share
		if _, err := v.CreateStatement(ctx, a, vetting.StatementInput{SubjectID: ids[st.Subject], OwnerID: ids[st.Owner],
			Share: &vetting.Share{Exact: &share}, Source: st.Source}); err != nil {
			return fmt.Errorf("demo ownership %s ← %s: %w", st.Subject, st.Owner, err)
		}
	}
	issued := map[string]bool{}
	have, _, err := v.Opinions(ctx, a, vetting.OpinionFilter{}, inventory.Page{Limit: inventory.MaxLimit})
	if err != nil {
		return err
	}
	for _, o := range have {
		issued[o.Reference] = true
	}
	for _, o := range d.Opinions {
		if issued[o.Reference] {
			continue
		}
		if _, err := v.Issue(ctx, a, o); err != nil {
			return fmt.Errorf("demo opinion %s: %w", o.Reference, err)
		}
	}
	return nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
