package snmpsim

import (
	"errors"
	"fmt"
)

// maxRepetitionsCap bounds a GETBULK's repetitions whatever the request asks, as real agents do.
const maxRepetitionsCap = 1000

// SNMP error-status values the simulator sends.
const (
	errStatusTooBig      = 1
	errStatusNotWritable = 17
)

// pdu is a decoded request PDU.
type pdu struct {
	typ       byte
	requestID int64
	nonRep    int64 // error-status field; non-repeaters for GETBULK
	maxRep    int64 // error-index field; max-repetitions for GETBULK
	oids      [][]uint32
}

// parsePDU decodes the PDU that starts at pos.
func parsePDU(b []byte, pos int) (pdu, error) {
	outer, err := readTLV(b, pos)
	if err != nil {
		return pdu{}, err
	}
	p := pdu{typ: outer.tag}
	switch outer.tag {
	case pduGet, pduGetNext, pduGetBulk, pduSet:
	default:
		return pdu{}, fmt.Errorf("unsupported PDU type 0x%02x", outer.tag)
	}
	ints := [3]*int64{&p.requestID, &p.nonRep, &p.maxRep}
	cur := outer.start
	for _, dst := range ints {
		t, err := expect(b, cur, tagInteger)
		if err != nil {
			return pdu{}, err
		}
		if *dst, err = parseInt(b[t.start:t.end]); err != nil {
			return pdu{}, err
		}
		cur = t.end
	}
	list, err := expect(b, cur, tagSequence)
	if err != nil {
		return pdu{}, err
	}
	for cur = list.start; cur < list.end; {
		vb, err := expect(b, cur, tagSequence)
		if err != nil {
			return pdu{}, err
		}
		name, err := expect(b, vb.start, tagOID)
		if err != nil {
			return pdu{}, err
		}
		oid, err := parseOID(b[name.start:name.end])
		if err != nil {
			return pdu{}, err
		}
		p.oids = append(p.oids, oid)
		cur = vb.end
		if len(p.oids) > 1000 {
			return pdu{}, errors.New("too many varbinds")
		}
	}
	return p, nil
}

// appendVarbind writes SEQUENCE { name, value } from pre-encoded parts.
func appendVarbind(dst, name, value []byte) []byte {
	dst = append(dst, tagSequence)
	dst = appendLength(dst, len(name)+len(value))
	dst = append(dst, name...)
	return append(dst, value...)
}

// answer computes the response PDU for p from rec. budget is the largest PDU the reply may
// carry; GETBULK stops adding repetitions before crossing it (RFC 3416 4.2.3), the other
// requests answer tooBig.
func answer(rec *Recording, p pdu, budget int) []byte {
	var vbs []byte
	errStatus, errIndex := int64(0), int64(0)
	exception := func(tag byte) []byte { return []byte{tag, 0} }
	switch p.typ {
	case pduGet:
		for _, oid := range p.oids {
			e, why := rec.get(oid)
			if e == nil {
				vbs = appendVarbind(vbs, appendOID(nil, oid), exception(why))
				continue
			}
			vbs = appendVarbind(vbs, e.oidTLV, e.valTLV)
		}
	case pduGetNext:
		for _, oid := range p.oids {
			vbs = appendNext(vbs, rec, oid)
		}
	case pduGetBulk:
		vbs = bulk(rec, p, budget)
	case pduSet:
		errStatus, errIndex = errStatusNotWritable, 1
		for _, oid := range p.oids {
			vbs = appendVarbind(vbs, appendOID(nil, oid), []byte{tagNull, 0})
		}
	}
	if len(vbs) > budget && p.typ != pduGetBulk {
		errStatus, errIndex, vbs = errStatusTooBig, 0, nil
	}
	return responsePDU(pduResponse, p.requestID, errStatus, errIndex, vbs)
}

func appendNext(vbs []byte, rec *Recording, oid []uint32) []byte {
	e := rec.next(oid)
	if e == nil {
		return appendVarbind(vbs, appendOID(nil, oid), []byte{tagEndOfMibView, 0})
	}
	return appendVarbind(vbs, e.oidTLV, e.valTLV)
}

// bulk answers GETBULK: non-repeaters once, then rounds of GETNEXT over the repeaters until
// max-repetitions, the budget, or every repeater at the end of the view.
func bulk(rec *Recording, p pdu, budget int) []byte {
	n := min(max(p.nonRep, 0), int64(len(p.oids)))
	m := min(max(p.maxRep, 0), maxRepetitionsCap)
	var vbs []byte
	for _, oid := range p.oids[:n] {
		vbs = appendNext(vbs, rec, oid)
	}
	cur := make([][]uint32, len(p.oids)-int(n))
	copy(cur, p.oids[n:])
	if len(cur) == 0 {
		return vbs
	}
	var row []byte
	for r := int64(0); r < m; r++ {
		row = row[:0]
		ended := 0
		for j, oid := range cur {
			e := rec.next(oid)
			if e == nil {
				row = appendVarbind(row, appendOID(nil, oid), []byte{tagEndOfMibView, 0})
				ended++
				continue
			}
			row = appendVarbind(row, e.oidTLV, e.valTLV)
			cur[j] = e.oid
		}
		if len(vbs)+len(row) > budget {
			// Keep whole varbinds of a partial row: clients map them by position.
			for off := 0; off < len(row); {
				t, err := readTLV(row, off)
				if err != nil || len(vbs)+t.end-off > budget {
					break
				}
				vbs = append(vbs, row[off:t.end]...)
				off = t.end
			}
			break
		}
		vbs = append(vbs, row...)
		if ended == len(cur) {
			break
		}
	}
	return vbs
}

// responsePDU encodes a Response or Report PDU around an encoded varbind list.
func responsePDU(typ byte, requestID, errStatus, errIndex int64, vbs []byte) []byte {
	c := appendInt(nil, tagInteger, requestID)
	c = appendInt(c, tagInteger, errStatus)
	c = appendInt(c, tagInteger, errIndex)
	c = appendTLV(c, tagSequence, vbs)
	return appendTLV(nil, typ, c)
}
