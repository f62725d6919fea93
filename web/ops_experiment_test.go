package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/experiment"
	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// experimentEnv is a server whose experiments file runs concise-prompt,
// with n conversations of generated history exposed to it, the concise
// arm planted with demo.TreatmentEffect.
func experimentEnv(t *testing.T, n int) (*env, experiment.Experiment) {
	t.Helper()
	now := time.Now()
	e := experiment.Experiment{Name: "concise-prompt", Horizon: 1000, Start: now.Add(-40 * 24 * time.Hour),
		Arms: []experiment.Arm{{Variant: experiment.Control, Share: 50}, {Variant: "concise", Share: 50}}}
	cfg := experiment.Config{Version: 1, Variants: []experiment.Variant{{Name: "concise", Prompt: "support-v2"}}, Experiments: []experiment.Experiment{e}}
	set, err := experiment.NewSet(experiment.Options{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	env := newEnvOpts(t, envOptions{web: func(o *web.Options) { o.Dev = true; o.Experiments = set }})
	if err := demo.HistoryWith(t.Context(), env.pool, n, 30, now, &demo.HistoryExperiment{
		Name: e.Name, Control: experiment.Control, Variant: "concise", Arm: e.Assign}); err != nil {
		t.Fatal(err)
	}
	return env, e
}

// TestOpsExperimentReadout reads an experiment out over HTTP: the arms'
// sizes are the database's, the planted cost effect is a finding, the
// page and the JSON agree, the dashboard filters by arm, a transcript
// names its arm, and only staff may look.
func TestOpsExperimentReadout(t *testing.T) {
	t.Parallel()
	e, exp := experimentEnv(t, 3000)
	tok := e.supportToken(t, demo.SupportID)
	r := e.call(t, "GET", "/v1/ops/experiments/concise-prompt?format=json", tok, nil)
	if r.status != http.StatusOK {
		t.Fatalf("readout JSON = %d %s", r.status, r.body)
	}
	var ro experiment.Readout
	if err := json.Unmarshal(r.body, &ro); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	rows, err := e.pool.Query(t.Context(), `SELECT variant, count(*) FROM conversations WHERE experiment = $1 GROUP BY 1`, exp.Name)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		counts[v] = n
	}
	if len(ro.Arms) != 2 || ro.Arms[0].Variant != experiment.Control || ro.Arms[0].N != counts[experiment.Control] || ro.Arms[1].N != counts["concise"] ||
		ro.Arms[0].N+ro.Arms[1].N != 3000 {
		t.Fatalf("readout arms %+v, want the database's counts %v adding up to 3000", ro.Arms, counts)
	}
	if !ro.Final || ro.SRM.Mismatch {
		t.Errorf("readout final %v, SRM %+v; want final, no mismatch", ro.Final, ro.SRM)
	}
	var cost *experiment.Difference
	for _, m := range ro.Metrics {
		if m.Metric.Name == "cost_usd" {
			cost = m.Diffs[1]
		}
	}
	if cost == nil || !cost.Finding || !cost.Better || cost.Value >= 0 {
		t.Errorf("cost difference = %+v, want the planted saving found", cost)
	}

	page := e.call(t, "GET", "/v1/ops/experiments/concise-prompt", tok, nil)
	body := string(page.body)
	for _, want := range []string{`id="readout-metrics"`, "concise − control", strconv.Itoa(counts["concise"]), "cost per conversation", `class="diff finding better"`, "Sample ratio check"} {
		if !strings.Contains(body, want) {
			t.Errorf("the readout page lacks %q", want)
		}
	}
	list := string(e.call(t, "GET", "/v1/ops/experiments", tok, nil).body)
	if !strings.Contains(list, `data-name="concise-prompt"`) || !strings.Contains(list, "running") || !strings.Contains(list, ">3000<") {
		t.Errorf("the experiments list lacks concise-prompt, running, 3000 exposed:\n%s", list)
	}

	// The dashboard's filter and drill-down take an arm.
	from := time.Now().AddDate(0, 0, -31).Format(time.DateOnly)
	drill := e.call(t, "GET", "/v1/ops/conversations?metric=all&from="+from+"&variant=concise-prompt/concise", tok, nil)
	if !strings.Contains(string(drill.body), strconv.Itoa(counts["concise"])+" conversations") {
		t.Errorf("the drill-down of the concise arm does not count %d conversations", counts["concise"])
	}
	var conv string
	if err := e.pool.QueryRow(t.Context(), `SELECT id FROM conversations WHERE variant = 'concise' LIMIT 1`).Scan(&conv); err != nil {
		t.Fatal(err)
	}
	tr := string(e.call(t, "GET", "/v1/ops/conversations/"+conv, tok, nil).body)
	if !strings.Contains(tr, "concise-prompt / concise") || !strings.Contains(tr, "variant concise-prompt/concise") {
		t.Errorf("the transcript of %s does not name its arm", conv)
	}

	if r := e.call(t, "GET", "/v1/ops/experiments/nope", tok, nil); r.status != http.StatusNotFound {
		t.Errorf("an unknown experiment = %d, want 404", r.status)
	}
	for _, path := range []string{"/v1/ops/experiments", "/v1/ops/experiments/concise-prompt"} {
		if r := e.call(t, "GET", path, e.buyerToken(t, "buyer-001"), nil); r.status != http.StatusForbidden {
			t.Errorf("buyer GET %s = %d, want 403", path, r.status)
		}
		if r := e.call(t, "GET", path, "", nil); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous GET %s = %d, want 401", path, r.status)
		}
	}
}

// TestBrowserOpsExperiment drives the readout in chromium: from the nav
// to the list to the readout, which shows its arms, the planted finding
// marked, and fits a phone's width without scrolling the page sideways.
func TestBrowserOpsExperiment(t *testing.T) {
	t.Parallel()
	browserTurn(t)
	dir := os.Getenv("CSAGENT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	e, _ := experimentEnv(t, 3000)
	tab := newBrowser(t)
	do(t, tab, "the dev login", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.srv.URL+"/"))
	do(t, tab, "the operations dashboard", chromedp.Click(chromedp.CSS("#ops-login")))
	do(t, tab, "the dashboard", chromedp.WaitVisible(chromedp.CSS(".card-num")))
	do(t, tab, "the experiments", chromedp.Click(chromedp.CSS("#nav-experiments")))
	waitJS(t, tab, "the experiments list", `document.querySelector('#experiments tr[data-name="concise-prompt"] a') !== null`)
	do(t, tab, "the readout", chromedp.Click(chromedp.CSS(`#experiments tr[data-name="concise-prompt"] a`)))
	waitJS(t, tab, "the readout's metrics", `document.querySelectorAll("#readout-metrics tbody tr").length === 6`)
	waitJS(t, tab, "two arms", `document.querySelectorAll("#readout-arms tbody tr").length === 2`)
	waitJS(t, tab, "a finding marked", `document.querySelector("#readout-metrics td.diff.finding.better") !== null && document.querySelector("#findings li") !== null`)
	waitJS(t, tab, "the sample ratio check", `document.getElementById("srm").textContent.includes("consistent with the shares")`)
	for _, w := range []int64{1280, 375} {
		do(t, tab, "resize", chromedp.EmulateViewport(w, 900))
		waitJS(t, tab, "no horizontal scroll at "+strconv.FormatInt(w, 10)+" px",
			`window.innerWidth === `+strconv.FormatInt(w, 10)+` && document.documentElement.scrollWidth <= window.innerWidth`)
	}
	shoot(t, tab, filepath.Join(dir, "ops-experiment-desktop.png"), 1280, 1100, 1)
	shoot(t, tab, filepath.Join(dir, "ops-experiment-phone.png"), 375, 812, 2)
	// An arm's link leads to its conversations, filtered.
	do(t, tab, "back to the desktop", chromedp.EmulateViewport(1280, 900))
	do(t, tab, "the concise arm's conversations", chromedp.Click(chromedp.CSS(`#readout-arms tbody tr:nth-child(2) a`)))
	waitJS(t, tab, "the arm's drill-down", `(document.getElementById("view").dataset.loaded || "").includes("variant=concise-prompt%2Fconcise") && document.querySelector("#conversations tbody tr[data-id]") !== null`)
}

// A variant that turns local-first routing on, over a real websocket,
// with routing off on the server: the variant's routine turn never
// reaches the LLM and is on record as routed locally; control's same turn
// goes to the LLM.
func TestVariantRoutingOverTheWebsocket(t *testing.T) {
	t.Parallel()
	llm := &llmStub{}
	e := experiment.Experiment{Name: "local-first", Horizon: 100, Start: time.Now().Add(-time.Hour),
		Arms: []experiment.Arm{{Variant: experiment.Control, Share: 50}, {Variant: "routed", Share: 50}}}
	set, err := experiment.NewSet(experiment.Options{}, experiment.Config{Version: 1,
		Variants:    []experiment.Variant{{Name: "routed", Routing: &experiment.RoutingSpec{LocalFirstThreshold: 0.8}}},
		Experiments: []experiment.Experiment{e}})
	if err != nil {
		t.Fatal(err)
	}
	env := newEnvOpts(t, envOptions{brain: func(agent.Model) agent.Model { return llm }, experiments: set})
	// An order in transit of a buyer in each arm.
	orders := map[string]demo.Order{}
	for _, o := range demo.Plan() {
		if arm := e.Assign(o.BuyerID); o.Kind == demo.InTransit && orders[arm].ID == "" {
			orders[arm] = o
		}
	}
	for _, c := range []struct {
		arm, route string
		llmCalls   int
	}{{"routed", "local", 0}, {experiment.Control, "", 1}} {
		o, ok := orders[c.arm]
		if !ok {
			t.Fatalf("no demo buyer with an order in transit in arm %s", c.arm)
		}
		before := llm.count()
		conn := env.dial(t, o.BuyerID)
		ready := conn.hello("", 0)
		conn.ask("m1", "where is my order "+o.ID+"?")
		var route, variant string
		if err := env.pool.QueryRow(t.Context(), `SELECT coalesce(usage ->> 'route', ''), coalesce(usage ->> 'variant', '') FROM messages
			WHERE conversation_id = $1 AND role = 'assistant'`, ready.ConversationID).Scan(&route, &variant); err != nil {
			t.Fatal(err)
		}
		if got := llm.count() - before; got != c.llmCalls || route != c.route || variant != c.arm {
			t.Errorf("arm %s: %d LLM calls, route %q, variant %q; want %d, %q, %s", c.arm, got, route, variant, c.llmCalls, c.route, c.arm)
		}
	}
}
