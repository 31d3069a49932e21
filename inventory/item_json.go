package inventory

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the item as a JSON object, byte for byte what encoding/json writes for
// it. Lists of items are the API's hot path, and reflection-based encoding of their 27
// fields cost more than the query that read them.
func (it Item) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, it.ID, 10)
	b = append(b, `,"operator_id":`...)
	b = strconv.AppendInt(b, it.OperatorID, 10)
	b = appendField(b, "operator", it.Operator)
	b = append(b, `,"network_id":`...)
	b = strconv.AppendInt(b, it.NetworkID, 10)
	b = appendField(b, "critical_part", it.CriticalPart)
	b = appendField(b, "kind", string(it.Kind))
	b = appendField(b, "name", it.Name)
	b = appendField(b, "model", it.Model)
	b = appendField(b, "version", it.Version)
	if it.ManufacturerID != 0 {
		b = append(b, `,"manufacturer_id":`...)
		b = strconv.AppendInt(b, it.ManufacturerID, 10)
	}
	b = appendField(b, "manufacturer", it.Manufacturer)
	b = appendField(b, "manufacturer_country", it.ManufacturerCountry)
	if it.DistributorID != 0 {
		b = append(b, `,"distributor_id":`...)
		b = strconv.AppendInt(b, it.DistributorID, 10)
	}
	b = appendField(b, "distributor", it.Distributor)
	if it.OutsourcerID != 0 {
		b = append(b, `,"outsourcing_provider_id":`...)
		b = strconv.AppendInt(b, it.OutsourcerID, 10)
	}
	b = appendField(b, "outsourcing_provider", it.OutsourcingProvider)
	b = appendField(b, "origin_country", it.OriginCountry)
	b = appendField(b, "serial", it.Serial)
	b = append(b, `,"quantity":`...)
	b = strconv.AppendInt(b, int64(it.Quantity), 10)
	b = appendField(b, "site", it.Site)
	b = appendField(b, "management_address", it.ManagementAddress)
	b = appendField(b, "in_service_since", it.InServiceSince)
	b = appendField(b, "notes", it.Notes)
	b = appendField(b, "source", string(it.Source))
	b = appendField(b, "source_ref", it.SourceRef)
	b = append(b, `,"created_at":"`...)
	b = it.CreatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","updated_at":"`...)
	b = it.UpdatedAt.AppendFormat(b, time.RFC3339Nano)
	return append(b, `"}`...)
}

// MarshalJSON encodes the item through AppendJSON.
func (it Item) MarshalJSON() ([]byte, error) { return it.AppendJSON(make([]byte, 0, 512)), nil }

func appendField(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string escaped as encoding/json escapes it: quotes,
// backslashes and control characters, '<', '>' and '&' (so that text cannot become markup),
// U+2028 and U+2029, and invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
