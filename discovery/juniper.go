package discovery

// jnxContentsEntry (JUNIPER-MIB) lists a Junos box's FRUs; older Junos has a thin ENTITY-MIB,
// so this table and the jnxBox scalars carry the serials. Rows are indexed
// container.L1.L2.L3.
const (
	jnxContentsEntry = "1.3.6.1.4.1.2636.3.1.8.1"
	jnxBoxDescr      = "1.3.6.1.4.1.2636.3.1.2.0"
	jnxBoxSerialNo   = "1.3.6.1.4.1.2636.3.1.3.0"
)

var juniperColumns = map[string]string{
	jnxContentsEntry + ".6":  "descr",
	jnxContentsEntry + ".7":  "serialNo",
	jnxContentsEntry + ".8":  "revision",
	jnxContentsEntry + ".10": "partNo",
}

// jnxContentsContainerIndex values that name a chassis (jnxContainersTable of most boxes).
const jnxChassisContainer = "1"

func juniperComponents(cols map[string][]cell) []Component {
	order, byIndex := rows(cols, juniperColumns)
	var out []Component
	for _, idx := range order {
		r := byIndex[idx]
		c := Component{
			Index:        idx,
			Description:  clean(text(r["descr"])),
			Name:         clean(text(r["descr"])),
			Serial:       cleanSerial(text(r["serialNo"])),
			HardwareRev:  clean(text(r["revision"])),
			PartNumber:   clean(text(r["partNo"])),
			Manufacturer: "Juniper Networks",
			Class:        "module",
			FRU:          true,
		}
		if len(idx) >= 2 && idx[:2] == jnxChassisContainer+"." {
			c.Class = "chassis"
			c.FRU = false
		}
		out = append(out, c)
	}
	return out
}
