package discovery

import (
	"regexp"
	"strings"
)

// modelPatterns find a model in sysDescr where no inventory table names one, per vendor.
var modelPatterns = map[string][]*regexp.Regexp{
	"Nokia":            {regexp.MustCompile(`\b(7[0-9]{3} (?:SR|XRS|SAR|IXR|ESS)(?:-[0-9A-Za-z]+)?)\b`)},
	"Juniper Networks": {regexp.MustCompile(`Juniper Networks, Inc\. ([a-z]+[0-9][0-9a-z-]*)`)},
	"Cisco": {
		regexp.MustCompile(`Nexus ?9000 (C[0-9A-Z-]+)`),
		regexp.MustCompile(`\((Cisco [A-Z0-9]+ Series)\)`),
	},
	"Huawei": {regexp.MustCompile(`\b((?:NE|CE|CX|ME|S|AR)[0-9]{2,5}[A-Z0-9-]*)\b`)},
}

// versionPatterns find a software version in sysDescr, most specific first.
var versionPatterns = []*regexp.Regexp{
	regexp.MustCompile(`TiMOS-[A-Z]+-(\S+)`),
	regexp.MustCompile(`JUNOS ([0-9][0-9A-Za-z.\-]+)`),
	regexp.MustCompile(`Version ([0-9][0-9A-Za-z.()\-]*[0-9A-Za-z)])`),
	regexp.MustCompile(`\bV([0-9]{3}R[0-9]{3}C[0-9A-Z]+)`),
	regexp.MustCompile(`Linux \S+ ([0-9]+\.[0-9]+\S*)`),
}

// serialInText finds "S/N: X", "Serial Number X", "SN=X" in a free-text description.
var serialInText = regexp.MustCompile(`(?i)\b(?:s/?n|serial(?:[ _-]?(?:number|num|no\.?))?)\s*[:#=]?\s*([A-Z0-9][A-Z0-9-]{4,31})\b`)

func modelFromDescr(manufacturer, descr string) string {
	for _, re := range modelPatterns[manufacturer] {
		if m := re.FindStringSubmatch(descr); m != nil {
			if manufacturer == "Juniper Networks" {
				// Junos writes the model lower-case in sysDescr, upper-case everywhere else.
				return strings.ToUpper(m[1])
			}
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

func versionFromDescr(descr string) string {
	for _, re := range versionPatterns {
		if m := re.FindStringSubmatch(descr); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

func serialFromText(s string) string {
	if m := serialInText.FindStringSubmatch(s); m != nil {
		return cleanSerial(m[1])
	}
	return ""
}
