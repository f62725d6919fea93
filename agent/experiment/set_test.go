package experiment_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/guardrails"
)

func newSet(t testing.TB, cfg experiment.Config, now time.Time) *experiment.Set {
	t.Helper()
	g, err := guardrails.New(guardrails.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s, err := experiment.NewSet(experiment.Options{
		Guard:  g,
		Models: func(experiment.ModelSpec) (agent.Model, error) { return nil, nil },
		Now:    func() time.Time { return now },
	}, cfg)
	if err != nil {
		t.Fatalf("NewSet: %v", err)
	}
	return s
}

var during = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// TestAssignmentSharesAndStability assigns 100,000 buyers: each arm gets
// its share within 0.5 percentage points (over six standard errors at
// these sizes), and asking again, from a Set built anew, gives every
// buyer the same arm.
func TestAssignmentSharesAndStability(t *testing.T) {
	cfg := loadFile(t, "testdata/experiments.yaml")
	a, b := newSet(t, cfg, during), newSet(t, cfg, during)
	const n = 100_000
	for _, name := range []string{"prompt-v2", "maple-local"} {
		e, _ := cfg.Experiment(name)
		counts := map[string]int{}
		for i := range n {
			buyer := fmt.Sprintf("buyer-%06d", i)
			v := e.Assign(buyer)
			counts[v]++
			if again := e.Assign(buyer); again != v {
				t.Fatalf("%s: Assign(%s) = %s, then %s", name, buyer, v, again)
			}
		}
		for _, arm := range e.Arms {
			got := 100 * float64(counts[arm.Variant]) / n
			if math.Abs(got-arm.Share) > 0.5 {
				t.Errorf("%s: arm %s got %.2f%% of buyers, want %.0f%% ± 0.5", name, arm.Variant, got, arm.Share)
			}
		}
	}
	for i := range 1000 {
		buyer := fmt.Sprintf("b%d", i)
		x, y := a.Arms(buyer, "en"), b.Arms(buyer, "en")
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("Arms(%s) = %v on one Set and %v on another", buyer, x, y)
		}
	}
}

// TestAssignmentIndependentAcrossExperiments: the experiment's name salts
// the hash, so being in one experiment's treatment says nothing of the
// other's.
func TestAssignmentIndependentAcrossExperiments(t *testing.T) {
	both, first := 0, 0
	for i := range 100_000 {
		buyer := fmt.Sprintf("buyer-%d", i)
		in1 := experiment.Bucket("one", buyer) < experiment.Buckets/2
		in2 := experiment.Bucket("two", buyer) < experiment.Buckets/2
		if in1 {
			first++
			if in2 {
				both++
			}
		}
	}
	if got := float64(both) / float64(first); math.Abs(got-0.5) > 0.01 {
		t.Errorf("P(arm 1 of two | arm 1 of one) = %.3f, want 0.5 ± 0.01", got)
	}
}

func TestArmsEligibility(t *testing.T) {
	cfg := loadFile(t, "testdata/experiments.yaml")
	tests := []struct {
		name   string
		now    time.Time
		locale string
		want   []string
	}{
		{"en: both", during, "en", []string{"prompt-v2", "maple-local"}},
		{"ko: not prompt-v2's locale", during, "ko", []string{"maple-local"}},
		{"before start", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), "en", nil},
		{"after maple-local's stop", time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), "en", []string{"prompt-v2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSet(t, cfg, tt.now)
			arms := s.Arms("buyer-001", tt.locale)
			var got []string
			for _, a := range arms {
				got = append(got, a.Experiment)
				if a.Experiment == "maple-local" && (len(a.Shops) != 1 || a.Shops[0] != "shop-maple") {
					t.Errorf("maple-local's arm has shops %v, want [shop-maple]", a.Shops)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Arms(buyer-001, %s) = %v, want %v", tt.locale, got, tt.want)
			}
		})
	}
	e, _ := cfg.Experiment("maple-local")
	for _, c := range []struct {
		locale, shop string
		want         bool
	}{{"ko", "shop-maple", true}, {"en", "shop-sol", false}, {"en", "", false}} {
		if got := e.Admits(c.locale, c.shop); got != c.want {
			t.Errorf("maple-local.Admits(%q, %q) = %v, want %v", c.locale, c.shop, got, c.want)
		}
	}
}

// TestVariantAndKillSwitch: a running experiment's variant carries its
// overrides; after a reload that stops it, the same conversation's arm
// resolves to nothing (the defaults), and so does an arm removed.
func TestVariantAndKillSwitch(t *testing.T) {
	cfg := loadFile(t, "testdata/experiments.yaml")
	s := newSet(t, cfg, during)
	v, ok := s.Variant("prompt-v2", "concise")
	if !ok || v.PromptVersion != "support-v2" || v.Guard == nil || v.Tools == nil || v.Routing == nil || !v.Routing.Enabled || v.Routing.Threshold != 0.9 {
		t.Fatalf("Variant(prompt-v2, concise) = %+v, %v; want the prompt, a guard, retrieval settings and routing on at 0.9", v, ok)
	}
	if c, ok := s.Variant("prompt-v2", experiment.Control); !ok || c.PromptVersion != "" || c.Model != nil || c.Guard != nil {
		t.Errorf("Variant(prompt-v2, control) = %+v, %v; want the defaults, running", c, ok)
	}
	if _, ok := s.Variant("prompt-v2", "local-brain"); ok {
		t.Error("a variant that is not one of the experiment's arms resolved")
	}
	stopped := loadFile(t, "testdata/experiments.yaml")
	stopped.Experiments[0].Stopped = true
	if err := s.Reload(stopped); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Variant("prompt-v2", "concise"); ok {
		t.Error("after stopping prompt-v2, its variant still applies")
	}
	for _, a := range s.Arms("buyer-001", "en") {
		if a.Experiment == "prompt-v2" {
			t.Error("a stopped experiment still assigns new conversations")
		}
	}
	removed := loadFile(t, "testdata/experiments.yaml")
	removed.Experiments = removed.Experiments[1:]
	if err := s.Reload(removed); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Variant("prompt-v2", "concise"); ok {
		t.Error("a removed experiment's variant still applies")
	}
	bad := loadFile(t, "testdata/experiments.yaml")
	bad.Variants[0].Guardrail.InjectionThreshold = 1
	if err := s.Reload(bad); err == nil {
		t.Error("Reload took a variant that switches injection detection off")
	}
	if _, ok := s.Variant("maple-local", "local-brain"); !ok {
		t.Error("a refused reload changed the file in force")
	}
}
