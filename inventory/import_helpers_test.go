package inventory

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"critreg/access"
	"critreg/audit"
	"critreg/store/storetest"
)

// importFixture is a store with operator LMT, its networks and an actor who keeps its list.
type importFixture struct {
	s   *Store
	op  Operator
	a   access.Actor
	net map[string]Network
}

func newImportFixture(t testing.TB) *importFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, audit.Schema, Schema)
	s := NewStore(db)
	s.now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
	op, err := s.CreateOperator(ctx, access.System(), OperatorInput{Code: "LMT", Name: "Latvijas Mobilais Telefons SIA", RegistrationNo: "50003050931", Contact: "compliance@lmt.example"})
	if err != nil {
		t.Fatal(err)
	}
	fx := &importFixture{s: s, op: op, a: access.Actor{UserID: 7, Login: "anna", Role: access.RoleOperator, OperatorID: op.ID, Via: "cli"}, net: map[string]Network{}}
	for _, n := range []NetworkInput{{Name: "Mobile 5G", Technology: Tech5G}, {Name: "Mobile 4G", Technology: Tech4G, Legacy: true}, {Name: "IP core", Technology: TechFixed}} {
		nw, err := s.CreateNetwork(ctx, fx.a, n)
		if err != nil {
			t.Fatal(err)
		}
		fx.net[nw.Name] = nw
	}
	if _, err := s.DeclarePart(ctx, fx.a, fx.net["IP core"].ID, PartInput{Code: "DNS-RES", NameEN: "Resolvers"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// seed adds a few items of every kind.
func (fx *importFixture) seed(t testing.TB) []Item {
	t.Helper()
	var out []Item
	for _, in := range []ItemInput{
		{NetworkID: fx.net["Mobile 5G"].ID, CriticalPart: "4.1", Kind: KindEquipment, Name: "AMF cluster", Model: "UNC 22", Version: "22.3.1", Manufacturer: "Ericsson AB", ManufacturerCountry: "SE", OriginCountry: "SE", Serial: "SE-001", Quantity: 2, Site: "Riga DC1", InServiceSince: "2023-05-01"},
		{NetworkID: fx.net["Mobile 5G"].ID, CriticalPart: "4.3", Kind: KindSoftware, Name: "UDM", Model: "UDM", Version: "5.1", Manufacturer: "Nokia Solutions and Networks Oy", ManufacturerCountry: "FI", Distributor: "Baltic Integrator SIA"},
		{NetworkID: fx.net["Mobile 4G"].ID, CriticalPart: "2.2", Kind: KindEquipment, Name: "HSS", Model: "HSS9860", Manufacturer: "Huawei Technologies Co., Ltd.", ManufacturerCountry: "CN", OriginCountry: "CN", Quantity: 1, Notes: "to be replaced by 2029"},
		{NetworkID: fx.net["IP core"].ID, CriticalPart: "DNS-RES", Kind: KindOutsourcing, Name: "DNS operations", OutsourcingProvider: "Netnod AB", OriginCountry: "SE"},
	} {
		it, err := fx.s.CreateItem(context.Background(), fx.a, in, SourceTyped, "")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

func (fx *importFixture) importBytes(t testing.TB, b []byte, opt ImportOptions) (ImportResult, error) {
	t.Helper()
	return fx.s.Import(context.Background(), fx.a, "LMT", bytes.NewReader(b), int64(len(b)), opt)
}

func (fx *importFixture) importFile(t testing.TB, path string, opt ImportOptions) (ImportResult, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if opt.FileName == "" {
		opt.FileName = filepath.Base(path)
	}
	return fx.importBytes(t, b, opt)
}

func (fx *importFixture) export(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fx.s.Export(context.Background(), fx.a, "LMT", &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (fx *importFixture) items(t testing.TB) []Item {
	t.Helper()
	its, _, err := fx.s.Items(context.Background(), fx.a, ItemFilter{}, Page{Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return its
}

func (fx *importFixture) auditCount(t testing.TB) int {
	t.Helper()
	var n int
	if err := fx.s.db.Read.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// editCell changes one cell of a workbook.
func editCell(t testing.TB, b []byte, sheet, cell string, v any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func problemsText(ps []ImportProblem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintln(&b, p.String())
	}
	return b.String()
}
