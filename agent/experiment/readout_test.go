package experiment_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/experiment"
)

// effect is what a treatment arm changes in simulated outcomes.
type effect struct {
	resolution float64 // added to the chance of resolving
	latency    float64 // factor on latency
}

// simulate makes n buyers' conversations, assigned by e as live traffic
// would be, with outcomes drawn like the demo history's: handoffs and
// resolution tied together, a few fallbacks, a third of buyers rating,
// log-normal latency and a heavy-tailed cost.
func simulate(seed uint64, e experiment.Experiment, n int, eff map[string]effect) []experiment.Outcome {
	r := rand.New(rand.NewPCG(seed, 99))
	out := make([]experiment.Outcome, 0, n)
	for i := range n {
		v := e.Assign(fmt.Sprintf("sim-%d-%d", seed, i))
		x := eff[v]
		o := experiment.Outcome{Variant: v, Turns: 1 + r.IntN(4)}
		o.HandedOff = r.Float64() < 0.10
		o.Resolved = !o.HandedOff && r.Float64() < 0.78/0.9+x.resolution
		o.Fallback = r.Float64() < 0.03
		if r.Float64() < 0.3 {
			o.CSAT = 1 + r.IntN(5)
			if o.Resolved && o.CSAT < 4 && r.Float64() < 0.5 {
				o.CSAT += 2
			}
		}
		f := x.latency
		if f == 0 {
			f = 1
		}
		o.LatencyMS = f * math.Exp(6.5+0.6*r.NormFloat64())
		o.CostUSD = 0.0004 * math.Exp(0.8*r.NormFloat64()) * float64(o.Turns)
		out = append(out, o)
	}
	return out
}

func twoArms(horizon int) experiment.Experiment {
	return experiment.Experiment{Name: "sim", Horizon: horizon,
		Arms: []experiment.Arm{{Variant: experiment.Control, Share: 50}, {Variant: "treatment", Share: 50}}}
}

// TestReadoutFindsPlantedEffect: resolution up 8 points and latency 20 %
// lower in the treatment; the readout finds both, in the right direction,
// and nothing in the metrics nothing was planted in.
func TestReadoutFindsPlantedEffect(t *testing.T) {
	e := twoArms(1500)
	outs := simulate(7, e, 4000, map[string]effect{"treatment": {resolution: 0.08, latency: 0.8}})
	r := experiment.Analyze(e, outs, experiment.AnalyzeOptions{Seed: 1})
	if !r.Final || r.SRM.Mismatch {
		t.Fatalf("readout final = %v, SRM = %+v; want final without mismatch (arms %+v)", r.Final, r.SRM, r.Arms)
	}
	found := map[string]*experiment.Difference{}
	for _, m := range r.Metrics {
		if d := m.Diffs[1]; d.Finding {
			found[m.Metric.Name] = d
		}
	}
	if d := found["resolution"]; d == nil || !d.Better || !near(d.Value, 0.08*0.9, 0.03) || d.Lo > 0.072 || d.Hi < 0.072 {
		t.Errorf("resolution difference = %+v, want a better finding of about +7.2 pt whose interval holds it", d)
	}
	if d := found["latency_ms"]; d == nil || !d.Better {
		t.Errorf("latency difference = %+v, want a finding: lower", d)
	}
	for _, name := range []string{"fallback", "cost_usd"} {
		if found[name] != nil {
			t.Errorf("%s: finding %+v where nothing was planted", name, found[name])
		}
	}
	if len(r.Findings) == 0 || !strings.Contains(strings.Join(r.Findings, "\n"), "treatment is better than control") {
		t.Errorf("Findings = %q", r.Findings)
	}
}

// TestReadoutAA: both arms the same (an A/A experiment), 200 seeds. The
// readout may call at most 5 % of them a finding on any metric; the
// Bonferroni-corrected level is what keeps six metrics from making that
// one in four.
func TestReadoutAA(t *testing.T) {
	e := twoArms(300)
	const seeds = 200
	withFinding, srm, uncorrected := 0, 0, 0
	for seed := range uint64(seeds) {
		outs := simulate(1000+seed, e, 700, nil)
		r := experiment.Analyze(e, outs, experiment.AnalyzeOptions{Seed: seed, Bootstrap: 1000})
		if !r.Final {
			continue // too few in an arm: no finding possible
		}
		if len(r.Findings) > 0 {
			withFinding++
		}
		if r.SRM.Mismatch {
			srm++
		}
		for _, m := range r.Metrics {
			if d := m.Diffs[1]; d.Lo > 0 || d.Hi < 0 {
				uncorrected++
				break
			}
		}
	}
	t.Logf("A/A: %d of %d seeds with a finding, %d with a sample ratio mismatch, %d with some 95%% interval excluding 0",
		withFinding, seeds, srm, uncorrected)
	if withFinding > seeds/20 {
		t.Errorf("A/A readouts found an effect in %d of %d seeds, want at most 5 %%", withFinding, seeds)
	}
	if srm > 2 {
		t.Errorf("A/A readouts flagged a sample ratio mismatch in %d of %d seeds, want about 0.1 %%", srm, seeds)
	}
}

// TestReadoutWarnings: under the horizon the readout is interim and
// finds nothing however large the difference; a lopsided split is a
// sample ratio mismatch that blocks findings too.
func TestReadoutWarnings(t *testing.T) {
	e := twoArms(5000)
	outs := simulate(3, e, 2000, map[string]effect{"treatment": {resolution: 0.1}})
	r := experiment.Analyze(e, outs, experiment.AnalyzeOptions{Bootstrap: 200})
	if r.Final || len(r.Findings) != 0 || !strings.Contains(strings.Join(r.Warnings, " "), "Interim") {
		t.Errorf("under the horizon: final %v, findings %q, warnings %q; want interim, no findings", r.Final, r.Findings, r.Warnings)
	}
	e = twoArms(200)
	outs = simulate(4, e, 2000, map[string]effect{"treatment": {resolution: 0.1}})
	// Drop a fifth of the treatment's conversations, as a bug that loses
	// exposures would.
	kept := outs[:0]
	for i, o := range outs {
		if o.Variant == "treatment" && i%5 == 0 {
			continue
		}
		kept = append(kept, o)
	}
	r = experiment.Analyze(e, kept, experiment.AnalyzeOptions{Bootstrap: 200})
	if !r.SRM.Mismatch || len(r.Findings) != 0 || !strings.Contains(strings.Join(r.Warnings, " "), "Sample ratio mismatch") {
		t.Errorf("lopsided arms: SRM %+v, findings %q; want a mismatch and no findings", r.SRM, r.Findings)
	}
	if none := experiment.Analyze(twoArms(100), nil, experiment.AnalyzeOptions{}); len(none.Warnings) != 1 || none.Final || len(none.Findings) != 0 {
		t.Errorf("no conversations: warnings %q, final %v; want one warning, interim", none.Warnings, none.Final)
	}
	small := experiment.Analyze(twoArms(100), simulate(5, twoArms(100), 40, nil), experiment.AnalyzeOptions{Bootstrap: 100})
	if !strings.Contains(strings.Join(small.Warnings, " "), "too few to conclude") {
		t.Errorf("40 conversations: warnings %q, want one saying too few", small.Warnings)
	}
}
