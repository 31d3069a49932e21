package frontend

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value int
	// Class picks the bar's colour from the style sheet (status-prohibited, vendor-3, …).
	Class string
}

// BarChart draws horizontal bars as SVG, labels escaped. The chart is drawn on the server so
// that it needs no script and reads the same with JavaScript off.
func BarChart(title string, bars []Bar) template.HTML {
	const rowH, labelW, barW, pad = 26, 230, 360, 8
	total := 0
	maxV := 1
	for _, b := range bars {
		total += b.Value
		maxV = max(maxV, b.Value)
	}
	h := pad*2 + rowH*len(bars)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %[2]d %[3]d" xmlns="http://www.w3.org/2000/svg">`,
		html.EscapeString(title), labelW+barW+80, h)
	fmt.Fprintf(&s, `<title>%s</title>`, html.EscapeString(title))
	for i, b := range bars {
		y := pad + i*rowH
		w := 0
		if b.Value > 0 {
			w = max(2, b.Value*barW/maxV)
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" class="chart-label" text-anchor="end">%s</text>`, labelW-8, y+17, html.EscapeString(b.Label))
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" class="bar %s"/>`, labelW, y+4, w, rowH-8, html.EscapeString(b.Class))
		fmt.Fprintf(&s, `<text x="%d" y="%d" class="chart-value">%d</text>`, labelW+w+6, y+17, b.Value)
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// Segment is one part of a stacked bar.
type Segment struct {
	Label string
	Value int
	Class string
}

// StackedBar draws one bar split into segments, with a legend, as SVG.
func StackedBar(title string, segs []Segment) template.HTML {
	const width, barH = 600, 28
	total := 0
	for _, g := range segs {
		total += g.Value
	}
	var s strings.Builder
	legendRows := (len(segs) + 1) / 2
	h := barH + 16 + legendRows*22
	fmt.Fprintf(&s, `<svg class="chart" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %[2]d %[3]d" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		html.EscapeString(title), width, h, html.EscapeString(title))
	x := 0
	for _, g := range segs {
		if total == 0 || g.Value == 0 {
			continue
		}
		w := g.Value * width / total
		fmt.Fprintf(&s, `<rect x="%d" y="0" width="%d" height="%d" class="bar %s"><title>%s: %d</title></rect>`,
			x, max(w, 1), barH, html.EscapeString(g.Class), html.EscapeString(g.Label), g.Value)
		x += w
	}
	for i, g := range segs {
		lx, ly := (i%2)*300, barH+16+(i/2)*22
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="12" height="12" class="bar %s"/><text x="%d" y="%d" class="chart-label">%s: %d</text>`,
			lx, ly, html.EscapeString(g.Class), lx+18, ly+11, html.EscapeString(g.Label), g.Value)
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// Node is one party of an ownership graph.
type Node struct {
	ID    int64
	Label string
	// Level is the distance from the supplier (0) upwards.
	Level int
	Class string
}

// Edge says that From is owned or controlled by To.
type Edge struct {
	From, To int64
	Label    string
}

// OwnershipGraph draws an ownership graph as SVG: the supplier at the bottom, each level of
// owners above the one it owns.
func OwnershipGraph(title string, nodes []Node, edges []Edge) template.HTML {
	const boxW, boxH, gapX, gapY = 260, 44, 24, 58
	levels := map[int][]Node{}
	top := 0
	for _, n := range nodes {
		levels[n.Level] = append(levels[n.Level], n)
		top = max(top, n.Level)
	}
	widest := 1
	for _, l := range levels {
		widest = max(widest, len(l))
	}
	w := widest*(boxW+gapX) + gapX
	h := (top+1)*(boxH+gapY) + gapY
	pos := map[int64][2]int{}
	for lvl, ns := range levels {
		rowW := len(ns)*(boxW+gapX) - gapX
		x0 := (w - rowW) / 2
		y := h - gapY - boxH - lvl*(boxH+gapY)
		for i, n := range ns {
			pos[n.ID] = [2]int{x0 + i*(boxW+gapX), y}
		}
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="graph" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %[2]d %[3]d" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		html.EscapeString(title), w, h, html.EscapeString(title))
	s.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow"/></marker></defs>`)
	for _, e := range edges {
		a, okA := pos[e.From]
		b, okB := pos[e.To]
		if !okA || !okB {
			continue
		}
		x1, y1 := a[0]+boxW/2, a[1]
		x2, y2 := b[0]+boxW/2, b[1]+boxH
		fmt.Fprintf(&s, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="edge" marker-end="url(#arrow)"/>`, x1, y1, x2, y2)
		fmt.Fprintf(&s, `<text x="%d" y="%d" class="edge-label">%s</text>`, (x1+x2)/2+6, (y1+y2)/2, html.EscapeString(e.Label))
	}
	for _, n := range nodes {
		p := pos[n.ID]
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" class="node %s"/>`, p[0], p[1], boxW, boxH, html.EscapeString(n.Class))
		label := n.Label
		if len([]rune(label)) > 36 {
			label = string([]rune(label)[:35]) + "…"
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" class="node-label" text-anchor="middle">%s<title>%s</title></text>`,
			p[0]+boxW/2, p[1]+boxH/2+5, html.EscapeString(label), html.EscapeString(n.Label))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
