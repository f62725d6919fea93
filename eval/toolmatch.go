package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// ToolScore is how well the calls made match the calls expected:
// precision over the calls made, recall over the calls expected.
type ToolScore struct {
	Expected  int     `json:"expected"`
	Made      int     `json:"made"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func score(expected, made, matched int) ToolScore {
	s := ToolScore{Expected: expected, Made: made, Matched: matched, Precision: 1, Recall: 1}
	if made > 0 {
		s.Precision = float64(matched) / float64(made)
	}
	if expected > 0 {
		s.Recall = float64(matched) / float64(expected)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// matchCalls pairs expected calls with calls made: in order (each match
// after the previous one) when ordered, otherwise as a maximum matching.
// It returns, for each expected call, the index of its match or -1, and
// whether some expectation could not be judged because the arguments were
// not seen.
func matchCalls(want []ToolCallExpect, made []ToolCall, b Bindings, ordered bool) ([]int, bool) {
	fits := make([][]bool, len(want))
	unknown := false
	for i, w := range want {
		fits[i] = make([]bool, len(made))
		for j, m := range made {
			if !strings.EqualFold(w.Name, m.Name) {
				continue
			}
			if len(w.Args) > 0 && !m.ArgsKnown {
				unknown = true
				continue
			}
			fits[i][j] = argsMatch(w.Args, m.Arguments, b)
		}
	}
	match := make([]int, len(want))
	for i := range match {
		match[i] = -1
	}
	if ordered {
		next := 0
		for i := range want {
			for j := next; j < len(made); j++ {
				if fits[i][j] {
					match[i], next = j, j+1
					break
				}
			}
		}
		return match, unknown
	}
	// Kuhn's augmenting paths: small inputs, and a greedy pass could pair
	// a loose expectation with the only call a strict one fits.
	owner := make([]int, len(made))
	for j := range owner {
		owner[j] = -1
	}
	var try func(i int, seen []bool) bool
	try = func(i int, seen []bool) bool {
		for j := range made {
			if !fits[i][j] || seen[j] {
				continue
			}
			seen[j] = true
			if owner[j] < 0 || try(owner[j], seen) {
				owner[j] = i
				return true
			}
		}
		return false
	}
	for i := range want {
		try(i, make([]bool, len(made)))
	}
	for j, i := range owner {
		if i >= 0 {
			match[i] = j
		}
	}
	return match, unknown
}

// argsMatch reports whether the call's arguments include every expected
// one. Strings compare case-insensitively after placeholders are filled;
// numbers by value; objects as subsets; lists element by element.
func argsMatch(want map[string]any, raw json.RawMessage, b Bindings) bool {
	if len(want) == 0 {
		return true
	}
	var got map[string]any
	if json.Unmarshal(raw, &got) != nil {
		return false
	}
	return valueMatch(want, got, b)
}

func valueMatch(want, got any, b Bindings) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case string:
		g, ok := got.(string)
		return ok && strings.EqualFold(b.expand(w), g)
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case int, int64, float64, uint64:
		g, ok := got.(float64)
		return ok && math.Abs(toFloat(w)-g) < 1e-9
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok || !valueMatch(wv, gv, b) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !valueMatch(w[i], g[i], b) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(want) == fmt.Sprint(got)
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case uint64:
		return float64(n)
	case float64:
		return n
	}
	return math.NaN()
}

func describeCall(c ToolCall) string {
	if !c.ArgsKnown || len(c.Arguments) == 0 {
		return c.Name
	}
	return c.Name + string(c.Arguments)
}

func describeWant(w ToolCallExpect, b Bindings) string {
	if len(w.Args) == 0 {
		return w.Name
	}
	args := map[string]any{}
	for k, v := range w.Args {
		if s, ok := v.(string); ok {
			v = b.expand(s)
		}
		args[k] = v
	}
	j, _ := json.Marshal(args)
	return w.Name + string(j)
}
