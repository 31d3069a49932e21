package vetting

import (
	"errors"
	"os"
	"slices"
	"testing"

	"critreg/errkind"
	"critreg/inventory"
)

func TestImportBODS(t *testing.T) {
	for _, c := range []struct {
		file     string
		version  string
		supplier string
		parties  int
		links    int
		owner    string
		share    float64
		control  bool
		skipped  int
	}{
		{"testdata/bods-0.4.json", "0.4", "Acme SIA", 4, 3, "State-owned Assets Supervision and Administration Commission", 51, true, 1},
		{"testdata/bods-0.2.json", "0.2", "Baltic Net Services SIA", 3, 2, "Ola Nordmann", 30, true, 0},
	} {
		t.Run(c.file, func(t *testing.T) {
			e := newEnv(t)
			sid := e.supplier(c.supplier, "LV")
			data, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.v.ImportBODS(e.ctx, e.bureau, data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Version != c.version || res.PartiesCreated != c.parties || res.StatementsCreated != c.links || res.SuppliersLinked != 1 ||
				len(res.Skipped) != c.skipped {
				t.Errorf("ImportBODS(%s) = %+v, want version %s, %d parties, %d statements, 1 supplier linked, %d skipped", c.file, res, c.version, c.parties, c.links, c.skipped)
			}
			again, err := e.v.ImportBODS(e.ctx, e.bureau, data)
			if err != nil {
				t.Fatal(err)
			}
			if again.PartiesCreated+again.PartiesUpdated+again.StatementsCreated+again.StatementsUpdated+again.SuppliersLinked != 0 {
				t.Errorf("ImportBODS(%s) again = %+v, want no change", c.file, again)
			}
			in, err := e.v.Indicators(e.ctx, e.bureau, sid, IndicatorQuery{AsOf: "2025-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			o, ok := ownerNamed(in.Owners, c.owner)
			if !ok || o.Min != c.share || o.Control != c.control {
				t.Errorf("owner %s after import = %+v, want %v %% control %v", c.owner, o, c.share, c.control)
			}
			sts, _, err := e.v.Statements(e.ctx, e.bureau, StatementFilter{}, inventory.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.auditActions("ownership", itoa(int(sts[0].ID))); !slices.Equal(got, []string{"ownership.create"}) {
				t.Errorf("audit of imported statement = %v, want [ownership.create]", got)
			}
		})
	}

	t.Run("bad file changes nothing", func(t *testing.T) {
		e := newEnv(t)
		data, err := os.ReadFile("testdata/bods-bad.json")
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.v.ImportBODS(e.ctx, e.bureau, data)
		var ve *errkind.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) < 3 {
			t.Fatalf("ImportBODS(bad) err = %v, want every problem listed", err)
		}
		ps, _, err := e.v.Parties(e.ctx, e.bureau, PartyFilter{}, inventory.Page{})
		if err != nil || len(ps) != 0 {
			t.Errorf("parties after a failed import = %d (%v), want none", len(ps), err)
		}
	})
}
