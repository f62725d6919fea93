package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/eval"
	"github.com/csagent/csagent/tools"
)

// The operations dashboard (/ops) for platform staff: the page is a shell
// like /chat and /seller (the token lives in the tab, never in a URL);
// ops.js fetches each view from /v1/ops/… with the Authorization header and
// shows the HTML the server rendered, charts included. Every table also
// comes as CSV.

//go:embed templates/ops_*.tmpl
var opsTemplateFiles embed.FS

var opsTemplates = template.Must(template.New("").ParseFS(opsTemplateFiles, "templates/ops_*.tmpl"))

var errOpsInvalid = errors.New("invalid request")

// staffOnly lets only platform staff through: a buyer or a seller, signed
// in and known, is refused with 403 (they may not see this, whoever they
// are), which the page shows as such rather than as a sign-in problem.
func staffOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, ok := tools.CallerFrom(r.Context()); !ok || c.Role != tools.RoleSupport {
			writeError(w, r, codeForbidden, "the operations dashboard is for platform staff")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// maxOpsDays bounds a period, and so the work one request can ask for.
const maxOpsDays = 366

// opsRoutes are the routes the dashboard filters by.
var opsRoutes = []string{agent.RouteLocal, agent.RouteLLM, agent.RouteEscalated, agent.RouteCache}

// parseOpsFilter reads the period and filters of q: from and to as dates
// (to inclusive), or days back from today (UTC); 7 days by default.
func parseOpsFilter(q url.Values, now time.Time) (opsFilter, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	f := opsFilter{To: today.Add(24 * time.Hour), Locale: q.Get("locale"), Shop: q.Get("shop"), Model: q.Get("model"), Route: q.Get("route"), Variant: q.Get("variant")}
	days := 7
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxOpsDays {
			return f, fmt.Errorf("%w: days must be 1 to %d", errOpsInvalid, maxOpsDays)
		}
		days = n
	}
	if s := q.Get("to"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return f, fmt.Errorf("%w: to must be a date (YYYY-MM-DD)", errOpsInvalid)
		}
		f.To = t.Add(24 * time.Hour)
	}
	f.From = f.To.Add(-time.Duration(days) * 24 * time.Hour)
	if s := q.Get("from"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return f, fmt.Errorf("%w: from must be a date (YYYY-MM-DD)", errOpsInvalid)
		}
		f.From = t
	}
	if !f.From.Before(f.To) || f.days() > maxOpsDays {
		return f, fmt.Errorf("%w: the period must run forward and span at most %d days", errOpsInvalid, maxOpsDays)
	}
	if f.Route != "" && !slices.Contains(opsRoutes, f.Route) {
		return f, fmt.Errorf("%w: route must be one of %s", errOpsInvalid, strings.Join(opsRoutes, ", "))
	}
	for _, v := range []string{f.Locale, f.Shop, f.Model, f.Variant} {
		if len(v) > 100 {
			return f, fmt.Errorf("%w: a filter value is too long", errOpsInvalid)
		}
	}
	return f, nil
}

// query is f as the query string of a view.
func (f opsFilter) query(extra ...string) string {
	q := url.Values{}
	q.Set("from", f.From.Format(time.DateOnly))
	q.Set("to", f.To.Add(-24*time.Hour).Format(time.DateOnly))
	for k, v := range map[string]string{"locale": f.Locale, "shop": f.Shop, "model": f.Model, "route": f.Route, "variant": f.Variant} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q.Encode()
}

// renderOps writes fragment name with data.
func renderOps(w http.ResponseWriter, r *http.Request, logger *slog.Logger, name string, data any) {
	var buf bytes.Buffer
	if err := opsTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		logger.ErrorContext(r.Context(), "render ops view", "view", name, "err", err)
		writeError(w, r, codeInternal, "the view could not be shown")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// writeCSV answers with rows as a CSV download named name.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.WriteAll(rows) //nolint:errcheck // the client went away
}

func opsFail(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	switch {
	case errors.Is(err, errOpsInvalid):
		writeError(w, r, codeInvalid, strings.TrimPrefix(err.Error(), errOpsInvalid.Error()+": "))
	case errors.Is(err, errOpsNotFound), errors.Is(err, eval.ErrNoConversation):
		writeError(w, r, codeNotFound, "no such conversation")
	default:
		logger.ErrorContext(r.Context(), "ops view", "err", err)
		writeError(w, r, codeUnavailable, "the numbers could not be read; please retry")
	}
}

var errOpsNotFound = errors.New("not found")

// Number formats: a missing value (NaN) reads "–", never 0.
func fmtInt(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

func fmtPct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

func fmtMS(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', 2, 64) + " s"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
}

func fmtUSD(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v != 0 && math.Abs(v) < 0.01 {
		return "$" + strconv.FormatFloat(v, 'f', 4, 64)
	}
	return "$" + strconv.FormatFloat(v, 'f', 2, 64)
}

func fmtScore(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// opsCard is one headline number.
type opsCard struct {
	Key, Title, Value, Sub string
	Delta, DeltaClass      string
	Help, Link             string
}

// delta says how cur changed from prev: in percentage points for a rate,
// in per cent otherwise. better is +1 when up is good, -1 when down is,
// 0 when neither.
func delta(cur, prev float64, rate bool, better int) (string, string) {
	if math.IsNaN(cur) || math.IsNaN(prev) {
		return "no earlier figure", "flat"
	}
	d := cur - prev
	var s string
	if rate {
		s = fmt.Sprintf("%+.1f pt", d*100)
	} else if prev == 0 {
		if d == 0 {
			s = "±0%"
		} else {
			if d > 0 {
				return "up from 0", "flat"
			}
			return "down from 0", "flat"
		}
	} else {
		s = fmt.Sprintf("%+.0f%%", d/prev*100)
	}
	class := "flat"
	switch {
	case math.Abs(d) < 1e-9:
		s = strings.Replace(s, "+", "±", 1)
	case better != 0 && (d > 0) == (better > 0):
		class = "good"
	case better != 0:
		class = "bad"
	}
	return s + " vs previous", class
}

// opsNumbers are the headline figures of one period, as numbers.
type opsNumbers struct {
	Conversations, Resolution, Handoff, CSAT, Up, Down                          float64
	Pass, Rewritten, Fallback, Injections, LLMFallbacks, ToolErrorRate          float64
	FirstP50, FirstP95, TotalP50, TotalP95, TokensPerConv, CostPerConv, CostRes float64
}

func numbers(p opsPeriod) opsNumbers {
	n := float64(p.Conversations)
	return opsNumbers{
		Conversations: n,
		Resolution:    ratio(float64(p.Resolved), n),
		Handoff:       ratio(float64(p.Handoffs), n),
		CSAT:          ratio(float64(p.CSATSum), float64(p.Rated)),
		Up:            float64(p.ThumbsUp), Down: float64(p.ThumbsDown),
		Pass:       ratio(float64(p.Pass), float64(p.Pass+p.Rewritten+p.opsDay.Fallback)),
		Rewritten:  ratio(float64(p.Rewritten), float64(p.Pass+p.Rewritten+p.opsDay.Fallback)),
		Fallback:   ratio(float64(p.opsDay.Fallback), float64(p.Pass+p.Rewritten+p.opsDay.Fallback)),
		Injections: float64(p.Injections), LLMFallbacks: float64(p.LLMFallbacks),
		ToolErrorRate: ratio(float64(p.opsDay.ToolErrors), float64(p.ToolCalls)),
		FirstP50:      p.FirstP50, FirstP95: p.FirstP95, TotalP50: p.TotalP50, TotalP95: p.TotalP95,
		TokensPerConv: ratio(float64(p.Tokens), n),
		CostPerConv:   ratio(p.Cost, n),
		CostRes:       ratio(p.Cost, float64(p.Resolved)),
	}
}

// opsAccuracy is the share of reviewed conversations labelled correct,
// with its 95% Wilson interval.
type opsAccuracy struct {
	Reviewed, Correct int
	Share, Lo, Hi     float64
}

func wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	const z = 1.96
	p, nn := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*nn)) / (1 + z*z/nn)
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / (1 + z*z/nn)
	return math.Max(0, c-h), math.Min(1, c+h)
}

func reviewAccuracy(ctx context.Context, db querier, f opsFilter) (opsAccuracy, error) {
	var a opsAccuracy
	err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE r.label = 'correct')
        FROM reviews r JOIN conversations c ON c.id = r.conversation_id
        WHERE r.label IS NOT NULL AND c.created_at >= $1 AND c.created_at < $2
          AND ($3 = '' OR c.locale = $3) AND ($4 = '' OR c.shop_id = $4)`, f.From, f.To, f.Locale, f.Shop).Scan(&a.Reviewed, &a.Correct)
	if err != nil {
		return a, fmt.Errorf("query review accuracy: %w", err)
	}
	a.Share = ratio(float64(a.Correct), float64(a.Reviewed))
	a.Lo, a.Hi = wilson(a.Correct, a.Reviewed)
	return a, nil
}

// opsDashboardView is what the dashboard fragment shows.
type opsDashboardView struct {
	Filter       opsFilter
	FromS, ToS   string
	Query        string
	Choices      opsChoices
	PrevS        string
	Cards        []opsCard
	Charts       []template.HTML
	Violations   []opsCodeRow
	ToolErrors   []opsCodeRow
	Days         []opsDayRow
	Accuracy     opsAccuracy
	AccuracyText string
	// AsOf says how fresh the numbers are: the rollups lag the turns by
	// up to a refresh interval.
	AsOf string
}

type opsCodeRow struct {
	Code, Share, Link string
	Count             int
}

type opsDayRow struct {
	Day, Link                                        string
	Conversations, Resolved, Handoffs                int
	Resolution, CSAT, Fallbacks, ToolErrors, Latency string
	Cost                                             string
	ResolutionV, CSATV, LatencyV, CostV              float64
}

func (s *Server) handleOpsDashboard(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		f, err := parseOpsFilter(r.URL.Query(), time.Now())
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		csvOnly := r.URL.Query().Get("format") == "csv"
		// The numbers come from the daily rollups; source=live computes
		// them from the raw rows instead (slow over a long period), the
		// reference the rollups are checked against.
		readDays, readPeriod, readChoices := opsRollupDays, opsRollupPeriod, opsRollupChoices
		// The rollups are not kept by route: a route filter reads the raw
		// rows too.
		live := r.URL.Query().Get("source") == "live" || f.Route != ""
		if live {
			readDays, readPeriod, readChoices = opsDays, opsPeriodNumbers, opsFilterChoices
		}
		var days, prevDays []opsDay
		var cur, prev opsPeriod
		var choices opsChoices
		var acc opsAccuracy
		var refreshed time.Time
		prevF := f.previous()
		err = opsRead(ctx, db, func(q querier) error {
			var err error
			if csvOnly {
				days, err = readDays(ctx, q, f)
				return err
			}
			// Both periods' days in one pass: a conversation's numbers
			// depend on it alone, not on the period asked.
			both := f
			both.From = prevF.From
			all, err := readDays(ctx, q, both)
			if err != nil {
				return err
			}
			for _, d := range all {
				if d.Day.Before(f.From) {
					prevDays = append(prevDays, d)
				} else {
					days = append(days, d)
				}
			}
			if cur, err = readPeriod(ctx, q, f, days); err != nil {
				return err
			}
			if prev, err = readPeriod(ctx, q, prevF, prevDays); err != nil {
				return err
			}
			if choices, err = readChoices(ctx, q); err != nil {
				return err
			}
			if !live {
				if refreshed, err = opsRefreshedAt(ctx, q); err != nil {
					return err
				}
			}
			choices.Variants = variantChoices(s.experiments)
			acc, err = reviewAccuracy(ctx, q, f)
			return err
		})
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		if csvOnly {
			rows := [][]string{{"day", "conversations", "resolved", "handoffs", "rated", "csat_sum", "thumbs_up", "thumbs_down",
				"turns", "pass", "rewritten", "fallback", "injections", "llm_fallbacks", "tokens", "cost_usd", "tool_calls", "tool_errors",
				"first_text_p50_ms", "first_text_p95_ms", "turn_p50_ms", "turn_p95_ms"}}
			for _, d := range days {
				rows = append(rows, []string{d.Day.Format(time.DateOnly), itoa(d.Conversations), itoa(d.Resolved), itoa(d.Handoffs),
					itoa(d.Rated), itoa(d.CSATSum), itoa(d.ThumbsUp), itoa(d.ThumbsDown), itoa(d.Turns), itoa(d.Pass), itoa(d.Rewritten),
					itoa(d.Fallback), itoa(d.Injections), itoa(d.LLMFallbacks), strconv.FormatInt(d.Tokens, 10),
					strconv.FormatFloat(d.Cost, 'f', 6, 64), itoa(d.ToolCalls), itoa(d.ToolErrors),
					csvNum(d.FirstP50), csvNum(d.FirstP95), csvNum(d.TotalP50), csvNum(d.TotalP95)})
			}
			writeCSV(w, "ops-days.csv", rows)
			return
		}
		v := dashboardView(f, prevF, days, cur, prev, choices, acc)
		switch {
		case live:
			v.AsOf = "computed from the raw rows just now"
		case refreshed.IsZero():
			v.AsOf = "not yet rolled up"
		default:
			v.AsOf = "as of " + refreshed.UTC().Format("2006-01-02 15:04:05") + " UTC"
		}
		renderOps(w, r, s.logger, "ops_dashboard", v)
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func csvNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func dashboardView(f, prevF opsFilter, days []opsDay, cur, prev opsPeriod, choices opsChoices, acc opsAccuracy) opsDashboardView {
	c, p := numbers(cur), numbers(prev)
	v := opsDashboardView{
		Filter: f, FromS: f.From.Format(time.DateOnly), ToS: f.To.Add(-24 * time.Hour).Format(time.DateOnly),
		Query: f.query(), Choices: choices, Accuracy: acc,
		PrevS: prevF.From.Format(time.DateOnly) + " to " + prevF.To.Add(-24*time.Hour).Format(time.DateOnly),
	}
	link := func(metric string, extra ...string) string {
		return "#/conversations?" + f.query(append([]string{"metric", metric}, extra...)...)
	}
	card := func(key, title, value, sub string, cv, pv float64, rate bool, better int, help, href string) {
		d, cls := delta(cv, pv, rate, better)
		v.Cards = append(v.Cards, opsCard{Key: key, Title: title, Value: value, Sub: sub, Delta: d, DeltaClass: cls, Help: help, Link: href})
	}
	card("conversations", "Conversations", fmtInt(c.Conversations), "started in the period", c.Conversations, p.Conversations, false, 0,
		"Conversations started in the period that match the filters.", link("all"))
	card("resolution", "Resolution rate", fmtPct(c.Resolution), fmt.Sprintf("%d of %d", cur.Resolved, cur.Conversations), c.Resolution, p.Resolution, true, 1,
		"Resolved: the conversation ended without a handoff to a person, and the same buyer did not start another conversation about an order this one was about (an order id the buyer wrote, or one a tool was called with) within 72 hours of this one's last message. Until 72 hours have passed a conversation counts as resolved unless it was handed off.", link("resolved"))
	card("handoff", "Handoff rate", fmtPct(c.Handoff), fmt.Sprintf("%d handed to a person", cur.Handoffs), c.Handoff, p.Handoff, true, -1,
		"Conversations handed to a person (a handoff was opened, or a person holds it).", link("handoff"))
	card("csat", "CSAT", fmtScore(c.CSAT), fmt.Sprintf("average of %d ratings, 1 to 5", cur.Rated), c.CSAT, p.CSAT, false, 1,
		"The buyers' average satisfaction score (1 to 5) over the rated conversations.", link("rated"))
	card("thumbs", "Thumbs", fmt.Sprintf("%d up · %d down", cur.ThumbsUp, cur.ThumbsDown), fmtPct(ratio(c.Up, c.Up+c.Down))+" up",
		ratio(c.Up, c.Up+c.Down), ratio(p.Up, p.Up+p.Down), true, 1, "Thumbs the buyers gave; the change is of the share up.", link("thumbs_down"))
	card("guardrails", "Guardrails: pass", fmtPct(c.Pass), fmt.Sprintf("rewritten %s · fallback %s of %d replies", fmtPct(c.Rewritten), fmtPct(c.Fallback), cur.Pass+cur.Rewritten+cur.opsDay.Fallback),
		c.Pass, p.Pass, true, 1, "The output guardrails' verdict on each reply: passed as written, rewritten, or replaced by the safe fallback.", link("fallback"))
	card("injection", "Injection flags", fmtInt(c.Injections), "buyer messages flagged", c.Injections, p.Injections, false, 0,
		"Buyer messages the input guardrail scored as a prompt-injection attempt.", link("injection"))
	card("llm_fallback", "LLM → local fallbacks", fmtInt(c.LLMFallbacks), "turns the local model answered for the LLM", c.LLMFallbacks, p.LLMFallbacks, false, -1,
		"Turns where the LLM failed and the built-in local model answered instead.", link("llm_fallback"))
	card("tool_errors", "Tool error rate", fmtPct(c.ToolErrorRate), fmt.Sprintf("%d of %d calls", cur.opsDay.ToolErrors, cur.ToolCalls), c.ToolErrorRate, p.ToolErrorRate, true, -1,
		"Tool calls that ended with an error code, of all tool calls; by code below.", link("tool_error"))
	card("first_text", "First text p50 / p95", fmtMS(c.FirstP50)+" / "+fmtMS(c.FirstP95), "until the first words streamed", c.FirstP95, p.FirstP95, false, -1,
		"Time from the buyer's message to the first streamed text of the reply, median and 95th percentile over the turns; the change is of the p95.", "")
	card("turn", "Full turn p50 / p95", fmtMS(c.TotalP50)+" / "+fmtMS(c.TotalP95), "until the reply was stored", c.TotalP95, p.TotalP95, false, -1,
		"Time from the buyer's message to the stored reply, median and 95th percentile over the turns; the change is of the p95.", "")
	card("tokens", "Tokens per conversation", fmtInt(c.TokensPerConv), fmtInt(float64(cur.Tokens))+" in all", c.TokensPerConv, p.TokensPerConv, false, -1,
		"LLM tokens (prompt and completion) per conversation; the local model spends none.", "")
	card("cost", "Cost per conversation", fmtUSD(c.CostPerConv), fmtUSD(cur.Cost)+" in all", c.CostPerConv, p.CostPerConv, false, -1,
		"LLM spend per conversation, at the configured prices.", "")
	card("cost_resolved", "Cost per resolved", fmtUSD(c.CostRes), "all spend over resolved conversations", c.CostRes, p.CostRes, false, -1,
		"All LLM spend in the period divided by the conversations resolved: what one resolution costs.", link("resolved"))
	v.AccuracyText = "–"
	if acc.Reviewed > 0 {
		v.AccuracyText = fmt.Sprintf("%s (95%% CI %s–%s, %d reviewed)", fmtPct(acc.Share), fmtPct(acc.Lo), fmtPct(acc.Hi), acc.Reviewed)
	}

	for _, x := range cur.Violations {
		v.Violations = append(v.Violations, opsCodeRow{Code: x.Code, Count: x.Count, Share: fmtPct(x.Share), Link: link("violation", "code", x.Code)})
	}
	for _, x := range cur.ToolErrors {
		v.ToolErrors = append(v.ToolErrors, opsCodeRow{Code: x.Code, Count: x.Count, Share: fmtPct(x.Share), Link: link("tool_error_code", "code", x.Code)})
	}

	// One point per calendar day of the period, so gaps show as gaps.
	var all []time.Time
	byDay := map[time.Time]opsDay{}
	for _, d := range days {
		byDay[d.Day.UTC()] = d
	}
	for d := f.From; d.Before(f.To); d = d.Add(24 * time.Hour) {
		all = append(all, d)
	}
	series := func(title string, format func(float64) string, val func(d opsDay, ok bool) float64, metric string) {
		s := opsSeries{Title: title, Days: all, Format: format}
		for _, d := range all {
			x, ok := byDay[d]
			s.Values = append(s.Values, val(x, ok))
		}
		if metric != "" {
			s.Link = func(i int) string {
				day := all[i].Format(time.DateOnly)
				g := f
				g.From, g.To = all[i], all[i].Add(24*time.Hour)
				return "#/conversations?" + g.query("metric", metric, "day", day)
			}
		}
		v.Charts = append(v.Charts, s.svg())
	}
	series("Conversations", fmtInt, func(d opsDay, ok bool) float64 { return float64(d.Conversations) }, "all")
	series("Resolution rate", fmtPct, func(d opsDay, ok bool) float64 { return ratio(float64(d.Resolved), float64(d.Conversations)) }, "unresolved")
	series("Handoff rate", fmtPct, func(d opsDay, ok bool) float64 { return ratio(float64(d.Handoffs), float64(d.Conversations)) }, "handoff")
	series("CSAT (1–5)", fmtScore, func(d opsDay, ok bool) float64 { return ratio(float64(d.CSATSum), float64(d.Rated)) }, "rated")
	series("Safe fallback replies", fmtPct, func(d opsDay, ok bool) float64 {
		return ratio(float64(d.Fallback), float64(d.Pass+d.Rewritten+d.Fallback))
	}, "fallback")
	series("Tool error rate", fmtPct, func(d opsDay, ok bool) float64 { return ratio(float64(d.ToolErrors), float64(d.ToolCalls)) }, "tool_error")
	series("Full turn p95", fmtMS, func(d opsDay, ok bool) float64 {
		if !ok {
			return math.NaN()
		}
		return d.TotalP95
	}, "")
	series("Cost per conversation", fmtUSD, func(d opsDay, ok bool) float64 { return ratio(d.Cost, float64(d.Conversations)) }, "")

	for _, d := range days {
		g := f
		g.From, g.To = d.Day.UTC(), d.Day.UTC().Add(24*time.Hour)
		res := ratio(float64(d.Resolved), float64(d.Conversations))
		csat := ratio(float64(d.CSATSum), float64(d.Rated))
		cost := ratio(d.Cost, float64(d.Conversations))
		v.Days = append(v.Days, opsDayRow{
			Day: d.Day.Format(time.DateOnly), Link: "#/conversations?" + g.query("metric", "all"),
			Conversations: d.Conversations, Resolved: d.Resolved, Handoffs: d.Handoffs,
			Resolution: fmtPct(res), ResolutionV: res, CSAT: fmtScore(csat), CSATV: csat,
			Fallbacks: itoa(d.Fallback), ToolErrors: itoa(d.ToolErrors),
			Latency: fmtMS(d.TotalP95), LatencyV: d.TotalP95, Cost: fmtUSD(cost), CostV: cost,
		})
	}
	return v
}

// opsListView is a drill-down: the conversations behind a number.
type opsListView struct {
	Title, Query, Back, CSV string
	Total, Shown            int
	Rows                    []opsListRow
}

type opsListRow struct {
	opsConvRow
	Link, StartedS, CSATS, ThumbsS, CostS, Outcome string
}

func (s *Server) handleOpsConversations(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := parseOpsFilter(q, time.Now())
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		metric, code := q.Get("metric"), q.Get("code")
		if metric == "" {
			metric = "all"
		}
		var list []opsConvRow
		var total int
		err = opsRead(r.Context(), db, func(tx querier) error {
			var err error
			list, total, err = opsConversations(r.Context(), tx, f, metric, code, q.Get("sort"), q.Get("dir") != "asc")
			return err
		})
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		if q.Get("format") == "csv" {
			rows := [][]string{{"conversation", "buyer", "started", "locale", "shop", "status", "turns", "resolved", "handed_off",
				"returned_72h", "fallbacks", "injections", "tool_errors", "csat", "thumbs", "tokens", "cost_usd"}}
			for _, c := range list {
				csat, thumbs := "", ""
				if c.CSAT != nil {
					csat = itoa(*c.CSAT)
				}
				if c.Thumbs != nil {
					thumbs = *c.Thumbs
				}
				rows = append(rows, []string{c.ID, c.Buyer, c.Started.UTC().Format(time.RFC3339), c.Locale, c.Shop, c.Status, itoa(c.Turns),
					strconv.FormatBool(c.Resolved), strconv.FormatBool(c.HandedOff), strconv.FormatBool(c.Returned), itoa(c.Fallback),
					itoa(c.Injections), itoa(c.ToolErrors), csat, thumbs, strconv.FormatInt(c.Tokens, 10), strconv.FormatFloat(c.Cost, 'f', 6, 64)})
			}
			writeCSV(w, "ops-conversations-"+metric+".csv", rows)
			return
		}
		title := opsMetrics[metric].Title
		if code != "" {
			title += ": " + code
		}
		if day := q.Get("day"); day != "" {
			title += " on " + day
		}
		base := f.query("metric", metric, "code", code)
		v := opsListView{Title: title, Query: base, Back: "#/dashboard?" + f.query(), CSV: "/v1/ops/conversations?" + f.query("metric", metric, "code", code, "format", "csv"),
			Total: total, Shown: len(list)}
		for _, c := range list {
			row := opsListRow{opsConvRow: c, Link: "#/conversation/" + c.ID, StartedS: c.Started.UTC().Format("2006-01-02 15:04"), CSATS: "–", ThumbsS: "–", CostS: fmtUSD(c.Cost)}
			if c.CSAT != nil {
				row.CSATS = itoa(*c.CSAT)
			}
			if c.Thumbs != nil {
				row.ThumbsS = *c.Thumbs
			}
			switch {
			case c.HandedOff:
				row.Outcome = "handed off"
			case c.Returned:
				row.Outcome = "came back ≤72 h"
			default:
				row.Outcome = "resolved"
			}
			v.Rows = append(v.Rows, row)
		}
		renderOps(w, r, s.logger, "ops_list", v)
	})
}

// opsTranscriptView is one conversation as staff review it.
type opsTranscriptView struct {
	ID, Buyer, Locale, Shop, Status, Started string
	Rating                                   string
	Handoffs                                 []string
	Messages                                 []opsMessage
	Review                                   opsReviewState
	Reasons                                  []string
	ToolNames                                string

	// Experiment is the arm the conversation was exposed to,
	// "experiment / variant", and ExperimentLink its readout.
	Experiment, ExperimentLink string
}

type opsMessage struct {
	Seq                             int64
	Role, Author, Text, Time, Class string
	Guardrail                       string
	Usage                           string
	Violations, Citations           []string
	Tools                           []opsToolCall
}

type opsToolCall struct {
	Tool, Args, Outcome string
	Failed              bool
}

type opsReviewState struct {
	Queued                         bool
	QueuedFor, Label, Reason       string
	Comment, Note                  string
	MustContain, MustNotContain    string
	ExpectTools                    []string
	ReviewedBy, ReviewedAt, Export string
}

// reviewReasons are the reasons a reviewer may give; the migration's
// CHECK lists the same.
var reviewReasons = []string{"wrong_answer", "wrong_action", "missed_handoff", "needless_handoff",
	"needless_fallback", "unsupported_claim", "wrong_language", "other"}

func (s *Server) handleOpsConversation(db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := loadTranscript(r.Context(), db, chi.URLParam(r, "id"))
		if err != nil {
			opsFail(w, r, s.logger, err)
			return
		}
		renderOps(w, r, s.logger, "ops_conversation", v)
	})
}

func loadTranscript(ctx context.Context, db querier, id string) (opsTranscriptView, error) {
	v := opsTranscriptView{ID: id, Reasons: reviewReasons}
	var started time.Time
	var shop, exp, variant *string
	err := db.QueryRow(ctx, `SELECT buyer_id, locale, shop_id, status, created_at, experiment, variant FROM conversations WHERE id = $1`, id).
		Scan(&v.Buyer, &v.Locale, &shop, &v.Status, &started, &exp, &variant)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, errOpsNotFound
	}
	if err != nil {
		return v, fmt.Errorf("load conversation %s: %w", id, err)
	}
	v.Started = started.UTC().Format("2006-01-02 15:04 UTC")
	if shop != nil {
		v.Shop = *shop
	}
	if exp != nil && variant != nil {
		v.Experiment, v.ExperimentLink = *exp+" / "+*variant, "#/experiment/"+*exp
	}
	var thumbs *string
	var csat *int16
	var comment string
	err = db.QueryRow(ctx, `SELECT thumbs, csat, comment FROM ratings WHERE conversation_id = $1`, id).Scan(&thumbs, &csat, &comment)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		v.Rating = "not rated"
	case err != nil:
		return v, fmt.Errorf("load rating of %s: %w", id, err)
	default:
		var parts []string
		if csat != nil {
			parts = append(parts, fmt.Sprintf("CSAT %d", *csat))
		}
		if thumbs != nil {
			parts = append(parts, "thumbs "+*thumbs)
		}
		if comment != "" {
			parts = append(parts, "“"+comment+"”")
		}
		v.Rating = strings.Join(parts, " · ")
	}
	rows, err := db.Query(ctx, `SELECT reason, status, created_at FROM handoffs WHERE conversation_id = $1 ORDER BY created_at`, id)
	if err != nil {
		return v, fmt.Errorf("load handoffs of %s: %w", id, err)
	}
	v.Handoffs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var reason, status string
		var at time.Time
		err := r.Scan(&reason, &status, &at)
		return fmt.Sprintf("%s (%s) at %s", reason, status, at.UTC().Format("2006-01-02 15:04")), err
	})
	if err != nil {
		return v, fmt.Errorf("read handoffs of %s: %w", id, err)
	}

	type call struct {
		turn string
		opsToolCall
	}
	rows, err = db.Query(ctx, `SELECT turn_id, tool, arguments::text, coalesce(error_code, ''), latency_us FROM tool_calls WHERE conversation_id = $1 ORDER BY id`, id)
	if err != nil {
		return v, fmt.Errorf("load tool calls of %s: %w", id, err)
	}
	calls, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (call, error) {
		var c call
		var code string
		var us int64
		err := r.Scan(&c.turn, &c.Tool, &c.Args, &code, &us)
		c.Outcome, c.Failed = fmt.Sprintf("ok in %d ms", us/1000), code != ""
		if c.Failed {
			c.Outcome = fmt.Sprintf("error %s in %d ms", code, us/1000)
		}
		return c, err
	})
	if err != nil {
		return v, fmt.Errorf("read tool calls of %s: %w", id, err)
	}

	rows, err = db.Query(ctx, `SELECT seq, turn_id, role, author_id, text, coalesce(guardrail, ''), usage, citations, created_at
        FROM messages WHERE conversation_id = $1 ORDER BY seq`, id)
	if err != nil {
		return v, fmt.Errorf("load transcript of %s: %w", id, err)
	}
	v.Messages, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (opsMessage, error) {
		var m opsMessage
		var turn string
		var usage, cites []byte
		var at time.Time
		if err := r.Scan(&m.Seq, &turn, &m.Role, &m.Author, &m.Text, &m.Guardrail, &usage, &cites, &at); err != nil {
			return m, err
		}
		m.Time, m.Class = at.UTC().Format("15:04:05"), m.Role
		if m.Role == "assistant" {
			for _, c := range calls {
				if c.turn == turn {
					m.Tools = append(m.Tools, c.opsToolCall)
				}
			}
		}
		if len(usage) > 0 {
			var u agent.TurnUsage
			if json.Unmarshal(usage, &u) == nil {
				parts := []string{"model " + u.Model, fmt.Sprintf("%d+%d tokens", u.PromptTokens, u.CompletionTokens), fmtUSD(u.CostUSD)}
				if u.FirstTokenMS > 0 {
					parts = append(parts, "first text "+fmtMS(float64(u.FirstTokenMS)))
				}
				parts = append(parts, "turn "+fmtMS(float64(u.TotalMS)))
				if u.PromptVersion != "" {
					parts = append(parts, "prompt "+u.PromptVersion)
				}
				switch {
				case u.ExperimentStopped:
					parts = append(parts, "experiment "+u.Experiment+" stopped: defaults")
				case u.Variant != "":
					parts = append(parts, "variant "+u.Experiment+"/"+u.Variant)
				}
				if u.Fallback != "" {
					parts = append(parts, "fallback: "+u.Fallback)
				}
				if u.Route != "" {
					parts = append(parts, "route: "+u.Route+" ("+u.RouteReason+")")
				}
				if g := u.Guardrail; g != nil {
					if g.Input == "injection" {
						parts = append(parts, fmt.Sprintf("injection flagged (%.2f)", g.InputScore))
					}
					m.Violations = g.Violations
				}
				m.Usage = strings.Join(parts, " · ")
			}
		}
		var cs []agent.Citation
		if json.Unmarshal(cites, &cs) == nil {
			for _, c := range cs {
				label := c.DocID
				if c.Heading != "" {
					label += " §" + c.Heading
				}
				m.Citations = append(m.Citations, label)
			}
		}
		return m, nil
	})
	if err != nil {
		return v, fmt.Errorf("read transcript of %s: %w", id, err)
	}

	var label, reason, by *string
	var at *time.Time
	err = db.QueryRow(ctx, `SELECT queued_for, label, reason, comment, note, must_contain, must_not_contain, expect_tools, reviewed_by, reviewed_at
        FROM reviews WHERE conversation_id = $1`, id).Scan(&v.Review.QueuedFor, &label, &reason, &v.Review.Comment, &v.Review.Note,
		&v.Review.MustContain, &v.Review.MustNotContain, &v.Review.ExpectTools, &by, &at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return v, fmt.Errorf("load review of %s: %w", id, err)
	default:
		v.Review.Queued = true
		if label != nil {
			v.Review.Label = *label
		}
		if reason != nil {
			v.Review.Reason = *reason
		}
		if by != nil && at != nil {
			v.Review.ReviewedBy, v.Review.ReviewedAt = *by, at.UTC().Format("2006-01-02 15:04")
		}
	}
	names := v.Review.ExpectTools
	if !v.Review.Queued || len(names) == 0 {
		names = nil
		for _, c := range calls {
			if !strings.Contains(","+strings.Join(names, ",")+",", ","+c.Tool+",") {
				names = append(names, c.Tool)
			}
		}
	}
	v.ToolNames = strings.Join(names, ", ")
	v.Review.Export = "/v1/ops/conversations/" + url.PathEscape(id) + "/eval.yaml"
	return v, nil
}
