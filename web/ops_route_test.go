package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/csagent/csagent/tools/demo"
)

// TestOpsFilterByRoute: the dashboard and its drill-down count only the
// conversations in which a turn took the chosen route; an unknown route is
// refused, not read as "all".
func TestOpsFilterByRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	opsData(t, e)
	for id, route := range map[string]string{"c_a000000003": "local", "c_a000000005": "escalated", "c_a000000004": "llm"} {
		if _, err := e.pool.Exec(t.Context(), `UPDATE messages SET usage = coalesce(usage, '{}'::jsonb) || jsonb_build_object('route', $2::text)
			WHERE conversation_id = $1 AND role = 'assistant'`, id, route); err != nil {
			t.Fatal(err)
		}
	}
	tok := e.supportToken(t, demo.SupportID)
	for _, c := range []struct {
		route string
		want  []string
	}{
		{"local", []string{"c_a000000003"}},
		{"escalated", []string{"c_a000000005"}},
		{"llm", []string{"c_a000000004"}},
		{"cache", nil},
	} {
		r := e.call(t, "GET", "/v1/ops/conversations?"+opsPeriod+"&metric=all&route="+c.route, tok, nil)
		if r.status != http.StatusOK {
			t.Fatalf("route=%s = %d %s", c.route, r.status, r.body)
		}
		var got []string
		for _, m := range regexp.MustCompile(`<tr data-id="([^"]+)"`).FindAllStringSubmatch(string(r.body), -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("conversations with route %s = %v, want %v", c.route, got, c.want)
		}
	}
	// A drill-down with a code keeps its own parameter after the route's.
	r := e.call(t, "GET", "/v1/ops/conversations?"+opsPeriod+"&metric=tool_error_code&code=not_found&route=local", tok, nil)
	if !strings.Contains(string(r.body), `data-id="c_a000000003"`) {
		t.Errorf("tool errors not_found on the local route lack c_a000000003: %d %s", r.status, r.body)
	}
	r = e.call(t, "GET", "/v1/ops/dashboard?"+opsPeriod+"&route=local", tok, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `<option selected>local</option>`) {
		t.Errorf("dashboard with route=local = %d, want 200 with local selected", r.status)
	}
	for _, bad := range []string{"nonsense", "local'--"} {
		if r := e.call(t, "GET", "/v1/ops/dashboard?"+opsPeriod+"&route="+bad, tok, nil); r.status != http.StatusBadRequest {
			t.Errorf("route=%s = %d, want 400", bad, r.status)
		}
	}
}
