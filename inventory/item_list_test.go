package inventory

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"critreg/access"
	"critreg/audit"
	"critreg/store/storetest"
)

// listFixture is a store with two operators, each with two networks and a few items that
// fill every field of the list.
type listFixture struct {
	s      *Store
	actors map[string]access.Actor
	nets   map[string]Network
	items  map[string][]Item // by operator code
}

func newListFixture(t *testing.T) *listFixture {
	t.Helper()
	ctx := context.Background()
	fx := &listFixture{s: NewStore(storetest.Open(t, audit.Schema, Schema)), actors: map[string]access.Actor{}, nets: map[string]Network{}, items: map[string][]Item{}}
	for _, code := range []string{"OPA", "OPB"} {
		op, err := fx.s.CreateOperator(ctx, access.System(), OperatorInput{Code: code, Name: code})
		if err != nil {
			t.Fatal(err)
		}
		a := access.Actor{UserID: op.ID, Login: code, Role: access.RoleOperator, OperatorID: op.ID}
		fx.actors[code] = a
		for _, name := range []string{"5G core", "4G core"} {
			n, err := fx.s.CreateNetwork(ctx, a, NetworkInput{Name: name, Technology: Tech5G})
			if err != nil {
				t.Fatal(err)
			}
			fx.nets[code+" "+name] = n
		}
		for i, in := range []ItemInput{
			{CriticalPart: "4.1", Kind: KindEquipment, Name: "AMF <1> & \"2\"", Model: "UNC 22", Version: "22.3.1", Manufacturer: "Ericsson AB", ManufacturerCountry: "SE",
				Distributor: "Baltic Integrator SIA", OriginCountry: "SE", Serial: "SE-001", Quantity: 2, Site: "Rīga DC1", ManagementAddress: "10.0.0.1", InServiceSince: "2023-05-01",
				Notes: "line one\nline two\ttabbed \u2028"},
			{CriticalPart: "4.3", Kind: KindSoftware, Name: "UDM", Model: "UDM", Version: "5.1", Manufacturer: "Nokia Solutions and Networks Oy", ManufacturerCountry: "FI"},
			{CriticalPart: "4.1", Kind: KindOutsourcing, Name: "AMF operations", OutsourcingProvider: "Netnod AB", OriginCountry: "SE"},
			{CriticalPart: "2.2", Kind: KindEquipment, Model: "HSS9860", Manufacturer: "Huawei Technologies Co., Ltd.", ManufacturerCountry: "CN", OriginCountry: "CN"},
		} {
			in.NetworkID = fx.nets[code+" 5G core"].ID
			if i == 3 {
				in.NetworkID = fx.nets[code+" 4G core"].ID
			}
			it, err := fx.s.CreateItem(ctx, a, in, SourceTyped, "")
			if err != nil {
				t.Fatal(err)
			}
			fx.items[code] = append(fx.items[code], it)
		}
	}
	return fx
}

// listAll reads every page of the list with pages of size limit.
func (fx *listFixture) listAll(t *testing.T, a access.Actor, f ItemFilter, limit int) []Item {
	t.Helper()
	var out []Item
	p := Page{Limit: limit}
	for range 100 {
		page, next, err := fx.s.Items(context.Background(), a, f, p)
		if err != nil {
			t.Fatalf("Items(%+v, %+v): %v", f, p, err)
		}
		out = append(out, page...)
		if next == 0 {
			return out
		}
		p.After = next
	}
	t.Fatalf("Items(%+v): more than 100 pages", f)
	return nil
}

func TestItemsFiltersAndFields(t *testing.T) {
	fx := newListFixture(t)
	bureau := access.Actor{Role: access.RoleBureau}
	a, b := fx.items["OPA"], fx.items["OPB"]
	ids := func(items ...Item) []int64 {
		var out []int64
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	ericsson := a[0].ManufacturerID
	for _, tc := range []struct {
		name   string
		a      access.Actor
		f      ItemFilter
		wantID []int64
	}{
		{"operator sees its own", fx.actors["OPA"], ItemFilter{}, ids(a...)},
		{"other operator", fx.actors["OPB"], ItemFilter{}, ids(b...)},
		{"bureau sees all", bureau, ItemFilter{}, ids(append(slices.Clone(a), b...)...)},
		{"network", fx.actors["OPA"], ItemFilter{NetworkID: fx.nets["OPA 5G core"].ID}, ids(a[:3]...)},
		{"network of another operator", fx.actors["OPA"], ItemFilter{NetworkID: fx.nets["OPB 5G core"].ID}, nil},
		{"network and part", fx.actors["OPA"], ItemFilter{NetworkID: fx.nets["OPA 5G core"].ID, CriticalPart: "4.1"}, ids(a[0], a[2])},
		{"part by short name", fx.actors["OPA"], ItemFilter{CriticalPart: "amf"}, ids(a[0], a[2])},
		{"kind", bureau, ItemFilter{Kind: KindSoftware}, ids(a[1], b[1])},
		{"operator code", bureau, ItemFilter{Operator: "opb"}, ids(b...)},
		{"operator code of another operator", fx.actors["OPA"], ItemFilter{Operator: "OPB"}, nil},
		{"supplier in any role", bureau, ItemFilter{SupplierID: ericsson}, ids(a[0], b[0])},
		{"supplier, scoped", fx.actors["OPB"], ItemFilter{SupplierID: ericsson}, ids(b[0])},
		{"search", fx.actors["OPA"], ItemFilter{Q: "hss9860"}, ids(a[3])},
		{"search, scoped", fx.actors["OPB"], ItemFilter{Q: "rīga"}, ids(b[0])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{1, 3, 50} {
				got := fx.listAll(t, tc.a, tc.f, limit)
				if !slices.Equal(ids(got...), tc.wantID) {
					t.Fatalf("Items(%+v) pages of %d = ids %v, want %v", tc.f, limit, ids(got...), tc.wantID)
				}
				for _, it := range got {
					want, err := fx.s.Item(context.Background(), tc.a, it.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(it, want) {
						t.Errorf("Items(%+v) listed\n%+v\nItem(%d) =\n%+v", tc.f, it, it.ID, want)
					}
				}
			}
		})
	}
}

// TestItemsSeparatorInText lists items whose text holds the separator of the list's joined
// column, as text written without validation could.
func TestItemsSeparatorInText(t *testing.T) {
	fx := newListFixture(t)
	ctx := context.Background()
	a := fx.actors["OPA"]
	for _, tc := range []struct{ column, value string }{
		{"name", "split\x1fname"},
		{"notes", "\x1f"},
		{"source_ref", "ref\x1f\x1f"},
	} {
		t.Run(tc.column, func(t *testing.T) {
			id := fx.items["OPA"][1].ID
			if _, err := fx.s.db.Write.Exec(`UPDATE items SET `+tc.column+` = ? WHERE id = ?`, tc.value, id); err != nil {
				t.Fatal(err)
			}
			got := fx.listAll(t, a, ItemFilter{}, 50)
			if len(got) != len(fx.items["OPA"]) {
				t.Fatalf("Items listed %d items, want %d", len(got), len(fx.items["OPA"]))
			}
			for _, it := range got {
				want, err := fx.s.Item(ctx, a, it.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(it, want) {
					t.Errorf("Items listed\n%+v\nItem(%d) =\n%+v", it, it.ID, want)
				}
			}
		})
	}
}

// TestItemsQueryPlan checks that each filter walks the index meant for it, whoever asks.
func TestItemsQueryPlan(t *testing.T) {
	fx := newListFixture(t)
	operator, bureau := fx.actors["OPA"], access.Actor{Role: access.RoleBureau}
	net := fx.nets["OPA 5G core"].ID
	for _, tc := range []struct {
		name string
		a    access.Actor
		f    ItemFilter
		want string
	}{
		{"operator's list", operator, ItemFilter{}, "items_operator"},
		{"network", operator, ItemFilter{NetworkID: net}, "items_network"},
		{"network, bureau", bureau, ItemFilter{NetworkID: net}, "items_network"},
		{"network and part", operator, ItemFilter{NetworkID: net, CriticalPart: "4.1"}, "items_part"},
		{"network and part, bureau", bureau, ItemFilter{NetworkID: net, CriticalPart: "4.1"}, "items_part"},
		{"operator code", bureau, ItemFilter{Operator: "OPA"}, "items_operator"},
		{"everything, bureau", bureau, ItemFilter{}, "INTEGER PRIMARY KEY (rowid>?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cond, args, err := itemsQuery(tc.a, tc.f, Page{After: 1, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := fx.s.db.Read.Query(`EXPLAIN QUERY PLAN SELECT `+listRow+cond, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(detail, " i ") {
					plan = append(plan, detail)
				}
			}
			if len(plan) != 1 || !strings.Contains(plan[0], tc.want) || strings.Contains(plan[0], "TEMP B-TREE") {
				t.Errorf("plan of items(%+v) = %q, want one search of items using %s", tc.f, plan, tc.want)
			}
		})
	}
}

func TestParseStamp(t *testing.T) {
	for _, s := range []string{
		"2026-11-23T16:02:16.575259104Z", "2026-11-23T16:02:16Z", "2026-11-23T16:02:16.5Z", "2024-02-29T23:59:59.000000001Z",
		"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
		// Not what stamp writes: parseStamp must answer as parseTime does.
		"", "2026-11-23", "2026-11-23T16:02:16.Z", "2026-11-23T16:02:16.5759591040Z", "2026-11-23T16:02:16+02:00",
		"2026-11-23T16:02:16.575+02:00", "2023-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z",
		"2026-11-23T24:00:00Z", "2026-11-23T23:60:00Z", "2026-11-23T23:59:60Z", "2026-11-2xT10:00:00Z", "2026-11-23T10:00:00.5x5Z",
		"+026-11-23T10:00:00Z", "2026-11-23t10:00:00z", "2026-11-23 10:00:00Z",
	} {
		if got, want := parseStamp(s), parseTime(s); !reflect.DeepEqual(got, want) {
			t.Errorf("parseStamp(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzParseStamp(f *testing.F) {
	for _, s := range []string{"2026-11-23T16:02:16.575259104Z", "2026-11-23T16:02:16Z", "2026-02-30T00:00:00.1Z", "0000-01-01T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := parseStamp(s), parseTime(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("parseStamp(%q) = %v, want %v", s, got, want)
		}
	})
}
