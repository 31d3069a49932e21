package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// xmlScanner reads the XML of one workbook part a token at a time over a buffer it
// refills, handing out slices of that buffer instead of building tokens: the import's
// sheet reader (import_sheetrows.go) runs on it. It understands what sheet parts are made
// of — elements, attributes, text with the five entities and character references,
// comments and processing instructions — and reports anything else (CDATA, a DOCTYPE, a
// declared encoding other than UTF-8) as errUnusual, on which the reader hands the sheet
// to excelize. Malformed XML is an error, never a silent end.
type xmlScanner struct {
	src      io.Reader
	buf      []byte
	pos, end int
	eof      bool
	maxToken int

	// The current token; its slices are valid until the next call of next.
	kind        tokenKind
	name        []byte // element name of a start or end tag
	attrs       []byte // raw attribute text of a start tag
	selfClosing bool
	text        []byte // raw text, entities not yet decoded
}

type tokenKind uint8

const (
	tokenEOF tokenKind = iota
	tokenText
	tokenStart
	tokenEnd
)

// errUnusual marks XML the scanner or the sheet reader leaves to excelize.
var errUnusual = errors.New("xml the fast reader does not read")

// errXML is malformed XML.
type errXML struct{ msg string }

func (e *errXML) Error() string { return "malformed XML: " + e.msg }

func xmlError(format string, a ...any) error { return &errXML{msg: fmt.Sprintf(format, a...)} }

const (
	scanBuffer = 256 << 10
	// maxXMLToken bounds one tag or text run: Excel's longest cell text is 32,767
	// characters, which even written as character references stays far below it.
	maxXMLToken = 4 << 20
)

func newXMLScanner(src io.Reader) *xmlScanner {
	return &xmlScanner{src: src, buf: make([]byte, scanBuffer), maxToken: maxXMLToken}
}

// fill moves the unread bytes to the front of the buffer, growing it when a token fills
// it whole, and reads more.
func (s *xmlScanner) fill() error {
	if s.eof {
		return nil
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxToken {
			return xmlError("a tag or text longer than %d MB", s.maxToken>>20)
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for range 100 {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if errors.Is(err, io.EOF) {
			s.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	return io.ErrNoProgress
}

// next reads the next element tag or text run, skipping comments and processing
// instructions.
func (s *xmlScanner) next() error {
	for {
		if s.pos == s.end {
			if s.eof {
				s.kind = tokenEOF
				return nil
			}
			if err := s.fill(); err != nil {
				return err
			}
			continue
		}
		b := s.buf[s.pos:s.end]
		if b[0] != '<' {
			i := bytes.IndexByte(b, '<')
			if i < 0 {
				if !s.eof {
					if err := s.fill(); err != nil {
						return err
					}
					continue
				}
				i = len(b)
			}
			s.kind, s.text = tokenText, b[:i]
			s.pos += i
			return nil
		}
		if len(b) < 16 && !s.eof {
			if err := s.fill(); err != nil {
				return err
			}
			continue
		}
		n, more, err := s.markup(b)
		if err != nil {
			return err
		}
		if more {
			if s.eof {
				return xmlError("the part ends inside a tag")
			}
			if err := s.fill(); err != nil {
				return err
			}
			continue
		}
		s.pos += n
		if s.kind != tokenEOF {
			return nil
		}
	}
}

// markup reads the markup at the start of b: its length, or more when b holds only part
// of it. Comments and processing instructions leave kind at tokenEOF to mean "skipped".
func (s *xmlScanner) markup(b []byte) (n int, more bool, err error) {
	s.kind = tokenEOF
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		i := bytes.Index(b[4:], []byte("-->"))
		if i < 0 {
			return 0, true, nil
		}
		return 4 + i + 3, false, nil
	case bytes.HasPrefix(b, []byte("<?")):
		i := bytes.Index(b[2:], []byte("?>"))
		if i < 0 {
			return 0, true, nil
		}
		if err := checkDeclaration(b[2 : 2+i]); err != nil {
			return 0, false, err
		}
		return 2 + i + 2, false, nil
	case bytes.HasPrefix(b, []byte("<!")):
		// CDATA sections and document types: not in the parts spreadsheet programs write.
		return 0, false, errUnusual
	case bytes.HasPrefix(b, []byte("</")):
		i := bytes.IndexByte(b, '>')
		if i < 0 {
			return 0, true, nil
		}
		name := bytes.TrimRight(b[2:i], " \t\r\n")
		if !xmlName(name) {
			return 0, false, xmlError("an end tag without a valid name")
		}
		s.kind, s.name = tokenEnd, name
		return i + 1, false, nil
	}
	end := tagEnd(b)
	if end == tagBroken {
		return 0, false, xmlError("a '<' inside a tag")
	}
	if end < 0 {
		return 0, true, nil
	}
	tag := b[1:end]
	s.selfClosing = len(tag) > 0 && tag[len(tag)-1] == '/'
	if s.selfClosing {
		tag = tag[:len(tag)-1]
	}
	i := bytes.IndexAny(tag, " \t\r\n")
	if i < 0 {
		i = len(tag)
	}
	s.name, s.attrs = tag[:i], tag[i:]
	if !xmlName(s.name) {
		return 0, false, xmlError("a tag without a valid name")
	}
	s.kind = tokenStart
	return end + 1, false, nil
}

// tagBroken is tagEnd's answer for a '<' inside a tag.
const tagBroken = -2

// tagEnd is the index of the '>' closing the start tag at the start of b, skipping any
// inside quoted attribute values; -1 when b does not hold it yet.
func tagEnd(b []byte) int {
	var quote byte
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		case c == '<':
			return tagBroken
		}
	}
	return -1
}

// checkDeclaration refuses a declared encoding other than UTF-8: such a part is left to
// excelize, which converts encodings.
func checkDeclaration(pi []byte) error {
	if !bytes.HasPrefix(pi, []byte("xml")) || len(pi) > 3 && !isSpace(pi[3]) {
		return nil
	}
	it := attrIter{b: pi[3:]}
	for {
		name, val, ok, err := it.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if string(name) == "encoding" && !bytes.EqualFold(val, []byte("utf-8")) {
			return errUnusual
		}
	}
}

// xmlName reports whether b is a name as workbook parts spell them: ASCII letters,
// digits, '_', '-', '.' and a prefix colon, not starting with a digit, '-' or '.'. XML
// allows more, but no spreadsheet program writes it; such a name is refused as malformed.
func xmlName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// attrIter walks the attributes of a start tag.
type attrIter struct{ b []byte }

// next returns the next attribute's name and raw value (entities not decoded).
func (it *attrIter) next() (name, val []byte, ok bool, err error) {
	b := it.b
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) {
		it.b = nil
		return nil, nil, false, nil
	}
	start := i
	for i < len(b) && b[i] != '=' && !isSpace(b[i]) {
		i++
	}
	name = b[start:i]
	if !xmlName(name) {
		return nil, nil, false, xmlError("an attribute without a valid name")
	}
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) || b[i] != '=' {
		return nil, nil, false, xmlError("an attribute without a value")
	}
	i++
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) || b[i] != '"' && b[i] != '\'' {
		return nil, nil, false, xmlError("an attribute value without quotes")
	}
	q := b[i]
	j := bytes.IndexByte(b[i+1:], q)
	if j < 0 {
		return nil, nil, false, xmlError("an unterminated attribute value")
	}
	val = b[i+1 : i+1+j]
	it.b = b[i+1+j+1:]
	if len(it.b) > 0 && !isSpace(it.b[0]) {
		return nil, nil, false, xmlError("attributes not separated by a space")
	}
	return name, val, true, nil
}

// appendText appends raw XML text to dst with entities and character references decoded
// and line ends normalised, as encoding/xml does. Text that is not UTF-8, or holds a
// character XML does not allow, is malformed.
func appendText(dst, raw []byte) ([]byte, error) {
	plain := true
	for _, c := range raw {
		if c < 0x20 || c >= 0x80 || c == '&' {
			plain = false
			break
		}
	}
	if plain {
		return append(dst, raw...), nil
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return dst, xmlError("an unterminated entity")
			}
			r, ok := entity(raw[i+1 : i+j])
			if !ok {
				return dst, xmlError("an unknown entity %q", raw[i:i+j+1])
			}
			dst = utf8.AppendRune(dst, r)
			i += j + 1
		case c == '\r':
			dst = append(dst, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c < 0x80:
			if c < 0x20 && c != '\t' && c != '\n' {
				return dst, xmlError("the control character %#x in text", c)
			}
			dst = append(dst, c)
			i++
		default:
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n == 1 {
				return dst, xmlError("text that is not UTF-8")
			}
			if !xmlChar(r) {
				return dst, xmlError("the character %U, which XML does not allow", r)
			}
			dst = append(dst, raw[i:i+n]...)
			i += n
		}
	}
	return dst, nil
}

// entity decodes the name of an entity or character reference (between & and ;).
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	var r rune
	for _, d := range digits {
		var v rune
		switch {
		case d >= '0' && d <= '9':
			v = rune(d - '0')
		case base == 16 && d >= 'a' && d <= 'f':
			v = rune(d-'a') + 10
		case base == 16 && d >= 'A' && d <= 'F':
			v = rune(d-'A') + 10
		default:
			return 0, false
		}
		r = r*base + v
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, xmlChar(r)
}

// xmlChar reports whether XML 1.0 allows the character.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
