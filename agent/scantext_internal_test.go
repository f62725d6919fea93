package agent

import (
	"testing"
	"unsafe"
)

func TestTextColumn(t *testing.T) {
	cols := newTextColumns(1)
	c := &cols[0]
	var got []string
	for _, v := range []string{"user", "assistant", "user", "", "agent", "a", "b", "c", "user"} {
		var s string
		c.dst = &s
		if err := c.ScanBytes([]byte(v)); err != nil {
			t.Fatalf("ScanBytes(%q) = %v", v, err)
		}
		if s != v {
			t.Fatalf("ScanBytes(%q) set %q", v, s)
		}
		got = append(got, s)
	}
	if unsafe.StringData(got[0]) != unsafe.StringData(got[2]) {
		t.Errorf("the second %q is a new string, want the first's", got[2])
	}
	var s string
	c.dst = &s
	if err := c.ScanBytes(nil); err == nil {
		t.Errorf("ScanBytes(nil) = nil, want an error, as for a *string")
	}

	seeded := newTextColumns(1)[0:1]
	turns := []string{"turn-1", "turn-2"}
	seeded[0].seed(turns)
	for _, v := range []string{"turn-2", "turn-3", "turn-3"} {
		seeded[0].dst = &s
		if err := seeded[0].ScanBytes([]byte(v)); err != nil || s != v {
			t.Fatalf("seeded ScanBytes(%q) = %v, set %q", v, err, s)
		}
	}
	if len(seeded[0].seen) != 2 || turns[0] != "turn-1" || turns[1] != "turn-2" {
		t.Errorf("a seeded column changed its seed: %q, %q", seeded[0].seen, turns)
	}
}
