package inventory

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// requireTool finds a program a test needs, skipping the test when it is missing unless
// CRITREG_REQUIRE_TOOLS=1 (as in CI), where a missing tool fails it.
func requireTool(t *testing.T, name, apt string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CRITREG_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (apt-get install %s)", name, apt)
		}
		t.Skipf("%s not found: install %s to run this test", name, apt)
	}
	return p
}

// TestImportLibreOfficeWorkbook imports a workbook written by another producer than
// excelize: LibreOffice converts a CSV of testdata/ to .xlsx.
func TestImportLibreOfficeWorkbook(t *testing.T) {
	soffice := requireTool(t, "soffice", "libreoffice-calc")
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/libreoffice.csv")
	if err != nil {
		t.Fatal(err)
	}
	// A private profile directory, so that a running LibreOffice or a read-only home does
	// not get in the way. The filter options say: comma-separated, UTF-8 (76), first line 1.
	cmd := exec.CommandContext(t.Context(), soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	fx := newImportFixture(t)
	res, err := fx.importFile(t, filepath.Join(dir, "libreoffice.xlsx"), ImportOptions{})
	if err != nil {
		t.Fatalf("import of the LibreOffice workbook: %v\n%s", err, problemsText(res.Problems))
	}
	if len(res.Added) != 3 {
		t.Fatalf("added %d items, want 3", len(res.Added))
	}
	byName := map[string]Item{}
	for _, it := range fx.items(t) {
		byName[it.Name] = it
	}
	tests := []struct {
		item, field, got, want string
	}{
		{"AMF klasteris", "in service since", byName["AMF klasteris"].InServiceSince, "2023-05-01"},
		{"AMF klasteris", "manufacturer country", byName["AMF klasteris"].ManufacturerCountry, "SE"},
		{"SMF", "critical part", byName["SMF"].CriticalPart, "4.11"},
		{"SMF", "kind", string(byName["SMF"].Kind), "software"},
		{"SMF", "in service since", byName["SMF"].InServiceSince, "2022-03-15"},
		{"SMF", "origin", byName["SMF"].OriginCountry, "FI"},
		{"HSS", "manufacturer", byName["HSS"].Manufacturer, "Huawei Technologies Co., Ltd."},
		{"HSS", "country", byName["HSS"].ManufacturerCountry, "CN"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.item, tt.field, tt.got, tt.want)
		}
	}
}
