package inventory

import (
	"strings"
	"unicode"
)

// Field is a column of the annex-7 list as the importer understands it.
type Field string

// The fields an imported workbook may carry. FieldIgnore in a saved mapping makes the
// importer skip a column it would otherwise guess.
const (
	FieldID                  Field = "id"
	FieldNetwork             Field = "network"
	FieldCriticalPart        Field = "critical_part"
	FieldKind                Field = "kind"
	FieldName                Field = "name"
	FieldModel               Field = "model"
	FieldVersion             Field = "version"
	FieldManufacturer        Field = "manufacturer"
	FieldManufacturerCountry Field = "manufacturer_country"
	FieldDistributor         Field = "distributor"
	FieldOutsourcingProvider Field = "outsourcing_provider"
	FieldOriginCountry       Field = "origin_country"
	FieldSerial              Field = "serial"
	FieldQuantity            Field = "quantity"
	FieldSite                Field = "site"
	FieldManagementAddress   Field = "management_address"
	FieldInServiceSince      Field = "in_service_since"
	FieldNotes               Field = "notes"
	FieldIgnore              Field = "ignore"
)

// itemFields lists the fields in the order the annex-7 export writes them, with the
// bilingual header the export gives each.
var itemFields = []struct {
	Field  Field
	Header string
	Width  float64
}{
	{FieldID, "ID", 9},
	{FieldNetwork, "Tīkls / Network", 18},
	{FieldCriticalPart, "Kritiskā daļa / Critical part", 14},
	{FieldKind, "Veids / Kind", 14},
	{FieldName, "Nosaukums / Name", 28},
	{FieldModel, "Modelis / Model", 22},
	{FieldVersion, "Versija / Version", 14},
	{FieldManufacturer, "Ražotājs / Manufacturer", 26},
	{FieldManufacturerCountry, "Ražotāja valsts / Manufacturer country", 12},
	{FieldDistributor, "Izplatītājs / Distributor", 24},
	{FieldOutsourcingProvider, "Ārpakalpojuma sniedzējs / Outsourcing provider", 24},
	{FieldOriginCountry, "Izcelsmes valsts / Country of origin", 12},
	{FieldSerial, "Sērijas numurs / Serial number", 20},
	{FieldQuantity, "Daudzums / Quantity", 10},
	{FieldSite, "Atrašanās vieta / Site", 22},
	{FieldManagementAddress, "Pārvaldības adrese / Management address", 22},
	{FieldInServiceSince, "Ekspluatācijā kopš / In service since", 14},
	{FieldNotes, "Piezīmes / Notes", 30},
}

// ParseField checks a field name given in a saved column mapping.
func ParseField(s string) (Field, bool) {
	f := Field(strings.TrimSpace(s))
	if f == FieldIgnore {
		return f, true
	}
	for _, it := range itemFields {
		if it.Field == f {
			return f, true
		}
	}
	return "", false
}

// columnSynonyms maps the folded header texts operators use, in Latvian and English, to
// fields. Keys are headerKey forms: lower case, no diacritics, no punctuation.
var columnSynonyms = map[string]Field{
	"id": FieldID, "item id": FieldID, "ieraksta id": FieldID, "critreg id": FieldID,

	"tikls": FieldNetwork, "network": FieldNetwork, "tikla nosaukums": FieldNetwork, "network name": FieldNetwork,

	"kritiska dala": FieldCriticalPart, "critical part": FieldCriticalPart, "network function": FieldCriticalPart,
	"tikla funkcija": FieldCriticalPart, "kritiskas dalas kods": FieldCriticalPart, "critical part code": FieldCriticalPart,
	"annex 6 code": FieldCriticalPart, "6 pielikuma kods": FieldCriticalPart, "funkcija": FieldCriticalPart, "function": FieldCriticalPart,

	"veids": FieldKind, "kind": FieldKind, "type": FieldKind, "tips": FieldKind, "item type": FieldKind,

	"nosaukums": FieldName, "name": FieldName, "item name": FieldName,

	"razotajs": FieldManufacturer, "manufacturer": FieldManufacturer, "vendor": FieldManufacturer,
	"developer": FieldManufacturer, "izstradatajs": FieldManufacturer, "manufacturer developer": FieldManufacturer,

	"razotaja valsts": FieldManufacturerCountry, "manufacturer country": FieldManufacturerCountry, "vendor country": FieldManufacturerCountry,
	"izstradataja valsts": FieldManufacturerCountry,

	"modelis": FieldModel, "model": FieldModel,

	"versija": FieldVersion, "programmaturas versija": FieldVersion, "software version": FieldVersion, "version": FieldVersion,
	"firmware version": FieldVersion, "sw version": FieldVersion,

	"serijas numurs": FieldSerial, "serijas numuri": FieldSerial, "serial number": FieldSerial, "serial numbers": FieldSerial,
	"serial": FieldSerial, "s n": FieldSerial, "sn": FieldSerial,

	"daudzums": FieldQuantity, "quantity": FieldQuantity, "qty": FieldQuantity, "skaits": FieldQuantity,

	"atrasanas vieta": FieldSite, "site": FieldSite, "location": FieldSite, "vieta": FieldSite, "objekts": FieldSite,

	"izcelsmes valsts": FieldOriginCountry, "country of origin": FieldOriginCountry, "origin country": FieldOriginCountry,
	"razosanas valsts": FieldOriginCountry, "country of production": FieldOriginCountry, "origin": FieldOriginCountry,

	"izplatitajs": FieldDistributor, "distributor": FieldDistributor, "integrator": FieldDistributor, "integrators": FieldDistributor,
	"izplatitajs integrators": FieldDistributor, "distributor integrator": FieldDistributor,

	"arpakalpojuma sniedzejs": FieldOutsourcingProvider, "outsourcing provider": FieldOutsourcingProvider, "outsourcer": FieldOutsourcingProvider,
	"arpakalpojumu sniedzejs": FieldOutsourcingProvider,

	"ekspluatacija kops": FieldInServiceSince, "in service since": FieldInServiceSince, "commissioned": FieldInServiceSince,
	"ekspluatacijas sakums": FieldInServiceSince, "in service": FieldInServiceSince,

	"parvaldibas adrese": FieldManagementAddress, "management address": FieldManagementAddress, "hostname": FieldManagementAddress,
	"management ip": FieldManagementAddress,

	"piezimes": FieldNotes, "notes": FieldNotes, "comments": FieldNotes, "komentari": FieldNotes, "remarks": FieldNotes,
}

// headerKey folds a header cell for matching: foldKey, then punctuation made space ("S/N",
// "Daudzums, gab." and "Name:" all reduce to their words).
func headerKey(s string) string {
	s = foldKey(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// guessField maps one header cell to a field: the saved mapping first (by the whole
// header), then the synonyms of the whole header, then of each of its parts ("Tīkls /
// Network", "Ražotājs (Vendor)", a header on two lines).
func guessField(header string, saved map[string]Field) (Field, bool) {
	k := headerKey(header)
	if k == "" {
		return "", false
	}
	if f, ok := saved[k]; ok {
		return f, f != FieldIgnore
	}
	if f, ok := columnSynonyms[k]; ok {
		return f, true
	}
	parts := strings.FieldsFunc(foldKey(header), func(r rune) bool { return r == '/' || r == '\n' || r == '(' || r == ')' || r == '|' || r == ';' })
	for _, p := range parts {
		if f, ok := columnSynonyms[headerKey(p)]; ok {
			return f, true
		}
	}
	// A trailing unit or remark ("Daudzums gab", "Serial number s"): try without the last word.
	if i := strings.LastIndexByte(k, ' '); i > 0 {
		if f, ok := columnSynonyms[k[:i]]; ok {
			return f, true
		}
	}
	return "", false
}

// column is one mapped column of an items sheet.
type column struct {
	Index  int // 0-based
	Letter string
	Header string
	Field  Field
}

// findHeader decides whether row is an items header: at least three recognised columns,
// one of them the critical part. A field named twice keeps its first column; the second
// is reported back so the caller can say so.
func findHeader(row []string, saved map[string]Field) (cols []column, dup []column, ok bool) {
	seen := map[Field]bool{}
	for i, cell := range row {
		f, ok := guessField(cell, saved)
		if !ok {
			continue
		}
		c := column{Index: i, Letter: columnLetter(i), Header: strings.Join(strings.Fields(cell), " "), Field: f}
		if seen[f] {
			dup = append(dup, c)
			continue
		}
		seen[f] = true
		cols = append(cols, c)
	}
	return cols, dup, len(cols) >= 3 && seen[FieldCriticalPart]
}

// columnLetter names a 0-based column as Excel does: 0 → A, 26 → AA.
func columnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}
