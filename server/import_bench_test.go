package server_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"critreg/access"
	"critreg/inventory"
	"critreg/server"
	"critreg/store/storetest"
)

// BenchmarkImportFullSchema commits the 100,000-row benchmark workbook into a database
// with every package's schema, as a running critreg has it: the vetting indexes on items
// and the triggers that log item changes for the next list submission, which inventory's
// own BenchmarkImport100k leaves out. The workbook is made by
//
//	CRITREG_BIG_XLSX=/tmp/big.xlsx go test ./inventory -run TestMakeBig
//
// and the benchmark run by
//
//	CRITREG_BIG_XLSX=/tmp/big.xlsx go test ./server -run '^$' -bench ImportFullSchema -benchtime 1x
func BenchmarkImportFullSchema(b *testing.B) {
	path := os.Getenv("CRITREG_BIG_XLSX")
	data, err := os.ReadFile(path)
	if path == "" || err != nil {
		b.Skip("set CRITREG_BIG_XLSX to the benchmark workbook (go test ./inventory -run TestMakeBig)")
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db := storetest.Open(b, server.Schemas()...)
		inv := inventory.NewStore(db)
		op, err := inv.CreateOperator(ctx, access.System(), inventory.OperatorInput{Code: "LMT", Name: "Latvijas Mobilais Telefons SIA"})
		if err != nil {
			b.Fatal(err)
		}
		officer := access.Actor{UserID: 1, Login: "anna", Role: access.RoleOperator, OperatorID: op.ID, Via: "cli"}
		var ipCore int64
		for _, n := range []inventory.NetworkInput{{Name: "Mobile 5G", Technology: inventory.Tech5G},
			{Name: "Mobile 4G", Technology: inventory.Tech4G, Legacy: true}, {Name: "IP core", Technology: inventory.TechFixed}} {
			nw, err := inv.CreateNetwork(ctx, officer, n)
			if err != nil {
				b.Fatal(err)
			}
			ipCore = nw.ID
		}
		if _, err := inv.DeclarePart(ctx, officer, ipCore, inventory.PartInput{Code: "DNS-RES", NameEN: "Resolvers"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := inv.Import(ctx, officer, "LMT", bytes.NewReader(data), int64(len(data)), inventory.ImportOptions{FileName: "big.xlsx"})
		if err != nil || !res.Committed {
			b.Fatalf("import: %d added, committed %v, %v", len(res.Added), res.Committed, err)
		}
	}
}
