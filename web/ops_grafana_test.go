package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/csagent/csagent/tools/demo"
	"github.com/csagent/csagent/web"
)

// registered returns every metric the server registers (the agent's and
// the web server's), with its label names, from the registry's
// descriptions: a vector with no observations yet is there too.
func registered(t *testing.T, reg *prometheus.Registry) map[string][]string {
	t.Helper()
	descs := make(chan *prometheus.Desc)
	go func() { reg.Describe(descs); close(descs) }()
	re := regexp.MustCompile(`fqName: "([^"]+)".*variableLabels: \{([^}]*)\}`)
	out := map[string][]string{}
	for d := range descs {
		m := re.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("cannot read the description %s", d)
		}
		var labels []string
		for _, l := range strings.Split(m[2], ",") {
			if l = strings.TrimSuffix(strings.TrimPrefix(l, "c("), ")"); l != "" {
				labels = append(labels, l)
			}
		}
		out[m[1]] = labels
	}
	return out
}

var (
	promSelector = regexp.MustCompile(`\b(csagent_[a-z0-9_]+)(\{([^}]*)\})?`)
	promMatcher  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)`)
	promGrouping = regexp.MustCompile(`\b(?:by|without|ignoring|on)\s*\(([^)]*)\)`)
	mdQuery      = regexp.MustCompile("(?m)^\\| ([^|]+) \\| `(.+)` \\|$")
)

// checkQuery reports every metric, label matcher and grouping label of
// expr the registry does not have.
func checkQuery(t *testing.T, where, expr string, reg map[string][]string) {
	t.Helper()
	var labels []string
	found := false
	for _, m := range promSelector.FindAllStringSubmatch(expr, -1) {
		name, histogram := m[1], false
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok {
				if _, known := reg[base]; known {
					name, histogram = base, true
				}
			}
		}
		have, ok := reg[name]
		if !ok {
			t.Errorf("%s: %s is not a metric the server registers (in %s)", where, m[1], expr)
			continue
		}
		found = true
		labels = append(labels, have...)
		if histogram {
			labels = append(labels, "le")
		}
		for _, lm := range promMatcher.FindAllStringSubmatch(m[3], -1) {
			if !slices.Contains(have, lm[1]) {
				t.Errorf("%s: %s has no label %q (in %s)", where, name, lm[1], expr)
			}
		}
	}
	if !found {
		t.Errorf("%s: no csagent metric in %s", where, expr)
	}
	for _, g := range promGrouping.FindAllStringSubmatch(expr, -1) {
		for _, l := range strings.Split(g[1], ",") {
			if l = strings.TrimSpace(l); l != "" && !slices.Contains(labels, l) {
				t.Errorf("%s: groups by %q, which none of its metrics has (in %s)", where, l, expr)
			}
		}
	}
}

// The Grafana dashboard and the queries in its README use only metrics and
// labels the server really exports, and the README lists exactly the
// dashboard's queries.
func TestGrafanaDashboardUsesRealMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := registered(t, e.metrics)

	raw, err := os.ReadFile("../docs/grafana/csagent.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	if len(dash.Panels) < 10 {
		t.Fatalf("%d panels, want the dashboard's ten or more", len(dash.Panels))
	}
	var fromJSON []string
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			checkQuery(t, "panel "+p.Title, q.Expr, reg)
			fromJSON = append(fromJSON, p.Title+" | "+q.Expr)
		}
	}
	doc, err := os.ReadFile("../docs/grafana/README.md")
	if err != nil {
		t.Fatal(err)
	}
	queries, _, _ := strings.Cut(string(doc), "## Labels")
	var fromDoc []string
	for _, m := range mdQuery.FindAllStringSubmatch(queries, -1) {
		expr := strings.ReplaceAll(m[2], `\|`, "|")
		checkQuery(t, "README "+m[1], expr, reg)
		fromDoc = append(fromDoc, m[1]+" | "+expr)
	}
	if !slices.Equal(fromJSON, fromDoc) {
		t.Errorf("the README's queries are not the dashboard's:\nJSON:   %q\nREADME: %q", fromJSON, fromDoc)
	}

	// The names are what /metrics serves: after a real turn, the admin
	// handler's output carries the turn's series under those names.
	o, _ := buyerOrder(t, "buyer-001", demo.InTransit)
	e.startChat(t, "buyer-001", "Where is my order "+o.ID+"?")
	admin := httptest.NewServer(web.NewAdminHandler(e.metrics))
	defer admin.Close()
	resp, err := http.Get(admin.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`csagent_turns_total{fallback="",model="local"} 1`, "csagent_turn_duration_seconds_bucket{", `csagent_tool_calls_total{code="ok",tool="get_order"}`,
		`csagent_guardrail_verdicts_total{kind="reply",verdict="pass"}`, "csagent_ws_connections "} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics after a turn lacks %s", want)
		}
	}
}
