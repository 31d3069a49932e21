package inventory

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"45047", "2023-05-01", true},
		{"45047.75", "2023-05-01", true},
		{"1", "1899-12-31", true},
		{"15.03.2022", "2022-03-15", true},
		{"1.6.2020", "2020-06-01", true},
		{"15/03/2022", "2022-03-15", true},
		{"2024-01-31", "2024-01-31", true},
		{"2024-01-31T00:00:00", "2024-01-31", true},
		{"2024-01-31 10:00", "2024-01-31", true},
		{"31.02.2023", "", false},
		{"0", "", false},
		{"next year", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDate(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("parseDate(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestGuessField(t *testing.T) {
	tests := []struct {
		header string
		want   Field
	}{
		{"Tīkls", FieldNetwork},
		{"NETWORK", FieldNetwork},
		{"Tīkls / Network", FieldNetwork},
		{"Kritiskā daļa / Critical part", FieldCriticalPart},
		{"Network function", FieldCriticalPart},
		{"Veids\u00a0", FieldKind},
		{"Type", FieldKind},
		{"Ražotājs (Vendor)", FieldManufacturer},
		{"Vendor", FieldManufacturer},
		{"Ražotāja valsts", FieldManufacturerCountry},
		{"Programmatūras versija", FieldVersion},
		{"Software version", FieldVersion},
		{"S/N", FieldSerial},
		{"Sērijas numurs", FieldSerial},
		{"Daudzums, gab.", FieldQuantity},
		{"Location", FieldSite},
		{"Izcelsmes valsts", FieldOriginCountry},
		{"Country of origin", FieldOriginCountry},
		{"Izplatītājs", FieldDistributor},
		{"Ārpakalpojuma sniedzējs", FieldOutsourcingProvider},
		{"Ekspluatācijā kopš", FieldInServiceSince},
		{"In service since", FieldInServiceSince},
		{"Nr.", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got, _ := guessField(tt.header, nil); got != tt.want {
				t.Errorf("guessField(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}
