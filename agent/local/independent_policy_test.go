package local_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/csagent/csagent/agent/local"
	"github.com/csagent/csagent/retrieval"
)

// This is a measurement, not a training set: the questions in
// testdata/independent_policy_questions.tsv were written by someone who
// never saw the policies or the code, and only their facts were annotated
// from the policies. Do not tune the local model, its NLU or its answer
// composer on them; a change that makes these pass by naming their words
// measures nothing. Fix causes found on other questions, then re-measure.
//
// The floors are one question (5 points) under the shares measured, so
// losing two questions in a language (a 10-point regression) fails. When
// the set was added (2026-12-06) and after the composer round that studied
// its answer-step misses (issue 14, round 2; the set is spent since):
//
//	    whole turn (routed)            answer step
//	    added      round 2             added     round 2
//	en  10 (16)    15 of 20 (16)       13        19 of 20
//	ko  11 (15)    15 of 20 (15)       15        20 of 20
//	es  10 (15)    15 of 20 (15)       13        20 of 20
//	ru  13 (17)    16 of 20 (17)       15        18 of 20
//
// "Routed" counts turns whose NLU called search_policy; most whole-turn
// misses are the others, read as an order lookup or left unclear. The
// figure for new questions is TestFreshPolicyQuestions'. After the
// routing round (policyans, a question about a rule reaches the policies
// whatever the topic words made the classifier guess): whole turn 19, 19,
// 20 and 18 of 20, answer step 19, 20, 20 and 19.
var (
	independentTurnFloor   = map[string]float64{"en": 0.70, "ko": 0.70, "es": 0.70, "ru": 0.75}
	independentAnswerFloor = map[string]float64{"en": 0.90, "ko": 0.95, "es": 0.95, "ru": 0.85}
)

// The share of independently written policy questions, per language, whose
// reply states the fact the policy gives: through the whole local-model
// turn as a buyer gets it (NLU, search_policy on Postgres, guardrails,
// composer), and through the answer step alone once search_policy has been
// called.
func TestIndependentPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/independent_policy_questions.tsv", 80, independentTurnFloor, independentAnswerFloor)
}

// The second independent set, written after the composer round that
// studied the first set's misses and annotated once that round was done
// (2026-12-06). Measured, with the composer before that round for
// comparison, and again once the NLU's round 3 (issue 13) was merged,
// which changed what reaches search_policy; the floors are one question
// under the last column. It is spent since: the routing and composer
// round of branch policyans studied its misses (the per-stage breakdown
// measurePolicyQuestions logs) and brought it to whole turn 23, 26, 23 and
// 23 and answer step 26, 27, 25 and 26 of 30; the floors stay.
//
//	    whole turn (routed)                         answer step
//	    before   after          + NLU round 3       before   after   + NLU round 3
//	en  12       11 of 30 (18)  14 of 30 (21)       21       21      21 of 30
//	ko  10       16 of 30 (17)  20 of 30 (21)       17       26      26 of 30
//	es  11       13 of 30 (15)  18 of 30 (21)       21       24      24 of 30
//	ru   9       13 of 30 (19)  11 of 30 (18)       13       19      19 of 30
var (
	secondTurnFloor   = map[string]float64{"en": 13.0 / 30, "ko": 19.0 / 30, "es": 17.0 / 30, "ru": 10.0 / 30}
	secondAnswerFloor = map[string]float64{"en": 20.0 / 30, "ko": 25.0 / 30, "es": 23.0 / 30, "ru": 18.0 / 30}
)

func TestSecondIndependentPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/independent_policy_questions_2.tsv", 120, secondTurnFloor, secondAnswerFloor)
}

// The third independent set (testdata/fresh_policy_questions.tsv), written
// while the routing and composer round of issue 14 (branch policyans)
// studied the second set's misses, and annotated once that round was
// committed. Measured once (2026-12-07); the floors are one question
// under, and "search" is the LLM's view: a passage stating the fact among
// the five search_policy returns for the buyer's own words. It is spent
// since: the routing and composer round of branch policy4 studied its
// misses (and those of the second set) and brought it to whole turn 30,
// 27, 29 and 28 and answer step 30, 28, 29 and 28 of 30 (the second set:
// 29, 26, 24, 28 and 30, 28, 25, 28); the floors stay. The figure for new
// questions is TestFourthPolicyQuestions'.
//
//	    whole turn (routed)   answer step   search
//	en  15 of 30 (21)         23 of 30      29 of 30
//	ko  19 of 30 (22)         23 of 30      28 of 30
//	es  19 of 30 (26)         22 of 30      27 of 30
//	ru  18 of 30 (21)         25 of 30      29 of 30
var (
	freshTurnFloor   = map[string]float64{"en": 14.0 / 30, "ko": 18.0 / 30, "es": 18.0 / 30, "ru": 17.0 / 30}
	freshAnswerFloor = map[string]float64{"en": 22.0 / 30, "ko": 22.0 / 30, "es": 21.0 / 30, "ru": 24.0 / 30}
)

func TestFreshPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/fresh_policy_questions.tsv", 120, freshTurnFloor, freshAnswerFloor)
}

// measurePolicyQuestions asks each question of the set at path (of want
// questions) through the whole turn and through the answer step alone, and
// fails when a language's share falls under its floor. It logs where each
// question is lost, stage by stage: the NLU's reading (did the turn reach
// search_policy), the search (does the best passage, or any of the eight,
// state the fact), the composer (does the answer step state it).
func measurePolicyQuestions(t *testing.T, path string, want int, turnFloor, answerFloor map[string]float64) {
	questions := readQuestions(t, path)
	if len(questions) != want {
		t.Fatalf("%d questions, want the %d written", len(questions), want)
	}
	p := newPolicyAgent(t)
	c, err := classifier()
	if err != nil {
		t.Fatal(err)
	}
	m := local.New(c)
	type stages struct{ asked, routed, top, anyHit, raw, answered, turned int }
	per := map[string]*stages{}
	for _, q := range questions {
		s := per[q.locale]
		if s == nil {
			s = &stages{}
			per[q.locale] = s
		}
		s.asked++
		reply, searched := p.ask(t, q.locale, q.text)
		turnMiss := missingFact(reply, q.facts)
		answer, hits := p.answerFrom(t, m, q.locale, q.text)
		answerMiss := missingFact(answer, q.facts)
		top, inTop, inAny := "-", false, false
		for i, h := range hits {
			if i == 0 {
				top = h.Citation()
			}
			if missingFact(h.Text, q.facts) == "" {
				inTop, inAny = inTop || i == 0, true
			}
		}
		// What an LLM gets that searches in the buyer's own words with
		// the tool's default k.
		args, _ := json.Marshal(map[string]any{"query": q.text})
		_, raw := p.search(t, q.locale, args)
		inRaw := slices.ContainsFunc(raw, func(h retrieval.Hit) bool { return missingFact(h.Text, q.facts) == "" })
		r := c.Parse(q.text, q.locale)
		t.Logf("[%s %s] nlu=%s %.2f %s routed=%v | top=%s fact@1=%v fact@8=%v raw@5=%v | answer=%v turn=%v | %q",
			q.locale, q.topic, r.Intent, r.Confidence, r.Act, searched, top, inTop, inAny, inRaw, answerMiss == "", turnMiss == "", q.text)
		if turnMiss != "" {
			t.Logf("  turn miss: %q lacks %q", reply, turnMiss)
		}
		if answerMiss != "" {
			t.Logf("  answer miss: %q lacks %q", answer, answerMiss)
		}
		for _, c := range []struct {
			n  *int
			ok bool
		}{{&s.routed, searched}, {&s.top, inTop}, {&s.anyHit, inAny}, {&s.raw, inRaw}, {&s.answered, answerMiss == ""}, {&s.turned, turnMiss == ""}} {
			if c.ok {
				*c.n++
			}
		}
	}
	for _, l := range []string{"en", "ko", "es", "ru"} {
		s := per[l]
		if s == nil {
			t.Fatalf("no %s questions", l)
		}
		n := float64(s.asked)
		t.Logf("%s of %d: whole turn %d (%d reached search_policy); search: fact in the best passage %d, in the eight %d (in the five found by the buyer's own words %d); answer step %d",
			l, s.asked, s.turned, s.routed, s.top, s.anyHit, s.raw, s.answered)
		if float64(s.turned)/n < turnFloor[l]-1e-9 { // a tolerance, so 9 of 20 is 45%
			t.Errorf("%s: %d of %d whole-turn replies state the asked-for fact, want at least %.0f%%", l, s.turned, s.asked, 100*turnFloor[l])
		}
		if float64(s.answered)/n < answerFloor[l]-1e-9 {
			t.Errorf("%s: %d of %d answers state the asked-for fact, want at least %.0f%%", l, s.answered, s.asked, 100*answerFloor[l])
		}
	}
}

// The fourth independent set (testdata/fourth_policy_questions.tsv),
// written while the routing and composer round of issue 14 on branch
// policy4 studied the earlier sets' misses, and annotated once that round
// was committed: the figure for questions nobody tuned on. Its misses
// were not read; do not tune on it. Measured once (2026-12-07), with main
// before the round for comparison; the floors are two questions under:
//
//	    whole turn (routed)          answer step      search (LLM's five)
//	    main        policy4          main  policy4    policy4
//	en  20 (22)     26 of 30 (26)    25    29 of 30   29 of 30
//	ko  26 (27)     26 of 30 (27)    28    28 of 30   29 of 30
//	es  23 (25)     26 of 30 (28)    27    28 of 30   29 of 30
//	ru  20 (22)     23 of 30 (26)    24    25 of 30   29 of 30
//
// Spent since: after the answer-step and routing round of issue 14 on
// branch hpolicy10 (round 10), whole turn 27, 26, 30 and 26 of 30 and
// answer step 30, 29, 30 and 28; the floors are two questions under
// those where that is higher than before (ko's whole turn stays).
var (
	fourthTurnFloor   = map[string]float64{"en": 25.0 / 30, "ko": 24.0 / 30, "es": 28.0 / 30, "ru": 24.0 / 30}
	fourthAnswerFloor = map[string]float64{"en": 28.0 / 30, "ko": 27.0 / 30, "es": 28.0 / 30, "ru": 26.0 / 30}
)

func TestFourthPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/fourth_policy_questions.tsv", 120, fourthTurnFloor, fourthAnswerFloor)
}

// The fifth independent set (testdata/fifth_policy_questions.tsv), written
// blind while this round's branches were at work (issue 14, round 8) and
// annotated from the policies before any of them was merged: the figure
// for questions nobody tuned on. Its misses were not read; do not tune on
// it. Measured on main before round 8 (ffed25a, 2026-12-07) and once
// with round 8 merged (the misses were not read, only the counts; the
// logs print them, so a reader of the logs has spent the set); the floors
// are two questions under the figures after:
//
//	    whole turn (routed)              answer step        search: best passage, eight, LLM's five
//	    before          after            before   after     before        after
//	en  22 of 30 (26)   22 of 30 (25)    26       26        24, 30, 29    24, 30, 29
//	ko  25 of 30 (28)   25 of 30 (27)    26       27        22, 28, 27    24, 29, 28
//	es  22 of 30 (26)   23 of 30 (25)    25       28        22, 29, 28    23, 30, 29
//	ru  20 of 30 (24)   20 of 30 (23)    23       24        26, 29, 29    27, 30, 30
//
// Spent since: the round-10 branch hpolicy10 studied its answer-step
// misses and brought it to whole turn 27, 28, 29 and 28 of 30 and answer
// step 30, 29, 30 and 30; the floors are two questions under those.
var (
	fifthTurnFloor   = map[string]float64{"en": 25.0 / 30, "ko": 26.0 / 30, "es": 27.0 / 30, "ru": 26.0 / 30}
	fifthAnswerFloor = map[string]float64{"en": 28.0 / 30, "ko": 27.0 / 30, "es": 28.0 / 30, "ru": 28.0 / 30}
)

// TestFifthPolicyQuestions measures the fifth set through the whole turn
// and the answer step, per language, against the floors above.
func TestFifthPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/fifth_policy_questions.tsv", 120, fifthTurnFloor, fifthAnswerFloor)
}

// The sixth independent set (testdata/sixth_policy_questions.tsv), written
// blind while this round's branches were at work (issue 14, round 9) and
// annotated from the policies before any of them was merged: the figure
// for questions nobody tuned on. Its misses were not read, only the
// counts; do not tune on it (the logs print the misses, so a reader of the
// logs has spent the set). Measured on main before round 9 (9c5edae,
// 2026-12-07) and once after its branches were merged; the floors are two
// questions under the figures after:
//
//	    main before round 9                              after round 9
//	    whole turn (routed)   answer step   search*      whole turn (routed)   answer step   search*
//	en  19 of 30 (24)         22 of 30      21, 30, 29   20 of 30 (24)         23 of 30      21, 30, 29
//	ko  26 of 30 (28)         27 of 30      24, 29, 29   27 of 30 (29)         27 of 30      24, 29, 29
//	es  25 of 30 (28)         27 of 30      25, 29, 29   26 of 30 (28)         28 of 30      25, 29, 29
//	ru  24 of 30 (25)         28 of 30      25, 30, 30   25 of 30 (25)         30 of 30      25, 30, 30
//
// (*search: the fact in the best passage, in the eight, in the LLM's five.)
//
// Spent since: the round-10 branch hpolicy10 studied its misses and
// brought it to whole turn 28, 29, 28 and 25 of 30 (routed 27, 30, 29,
// 25) and answer step 30, 29, 29 and 30; the floors are two questions
// under those where that is higher than before (ru's stay).
var (
	sixthTurnFloor   = map[string]float64{"en": 26.0 / 30, "ko": 27.0 / 30, "es": 26.0 / 30, "ru": 23.0 / 30}
	sixthAnswerFloor = map[string]float64{"en": 28.0 / 30, "ko": 27.0 / 30, "es": 27.0 / 30, "ru": 28.0 / 30}
)

// TestSixthPolicyQuestions measures the sixth set through the whole turn
// and the answer step, per language, against the floors above.
func TestSixthPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/sixth_policy_questions.tsv", 120, sixthTurnFloor, sixthAnswerFloor)
}

// The seventh independent set (testdata/seventh_policy_questions.tsv),
// written blind while this round's branches were at work (issue 14, round
// 10) and annotated from the policies before any of them was merged: the
// figure for questions nobody tuned on. Its misses were not read before the
// after-measurement below (then the ru turn misses were, to say why ru fell:
// the set is spent for the next round), only the
// counts; do not tune on it (the logs print the misses, so a reader of the
// logs has spent the set). Measured on main before round 10 (eb70944,
// 2026-12-07); the floors are two questions under:
//
//	    main before round 10                           after round 10's merges
//	    whole turn (routed)   answer step   search*    whole turn   answer step
//	en  24 of 30 (29)         25 of 30      22, 28, 27 24 (28)      26
//	ko  24 of 30 (29)         25 of 30      25, 30, 30 24 (28)      26
//	es  22 of 30 (27)         24 of 30      20, 28, 27 21 (27)      23
//	ru  25 of 30 (28)         26 of 30      25, 27, 27 25 (28)      26
//
// (*search: the fact in the best passage, in the eight, in the LLM's five.)
// The round moved the spent sets' figures by up to nine questions a
// language and this one by one at most: what it fixed was what it read.
// The misses were printed at the after measurement, so the set is spent.
var (
	seventhTurnFloor   = map[string]float64{"en": 22.0 / 30, "ko": 22.0 / 30, "es": 20.0 / 30, "ru": 23.0 / 30}
	seventhAnswerFloor = map[string]float64{"en": 23.0 / 30, "ko": 23.0 / 30, "es": 22.0 / 30, "ru": 24.0 / 30}
)

// TestSeventhPolicyQuestions measures the seventh set through the whole
// turn and the answer step, per language, against the floors above.
func TestSeventhPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/seventh_policy_questions.tsv", 120, seventhTurnFloor, seventhAnswerFloor)
}

// The eighth independent set (testdata/eighth_policy_questions.tsv),
// written blind while this round's branches were at work (issue 14, round
// 11) and annotated from the policies before any of them was merged: the
// figure for questions nobody tuned on. Its misses were not read before the
// after-measurement below (then the ru turn misses were, to say why ru fell:
// the set is spent for the next round), only the
// counts; do not tune on it (the logs print the misses, so a reader of the
// logs has spent the set). Measured on main before round 11 (2f87fdd,
// 2026-12-07), then once after the round's branches were merged
// (2026-12-07 21:00); the floors are two questions under the after
// figures where they rose or held, and ru's whole turn fell by three:
// rule questions about a late or stuck parcel ("stuck at customs for the
// third week: what is provided?") now read as order_status, since the
// round's classifier learnt late and stuck parcels as a status question,
// and one read as a delivery problem. Its floor follows the after figure
// (a spent set's floor guards against a further fall) and the note says so.
//
//	    main before round 11                    after round 11
//	    whole turn (routed)   answer   search*  whole turn (routed)   answer   search*
//	en  21 of 30 (24)         26       23,29,29 23 of 30 (26)         26       23,29,29
//	ko  23 of 30 (25)         24       20,29,27 23 of 30 (25)         24       20,29,27
//	es  22 of 30 (26)         25       21,29,29 22 of 30 (24)         25       21,29,29
//	ru  25 of 30 (29)         26       26,29,28 22 of 30 (26)         26       26,29,28
//
// (*search: the fact in the best passage, in the eight, in the LLM's five.)
var (
	eighthTurnFloor   = map[string]float64{"en": 21.0 / 30, "ko": 21.0 / 30, "es": 20.0 / 30, "ru": 20.0 / 30}
	eighthAnswerFloor = map[string]float64{"en": 24.0 / 30, "ko": 22.0 / 30, "es": 23.0 / 30, "ru": 24.0 / 30}
)

// TestEighthPolicyQuestions measures the eighth set through the whole
// turn and the answer step, per language, against the floors above.
func TestEighthPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/eighth_policy_questions.tsv", 120, eighthTurnFloor, eighthAnswerFloor)
}

// The ninth independent set (testdata/ninth_policy_questions.tsv), written
// blind while round 12's branches were at work (issue 14) and annotated
// from the policies before any of them was merged: the figure for
// questions nobody tuned on. Its misses were not read, only the counts
// (but for three en answer and turn misses, printed once by a summary grep
// too wide, which matched "cannot" in their replies: a whole-list
// question, a cancellation-fee question answered with the return-shipping
// table and shipped orders, and "how long till my money comes back after
// cancelling" answered with the automatic refund at cancellation but not
// the 5 business days; no label was changed after); do not tune on it
// (the logs print the misses, so a reader of the logs has spent the set).
// Measured on main before round 12 (8b3b274, 2026-12-07), then once after
// the round's branches were merged (2026-12-07 23:45); the floors are three
// questions under the after figures. The round's policy work (question
// type read from the question's form, a wider lexicon of buyers' words)
// moved this set by two answers in en and ko, one in es, none in ru; the
// spent eighth set did not move at all.
//
//	    main before round 12                    after round 12
//	    whole turn (routed)   answer   search*  whole turn (routed)   answer   search*
//	en  16 of 30 (24)         20       17,28,26 18 of 30 (24)         22       18,28,26
//	ko  17 of 30 (23)         20       23,27,25 18 of 30 (24)         22       22,27,25
//	es  21 of 30 (24)         24       20,28,26 22 of 30 (24)         25       20,28,26
//	ru  20 of 30 (24)         22       21,25,25 20 of 30 (24)         22       21,26,25
//
// (*search: the fact in the best passage, in the eight, in the LLM's five.)
var (
	ninthTurnFloor   = map[string]float64{"en": 15.0 / 30, "ko": 15.0 / 30, "es": 19.0 / 30, "ru": 17.0 / 30}
	ninthAnswerFloor = map[string]float64{"en": 19.0 / 30, "ko": 19.0 / 30, "es": 22.0 / 30, "ru": 19.0 / 30}
)

// TestNinthPolicyQuestions measures the ninth set through the whole turn
// and the answer step, per language, against the floors above.
func TestNinthPolicyQuestions(t *testing.T) {
	measurePolicyQuestions(t, "testdata/ninth_policy_questions.tsv", 120, ninthTurnFloor, ninthAnswerFloor)
}
