package eval

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// LineProgress reports progress on w: a bar redrawn in place when w is a
// terminal, one plain line per case run otherwise (CI logs).
type LineProgress struct {
	w     io.Writer
	tty   bool
	total int
	done  int
	fails int
	start time.Time
	now   func() time.Time
}

// NewProgress returns a LineProgress writing to w; tty says whether w is a
// terminal.
func NewProgress(w io.Writer, tty bool) *LineProgress {
	return &LineProgress{w: w, tty: tty, now: time.Now}
}

// Start notes the number of case runs.
func (p *LineProgress) Start(total int) {
	p.total, p.start = total, p.now()
	if p.tty {
		p.draw("")
	}
}

// Done reports one case run.
func (p *LineProgress) Done(c *CaseResult, r Run) {
	p.done++
	if r.Status != StatusPass {
		p.fails++
	}
	label := c.Key()
	if r.Attempt > 1 {
		label = fmt.Sprintf("%s #%d", label, r.Attempt)
	}
	if !p.tty {
		fmt.Fprintf(p.w, "[%d/%d] %-5s %s (%s)\n", p.done, p.total, r.Status, label, r.Duration.Round(time.Millisecond))
		return
	}
	if r.Status != StatusPass {
		// Keep the failures on screen above the bar.
		fmt.Fprintf(p.w, "\r\033[K%-5s %s\n", r.Status, label)
	}
	p.draw(label)
}

// Finish ends the bar's line.
func (p *LineProgress) Finish() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func (p *LineProgress) draw(label string) {
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = p.done * width / p.total
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	elapsed := p.now().Sub(p.start).Round(time.Second)
	if len(label) > 40 {
		label = label[:39] + "…"
	}
	fmt.Fprintf(p.w, "\r\033[K%s %d/%d  %d not passed  %s  %s", bar, p.done, p.total, p.fails, elapsed, label)
}
