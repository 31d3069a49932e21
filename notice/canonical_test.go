package notice

import (
	"testing"
)

func TestCanonical(t *testing.T) {
	type inner struct {
		Zeta  string `json:"zeta"`
		Alpha int64  `json:"alpha"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"keys sorted at every depth", map[string]any{"b": 1, "a": map[string]any{"y": true, "x": nil}}, `{"a":{"x":null,"y":true},"b":1}`},
		{"struct fields sorted by name, not by declaration", inner{Zeta: "z", Alpha: 9007199254740993}, `{"alpha":9007199254740993,"zeta":"z"}`},
		{"no HTML escaping", map[string]string{"s": `<a href="x">&</a>`}, `{"s":"<a href=\"x\">&</a>"}`},
		{"control characters escaped", map[string]string{"s": "a\nb\tc\x01"}, `{"s":"a\nb\tc\u0001"}`},
		{"line separators escaped", map[string]string{"s": "a\u2028b"}, `{"s":"a\u2028b"}`},
		{"Latvian letters as themselves", map[string]string{"s": "Ķīna"}, `{"s":"Ķīna"}`},
		{"array order kept", []int{3, 1, 2}, `[3,1,2]`},
		{"keys sorted by bytes", map[string]int{"b": 1, "B": 2, "ā": 3, "a": 4}, `{"B":2,"a":4,"b":1,"ā":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonical(%v) = %s, want %s", tt.in, got, tt.want)
			}
			if !Verify(got, Digest(got)) {
				t.Errorf("Verify(%s) = false, want true", got)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	content := []byte(`{"a":1,"b":"x"}`)
	sha := Digest(content)
	// The same bytes hash alike anywhere: sha256sum of the file holding them agrees.
	if want := "ecf9e98ec0641e23113ff3ce8bdc78d0ddd249886517fd4a7f68cc83d4e65667"; sha != want {
		t.Fatalf("Digest(%s) = %s, want %s", content, sha, want)
	}
	tests := []struct {
		name    string
		content string
		sha     string
		want    bool
	}{
		{"as hashed", `{"a":1,"b":"x"}`, sha, true},
		{"one byte changed", `{"a":2,"b":"x"}`, sha, false},
		{"same data, not canonical", `{"b":"x","a":1}`, Digest([]byte(`{"b":"x","a":1}`)), false},
		{"whitespace added", `{"a":1, "b":"x"}`, Digest([]byte(`{"a":1, "b":"x"}`)), false},
		{"not JSON", `{"a":`, Digest([]byte(`{"a":`)), false},
	}
	for _, tt := range tests {
		if got := Verify([]byte(tt.content), tt.sha); got != tt.want {
			t.Errorf("Verify(%s) = %v, want %v", tt.content, got, tt.want)
		}
	}
}
