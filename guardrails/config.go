package guardrails

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is what operators set: the banned-phrase rules and the
// thresholds. LoadConfig reads it from YAML; DefaultConfig is the built-in
// file banned.yaml.
//
// The YAML format, every key but rules optional:
//
//	version: 1
//	low_support: 0.45         # support score under which a policy sentence is low_support
//	injection_threshold: 0.65 # classifier probability from which a message is an injection
//	negations:                # cue words that cancel a negatable rule's match nearby
//	  en: [not, cannot, "can't"]
//	  ko: [않, 없, 못]
//	rules:
//	  - id: promise-refund-en # unique; reported as Violation.Rule
//	    category: promise     # promise, blame, competitor, internal, profanity, offplatform, defamation, other
//	    locale: en            # en, ko, es, ru or any: the language it is written in
//	    audience: [buyer, seller]  # who may not read it; both when omitted
//	    negatable: true       # "we cannot promise a guaranteed refund" is not a promise
//	    reason: promises a refund the policy does not   # Violation.Detail
//	    phrases: ["guaranteed refund"]  # match anywhere, even inside a word
//	    words: ["refund* immediately"]  # match whole words; "*" ends a word with any letters
//	    regex: ['we(''ll| will) refund you (today|now)']  # RE2 on the folded text
//
// Phrases and words match after normalisation (case, full-width and
// look-alike letters, accents, zero-width characters, spaces, punctuation
// and repeated letters between letters, leetspeak digits, Korean jamo), so
// one entry covers its evasions. In Korean, where particles attach to
// words, a word's boundary is not required next to a Hangul letter.
// Regexes match the folded text: lower case, accents and zero-width
// characters removed, one space for any whitespace, ASCII quotes and
// dashes; their letters are folded alike, so write them in lower case.
// Rules of every locale apply to every reply, since a reply can mix
// languages.
type Config struct {
	Rules []Rule
	// Negations are, per locale, the cue words that cancel a match of a
	// negatable rule when one of them stands in the same sentence up to
	// six words before the match or three words after it. A Korean cue
	// matches inside a word, after the match.
	Negations map[string][]string
	// LowSupport is the support score under which a sentence that states
	// policy is a low_support violation; 0 means DefaultLowSupport.
	LowSupport float64
	// InjectionThreshold is the classifier probability from which a text
	// counts as an injection; 0 means DefaultInjectionThreshold.
	InjectionThreshold float64
}

// Rule is one banned-phrase rule: what it bans, for whom, and the
// patterns that find it.
type Rule struct {
	ID        string
	Category  string
	Locale    string
	Audiences []string
	Negatable bool
	Reason    string
	Phrases   []string
	Words     []string
	Regex     []string

	// lines are where the rule and its patterns were written, for error
	// messages; zero when the rule was built in code.
	lines ruleLines
}

type ruleLines struct {
	rule                   int
	phrases, words, regex  []int
	id, category, locale   int
	audience, reason, negs int
}

// Defaults of the thresholds.
const (
	DefaultLowSupport         = 0.45
	DefaultInjectionThreshold = 0.65
)

// categories are the kinds of banned content a rule may name.
var categories = []string{"promise", "blame", "competitor", "internal", "profanity", "offplatform", "defamation", "other"}

// locales are the languages rules are written in; "any" is for names and
// terms that are the same in every language.
var locales = []string{"en", "ko", "es", "ru", "any"}

// audiences are who reads a checked reply.
var audiences = []string{"buyer", "seller"}

//go:embed banned.yaml
var bannedYAML string

// DefaultConfig returns the built-in configuration, banned.yaml. It panics
// if that file is invalid, which a test rules out.
func DefaultConfig() Config {
	cfg, err := LoadConfig(strings.NewReader(bannedYAML))
	if err != nil {
		panic("guardrails: built-in banned.yaml: " + err.Error())
	}
	return cfg
}

// ConfigError is a configuration mistake, with the line of the YAML file
// (0 when the configuration was built in code) and the field it is about,
// e.g. "rules[3].regex[1]".
type ConfigError struct {
	Line  int
	Field string
	Msg   string
}

// Error reads "line 12: rules[3].regex[1]: …".
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

func cfgErr(n *yaml.Node, field, format string, args ...any) *ConfigError {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &ConfigError{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// LoadConfig reads a YAML configuration (see Config for the format) and
// checks it completely: every regex compiles and every phrase has letters.
// An error is a *ConfigError naming the line and the field, or a YAML
// syntax error naming the line.
func LoadConfig(r io.Reader) (Config, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(r).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, &ConfigError{Field: "(file)", Msg: "empty configuration"}
		}
		return Config{}, fmt.Errorf("parse guardrails config: %w", err)
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return Config{}, cfgErr(doc, "(file)", "want a mapping with rules, negations and thresholds")
	}
	var cfg Config
	seen := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if seen[k.Value] {
			return Config{}, cfgErr(k, k.Value, "set twice")
		}
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "version":
			var n int
			if v.Decode(&n) != nil || n != 1 {
				err = cfgErr(v, "version", "want 1")
			}
		case "low_support":
			cfg.LowSupport, err = unitFloat(v, "low_support")
		case "injection_threshold":
			cfg.InjectionThreshold, err = unitFloat(v, "injection_threshold")
		case "negations":
			cfg.Negations, err = loadNegations(v)
		case "rules":
			cfg.Rules, err = loadRules(v)
		default:
			err = cfgErr(k, k.Value, "unknown field; want version, low_support, injection_threshold, negations or rules")
		}
		if err != nil {
			return Config{}, err
		}
	}
	if !seen["rules"] {
		return Config{}, cfgErr(doc, "rules", "missing")
	}
	if _, err := compileRules(cfg); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func unitFloat(v *yaml.Node, field string) (float64, error) {
	var f float64
	if v.Kind != yaml.ScalarNode || v.Decode(&f) != nil || f <= 0 || f >= 1 || math.IsNaN(f) {
		return 0, cfgErr(v, field, "want a number between 0 and 1")
	}
	return f, nil
}

func loadNegations(v *yaml.Node) (map[string][]string, error) {
	if v.Kind != yaml.MappingNode {
		return nil, cfgErr(v, "negations", "want a mapping from locale to a list of cue words")
	}
	out := map[string][]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, list := v.Content[i], v.Content[i+1]
		field := "negations." + k.Value
		if !slices.Contains(locales, k.Value) {
			return nil, cfgErr(k, field, "unknown locale; want one of %s", strings.Join(locales, ", "))
		}
		words, _, err := stringList(list, field)
		if err != nil {
			return nil, err
		}
		out[k.Value] = words
	}
	return out, nil
}

// stringList decodes a list of non-empty strings and the line of each.
func stringList(v *yaml.Node, field string) ([]string, []int, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, nil, cfgErr(v, field, "want a list of strings")
	}
	var out []string
	var lines []int
	for i, n := range v.Content {
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float") {
			return nil, nil, cfgErr(n, fmt.Sprintf("%s[%d]", field, i), "want a string")
		}
		if strings.TrimSpace(n.Value) == "" {
			return nil, nil, cfgErr(n, fmt.Sprintf("%s[%d]", field, i), "empty")
		}
		out = append(out, n.Value)
		lines = append(lines, n.Line)
	}
	return out, lines, nil
}

func loadRules(v *yaml.Node) ([]Rule, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, cfgErr(v, "rules", "want a list of rules")
	}
	var rules []Rule
	for i, n := range v.Content {
		field := fmt.Sprintf("rules[%d]", i)
		if n.Kind != yaml.MappingNode {
			return nil, cfgErr(n, field, "want a mapping with id, category, locale and patterns")
		}
		r := Rule{lines: ruleLines{rule: n.Line}}
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, val := n.Content[j], n.Content[j+1]
			f := field + "." + k.Value
			var err error
			scalar := func(dst *string, line *int) {
				if val.Kind != yaml.ScalarNode {
					err = cfgErr(val, f, "want a string")
					return
				}
				*dst, *line = val.Value, val.Line
			}
			switch k.Value {
			case "id":
				scalar(&r.ID, &r.lines.id)
			case "category":
				scalar(&r.Category, &r.lines.category)
			case "locale":
				scalar(&r.Locale, &r.lines.locale)
			case "reason":
				scalar(&r.Reason, &r.lines.reason)
			case "audience":
				r.lines.audience = val.Line
				if val.Kind == yaml.ScalarNode {
					r.Audiences = []string{val.Value}
				} else {
					r.Audiences, _, err = stringList(val, f)
				}
			case "negatable":
				r.lines.negs = val.Line
				if val.Kind != yaml.ScalarNode || val.Decode(&r.Negatable) != nil {
					err = cfgErr(val, f, "want true or false")
				}
			case "phrases":
				r.Phrases, r.lines.phrases, err = stringList(val, f)
			case "words":
				r.Words, r.lines.words, err = stringList(val, f)
			case "regex":
				r.Regex, r.lines.regex, err = stringList(val, f)
			default:
				err = cfgErr(k, f, "unknown field; want id, category, locale, audience, negatable, reason, phrases, words or regex")
			}
			if err != nil {
				return nil, err
			}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// validate checks what a rule needs whether it came from YAML or code.
func (r Rule) validate(i int, ids map[string]bool) error {
	field := fmt.Sprintf("rules[%d]", i)
	ln := func(l int) int {
		if l > 0 {
			return l
		}
		return r.lines.rule
	}
	switch {
	case r.ID == "":
		return &ConfigError{Line: ln(r.lines.id), Field: field + ".id", Msg: "missing"}
	case ids[r.ID]:
		return &ConfigError{Line: ln(r.lines.id), Field: field + ".id", Msg: fmt.Sprintf("%q is used by another rule", r.ID)}
	case !slices.Contains(categories, r.Category):
		return &ConfigError{Line: ln(r.lines.category), Field: field + ".category", Msg: fmt.Sprintf("%q: want one of %s", r.Category, strings.Join(categories, ", "))}
	case !slices.Contains(locales, r.Locale):
		return &ConfigError{Line: ln(r.lines.locale), Field: field + ".locale", Msg: fmt.Sprintf("%q: want one of %s", r.Locale, strings.Join(locales, ", "))}
	case len(r.Phrases)+len(r.Words)+len(r.Regex) == 0:
		return &ConfigError{Line: ln(0), Field: field, Msg: "no phrases, words or regex"}
	}
	for _, a := range r.Audiences {
		if !slices.Contains(audiences, a) {
			return &ConfigError{Line: ln(r.lines.audience), Field: field + ".audience", Msg: fmt.Sprintf("%q: want buyer or seller", a)}
		}
	}
	ids[r.ID] = true
	return nil
}
