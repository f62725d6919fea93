package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools"
)

// Status is the verdict of an assertion, a run or a case.
type Status string

// The verdicts. A failure is the agent doing the wrong thing; an error is
// the harness (or the judge) unable to tell; a skip is a check that does not
// apply here (a rubric with no LLM configured). An expected failure (xfail)
// is a case marked as a known gap that failed, as it was expected to.
const (
	StatusPass  Status = "pass"
	StatusFail  Status = "fail"
	StatusError Status = "error"
	StatusSkip  Status = "skip"
	StatusXFail Status = "xfail"
)

// AssertionResult is the verdict of one assertion.
type AssertionResult struct {
	Kind   string `json:"kind"`
	Want   string `json:"want"`
	Status Status `json:"status"`
	// Detail says what was seen when the assertion did not pass.
	Detail string `json:"detail,omitempty"`
	// Tools is the precision, recall and F1 of a tools assertion.
	Tools *ToolScore `json:"tools,omitempty"`
	// Reasoning is the judge's, for a rubric.
	Reasoning string `json:"reasoning,omitempty"`
}

func verdict(kind, want string, ok bool, detail string) AssertionResult {
	r := AssertionResult{Kind: kind, Want: want, Status: StatusPass}
	if !ok {
		r.Status, r.Detail = StatusFail, detail
	}
	return r
}

// fold normalizes text for matching without regard to case in any script:
// NFC, then Unicode case folding.
var folder = cases.Fold()

func fold(s string) string { return folder.String(norm.NFC.String(s)) }

// compileFold compiles a pattern that matches case-insensitively in any
// script.
func compileFold(p string) (*regexp.Regexp, error) {
	return regexp.Compile("(?i)" + norm.NFC.String(p))
}

// scope is what the assertions of one turn, or of a whole case, look at.
type scope struct {
	// reply is the turn's reply, or at the end of a case the last one.
	reply Reply
	// calls are the turn's tool calls, or all of the case's.
	calls []ToolCall
	// events are the turn's events, or all of the case's.
	events  []Event
	latency time.Duration
	usage   *Usage
	// transcript is the conversation so far, for the judge.
	transcript string
	// previous is the agent's reply before this one; nil for the first.
	previous *string
	// db and conv are the case's database (nil when the target's cannot
	// be reached) and conversation, for the checks that read them.
	db   DB
	conv string
}

// checkText runs the assertions on a reply's text and events.
func checkText(e Expect, b Bindings, s scope) []AssertionResult {
	var out []AssertionResult
	text := fold(s.reply.Text)
	for _, c := range b.expandAll(e.Contains) {
		out = append(out, verdict("contains", c, strings.Contains(text, fold(c)), "reply: "+clip(s.reply.Text)))
	}
	for _, c := range b.expandAll(e.NotContains) {
		out = append(out, verdict("not_contains", c, !strings.Contains(text, fold(c)), "reply: "+clip(s.reply.Text)))
	}
	nfc := norm.NFC.String(s.reply.Text)
	for _, p := range b.expandAll(e.Regex) {
		re, err := compileFold(p)
		if err != nil {
			out = append(out, AssertionResult{Kind: "regex", Want: p, Status: StatusError, Detail: err.Error()})
			continue
		}
		out = append(out, verdict("regex", p, re.MatchString(nfc), "reply: "+clip(s.reply.Text)))
	}
	for _, p := range b.expandAll(e.NotRegex) {
		re, err := compileFold(p)
		if err != nil {
			out = append(out, AssertionResult{Kind: "not_regex", Want: p, Status: StatusError, Detail: err.Error()})
			continue
		}
		m := re.FindString(nfc)
		out = append(out, verdict("not_regex", p, m == "", fmt.Sprintf("matched %q in reply: %s", m, clip(s.reply.Text))))
	}
	if e.ConfirmRequest != nil {
		got := hasKind(s.events, EventConfirm)
		out = append(out, verdict("confirm_request", fmt.Sprint(*e.ConfirmRequest), got == *e.ConfirmRequest, fmt.Sprintf("confirm_request seen: %v", got)))
	}
	if e.Handoff != nil {
		got := hasKind(s.events, EventHandoff)
		out = append(out, verdict("handoff", fmt.Sprint(*e.Handoff), got == *e.Handoff, fmt.Sprintf("handoff seen: %v", got)))
	}
	for _, doc := range e.Citations {
		out = append(out, checkCitation(doc, s.reply))
	}
	if e.Guardrail != "" {
		switch s.reply.Guardrail {
		case "":
			out = append(out, AssertionResult{Kind: "guardrail", Want: e.Guardrail, Status: StatusFail,
				Detail: "the reply carries no guardrail verdict"})
		default:
			out = append(out, verdict("guardrail", e.Guardrail, s.reply.Guardrail == e.Guardrail, "verdict: "+s.reply.Guardrail))
		}
	}
	if e.Language != "" {
		got := language(s.reply.Text, s.calls)
		out = append(out, verdict("language", e.Language, got == e.Language, fmt.Sprintf("reply reads as %q: %s", got, clip(s.reply.Text))))
	}
	return out
}

func hasKind(events []Event, kind string) bool {
	return slices.ContainsFunc(events, func(e Event) bool { return e.Kind == kind })
}

// checkCitation passes when the reply cites doc: in its stored citations,
// or in the text's "[doc §Section]" markers the agent writes.
func checkCitation(doc string, r Reply) AssertionResult {
	if slices.Contains(r.Citations, doc) {
		return verdict("citation", doc, true, "")
	}
	marker := regexp.MustCompile(`\[` + regexp.QuoteMeta(doc) + `(?:\s*§[^\]]*)?\]`)
	if marker.MatchString(r.Text) {
		return verdict("citation", doc, true, "")
	}
	return verdict("citation", doc, false, fmt.Sprintf("citations %v; reply: %s", r.Citations, clip(r.Text)))
}

// noise is what says nothing about a reply's language: ids, citation
// markers, numbers, amounts with currency codes.
var noise = regexp.MustCompile(`\[[^\]]*\]|\b(?:ORD|RF|DSP|TRK)-[\w-]+|\b[A-Z]{3}\b|[\d.,:/-]+`)

// language returns the ISO 639-1 code of the language text is written in:
// whatlanggo's answer when it is sure, otherwise the local model's script
// and word test for the four languages the agent speaks. What the reply
// quotes from tool results (product and shop names, in their shop's
// language) is taken out first: it is data, not the agent's words.
func language(text string, calls []ToolCall) string {
	t := text
	for _, q := range quoted(calls) {
		t = strings.ReplaceAll(t, q, " ")
	}
	t = noise.ReplaceAllString(t, " ")
	if letters(t) < minLetters {
		// The reply is all quotation (an extractive answer from a policy
		// passage): the quotation is then the agent's language.
		t = noise.ReplaceAllString(text, " ")
	}
	if code, ok := tools.DetectLanguage(t); ok {
		return code
	}
	return nlu.DetectLocale(t, "")
}

// checkTools judges the calls made against e.
func checkTools(e *ToolExpect, b Bindings, made []ToolCall) AssertionResult {
	want := make([]string, len(e.Calls))
	for i, c := range e.Calls {
		want[i] = describeWant(c, b)
	}
	desc := strings.Join(want, ", ")
	if e.Ordered {
		desc = "in order: " + desc
	}
	if e.Only {
		desc += " (and nothing else)"
	}
	if len(e.NotCalled) > 0 {
		desc += "; never " + strings.Join(e.NotCalled, ", ")
	}
	match, unknown := matchCalls(e.Calls, made, b, e.Ordered)
	matched := 0
	var missing []string
	for i, j := range match {
		if j >= 0 {
			matched++
		} else {
			missing = append(missing, want[i])
		}
	}
	sc := score(len(e.Calls), len(made), matched)
	r := AssertionResult{Kind: "tools", Want: strings.TrimSpace(desc), Status: StatusPass, Tools: &sc}
	madeDesc := make([]string, len(made))
	for i, c := range made {
		madeDesc[i] = describeCall(c)
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if e.Only && matched < len(made) {
		problems = append(problems, "unexpected calls")
	}
	for _, n := range e.NotCalled {
		if slices.ContainsFunc(made, func(c ToolCall) bool { return strings.EqualFold(c.Name, n) }) {
			problems = append(problems, n+" was called")
		}
	}
	if len(problems) > 0 {
		r.Status = StatusFail
		if unknown && len(missing) > 0 {
			// The names were there but the arguments could not be seen:
			// the harness cannot tell, which is not the agent's failure.
			r.Status = StatusError
			problems = append(problems, "arguments not visible to this target (give --database-url)")
		}
		r.Detail = strings.Join(problems, "; ") + "; made: [" + strings.Join(madeDesc, ", ") + "]"
	}
	return r
}

// checkLimits checks the latency, token and cost ceilings.
func checkLimits(e Expect, s scope) []AssertionResult {
	var out []AssertionResult
	if e.MaxLatency > 0 {
		out = append(out, verdict("max_latency", time.Duration(e.MaxLatency).String(), s.latency <= time.Duration(e.MaxLatency),
			fmt.Sprintf("took %s", s.latency.Round(time.Millisecond))))
	}
	if e.MaxTokens > 0 || e.MaxCostUSD > 0 {
		if s.usage == nil {
			if e.MaxTokens > 0 {
				out = append(out, AssertionResult{Kind: "max_tokens", Want: fmt.Sprint(e.MaxTokens), Status: StatusSkip, Detail: "this target reports no usage"})
			}
			if e.MaxCostUSD > 0 {
				out = append(out, AssertionResult{Kind: "max_cost_usd", Want: fmt.Sprint(e.MaxCostUSD), Status: StatusSkip, Detail: "this target reports no usage"})
			}
			return out
		}
		if e.MaxTokens > 0 {
			n := s.usage.PromptTokens + s.usage.CompletionTokens
			out = append(out, verdict("max_tokens", fmt.Sprint(e.MaxTokens), n <= e.MaxTokens, fmt.Sprintf("used %d tokens", n)))
		}
		if e.MaxCostUSD > 0 {
			out = append(out, verdict("max_cost_usd", fmt.Sprint(e.MaxCostUSD), s.usage.CostUSD <= e.MaxCostUSD, fmt.Sprintf("cost %.6f USD", s.usage.CostUSD)))
		}
	}
	return out
}

// checkDB checks the end state against the rows the case created.
func checkDB(ctx context.Context, e *DBExpect, b Bindings, db DB, before *snapshot) []AssertionResult {
	var out []AssertionResult
	check := func(r DBRow, must bool) {
		order := b.expand(firstNonEmpty(r.Order, "{{order}}"))
		want := r.Kind + " of " + order
		if r.Status != "" {
			want += " status " + r.Status
		}
		if r.Reason != "" {
			want += " reason " + r.Reason
		}
		if r.AmountMinor != nil {
			want += fmt.Sprintf(" amount %d", *r.AmountMinor)
		}
		kind := "db_must_exist"
		if !must {
			kind = "db_must_not_exist"
		}
		if db == nil || before == nil {
			out = append(out, AssertionResult{Kind: kind, Want: want, Status: StatusError, Detail: "no database to read (give --database-url)"})
			return
		}
		rows, err := newRows(ctx, db, *before, r, order)
		if err != nil {
			out = append(out, AssertionResult{Kind: kind, Want: want, Status: StatusError, Detail: err.Error()})
			return
		}
		detail := fmt.Sprintf("the case created %d matching rows", len(rows))
		if len(rows) > 0 {
			detail += fmt.Sprintf(": %+v", rows)
		}
		out = append(out, verdict(kind, want, (len(rows) > 0) == must, detail))
	}
	for _, r := range e.MustExist {
		check(r, true)
	}
	for _, r := range e.MustNotExist {
		check(r, false)
	}
	return out
}

// checkRubric asks the judge, when there is one.
func checkRubric(ctx context.Context, j Judge, rubric string, b Bindings, s scope) AssertionResult {
	rubric = b.expand(rubric)
	r := AssertionResult{Kind: "rubric", Want: rubric}
	if j == nil {
		r.Status, r.Detail = StatusSkip, "no LLM configured to judge"
		return r
	}
	v, err := j.Judge(ctx, rubric, s.transcript)
	if err != nil {
		r.Status, r.Detail = StatusError, "judge failed: "+err.Error()
		return r
	}
	r.Reasoning = v.Reasoning
	r.Status = StatusPass
	if !v.Pass {
		r.Status, r.Detail = StatusFail, fmt.Sprintf("judged %.2f", v.Score)
	}
	return r
}

func clip(s string) string {
	const n = 300
	if len([]rune(s)) <= n {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q…", string([]rune(s)[:n]))
}

// minLetters is the fewest letters worth detecting a language in.
const minLetters = 12

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// quoted returns the short strings of the calls' results (names, up to
// maxQuoted characters), longest first so a name is removed before any
// shorter string inside it. Long strings are passages the agent may answer
// from word for word, in the buyer's language: they stay.
func quoted(calls []ToolCall) []string {
	const maxQuoted = 80
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if n := len([]rune(x)); n >= 3 && n <= maxQuoted {
				seen[x] = true
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, c := range calls {
		var v any
		if len(c.Result) > 0 && json.Unmarshal(c.Result, &v) == nil {
			walk(v)
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// spaces are runs of white space, which a repeated reply may differ in.
var spaces = regexp.MustCompile(`\s+`)

// checkRepeats checks whether the reply is the agent's previous reply again
// (case and spacing aside). A first reply repeats nothing.
func checkRepeats(want bool, s scope) AssertionResult {
	same := false
	if s.previous != nil {
		norm := func(t string) string { return strings.TrimSpace(spaces.ReplaceAllString(fold(t), " ")) }
		same = norm(*s.previous) == norm(s.reply.Text)
	}
	detail := "the reply differs from the previous one: " + clip(s.reply.Text)
	if same {
		detail = "the reply is the previous one again: " + clip(s.reply.Text)
	}
	return verdict("repeats", fmt.Sprint(want), same == want, detail)
}

// checkPending counts the actions of the conversation still waiting for the
// buyer's decision (not decided, not expired).
func checkPending(ctx context.Context, want int, s scope) AssertionResult {
	r := AssertionResult{Kind: "pending", Want: fmt.Sprint(want)}
	if s.db == nil {
		r.Status, r.Detail = StatusError, "no database to read (give --database-url)"
		return r
	}
	rows, err := s.db.Query(ctx, `SELECT tool || coalesce(' ' || (arguments->>'order_id'), '') FROM pending_actions
		WHERE conversation_id = $1 AND status = 'pending' AND expires_at > now() ORDER BY created_at, id`, s.conv)
	if err == nil {
		var waiting []string
		if waiting, err = pgx.CollectRows(rows, pgx.RowTo[string]); err == nil {
			return verdict("pending", fmt.Sprint(want), len(waiting) == want,
				fmt.Sprintf("%d waiting: %v", len(waiting), waiting))
		}
	}
	r.Status, r.Detail = StatusError, fmt.Sprintf("read pending actions of %s: %v", s.conv, err)
	return r
}

// checkHandoffSummary checks the summary the person taking the
// conversation's latest handoff reads: the shop's summary when a shop's
// queue has it, otherwise the one platform support reads.
func checkHandoffSummary(ctx context.Context, e TextExpect, b Bindings, s scope) []AssertionResult {
	const kind = "handoff_summary"
	if s.db == nil {
		return []AssertionResult{{Kind: kind, Status: StatusError, Detail: "no database to read (give --database-url)"}}
	}
	var summary string
	err := s.db.QueryRow(ctx, `SELECT coalesce(shop_summary, summary) FROM handoffs WHERE conversation_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 1`, s.conv).Scan(&summary)
	if errors.Is(err, pgx.ErrNoRows) {
		return []AssertionResult{{Kind: kind, Status: StatusFail, Detail: "the conversation was not handed off"}}
	}
	if err != nil {
		return []AssertionResult{{Kind: kind, Status: StatusError, Detail: fmt.Sprintf("read the handoff of %s: %v", s.conv, err)}}
	}
	out := checkText(e.expect(), b, scope{reply: Reply{Text: summary}})
	for i := range out {
		out[i].Kind = kind + " " + out[i].Kind
		if out[i].Status != StatusPass {
			out[i].Detail = "summary: " + clip(summary)
		}
	}
	return out
}
