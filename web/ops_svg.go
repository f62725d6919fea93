package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"
)

// Per-day plots drawn as SVG on the server: no script, no charting
// library, and readable without a tooltip (labelled axes, the value of
// each point written beside it when there is room, and of the last and
// the extremes always).

// opsSeries is one plotted number per day.
type opsSeries struct {
	Title  string
	Days   []time.Time
	Values []float64 // NaN: no value that day
	Format func(float64) string
	// Link is the drill-down of day i, or "".
	Link func(i int) string
}

const (
	svgW, svgH                    = 640, 220
	padL, padR, padTop, padBottom = 56, 16, 28, 34
)

// svg draws s as a line chart with points.
func (s opsSeries) svg() template.HTML {
	var b strings.Builder
	plotW, plotH := float64(svgW-padL-padR), float64(svgH-padTop-padBottom)
	top := 0.0
	for _, v := range s.Values {
		if !math.IsNaN(v) && v > top {
			top = v
		}
	}
	top = niceCeil(top)
	n := len(s.Days)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(padL) + plotW/2
		}
		return float64(padL) + plotW*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(padTop) + plotH*(1-v/top) }

	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		svgW, svgH, template.HTMLEscapeString(s.Title+", per day"))
	fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="16">%s</text>`, padL, template.HTMLEscapeString(s.Title))
	// The y axis: four gridlines with their values.
	for k := 0; k <= 4; k++ {
		v := top * float64(k) / 4
		yy := y(v)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padL, svgW-padR, yy, yy)
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%.1f" text-anchor="end">%s</text>`, padL-6, yy+4, template.HTMLEscapeString(s.Format(v)))
	}
	// The x axis: at most seven dates, always the first and the last.
	step := max(1, (n+5)/6)
	for i := 0; i < n; i++ {
		if i%step != 0 && i != n-1 {
			continue
		}
		if i != n-1 && n-1-i < step/2+1 && i != 0 {
			continue // too close to the last label
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(i), svgH-padBottom+18, s.Days[i].Format("01-02"))
	}
	if n == 0 {
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%d" text-anchor="middle">no data in this period</text>`, svgW/2, svgH/2)
	}
	// The line, broken where a day has no value.
	var path strings.Builder
	pen := false
	for i, v := range s.Values {
		if math.IsNaN(v) {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(i), y(v))
		pen = true
	}
	if path.Len() > 0 {
		fmt.Fprintf(&b, `<path class="line" d="%s"/>`, strings.TrimSpace(path.String()))
	}
	lo, hi := extremes(s.Values)
	for i, v := range s.Values {
		if math.IsNaN(v) {
			continue
		}
		label := template.HTMLEscapeString(s.Format(v))
		point := fmt.Sprintf(`<circle class="point" cx="%.1f" cy="%.1f" r="3.5"><title>%s: %s</title></circle>`,
			x(i), y(v), s.Days[i].Format("2006-01-02"), label)
		if s.Link != nil {
			if href := s.Link(i); href != "" {
				point = fmt.Sprintf(`<a href="%s">%s</a>`, template.HTMLEscapeString(href), point)
			}
		}
		b.WriteString(point)
		if n <= 14 || i == lo || i == hi || i == n-1 {
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(i), y(v)-8, label)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text in it is escaped above
}

// extremes returns the indexes of the lowest and highest values.
func extremes(vs []float64) (lo, hi int) {
	lo, hi = -1, -1
	for i, v := range vs {
		if math.IsNaN(v) {
			continue
		}
		if lo < 0 || v < vs[lo] {
			lo = i
		}
		if hi < 0 || v > vs[hi] {
			hi = i
		}
	}
	return lo, hi
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten, so the
// axis reads in round steps; 0 becomes 1.
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p*1.0000001 {
			return m * p
		}
	}
	return 10 * p
}
