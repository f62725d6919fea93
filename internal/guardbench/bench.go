// Package guardbench measures the guardrails on labelled sets: check
// latency, banned-phrase recall and false positives, hallucination
// precision and recall, and injection detection rates. It is an
// instrument, apart from the product: only cmd (`csagent bench
// guardrails`) and tests import it.
package guardbench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/csagent/csagent/guardrails"
)

// The labelled sets Bench measures on. The dev sets were written together
// with the rules and thresholds; the fresh ones were written afterwards
// and never tuned on, so they are the honest figures. The injection
// held-out set was written before the classifier was first trained.
var (
	//go:embed testdata/banned_eval.jsonl
	bannedDev string
	//go:embed testdata/banned_fresh.jsonl
	bannedFresh string
	//go:embed testdata/claims_eval.jsonl
	claimsDev string
	//go:embed testdata/claims_fresh.jsonl
	claimsFresh string
	//go:embed testdata/injection_heldout.jsonl
	injectionHeldOut string
)

// Report is what `csagent bench guardrails` prints.
type Report struct {
	Latency       LatencyScore         `json:"latency"`
	Banned        []BannedScore        `json:"banned"`
	Hallucination []HallucinationScore `json:"hallucination"`
	Injection     InjectionScore       `json:"injection"`
	Seconds       float64              `json:"seconds"`
}

// LatencyScore is the time of one check, in microseconds, over every
// labelled reply (with its evidence) and message, checked many times.
type LatencyScore struct {
	OutputChecks int     `json:"output_checks"`
	OutputP50    float64 `json:"output_p50_us"`
	OutputP99    float64 `json:"output_p99_us"`
	OutputMax    float64 `json:"output_max_us"`
	InputChecks  int     `json:"input_checks"`
	InputP50     float64 `json:"input_p50_us"`
	InputP99     float64 `json:"input_p99_us"`
}

// BannedScore is banned-phrase detection on one labelled set: recall on
// evasions of banned phrases and false positives on clean replies.
type BannedScore struct {
	Set               string  `json:"set"`
	Evasions          int     `json:"evasions"`
	Detected          int     `json:"detected"`
	Recall            float64 `json:"recall"`
	Clean             int     `json:"clean"`
	FalsePositives    int     `json:"false_positives"`
	FalsePositiveRate float64 `json:"false_positive_rate"`
	// Misses lists what went wrong, for reading.
	Misses []string `json:"misses,omitempty"`
}

// HallucinationScore is unsupported-claim detection on one labelled set:
// a reply is flagged when it gets an unsupported_claim or low_support
// violation; planted replies hold a claim the evidence does not back.
type HallucinationScore struct {
	Set       string  `json:"set"`
	Planted   int     `json:"planted"`
	Caught    int     `json:"caught"`
	Supported int     `json:"supported"`
	Flagged   int     `json:"false_alarms"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// SpanRecall is the share of planted claims a violation covers.
	SpanRecall float64  `json:"span_recall"`
	Misses     []string `json:"misses,omitempty"`
}

// InjectionScore is injection detection on the held-out set, as deployed
// (patterns and classifier) and for each part alone, and cross-validated
// on the training set.
type InjectionScore struct {
	Threshold      float64  `json:"threshold"`
	Positives      int      `json:"positives"`
	Negatives      int      `json:"negatives"`
	TPR            float64  `json:"tpr"`
	FPR            float64  `json:"fpr"`
	ClassifierTPR  float64  `json:"classifier_only_tpr"`
	ClassifierFPR  float64  `json:"classifier_only_fpr"`
	PatternsTPR    float64  `json:"patterns_only_tpr"`
	PatternsFPR    float64  `json:"patterns_only_fpr"`
	CrossValTPR    float64  `json:"cross_validation_tpr"`
	CrossValFPR    float64  `json:"cross_validation_fpr"`
	Misses         []string `json:"misses,omitempty"`
	TrainExamples  int      `json:"train_examples"`
	HeldOutPerLang []string `json:"held_out_per_language"`
}

type bannedCase struct {
	Text     string `json:"text"`
	Locale   string `json:"locale"`
	Audience string `json:"audience"`
	Banned   bool   `json:"banned"`
	Class    string `json:"class"`
}

// injectionCase is one labelled message of the held-out injection set.
type injectionCase struct {
	Text  string `json:"text"`
	Label int    `json:"label"`
	Lang  string `json:"lang"`
}

type claimCase struct {
	Text     string   `json:"text"`
	Locale   string   `json:"locale"`
	Evidence []string `json:"evidence"`
	Planted  []string `json:"planted"`
}

func parseLines[T any](name, data string) ([]T, error) {
	var out []T
	for i, line := range strings.Split(data, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// Run measures c (the default configuration when nil): latency per
// reply and per message, banned-phrase recall and false positives,
// hallucination precision and recall, and injection detection rates. It
// takes a few seconds and stops early, with what it has, when ctx ends.
func Run(ctx context.Context, c *guardrails.Checker) (Report, error) {
	start := time.Now()
	if c == nil {
		var err error
		if c, err = guardrails.New(guardrails.DefaultConfig()); err != nil {
			return Report{}, err
		}
	}
	var rep Report
	var bannedSets [][]bannedCase
	for _, set := range []struct{ name, data string }{{"dev", bannedDev}, {"fresh", bannedFresh}} {
		cases, err := parseLines[bannedCase](set.name, set.data)
		if err != nil {
			return rep, err
		}
		bannedSets = append(bannedSets, cases)
		rep.Banned = append(rep.Banned, scoreBanned(c, set.name, cases))
	}
	var claimSets [][]claimCase
	for _, set := range []struct{ name, data string }{{"dev", claimsDev}, {"fresh", claimsFresh}} {
		cases, err := parseLines[claimCase](set.name, set.data)
		if err != nil {
			return rep, err
		}
		claimSets = append(claimSets, cases)
		rep.Hallucination = append(rep.Hallucination, scoreClaims(c, set.name, cases))
	}
	held, err := parseLines[injectionCase]("injection held-out", injectionHeldOut)
	if err != nil {
		return rep, err
	}
	rep.Injection = scoreInjection(c, held)
	tpr, fpr, n, err := guardrails.CrossValidateInjection(5, c.InjectionThreshold())
	if err != nil {
		return rep, err
	}
	rep.Injection.TrainExamples = n
	rep.Injection.CrossValTPR, rep.Injection.CrossValFPR = round3(tpr), round3(fpr)
	rep.Latency = measureLatency(ctx, c, bannedSets, claimSets, held)
	rep.Seconds = math.Round(time.Since(start).Seconds()*100) / 100
	return rep, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round3(float64(a) / float64(b))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func scoreBanned(c *guardrails.Checker, name string, cases []bannedCase) BannedScore {
	s := BannedScore{Set: name}
	for _, bc := range cases {
		r := c.CheckOutput(bc.Text, bc.Locale, bc.Audience, guardrails.Evidence{})
		hit := slices.ContainsFunc(r.Violations, func(v guardrails.Violation) bool { return v.Type == guardrails.TypeBanned })
		if bc.Banned {
			s.Evasions++
			if hit {
				s.Detected++
			} else {
				s.Misses = append(s.Misses, "missed ("+bc.Class+"): "+bc.Text)
			}
		} else {
			s.Clean++
			if hit {
				s.FalsePositives++
				s.Misses = append(s.Misses, "false positive: "+bc.Text)
			}
		}
	}
	s.Recall = ratio(s.Detected, s.Evasions)
	s.FalsePositiveRate = ratio(s.FalsePositives, s.Clean)
	return s
}

func scoreClaims(c *guardrails.Checker, name string, cases []claimCase) HallucinationScore {
	s := HallucinationScore{Set: name}
	plantedClaims, covered := 0, 0
	for _, cc := range cases {
		r := c.CheckOutput(cc.Text, cc.Locale, "buyer", guardrails.Evidence{Texts: cc.Evidence})
		var flagged []guardrails.Violation
		for _, v := range r.Violations {
			if v.Type == guardrails.TypeUnsupported || v.Type == guardrails.TypeLowSupport {
				flagged = append(flagged, v)
			}
		}
		if len(cc.Planted) == 0 {
			s.Supported++
			if len(flagged) > 0 {
				s.Flagged++
				s.Misses = append(s.Misses, fmt.Sprintf("false alarm (%s %q): %s", flagged[0].Rule, flagged[0].Span, cc.Text))
			}
			continue
		}
		s.Planted++
		if len(flagged) > 0 {
			s.Caught++
		} else {
			s.Misses = append(s.Misses, "missed: "+cc.Text)
		}
		for _, p := range cc.Planted {
			plantedClaims++
			i := strings.Index(cc.Text, p)
			if i < 0 {
				continue
			}
			if slices.ContainsFunc(flagged, func(v guardrails.Violation) bool { return v.Start < i+len(p) && v.End > i }) {
				covered++
			}
		}
	}
	s.Recall = ratio(s.Caught, s.Planted)
	s.Precision = ratio(s.Caught, s.Caught+s.Flagged)
	s.SpanRecall = ratio(covered, plantedClaims)
	return s
}

func scoreInjection(c *guardrails.Checker, held []injectionCase) InjectionScore {
	th := c.InjectionThreshold()
	s := InjectionScore{Threshold: th}
	var tp, fp, ctp, cfp, ptp, pfp int
	perLang := map[string][2]int{}
	var langs []string
	for _, ex := range held {
		r := c.CheckInput(ex.Text, ex.Lang)
		prob, pat := c.InjectionParts(ex.Text)
		clf := prob >= th
		pl := perLang[ex.Lang]
		if _, ok := perLang[ex.Lang]; !ok {
			langs = append(langs, ex.Lang)
		}
		if ex.Label == 1 {
			s.Positives++
			if r.Injection {
				tp++
				pl[0]++
			} else {
				s.Misses = append(s.Misses, "missed: "+ex.Text)
			}
			if clf {
				ctp++
			}
			if pat {
				ptp++
			}
		} else {
			s.Negatives++
			if r.Injection {
				fp++
				pl[1]++
				s.Misses = append(s.Misses, "false positive: "+ex.Text)
			}
			if clf {
				cfp++
			}
			if pat {
				pfp++
			}
		}
		perLang[ex.Lang] = pl
	}
	s.TPR, s.FPR = ratio(tp, s.Positives), ratio(fp, s.Negatives)
	s.ClassifierTPR, s.ClassifierFPR = ratio(ctp, s.Positives), ratio(cfp, s.Negatives)
	s.PatternsTPR, s.PatternsFPR = ratio(ptp, s.Positives), ratio(pfp, s.Negatives)
	for _, l := range langs {
		pos, neg := 0, 0
		for _, ex := range held {
			if ex.Lang == l {
				if ex.Label == 1 {
					pos++
				} else {
					neg++
				}
			}
		}
		s.HeldOutPerLang = append(s.HeldOutPerLang, fmt.Sprintf("%s: %d/%d caught, %d/%d false positives", l, perLang[l][0], pos, perLang[l][1], neg))
	}
	return s
}

// latencyRounds is how many times each labelled text is checked.
const latencyRounds = 40

func measureLatency(ctx context.Context, c *guardrails.Checker, banned [][]bannedCase, claims [][]claimCase, held []injectionCase) LatencyScore {
	type reply struct {
		text, locale, audience string
		ev                     guardrails.Evidence
	}
	var replies []reply
	for _, set := range banned {
		for _, b := range set {
			replies = append(replies, reply{b.Text, b.Locale, b.Audience, guardrails.Evidence{}})
		}
	}
	for _, set := range claims {
		for _, cc := range set {
			replies = append(replies, reply{cc.Text, cc.Locale, "buyer", guardrails.Evidence{Texts: cc.Evidence}})
		}
	}
	var out, in []float64
	for round := 0; round < latencyRounds && ctx.Err() == nil; round++ {
		for _, r := range replies {
			t0 := time.Now()
			c.CheckOutput(r.text, r.locale, r.audience, r.ev)
			out = append(out, float64(time.Since(t0).Nanoseconds())/1e3)
		}
		for _, ex := range held {
			t0 := time.Now()
			c.CheckInput(ex.Text, ex.Lang)
			in = append(in, float64(time.Since(t0).Nanoseconds())/1e3)
		}
	}
	slices.Sort(out)
	slices.Sort(in)
	return LatencyScore{
		OutputChecks: len(out), OutputP50: percentile(out, 0.5), OutputP99: percentile(out, 0.99), OutputMax: percentile(out, 1),
		InputChecks: len(in), InputP50: percentile(in, 0.5), InputP99: percentile(in, 0.99),
	}
}

// percentile of sorted xs, rounded to 0.1.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	i := min(len(xs)-1, int(math.Ceil(p*float64(len(xs))))-1)
	return math.Round(xs[max(0, i)]*10) / 10
}
