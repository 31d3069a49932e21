package discovery

import (
	"strconv"
	"strings"
)

// enterpriseArc is where the enterprise number sits in a sysObjectID: 1.3.6.1.4.1.<n>....
const enterprisePrefix = "1.3.6.1.4.1."

// vendor is what an IANA private enterprise number tells about a device's maker.
type vendor struct {
	name string
	// generic marks agents that run on anything (net-snmp on Linux): the number says
	// nothing about who made the hardware.
	generic bool
}

// vendors maps enterprise numbers of the makers that matter in public telecom networks to
// one canonical name, so that "Cisco Systems, Inc." and "Cisco Systems Inc." reconcile.
var vendors = map[uint32]vendor{
	9:     {name: "Cisco"},
	11:    {name: "HP"},
	94:    {name: "Nokia"},
	177:   {name: "Ribbon Communications"}, // Sonus SBC agents
	193:   {name: "Ericsson"},
	236:   {name: "Samsung"},
	637:   {name: "Nokia"}, // Alcatel-Lucent
	674:   {name: "Dell"},
	1271:  {name: "Ciena"},
	1916:  {name: "Extreme Networks"},
	1991:  {name: "Brocade"},
	2011:  {name: "Huawei"},
	2021:  {generic: true}, // UCD-SNMP, the predecessor of net-snmp
	2620:  {name: "Check Point"},
	2636:  {name: "Juniper Networks"},
	2879:  {name: "Ribbon Communications"}, // Sonus Networks
	3375:  {name: "F5"},
	3902:  {name: "ZTE"},
	6527:  {name: "Nokia"},  // Alcatel-Lucent / Nokia SR OS (TiMOS)
	8072:  {generic: true},  // net-snmp: a Linux or BSD host, maker unknown
	9148:  {name: "Oracle"}, // Acme Packet session border controllers
	12356: {name: "Fortinet"},
	14988: {name: "MikroTik"},
	25461: {name: "Palo Alto Networks"},
	28458: {name: "Nokia"}, // Nokia Siemens Networks
	30065: {name: "Arista Networks"},
	47196: {name: "HPE"},
}

// enterprise extracts the enterprise number from a sysObjectID ("" or not under 1.3.6.1.4.1 → 0).
func enterprise(sysObjectID string) uint32 {
	s := strings.TrimPrefix(sysObjectID, ".")
	if !strings.HasPrefix(s, enterprisePrefix) {
		return 0
	}
	s = strings.TrimPrefix(s, enterprisePrefix)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

// mfgAliases maps ENTITY-MIB entPhysicalMfgName spellings onto the canonical names above.
// Matching is on a lower-cased prefix, so "Cisco Systems, Inc." finds "cisco".
var mfgAliases = []struct{ prefix, name string }{
	{"cisco", "Cisco"},
	{"juniper", "Juniper Networks"},
	{"huawei", "Huawei"},
	{"nokia", "Nokia"},
	{"alcatel", "Nokia"},
	{"ericsson", "Ericsson"},
	{"zte", "ZTE"},
	{"sonus", "Ribbon Communications"},
	{"ribbon", "Ribbon Communications"},
	{"arista", "Arista Networks"},
	{"mikrotik", "MikroTik"},
	{"samsung", "Samsung"},
}

// canonicalManufacturer maps an ENTITY-MIB manufacturer to a canonical name, or returns it
// cleaned when it is not one we know.
func canonicalManufacturer(s string) string {
	s = clean(s)
	l := strings.ToLower(s)
	for _, a := range mfgAliases {
		if strings.HasPrefix(l, a.prefix) {
			return a.name
		}
	}
	return s
}
