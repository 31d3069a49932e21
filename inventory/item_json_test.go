package inventory

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// itemPlain has Item's fields without its MarshalJSON, to compare against encoding/json.
type itemPlain Item

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 30, 0, 123456789, time.UTC)
	for _, it := range []Item{
		{},
		{ID: 1, OperatorID: 2, Operator: "OPA", NetworkID: 3, CriticalPart: "4.1", Kind: KindSoftware, Name: "AMF", Quantity: 1, CreatedAt: at, UpdatedAt: at},
		{ID: 9, Name: "<script>alert('x')</script> & \"quotes\" \\ back", Notes: "line\nbreak\ttab\r\x00\x1f\x7f", Site: "Rīga ☃ 中文 \u2028\u2029",
			Serial: "bad \xff utf8", ManufacturerID: 4, DistributorID: 5, OutsourcerID: 6, Quantity: 7, CreatedAt: at, UpdatedAt: at.Add(time.Hour)},
	} {
		want, err := json.Marshal(itemPlain(it))
		if err != nil {
			t.Fatal(err)
		}
		got := it.AppendJSON(nil)
		if string(got) != string(want) {
			t.Errorf("AppendJSON(%+v) =\n%s\nwant\n%s", it, got, want)
		}
		var back Item
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back.Name, it.Name) && it.Name == string([]rune(it.Name)) {
			t.Errorf("AppendJSON output does not read back: %v", err)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&", "\x00\xff", "\u2028", `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}
