package discovery

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"
)

// maxRowsPerColumn bounds one column's walk, so an agent that never ends a table (or loops)
// cannot exhaust memory.
const maxRowsPerColumn = 50000

// cell is one value of a walked column: the OID suffix after the column (the row index) and
// the value.
type cell struct {
	index string
	value gosnmp.SnmpPDU
}

// walkColumns walks several columns at once with GETBULK, each request carrying every column
// not yet finished, as snmptable does. Compared with walking each subtree in turn this needs
// one round trip per maxRep rows of the widest table, not per column. A column ends when the
// agent answers with an OID outside it or endOfMibView. Returned cells per column are in agent
// order.
func walkColumns(g *gosnmp.GoSNMP, columns []string, maxRep int) (map[string][]cell, error) {
	out := make(map[string][]cell, len(columns))
	type state struct {
		root, next string
	}
	active := make([]state, 0, len(columns))
	for _, c := range columns {
		active = append(active, state{root: c, next: c})
	}
	rep := max(maxRep, 1)
	for len(active) > 0 {
		oids := make([]string, len(active))
		for i, s := range active {
			oids[i] = s.next
		}
		// Keep a request's varbind count bounded: agents cap responses near a datagram.
		r := max(1, min(rep, 500/len(active)))
		res, err := g.GetBulk(oids, 0, uint32(r))
		if err != nil {
			return out, err
		}
		if res.Error == gosnmp.TooBig && rep > 1 {
			rep /= 2
			continue
		}
		if res.Error != gosnmp.NoError {
			return out, fmt.Errorf("%w: GETBULK error-status %s", errMalformed, res.Error)
		}
		if len(res.Variables) == 0 {
			return out, fmt.Errorf("%w: empty GETBULK response", errMalformed)
		}
		done := make([]bool, len(active))
		for i, v := range res.Variables {
			j := i % len(active)
			if done[j] {
				continue
			}
			s := &active[j]
			name := strings.TrimPrefix(v.Name, ".")
			if v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance ||
				!strings.HasPrefix(name, s.root+".") {
				done[j] = true
				continue
			}
			if oidCompare(name, s.next) <= 0 {
				return out, fmt.Errorf("%w: OID %s does not follow %s", errMalformed, name, s.next)
			}
			out[s.root] = append(out[s.root], cell{index: name[len(s.root)+1:], value: v})
			s.next = name
			if len(out[s.root]) >= maxRowsPerColumn {
				done[j] = true
			}
		}
		// A column that got no varbind in a truncated response stays active; a response
		// that moves no column at all would repeat forever.
		progressed := false
		kept := active[:0]
		for j, s := range active {
			if done[j] || s.next != oids[j] {
				progressed = true
			}
			if !done[j] {
				kept = append(kept, s)
			}
		}
		if !progressed {
			return out, fmt.Errorf("%w: GETBULK response advanced no column", errMalformed)
		}
		active = kept
	}
	return out, nil
}

// oidCompare orders dotted OIDs numerically.
func oidCompare(a, b string) int {
	for a != "" || b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		switch {
		case x == "" && y == "":
			return 0
		case x == "":
			return -1
		case y == "":
			return 1
		}
		xi, _ := strconv.ParseUint(x, 10, 64)
		yi, _ := strconv.ParseUint(y, 10, 64)
		if xi != yi {
			if xi < yi {
				return -1
			}
			return 1
		}
	}
	return 0
}
