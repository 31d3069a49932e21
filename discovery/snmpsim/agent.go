package snmpsim

import (
	"crypto/subtle"
	"encoding/binary"
	"sync/atomic"
	"time"
)

// usmStats OIDs (RFC 3414) carried by Report PDUs.
var (
	oidUnsupportedSecLevels = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0}
	oidNotInTimeWindows     = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0}
	oidUnknownUserNames     = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0}
	oidUnknownEngineIDs     = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0}
	oidWrongDigests         = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 5, 0}
	oidDecryptionErrors     = []uint32{1, 3, 6, 1, 6, 3, 15, 1, 1, 6, 0}
)

// msgFlags bits (RFC 3412).
const (
	flagAuth       = 0x01
	flagPriv       = 0x02
	flagReportable = 0x04
)

// maxMessage is the largest datagram the simulator sends; a UDP payload over IPv4 can hold it.
const maxMessage = 65507

// timeWindow is RFC 3414's 150-second window for authenticated messages.
const timeWindow = 150

// agent answers for one socket.
type agent struct {
	name      string
	rec       *Recording
	community []byte
	users     map[string]*userKey
	engineID  []byte
	boots     uint32
	started   time.Time
	fault     Fault
	salt      atomic.Uint64
	stats     [7]atomic.Uint32 // usmStats counters by last arc
}

// userKey is a USM user with keys localized to the agent's engine ID.
type userKey struct {
	User
	authKey []byte
	privKey []byte
}

func (u *userKey) level() byte {
	var l byte
	if u.Auth != NoAuth {
		l |= flagAuth
	}
	if u.Priv != NoPriv {
		l |= flagPriv
	}
	return l
}

func (a *agent) engineTime() uint32 {
	return uint32(time.Since(a.started)/time.Second) + 1
}

// handle returns the reply to one datagram, or nil to stay silent, as an agent does with
// anything it cannot parse or will not answer.
func (a *agent) handle(msg []byte) []byte {
	if a.fault == FaultSilent || a.rec == nil {
		return nil
	}
	top, err := expect(msg, 0, tagSequence)
	if err != nil {
		return nil
	}
	ver, err := expect(msg, top.start, tagInteger)
	if err != nil {
		return nil
	}
	v, err := parseInt(msg[ver.start:ver.end])
	if err != nil {
		return nil
	}
	var out []byte
	switch v {
	case 1:
		out = a.handleV2c(msg, ver.end)
	case 3:
		out = a.handleV3(msg, ver.end)
	}
	return a.fault.apply(out)
}

func (a *agent) handleV2c(msg []byte, pos int) []byte {
	if len(a.community) == 0 {
		return nil
	}
	c, err := expect(msg, pos, tagOctetString)
	if err != nil {
		return nil
	}
	if subtle.ConstantTimeCompare(msg[c.start:c.end], a.community) != 1 {
		return nil
	}
	p, err := parsePDU(msg, c.end)
	if err != nil {
		return nil
	}
	overhead := 32 + len(a.community)
	body := appendInt(nil, tagInteger, 1)
	body = appendTLV(body, tagOctetString, a.community)
	body = append(body, answer(a.rec, p, maxMessage-overhead)...)
	return appendTLV(nil, tagSequence, body)
}

// v3Request is the parsed header of an SNMPv3 message.
type v3Request struct {
	msgID      int64
	maxSize    int64
	flags      byte
	engineID   []byte
	boots      int64
	time       int64
	user       []byte
	authParams tlv
	privParams []byte
	data       int // position of msgData
}

func parseV3(msg []byte, pos int) (v3Request, error) {
	var r v3Request
	gd, err := expect(msg, pos, tagSequence)
	if err != nil {
		return r, err
	}
	cur := gd.start
	for _, dst := range []*int64{&r.msgID, &r.maxSize} {
		t, err := expect(msg, cur, tagInteger)
		if err != nil {
			return r, err
		}
		if *dst, err = parseInt(msg[t.start:t.end]); err != nil {
			return r, err
		}
		cur = t.end
	}
	f, err := expect(msg, cur, tagOctetString)
	if err != nil || f.end-f.start != 1 {
		return r, errShort
	}
	r.flags = msg[f.start]
	sm, err := expect(msg, f.end, tagInteger)
	if err != nil {
		return r, err
	}
	if model, err := parseInt(msg[sm.start:sm.end]); err != nil || model != 3 {
		return r, errShort
	}
	spo, err := expect(msg, gd.end, tagOctetString)
	if err != nil {
		return r, err
	}
	sp, err := expect(msg, spo.start, tagSequence)
	if err != nil {
		return r, err
	}
	cur = sp.start
	fields := []func(t tlv) error{
		func(t tlv) error { r.engineID = msg[t.start:t.end]; return nil },
		func(t tlv) (err error) { r.boots, err = parseInt(msg[t.start:t.end]); return err },
		func(t tlv) (err error) { r.time, err = parseInt(msg[t.start:t.end]); return err },
		func(t tlv) error { r.user = msg[t.start:t.end]; return nil },
		func(t tlv) error { r.authParams = t; return nil },
		func(t tlv) error { r.privParams = msg[t.start:t.end]; return nil },
	}
	tags := []byte{tagOctetString, tagInteger, tagInteger, tagOctetString, tagOctetString, tagOctetString}
	for i, fn := range fields {
		t, err := expect(msg, cur, tags[i])
		if err != nil {
			return r, err
		}
		if err := fn(t); err != nil {
			return r, err
		}
		cur = t.end
	}
	r.data = spo.end
	return r, nil
}

// scopedPDU decodes ScopedPDU ::= SEQUENCE { contextEngineID, contextName, PDU }.
func scopedPDU(b []byte, pos int) (contextName []byte, p pdu, err error) {
	seq, err := expect(b, pos, tagSequence)
	if err != nil {
		return nil, p, err
	}
	ce, err := expect(b, seq.start, tagOctetString)
	if err != nil {
		return nil, p, err
	}
	cn, err := expect(b, ce.end, tagOctetString)
	if err != nil {
		return nil, p, err
	}
	p, err = parsePDU(b, cn.end)
	return b[cn.start:cn.end], p, err
}

func (a *agent) handleV3(msg []byte, pos int) []byte {
	r, err := parseV3(msg, pos)
	if err != nil {
		return nil
	}
	// The request ID is only readable in clear text; reports for encrypted requests carry 0.
	reqID := int64(0)
	if r.flags&flagPriv == 0 {
		if _, p, err := scopedPDU(msg, r.data); err == nil {
			reqID = p.requestID
		}
	}
	if subtle.ConstantTimeCompare(r.engineID, a.engineID) != 1 {
		return a.report(r, reqID, oidUnknownEngineIDs, nil)
	}
	u := a.users[string(r.user)]
	if u == nil {
		return a.report(r, reqID, oidUnknownUserNames, nil)
	}
	if r.flags&(flagAuth|flagPriv) != u.level() {
		return a.report(r, reqID, oidUnsupportedSecLevels, nil)
	}
	if u.Auth != NoAuth {
		mac := msg[r.authParams.start:r.authParams.end]
		if len(mac) != u.Auth.macLen() {
			return a.report(r, reqID, oidWrongDigests, nil)
		}
		zeroed := make([]byte, len(msg))
		copy(zeroed, msg)
		clear(zeroed[r.authParams.start:r.authParams.end])
		if !hmacEqual(digest(u.Auth, u.authKey, zeroed), mac) {
			return a.report(r, reqID, oidWrongDigests, nil)
		}
		now := int64(a.engineTime())
		if r.boots != int64(a.boots) || r.time < now-timeWindow || r.time > now+timeWindow {
			return a.report(r, reqID, oidNotInTimeWindows, u)
		}
	}
	plain, pos := msg, r.data
	if u.Priv != NoPriv {
		enc, err := expect(msg, r.data, tagOctetString)
		if err != nil {
			return a.report(r, reqID, oidDecryptionErrors, u)
		}
		plain, err = cfb(u.privKey, uint32(r.boots), uint32(r.time), r.privParams, msg[enc.start:enc.end], true)
		if err != nil {
			return a.report(r, reqID, oidDecryptionErrors, u)
		}
		pos = 0
	}
	contextName, p, err := scopedPDU(plain, pos)
	if err != nil {
		if u.Priv != NoPriv {
			return a.report(r, reqID, oidDecryptionErrors, u)
		}
		return nil
	}
	budget := int(min(max(r.maxSize, 484), maxMessage)) - 200 - len(r.user) - len(contextName)
	return a.v3Message(r.msgID, u.level(), u, r.user, a.scoped(contextName, answer(a.rec, p, budget)))
}

func hmacEqual(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

func (a *agent) scoped(contextName, pdu []byte) []byte {
	c := appendTLV(nil, tagOctetString, a.engineID)
	c = appendTLV(c, tagOctetString, contextName)
	c = append(c, pdu...)
	return appendTLV(nil, tagSequence, c)
}

// report answers a request the USM refused. Reports about the engine, the user, the security
// level and the digest go unauthenticated, as the requester's keys cannot be trusted; the
// others are authenticated with the user's key (RFC 3414 3.2, RFC 3412 7.1.3).
func (a *agent) report(r v3Request, reqID int64, stat []uint32, u *userKey) []byte {
	if r.flags&flagReportable == 0 {
		return nil
	}
	n := a.stats[stat[len(stat)-2]].Add(1)
	vbs := appendVarbind(nil, appendOID(nil, stat), appendUint(nil, tagCounter32, uint64(n)))
	pdu := responsePDU(pduReport, reqID, 0, 0, vbs)
	var flags byte
	if u != nil {
		flags = flagAuth
	}
	return a.v3Message(r.msgID, flags, u, r.user, a.scoped(nil, pdu))
}

// v3Message wraps a scoped PDU, encrypting and authenticating it as flags ask.
func (a *agent) v3Message(msgID int64, flags byte, u *userKey, user, scoped []byte) []byte {
	boots, etime := a.boots, a.engineTime()
	payload := scoped
	var privParams []byte
	if flags&flagPriv != 0 {
		privParams = binary.BigEndian.AppendUint64(nil, a.salt.Add(1))
		enc, err := cfb(u.privKey, boots, etime, privParams, scoped, false)
		if err != nil {
			return nil
		}
		payload = appendTLV(nil, tagOctetString, enc)
	}
	macLen := 0
	if flags&flagAuth != 0 {
		macLen = u.Auth.macLen()
	}
	sec := appendTLV(nil, tagOctetString, a.engineID)
	sec = appendInt(sec, tagInteger, int64(boots))
	sec = appendInt(sec, tagInteger, int64(etime))
	sec = appendTLV(sec, tagOctetString, user)
	macAt := len(sec) + 2 // macLen < 128, so a two-octet header
	sec = appendTLV(sec, tagOctetString, make([]byte, macLen))
	sec = appendTLV(sec, tagOctetString, privParams)
	secSeq := appendTLV(nil, tagSequence, sec)
	macAt += len(secSeq) - len(sec)
	secOct := appendTLV(nil, tagOctetString, secSeq)
	macAt += len(secOct) - len(secSeq)

	global := appendInt(nil, tagInteger, msgID)
	global = appendInt(global, tagInteger, maxMessage)
	global = appendTLV(global, tagOctetString, []byte{flags})
	global = appendInt(global, tagInteger, 3)
	body := appendInt(nil, tagInteger, 3)
	body = appendTLV(body, tagSequence, global)
	macAt += len(body)
	body = append(body, secOct...)
	body = append(body, payload...)
	msg := appendTLV(nil, tagSequence, body)
	macAt += len(msg) - len(body)
	if macLen > 0 {
		copy(msg[macAt:], digest(u.Auth, u.authKey, msg))
	}
	return msg
}
