// Package litgate runs a regular expression only over texts that may
// match it: it reads from the pattern the literals one of which every
// match contains, case-folded patterns included, and a text that holds
// none of them skips the automaton. A test by substring costs a fraction
// of a pass of a large alternation's backtracker, which a pattern run over
// every buyer message pays for nothing on nearly all of them.
//
// Case is compared by simple folding, as the regexp package's (?i) does:
// every rune is replaced by the smallest rune of its unicode.SimpleFold
// orbit, in the literals and in the text alike. A text the pattern matches
// then always contains, so folded, one of the folded literals; the gate
// never skips a match.
package litgate

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Gate is a pattern with the literals one of which its matches contain.
// The zero Gate has no pattern.
type Gate struct {
	re *regexp.Regexp
	// need are the literals, folded unless exact; nil when the pattern
	// names none it needs, and then it always runs.
	need []string
	// exact gates compare the text as it is: no fold per call, for
	// patterns that match case as written.
	exact bool
}

// New returns re's gate, which folds case in the pattern's literals and in
// the text alike, so (?i) patterns are gated too.
func New(re *regexp.Regexp) Gate {
	return Gate{re: re, need: Literals(re.String())}
}

// Exact returns re's gate for texts compared as they are: the literals
// the pattern matches case-sensitively. A case-folded literal names none
// (it matches more than its runes), and a pattern that needs one always
// runs. It saves folding the text on every call, which counts where many
// patterns are tried on each sentence and few fold case.
func Exact(re *regexp.Regexp) Gate {
	return Gate{re: re, need: ExactLiterals(re.String()), exact: true}
}

// Regexp returns the gated pattern.
func (g Gate) Regexp() *regexp.Regexp { return g.re }

// MatchString reports whether re matches s, as re.MatchString does.
func (g Gate) MatchString(s string) bool {
	return g.MayMatch(s) && g.re.MatchString(s)
}

// MayMatch reports whether s holds, folded, one of the literals every
// match needs: false only when the pattern cannot match s.
func (g Gate) MayMatch(s string) bool {
	if g.need == nil {
		return true
	}
	f := s
	if !g.exact {
		f = Fold(s)
	}
	for _, n := range g.need {
		if strings.Contains(f, n) {
			return true
		}
	}
	return false
}

// Literals returns the folded strings one of which every match of the RE2
// pattern src (Perl syntax, as regexp.Compile reads it) contains, or nil
// when it names none it needs.
func Literals(src string) []string {
	return literals(src, false)
}

// ExactLiterals returns the strings, as written, one of which every match
// of the RE2 pattern src contains, or nil when it names none it needs
// without folding case.
func ExactLiterals(src string) []string {
	return literals(src, true)
}

func literals(src string, exact bool) []string {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	return needs(re.Simplify(), exact)
}

func needs(re *syntax.Regexp, exact bool) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 || strings.ContainsRune(string(re.Rune), utf8.RuneError) {
			// U+FFFD also matches an invalid byte, which folds as itself.
			return nil
		}
		if exact {
			if re.Flags&syntax.FoldCase != 0 {
				return nil // a case-folded literal matches more than its runes
			}
			return []string{string(re.Rune)}
		}
		// Folded whether or not the literal is: the text is folded too,
		// and a rune matched exactly folds as its literal does.
		return []string{Fold(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return needs(re.Sub[0], exact)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return needs(re.Sub[0], exact)
		}
	case syntax.OpConcat:
		// Every part must match: the one whose shortest literal is
		// longest filters best.
		var best []string
		for _, sub := range re.Sub {
			if n := needs(sub, exact); n != nil && (best == nil || shortest(n) > shortest(best)) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		// Any branch may match: each must name its literals.
		var out []string
		for _, sub := range re.Sub {
			n := needs(sub, exact)
			if n == nil {
				return nil
			}
			out = append(out, n...)
		}
		return out
	}
	return nil
}

func shortest(ss []string) int {
	n := -1
	for _, s := range ss {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// Fold returns s with every rune replaced by the smallest rune of its
// simple case-folding orbit ('k', 'K' and the Kelvin sign all become 'K').
// Two strings (?i) matches as equal fold to the same string.
func Fold(s string) string {
	// Most texts need no change beyond ASCII, done in place of a copy.
	var b []byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				if b == nil {
					b = make([]byte, i, len(s))
					copy(b, s[:i])
				}
				c -= 'a' - 'A'
			}
			if b != nil {
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError {
			// An invalid byte (or U+FFFD) stays as it is.
			if b != nil {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		f := foldRune(r)
		if f != r && b == nil {
			b = make([]byte, i, len(s))
			copy(b, s[:i])
		}
		if b != nil {
			b = utf8.AppendRune(b, f)
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(b)
}

// foldRune is the smallest rune of r's simple folding orbit.
func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}
