package fakellm

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"Hello, world!", []string{"Hello,", " world!"}},
		{"  lead and trail  ", []string{"  lead", " and", " trail  "}},
		{"a\n\nb\tc", []string{"a", "\n\nb", "\tc"}},
		{"   ", []string{"   "}},
	}
	for _, tt := range tests {
		got := slices.Collect(words(tt.in))
		if !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Join(got, "") != tt.in {
			t.Errorf("words(%q) joins to %q", tt.in, strings.Join(got, ""))
		}
	}
}

func TestFragments(t *testing.T) {
	tests := []string{"", "{}", `{"order_id":"A-17"}`, `{"t":"Grüße 🚚🚚🚚 ok"}`, strings.Repeat("é", 9)}
	for _, in := range tests {
		got := slices.Collect(fragments(in))
		if strings.Join(got, "") != in {
			t.Errorf("fragments(%q) joins to %q", in, strings.Join(got, ""))
		}
		for _, f := range got {
			if !utf8.ValidString(f) || f == "" {
				t.Errorf("fragments(%q) has fragment %q, want non-empty valid UTF-8", in, f)
			}
		}
		if len(in) > jsonFragmentSize && len(got) < 2 {
			t.Errorf("fragments(%q) = %q, want several", in, got)
		}
	}
}

// TestRandomFaultKeepsQueue checks a random fault does not eat the scripted
// reply, so the client's retry still gets it.
func TestRandomFaultKeepsQueue(t *testing.T) {
	s := New(Options{FaultRates: FaultRates{ServerError: 1}})
	s.Push(Text("kept"))
	req := Request{Messages: []Message{{Role: "user", Content: "hi"}}}
	if r := s.next(req); r.Fault != ServerError || r.Text != "kept" {
		t.Errorf("next() under ServerError rate 1 = %+v, want ServerError over the queued reply", r)
	}
	s.mu.Lock()
	s.opts.FaultRates = FaultRates{}
	s.mu.Unlock()
	if r := s.next(req); r.Fault != NoFault || r.Text != "kept" {
		t.Errorf("next() after faults stop = %+v, want the queued reply", r)
	}
	if r := s.next(req); r.Text != "You said: hi" {
		t.Errorf("next() with empty queue = %+v, want the echo", r)
	}
}

func TestPace(t *testing.T) {
	tests := []struct {
		opts Options
		k    int
		want int64 // nanoseconds
	}{
		{Options{}, 5, 0},
		{Options{TimeToFirstToken: 10}, 0, 10},
		{Options{TimeToFirstToken: 10, TokensPerSecond: 1e9}, 3, 13},
		{Options{TimeToFirstToken: -5, TokensPerSecond: -1}, 3, 0},
	}
	for _, tt := range tests {
		if got := New(tt.opts).pace().at(tt.k); int64(got) != tt.want {
			t.Errorf("pace(%+v).at(%d) = %d, want %d", tt.opts, tt.k, got, tt.want)
		}
	}
}
