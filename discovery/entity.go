package discovery

import (
	"slices"
	"strconv"
	"strings"
)

// entPhysicalEntry is 1.3.6.1.2.1.47.1.1.1.1; the columns read are below. Walking only these
// skips entPhysicalAlias, AssetID, Uris and friends, which are large and never used.
const entPhysicalEntry = "1.3.6.1.2.1.47.1.1.1.1"

var entityColumns = map[string]string{
	entPhysicalEntry + ".2":  "descr",
	entPhysicalEntry + ".3":  "vendorType",
	entPhysicalEntry + ".4":  "containedIn",
	entPhysicalEntry + ".5":  "class",
	entPhysicalEntry + ".7":  "name",
	entPhysicalEntry + ".8":  "hardwareRev",
	entPhysicalEntry + ".9":  "firmwareRev",
	entPhysicalEntry + ".10": "softwareRev",
	entPhysicalEntry + ".11": "serialNum",
	entPhysicalEntry + ".12": "mfgName",
	entPhysicalEntry + ".13": "modelName",
	entPhysicalEntry + ".16": "isFRU",
}

// PhysicalClass values (ENTITY-MIB PhysicalClass, RFC 6933).
var entityClasses = map[int]string{
	1: "other", 2: "unknown", 3: "chassis", 4: "backplane", 5: "container", 6: "powerSupply",
	7: "fan", 8: "sensor", 9: "module", 10: "port", 11: "stack", 12: "cpu", 13: "energyObject",
	14: "battery", 15: "storageDrive",
}

// rows regroups walked columns into rows keyed by index, in first-seen index order.
func rows(cols map[string][]cell, names map[string]string) ([]string, map[string]map[string]cell) {
	byIndex := map[string]map[string]cell{}
	var order []string
	for col, cells := range cols {
		name, ok := names[col]
		if !ok {
			continue
		}
		for _, c := range cells {
			r := byIndex[c.index]
			if r == nil {
				r = map[string]cell{}
				byIndex[c.index] = r
				order = append(order, c.index)
			}
			r[name] = c
		}
	}
	slices.SortFunc(order, oidCompare)
	return order, byIndex
}

// entityComponents turns ENTITY-MIB rows into components.
func entityComponents(cols map[string][]cell) []Component {
	order, byIndex := rows(cols, entityColumns)
	out := make([]Component, 0, len(order))
	for _, idx := range order {
		r := byIndex[idx]
		c := Component{
			Index:        idx,
			Description:  clean(text(r["descr"])),
			VendorType:   oidValue(r["vendorType"]),
			ContainedIn:  strconv.FormatInt(integer(r["containedIn"]), 10),
			Name:         clean(text(r["name"])),
			HardwareRev:  clean(text(r["hardwareRev"])),
			FirmwareRev:  clean(text(r["firmwareRev"])),
			SoftwareRev:  clean(text(r["softwareRev"])),
			Serial:       cleanSerial(text(r["serialNum"])),
			Manufacturer: clean(text(r["mfgName"])),
			Model:        clean(text(r["modelName"])),
			FRU:          integer(r["isFRU"]) == 1,
		}
		if cl, ok := entityClasses[int(integer(r["class"]))]; ok {
			c.Class = cl
		}
		if c.Model == "" {
			c.Model = modelFromCommaDescr(c.Description)
		}
		if c.Serial == "" {
			c.Serial = serialFromText(c.Description)
		}
		if c.VendorType == "0.0" {
			c.VendorType = ""
		}
		out = append(out, c)
	}
	return out
}

// modelFromCommaDescr reads the model out of descriptions laid out as "BOM,model,text" or
// "kind,family,model,text", as Huawei VRP fills entPhysicalDescr while leaving
// entPhysicalModelName empty: the last model-like field before the free text.
func modelFromCommaDescr(descr string) string {
	f := strings.Split(descr, ",")
	if len(f) < 3 {
		return ""
	}
	for i := len(f) - 2; i >= 0; i-- {
		w := strings.TrimSpace(f[i])
		if isModelLike(w) {
			return w
		}
	}
	return ""
}

// isModelLike: one token of letters and digits (and - / .), with at least one of each.
func isModelLike(w string) bool {
	if len(w) < 3 || len(w) > 40 || strings.ContainsAny(w, " \t") {
		return false
	}
	letter, digit := false, false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			letter = true
		case r == '-' || r == '/' || r == '.' || r == '_':
		default:
			return false
		}
	}
	return letter && digit
}
