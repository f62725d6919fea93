package agent

import "errors"

// textColumn scans a text column whose rows repeat a few values (a role, a
// verdict, a route, the buyer's id, a turn id its reply shares) into
// *dst, reusing the string of an earlier row of equal bytes instead of
// allocating one per row: the window is read on every turn, and these
// columns were most of its allocations (docs/performance.md, round 12).
// It is a pgx BytesScanner: pgx hands it the column's bytes, valid until
// the next row. Point dst at the row's field before each Scan.
type textColumn struct {
	dst    *string
	seen   []string
	next   int
	seeded bool
	buf    [4]string
}

// errNullText is a NULL where a textColumn wants text; a *string refuses
// NULL too.
var errNullText = errors.New("cannot scan NULL into a string")

// newTextColumns returns n textColumns, made in one allocation, each
// remembering the last four distinct values it read.
func newTextColumns(n int) []textColumn {
	cols := make([]textColumn, n)
	for i := range cols {
		cols[i].seen = cols[i].buf[:0]
	}
	return cols
}

// seed makes c reuse the strings of vals (which it does not change) before
// any it reads, and remember no others: for a column whose values a read
// already holds, such as the turn ids of the window's messages.
func (c *textColumn) seed(vals []string) {
	c.seen, c.seeded = vals[:len(vals):len(vals)], true
}

// ScanBytes implements pgtype.BytesScanner.
func (c *textColumn) ScanBytes(b []byte) error {
	if b == nil {
		return errNullText
	}
	if len(b) == 0 {
		*c.dst = ""
		return nil
	}
	for _, s := range c.seen {
		if s == string(b) {
			*c.dst = s
			return nil
		}
	}
	s := string(b)
	*c.dst = s
	switch {
	case len(c.seen) < cap(c.seen):
		c.seen = append(c.seen, s)
	case !c.seeded:
		// Full: the oldest value read makes room.
		c.seen[c.next] = s
		c.next = (c.next + 1) % len(c.seen)
	}
	return nil
}
