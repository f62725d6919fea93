package guardrails

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A regular expression over a sentence costs a pass of its automaton even
// when it cannot match; most cannot, for most sentences. requiredLiterals
// reads from a pattern the strings one of which every match contains, so
// a sentence holding none of them skips the pattern: a test by substring
// first, the automaton only where it may match. The banned phrases'
// patterns are read once per ruleset (per version of the rules), the
// built-in ones once.

// requiredLiterals returns strings one of which every match of the RE2
// pattern src (Perl syntax, as regexp.Compile reads it) contains, or nil
// when the pattern requires no literal it can name: then the pattern
// always runs.
func requiredLiterals(src string) []string {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	return needs(re.Simplify())
}

func needs(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil // a case-folded literal matches more than its runes
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return needs(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return needs(re.Sub[0])
		}
	case syntax.OpConcat:
		// Every part must match: the one with the longest shortest
		// literal filters best.
		var best []string
		for _, sub := range re.Sub {
			if n := needs(sub); n != nil && (best == nil || shortestLen(n) > shortestLen(best)) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		// Any branch may match: each must name its literals.
		var out []string
		for _, sub := range re.Sub {
			n := needs(sub)
			if n == nil {
				return nil
			}
			out = append(out, n...)
		}
		return out
	}
	return nil
}

func shortestLen(ss []string) int {
	n := -1
	for _, s := range ss {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// gatedRE is a pattern with the literals one of which its matches contain
// (nil: none known, it always runs).
type gatedRE struct {
	re   *regexp.Regexp
	need []string
}

func gate(re *regexp.Regexp) gatedRE {
	return gatedRE{re: re, need: requiredLiterals(re.String())}
}

// mayMatch reports whether s holds a literal every match needs.
func (g gatedRE) mayMatch(s string) bool {
	if g.need == nil {
		return true
	}
	for _, n := range g.need {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}
