// Package experiment runs experiments on the agent: the variants an
// operator declares (a prompt version, a brain or model and its
// parameters, retrieval settings, a stricter or looser guardrail within
// safe bounds), the experiments that split buyers between them, the
// deterministic assignment of a buyer to a variant, and the readout that
// compares the variants' outcomes with their uncertainty.
//
// Everything is declared in one YAML file (LoadConfig; docs/experiments.md
// has the format). A Set holds the file in force and is what the agent
// asks on every turn: which arm a buyer is in, and what that arm changes.
// Set.Reload swaps a new file in while turns run, which is how `serve`
// applies an edited file on SIGHUP, and how an experiment is stopped: its
// conversations get the defaults at their next turn.
package experiment

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/csagent/csagent/agent"
)

// Control is the variant every experiment compares against: the server's
// defaults, with nothing overridden. It is built in; a file cannot
// redefine it, and an experiment's arms must include it.
const Control = "control"

// Config is an experiments file: the variants and the experiments that
// assign buyers to them.
type Config struct {
	Version     int          `yaml:"version"`
	Variants    []Variant    `yaml:"variants"`
	Experiments []Experiment `yaml:"experiments"`
}

// Variant names what it changes from the defaults; a field left out keeps
// the default.
type Variant struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Prompt is a system prompt version (agent.PromptVersions).
	Prompt    string         `yaml:"prompt"`
	Model     *ModelSpec     `yaml:"model"`
	Retrieval *RetrievalSpec `yaml:"retrieval"`
	Guardrail *GuardrailSpec `yaml:"-"` // decoded by hand: see loadGuardrails
	Routing   *RoutingSpec   `yaml:"routing"`
	// Raw holds the keys decoded by hand (guardrails) until LoadConfig
	// has; nil after.
	Raw map[string]yaml.Node `yaml:",inline"`
}

// ModelSpec is the brain a variant answers with.
type ModelSpec struct {
	// Brain is "local" (the built-in model) or "llm".
	Brain string `yaml:"brain"`
	// Name is the LLM's model name on the configured API (brain llm).
	Name string `yaml:"name"`
	// Temperature, when set, is sent with every request (0 to 2).
	Temperature *float32 `yaml:"temperature"`
}

// RetrievalSpec changes search_policy: how many passages it returns and
// the weights of the vector and full-text rankings in their fusion.
type RetrievalSpec struct {
	K            int     `yaml:"k"`
	VectorWeight float64 `yaml:"vector_weight"`
	TextWeight   float64 `yaml:"text_weight"`
}

// GuardrailSpec moves the guardrails' thresholds within SafeBounds. No
// field can switch a check off; the file format has no key that could.
type GuardrailSpec struct {
	// LowSupport is the support score under which a policy sentence is
	// unsupported: higher is stricter.
	LowSupport float64
	// InjectionThreshold is the injection probability from which a text
	// is an injection: lower is stricter.
	InjectionThreshold float64
}

// RoutingSpec changes local-first routing (agent.Routing: routine turns
// the local model is sure of never reach the LLM) for the variant's turns:
// on, with its threshold, unless Enabled says false. The routine set stays
// the server's.
type RoutingSpec struct {
	// Enabled, when false, turns routing off; left out, a routing block
	// turns it on.
	Enabled *bool `yaml:"enabled"`
	// LocalFirstThreshold is the local model's calibrated confidence from
	// which it answers a routine turn, in (0, 1]; 0 keeps the server's.
	LocalFirstThreshold float64 `yaml:"local_first_threshold"`
}

// Bounds is an inclusive range a guardrail threshold may be moved within.
type Bounds struct{ Min, Max float64 }

// SafeBounds are the ranges a variant may move each guardrail threshold
// within. The defaults (guardrails.DefaultLowSupport 0.45,
// guardrails.DefaultInjectionThreshold 0.65) sit inside them. Below 0.30 a
// support score passes sentences that share almost nothing with the
// passage; an injection threshold above 0.80 lets through most of the
// held-out injections (guardrails' bench), and at 1 the check would be
// off. A value outside is a validation error, never clamped.
var SafeBounds = struct{ LowSupport, InjectionThreshold Bounds }{
	LowSupport:         Bounds{Min: 0.30, Max: 0.90},
	InjectionThreshold: Bounds{Min: 0.30, Max: 0.80},
}

// Experiment splits eligible buyers between variants.
type Experiment struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Arms are the variants and their shares of traffic, in percent; the
	// shares add up to 100 and one arm is Control.
	Arms     []Arm    `yaml:"arms"`
	Eligible Eligible `yaml:"eligible"`
	// Start and Stop bound when new conversations are assigned; Stop may
	// be left out.
	Start time.Time  `yaml:"start"`
	Stop  *time.Time `yaml:"stop"`
	// Stopped is the kill switch: every conversation of the experiment
	// gets the defaults at its next turn.
	Stopped bool `yaml:"stopped"`
	// Horizon is the fixed horizon, declared before the experiment starts:
	// the conversations each arm needs before the readout is final.
	// Until then the readout is labelled interim and decides nothing.
	Horizon int `yaml:"horizon"`
}

// Arm is one variant of an experiment and its share of traffic.
type Arm struct {
	Variant string  `yaml:"variant"`
	Share   float64 `yaml:"share"`
}

// Eligible limits an experiment to some locales and shops; empty lists
// admit all. A conversation's shop is the shop of an order its first
// message names: one that names none is eligible only for experiments
// without a shop list.
type Eligible struct {
	Locales []string `yaml:"locales"`
	Shops   []string `yaml:"shops"`
}

// Limits of a file, which keep metric labels and the hot path bounded.
const (
	MaxVariants    = 20
	MaxExperiments = 10
	MaxArms        = 5
)

// namePattern is what variant and experiment names look like: they become
// metric labels and URL path segments.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

var localePattern = regexp.MustCompile(`^[a-z]{2}$`)

// ConfigError is a mistake in an experiments file: the field it is about
// ("variants[1].guardrails.pii") and what is wrong.
type ConfigError struct {
	Line  int
	Field string
	Msg   string
}

// Error reads "line 12: variants[1].guardrails.pii: …".
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

func cfgErr(line int, field, format string, args ...any) *ConfigError {
	return &ConfigError{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// LoadConfig reads and validates an experiments file. The error names
// the line and field of the first mistake found.
func LoadConfig(r io.Reader) (Config, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var cfg Config
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, cfgErr(0, "(file)", "empty")
		}
		return Config{}, fmt.Errorf("parse experiments file: %w", err)
	}
	if err := cfg.decodeGuardrails(); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// decodeGuardrails decodes each variant's guardrails by hand, so that a
// key that would switch a check off gets the reason it is refused, and
// refuses any other unknown key of a variant.
func (cfg *Config) decodeGuardrails() error {
	for i := range cfg.Variants {
		v := &cfg.Variants[i]
		field := fmt.Sprintf("variants[%d]", i)
		for key, n := range v.Raw {
			if key != "guardrails" {
				return cfgErr(n.Line, field+"."+key, "unknown field; want name, description, prompt, model, retrieval, guardrails or routing")
			}
			g, err := loadGuardrails(&n, field+".guardrails")
			if err != nil {
				return err
			}
			v.Guardrail = g
		}
		v.Raw = nil
	}
	return nil
}

func loadGuardrails(n *yaml.Node, field string) (*GuardrailSpec, error) {
	if n.Kind != yaml.MappingNode {
		return nil, cfgErr(n.Line, field, "want a mapping with low_support and/or injection_threshold")
	}
	g := &GuardrailSpec{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := field + "." + k.Value
		var x float64
		switch k.Value {
		case "low_support", "injection_threshold":
			if v.Kind != yaml.ScalarNode || v.Decode(&x) != nil || math.IsNaN(x) {
				return nil, cfgErr(v.Line, f, "want a number")
			}
		default:
			return nil, cfgErr(k.Line, f, "a variant cannot switch a safety check off or change one other than by its threshold; "+
				"only low_support (%.2f to %.2f) and injection_threshold (%.2f to %.2f) may be set",
				SafeBounds.LowSupport.Min, SafeBounds.LowSupport.Max, SafeBounds.InjectionThreshold.Min, SafeBounds.InjectionThreshold.Max)
		}
		if k.Value == "low_support" {
			g.LowSupport = x
		} else {
			g.InjectionThreshold = x
		}
	}
	return g, nil
}

// Validate checks cfg whole: names, bounds, shares, dates. LoadConfig
// calls it; a Config built in code should too.
func (cfg Config) Validate() error {
	if cfg.Version != 1 {
		return cfgErr(0, "version", "want 1")
	}
	if len(cfg.Variants) > MaxVariants {
		return cfgErr(0, "variants", "at most %d", MaxVariants)
	}
	if len(cfg.Experiments) > MaxExperiments {
		return cfgErr(0, "experiments", "at most %d", MaxExperiments)
	}
	variants := map[string]bool{Control: true}
	for i, v := range cfg.Variants {
		field := fmt.Sprintf("variants[%d]", i)
		if err := v.validate(field); err != nil {
			return err
		}
		if variants[v.Name] {
			return cfgErr(0, field+".name", "%q is declared twice (control is built in)", v.Name)
		}
		variants[v.Name] = true
	}
	names := map[string]bool{}
	for i, e := range cfg.Experiments {
		field := fmt.Sprintf("experiments[%d]", i)
		if err := e.validate(field, variants); err != nil {
			return err
		}
		if names[e.Name] {
			return cfgErr(0, field+".name", "%q is declared twice", e.Name)
		}
		names[e.Name] = true
	}
	return nil
}

func (v Variant) validate(field string) error {
	if !namePattern.MatchString(v.Name) {
		return cfgErr(0, field+".name", "want 1 to 40 lower-case letters, digits, - or _, starting with a letter or digit")
	}
	field += " (" + v.Name + ")"
	if v.Prompt != "" && !slices.Contains(agent.PromptVersions(), v.Prompt) {
		return cfgErr(0, field+".prompt", "unknown prompt version %q; want one of %s", v.Prompt, strings.Join(agent.PromptVersions(), ", "))
	}
	if m := v.Model; m != nil {
		switch {
		case m.Brain != "local" && m.Brain != "llm":
			return cfgErr(0, field+".model.brain", "want local or llm")
		case m.Brain == "llm" && m.Name == "":
			return cfgErr(0, field+".model.name", "an llm brain needs the model's name")
		case m.Brain == "local" && (m.Name != "" || m.Temperature != nil):
			return cfgErr(0, field+".model", "the local brain takes no name or temperature")
		case m.Temperature != nil && (*m.Temperature < 0 || *m.Temperature > 2):
			return cfgErr(0, field+".model.temperature", "want 0 to 2")
		}
	}
	if r := v.Retrieval; r != nil {
		switch {
		case r.K < 0 || r.K > 8:
			return cfgErr(0, field+".retrieval.k", "want 1 to 8 (search_policy's most)")
		case r.VectorWeight < 0 || r.VectorWeight > 10 || r.TextWeight < 0 || r.TextWeight > 10:
			return cfgErr(0, field+".retrieval", "fusion weights are 0 to 10")
		case r.VectorWeight == 0 && r.TextWeight == 0 && r.K == 0:
			return cfgErr(0, field+".retrieval", "sets nothing; give k, vector_weight or text_weight")
		}
	}
	if g := v.Guardrail; g != nil {
		if g.LowSupport != 0 && (g.LowSupport < SafeBounds.LowSupport.Min || g.LowSupport > SafeBounds.LowSupport.Max) {
			return cfgErr(0, field+".guardrails.low_support", "%.2f is outside the safe bounds %.2f to %.2f", g.LowSupport, SafeBounds.LowSupport.Min, SafeBounds.LowSupport.Max)
		}
		if g.InjectionThreshold != 0 && (g.InjectionThreshold < SafeBounds.InjectionThreshold.Min || g.InjectionThreshold > SafeBounds.InjectionThreshold.Max) {
			return cfgErr(0, field+".guardrails.injection_threshold", "%.2f is outside the safe bounds %.2f to %.2f (1 would switch injection detection off)",
				g.InjectionThreshold, SafeBounds.InjectionThreshold.Min, SafeBounds.InjectionThreshold.Max)
		}
	}
	if r := v.Routing; r != nil && (r.LocalFirstThreshold < 0 || r.LocalFirstThreshold > 1) {
		return cfgErr(0, field+".routing.local_first_threshold", "want 0 to 1")
	}
	return nil
}

func (e Experiment) validate(field string, variants map[string]bool) error {
	if !namePattern.MatchString(e.Name) {
		return cfgErr(0, field+".name", "want 1 to 40 lower-case letters, digits, - or _, starting with a letter or digit")
	}
	field += " (" + e.Name + ")"
	if len(e.Arms) < 2 || len(e.Arms) > MaxArms {
		return cfgErr(0, field+".arms", "want 2 to %d arms, one of them control", MaxArms)
	}
	var total float64
	seen := map[string]bool{}
	for i, a := range e.Arms {
		f := fmt.Sprintf("%s.arms[%d]", field, i)
		if !variants[a.Variant] {
			return cfgErr(0, f+".variant", "no variant named %q", a.Variant)
		}
		if seen[a.Variant] {
			return cfgErr(0, f+".variant", "%q is an arm twice", a.Variant)
		}
		seen[a.Variant] = true
		if a.Share <= 0 || a.Share > 100 || math.Round(a.Share*100) != a.Share*100 {
			return cfgErr(0, f+".share", "want a percentage above 0, to two decimals")
		}
		total += a.Share
	}
	if !seen[Control] {
		return cfgErr(0, field+".arms", "one arm must be control, the defaults every variant is compared with")
	}
	if math.Abs(total-100) > 1e-9 {
		return cfgErr(0, field+".arms", "shares add up to %g, not 100", total)
	}
	for i, l := range e.Eligible.Locales {
		if !localePattern.MatchString(l) {
			return cfgErr(0, fmt.Sprintf("%s.eligible.locales[%d]", field, i), "want a two-letter locale such as en")
		}
	}
	for i, s := range e.Eligible.Shops {
		if s == "" || strings.ContainsAny(s, ", ") || len(s) > 64 {
			return cfgErr(0, fmt.Sprintf("%s.eligible.shops[%d]", field, i), "want a shop id")
		}
	}
	if e.Start.IsZero() {
		return cfgErr(0, field+".start", "missing: when the experiment starts assigning buyers (RFC 3339)")
	}
	if e.Stop != nil && !e.Stop.After(e.Start) {
		return cfgErr(0, field+".stop", "must be after start")
	}
	if e.Horizon < 100 {
		return cfgErr(0, field+".horizon", "declare the fixed horizon up front: the conversations per arm the readout waits for, at least 100")
	}
	return nil
}

// Running reports whether e assigns buyers at now.
func (e Experiment) Running(now time.Time) bool {
	return !e.Stopped && !now.Before(e.Start) && (e.Stop == nil || now.Before(*e.Stop))
}

// Experiment returns the experiment named name.
func (cfg Config) Experiment(name string) (Experiment, bool) {
	i := slices.IndexFunc(cfg.Experiments, func(e Experiment) bool { return e.Name == name })
	if i < 0 {
		return Experiment{}, false
	}
	return cfg.Experiments[i], true
}

// Variant returns the variant named name; Control is always there.
func (cfg Config) Variant(name string) (Variant, bool) {
	if name == Control {
		return Variant{Name: Control, Description: "the server's defaults"}, true
	}
	i := slices.IndexFunc(cfg.Variants, func(v Variant) bool { return v.Name == name })
	if i < 0 {
		return Variant{}, false
	}
	return cfg.Variants[i], true
}
