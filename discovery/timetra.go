package discovery

import (
	"regexp"
	"strconv"
	"strings"
)

// tmnxHwEntry (TIMETRA-CHASSIS-MIB) is Nokia SR OS's own hardware table; SR OS has no
// ENTITY-MIB, so this is the only source of its serials. Rows are indexed chassis.hwIndex.
const tmnxHwEntry = "1.3.6.1.4.1.6527.3.1.2.2.1.8.1"

var timetraColumns = map[string]string{
	tmnxHwEntry + ".4":  "mfgBoardNumber",
	tmnxHwEntry + ".5":  "serialNumber",
	tmnxHwEntry + ".7":  "class",
	tmnxHwEntry + ".8":  "name",
	tmnxHwEntry + ".12": "isFRU",
	tmnxHwEntry + ".13": "containedIn",
	tmnxHwEntry + ".21": "softwareCodeVersion",
}

// TmnxHwClass values, mapped where ENTITY-MIB has a like class so downstream code can treat
// both sources alike.
var timetraClasses = map[int64]string{
	1: "other", 2: "unknown", 3: "chassis", 4: "container", 5: "powerSupply", 6: "fan",
	7: "sensor", 8: "module", 9: "module", 10: "module", 11: "module", 12: "storageDrive",
	13: "port", 21: "powerSupply", 22: "module", 23: "module", 24: "module",
}

var timosVersion = regexp.MustCompile(`TiMOS-[A-Z]+-(\S+)`)

// timetraComponents turns tmnxHwTable rows into components. Rows with neither a serial nor a
// part number are empty slots and are left out.
func timetraComponents(cols map[string][]cell) []Component {
	order, byIndex := rows(cols, timetraColumns)
	var out []Component
	for _, idx := range order {
		r := byIndex[idx]
		c := Component{
			Index:        idx,
			Name:         clean(text(r["name"])),
			Serial:       cleanSerial(text(r["serialNumber"])),
			PartNumber:   clean(text(r["mfgBoardNumber"])),
			Manufacturer: "Nokia",
			FRU:          integer(r["isFRU"]) == 1,
			Class:        timetraClasses[integer(r["class"])],
		}
		if chassis, _, ok := strings.Cut(idx, "."); ok {
			c.ContainedIn = chassis + "." + strconv.FormatInt(integer(r["containedIn"]), 10)
		}
		if m := timosVersion.FindStringSubmatch(text(r["softwareCodeVersion"])); m != nil {
			c.SoftwareRev = m[1]
		}
		if c.Serial == "" && c.PartNumber == "" {
			continue
		}
		out = append(out, c)
	}
	return out
}
