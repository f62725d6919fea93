package experiment

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/guardrails"
	"github.com/csagent/csagent/retrieval"
)

// Buckets is how finely traffic is split: a buyer's hash picks one of
// 10,000 buckets, so shares are exact to 0.01 %.
const Buckets = 10000

// Bucket returns the bucket, 0 to Buckets-1, of buyerID in experiment:
// the first 8 bytes of SHA-256 over the experiment name, a zero byte and
// the buyer id. The experiment's name salts it, so a buyer's arms in two
// experiments are independent, and the same buyer lands in the same
// bucket on every replica and after every restart.
func Bucket(experiment, buyerID string) int {
	h := sha256.New()
	h.Write([]byte(experiment))
	h.Write([]byte{0})
	h.Write([]byte(buyerID))
	var sum [sha256.Size]byte
	return int(binary.BigEndian.Uint64(h.Sum(sum[:0])[:8]) % Buckets)
}

// Assign returns the arm of e that buyerID is in: the arms take
// consecutive ranges of buckets in their order, each as wide as its share.
func (e Experiment) Assign(buyerID string) string {
	b := Bucket(e.Name, buyerID)
	upto := 0
	for _, a := range e.Arms {
		upto += int(math.Round(a.Share * Buckets / 100))
		if b < upto {
			return a.Variant
		}
	}
	return e.Arms[len(e.Arms)-1].Variant
}

// Admits reports whether a conversation in locale about shop (empty when
// it names none) may join e.
func (e Experiment) Admits(locale, shop string) bool {
	if len(e.Eligible.Locales) > 0 && !slices.Contains(e.Eligible.Locales, locale) {
		return false
	}
	return len(e.Eligible.Shops) == 0 || slices.Contains(e.Eligible.Shops, shop)
}

// Options are what a Set builds variants with.
type Options struct {
	// Guard is the server's guardrails; a variant's stricter or looser
	// thresholds run its checks (guardrails.Checker.WithThresholds).
	Guard *guardrails.Checker
	// Models builds the brain a variant names; nil refuses a file with a
	// variant that names one.
	Models func(ModelSpec) (agent.Model, error)
	// Now is the clock experiments start and stop by; nil is time.Now.
	Now func() time.Time
}

// Set is the experiments file in force. It is safe for concurrent use;
// Reload swaps a new file in while turns run. A nil or empty Set runs no
// experiment.
type Set struct {
	opts Options
	cur  atomic.Pointer[built]
}

// built is a Config with every variant's changes built once.
type built struct {
	cfg      Config
	variants map[string]agent.Variant
}

// NewSet returns a Set holding cfg, which it validates and builds.
func NewSet(opts Options, cfg Config) (*Set, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Set{opts: opts}
	if err := s.Reload(cfg); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload replaces the file in force with cfg. An invalid cfg, or one whose
// variant cannot be built, is refused and the file in force stays.
// Stopping an experiment in cfg (stopped: true, or a stop in the past, or
// removing it) sends its conversations to the defaults at their next turn.
func (s *Set) Reload(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	b := &built{cfg: cfg, variants: map[string]agent.Variant{Control: {}}}
	for _, v := range cfg.Variants {
		av, err := s.build(v)
		if err != nil {
			return fmt.Errorf("variant %s: %w", v.Name, err)
		}
		b.variants[v.Name] = av
	}
	s.cur.Store(b)
	return nil
}

// build makes v's changes into what the agent applies.
func (s *Set) build(v Variant) (agent.Variant, error) {
	out := agent.Variant{PromptVersion: v.Prompt}
	if v.Model != nil {
		if s.opts.Models == nil {
			return agent.Variant{}, fmt.Errorf("no brain can be built here for model %+v", *v.Model)
		}
		m, err := s.opts.Models(*v.Model)
		if err != nil {
			return agent.Variant{}, fmt.Errorf("build its model: %w", err)
		}
		out.Model = m
	}
	if g := v.Guardrail; g != nil {
		if s.opts.Guard == nil {
			return agent.Variant{}, fmt.Errorf("guardrail thresholds need the server's guardrails")
		}
		c, err := s.opts.Guard.WithThresholds(guardrails.Thresholds{LowSupport: g.LowSupport, Injection: g.InjectionThreshold})
		if err != nil {
			return agent.Variant{}, err
		}
		out.Guard = c
	}
	if r := v.Routing; r != nil {
		out.Routing = &agent.Routing{Enabled: r.Enabled == nil || *r.Enabled, Threshold: r.LocalFirstThreshold}
	}
	if r := v.Retrieval; r != nil {
		set := retrieval.Settings{K: r.K, VectorWeight: r.VectorWeight, TextWeight: r.TextWeight}
		out.Tools = func(ctx context.Context) context.Context { return retrieval.WithSettings(ctx, set) }
	}
	return out, nil
}

// Config returns the file in force.
func (s *Set) Config() Config {
	if s == nil {
		return Config{}
	}
	return s.cur.Load().cfg
}

// Arms returns buyerID's arm in each experiment running now whose locale
// filter admits locale (agent.Experiments).
func (s *Set) Arms(buyerID, locale string) []agent.Arm {
	if s == nil {
		return nil
	}
	b := s.cur.Load()
	if len(b.cfg.Experiments) == 0 {
		return nil
	}
	now := s.opts.Now()
	var out []agent.Arm
	for _, e := range b.cfg.Experiments {
		if !e.Running(now) || (len(e.Eligible.Locales) > 0 && !slices.Contains(e.Eligible.Locales, locale)) {
			continue
		}
		out = append(out, agent.Arm{Experiment: e.Name, Variant: e.Assign(buyerID), Shops: e.Eligible.Shops})
	}
	return out
}

// Variant returns what variant changes while experiment runs
// (agent.Experiments): false once it is stopped, past its stop or gone
// from the file, or when variant is no longer one of its arms.
func (s *Set) Variant(experiment, variant string) (agent.Variant, bool) {
	if s == nil {
		return agent.Variant{}, false
	}
	b := s.cur.Load()
	e, ok := b.cfg.Experiment(experiment)
	if !ok || !e.Running(s.opts.Now()) || !slices.ContainsFunc(e.Arms, func(a Arm) bool { return a.Variant == variant }) {
		return agent.Variant{}, false
	}
	v, ok := b.variants[variant]
	return v, ok
}

// Overrides returns what variant changes, whatever experiment it is in
// and whether that runs: for an offline eval of the variant.
func (s *Set) Overrides(variant string) (agent.Variant, bool) {
	if s == nil {
		return agent.Variant{}, variant == Control
	}
	v, ok := s.cur.Load().variants[variant]
	return v, ok
}

var _ agent.Experiments = (*Set)(nil)
