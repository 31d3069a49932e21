package discovery

import (
	"strings"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"
)

// text renders an OCTET STRING (or anything else) as text. Bytes that are not UTF-8 are
// read as Latin-1, which is what older agents put in descriptions.
func text(c cell) string {
	switch v := c.value.Value.(type) {
	case []byte:
		if utf8.Valid(v) {
			return string(v)
		}
		r := make([]rune, len(v))
		for i, b := range v {
			r[i] = rune(b)
		}
		return string(r)
	case string:
		return v
	case nil:
		return ""
	}
	switch c.value.Type {
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Counter64, gosnmp.Uinteger32:
		return gosnmp.ToBigInt(c.value.Value).String()
	}
	return ""
}

// integer reads a numeric value; non-numbers are 0.
func integer(c cell) int64 {
	switch c.value.Type {
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Counter64, gosnmp.Uinteger32:
		b := gosnmp.ToBigInt(c.value.Value)
		if b.IsInt64() {
			return b.Int64()
		}
	}
	return 0
}

// oidValue reads an OBJECT IDENTIFIER value without its leading dot.
func oidValue(c cell) string {
	if c.value.Type != gosnmp.ObjectIdentifier {
		return ""
	}
	s, _ := c.value.Value.(string)
	return strings.TrimPrefix(s, ".")
}
