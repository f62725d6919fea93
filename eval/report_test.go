package eval

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleReport is a report with a pass, a failure, an error and a skip.
func sampleReport() *Report {
	cases := []CaseResult{
		{Suite: "refunds", ID: "ok", Brain: "local", Locale: "en", Bindings: Bindings{Buyer: "buyer-001", Vars: map[string]string{"order": "ORD-10201"}},
			Status: StatusPass, Passes: 1, Runs: []Run{{Attempt: 1, Status: StatusPass, Duration: time.Second, Turns: []Turn{{
				User:    "refund ORD-10201",
				Reply:   Reply{TurnID: "t_1", Text: "Done: refund RF-1 <b>approved</b>", Guardrail: "pass", Citations: []string{"refunds"}, ToolCalls: []ToolCall{{Name: "request_refund", Arguments: json.RawMessage(`{"order_id":"ORD-10201"}`), Outcome: "ok", ArgsKnown: true}}},
				Latency: 120 * time.Millisecond,
				Asserts: []AssertionResult{{Kind: "contains", Want: "RF-", Status: StatusPass}, {Kind: "tools", Want: "request_refund", Status: StatusPass, Tools: &ToolScore{Expected: 1, Made: 1, Matched: 1, Precision: 1, Recall: 1, F1: 1}}},
			}}}}},
		{Suite: "refunds", ID: "bad", Brain: "local", Locale: "ko", Status: StatusFail, Runs: []Run{{Attempt: 1, Status: StatusFail,
			Turns: []Turn{{User: "환불", Reply: Reply{Text: "죄송합니다"}, Asserts: []AssertionResult{{Kind: "regex", Want: "RF-", Status: StatusFail, Detail: "reply: \"죄송합니다\""}}}}}}},
		{Suite: "policy", ID: "judge-down", Status: StatusError, Runs: []Run{{Attempt: 1, Status: StatusError,
			End: []AssertionResult{{Kind: "rubric", Want: "polite", Status: StatusError, Detail: "judge failed: 503"}}}}},
		{Suite: "policy", ID: "later", Status: StatusSkip, Skip: "retrieval ranks it second"},
	}
	return &Report{Version: ReportVersion, StartedAt: time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC), Duration: 3 * time.Second,
		Target: "in-process", Repeat: 1, Parallel: 2, Summary: summarize(cases, 1), Cases: cases}
}

func TestJSONReportRoundTrip(t *testing.T) {
	r := sampleReport()
	path := filepath.Join(t.TempDir(), "r.json")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	// Compared as JSON: the indented file re-indents raw arguments, which
	// is the same JSON.
	got, _ := json.Marshal(back)
	want, _ := json.Marshal(r)
	if !bytes.Equal(got, want) {
		t.Errorf("JSON round trip changed the report:\n got %s\nwant %s", got, want)
	}
	if back.Cases[0].Runs[0].Turns[0].Latency != 120*time.Millisecond || back.Summary.PassHat[0] != r.Summary.PassHat[0] {
		t.Errorf("round trip lost timings or pass^k: %+v", back.Summary)
	}
	bad := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(bad, []byte(`{"version": 99}`), 0o600)
	if _, err := ReadJSON(bad); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("ReadJSON of another version = %v, want a version error", err)
	}
}

func TestJUnitReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("JUnit output is not XML: %v\n%s", err, buf.String())
	}
	if got.Tests != 4 || got.Failures != 1 || got.Errors != 1 || got.Skipped != 1 || len(got.Suites) != 2 {
		t.Fatalf("JUnit totals = %d tests, %d failures, %d errors, %d skipped in %d suites", got.Tests, got.Failures, got.Errors, got.Skipped, len(got.Suites))
	}
	bad := got.Suites[0].Cases[1]
	if bad.Failure == nil || bad.Error != nil || !strings.Contains(bad.Failure.Message, "regex") || !strings.Contains(bad.Failure.Text, "죄송합니다") {
		t.Errorf("the failing case = %+v, want a failure naming the assertion with the transcript", bad)
	}
	down := got.Suites[1].Cases[0]
	if down.Error == nil || down.Failure != nil || !strings.Contains(down.Error.Message, "judge failed") {
		t.Errorf("the judge's failure = %+v, want an error, not a failure", down)
	}
}

func TestHTMLReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"refund ORD-10201", // the buyer's turn
		"Done: refund RF-1 &lt;b&gt;approved&lt;/b&gt;",           // the reply, escaped
		`request_refund {&#34;order_id&#34;:&#34;ORD-10201&#34;}`, // the tool call with its arguments
		"P 1.000 R 1.000 F1 1.000",                                // the tool metrics
		"120ms",                                                   // the turn's time
		"judge failed: 503",                                       // an error's detail
		"retrieval ranks it second",                               // a skip's reason
		"<style>",                                                 // self-contained
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>approved") || strings.Contains(page, "<script src") || strings.Contains(page, `<link rel="stylesheet"`) {
		t.Error("the HTML report carries unescaped reply text or outside resources")
	}
}

func TestTextReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"FAIL  refunds/bad", `turn 1 fail regex "RF-"`, "ERROR policy/judge-down", "SKIP  policy/later: retrieval ranks it second",
		"4 cases: 1 passed, 1 failed, 1 errors, 1 skipped; pass rate 33.3%"} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "refunds/ok") {
		t.Error("the summary lists a passing case")
	}
}

func TestDiff(t *testing.T) {
	a := sampleReport()
	b := sampleReport()
	b.Cases[0].Status, b.Cases[0].Passes = StatusFail, 0 // regression
	b.Cases[1].Status = StatusPass                       // fix
	b.Cases = append(b.Cases[:3], CaseResult{Suite: "new", ID: "one", Status: StatusPass})
	b.Summary = summarize(b.Cases, 1)
	c := Diff(a, b)
	if len(c.Changed) != 2 || c.Changed[0].Case != "refunds/ok" || !c.Changed[0].Regression() || c.Changed[1].Regression() {
		t.Errorf("changed = %+v, want refunds/ok regressed and refunds/bad fixed", c.Changed)
	}
	if c.Regressions() != 1 {
		t.Errorf("regressions = %d, want 1", c.Regressions())
	}
	if len(c.Added) != 1 || c.Added[0] != "new/one" || len(c.Removed) != 1 || c.Removed[0] != "policy/later" {
		t.Errorf("added %v, removed %v", c.Added, c.Removed)
	}
	var rate MetricDelta
	for _, m := range c.Metrics {
		if m.Name == "pass_rate" {
			rate = m
		}
	}
	if rate.From != a.Summary.PassRate || rate.To != b.Summary.PassRate || rate.Delta() != b.Summary.PassRate-a.Summary.PassRate {
		t.Errorf("pass_rate delta = %+v", rate)
	}
	var buf bytes.Buffer
	if err := WriteDiff(&buf, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- refunds/ok: pass → fail", "+ refunds/bad: fail → pass", "new/one: new case", "policy/later: no longer run", "pass_rate"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("diff output lacks %q:\n%s", want, buf.String())
		}
	}
	if same := Diff(a, a); len(same.Changed) != 0 {
		t.Errorf("a report compared with itself changed %v", same.Changed)
	}
}

func TestProgress(t *testing.T) {
	c := &CaseResult{Suite: "s", ID: "a"}
	var lines bytes.Buffer
	p := NewProgress(&lines, false)
	p.Start(2)
	p.Done(c, Run{Attempt: 1, Status: StatusPass, Duration: time.Second})
	p.Done(c, Run{Attempt: 2, Status: StatusFail})
	p.Finish()
	want := "[1/2] pass  s/a (1s)\n[2/2] fail  s/a #2 (0s)\n"
	if lines.String() != want {
		t.Errorf("plain progress = %q, want %q", lines.String(), want)
	}
	var bar bytes.Buffer
	p = NewProgress(&bar, true)
	p.Start(2)
	p.Done(c, Run{Attempt: 1, Status: StatusPass})
	if !strings.Contains(bar.String(), "\r") || !strings.Contains(bar.String(), "1/2") || strings.Count(bar.String(), "\n") != 0 {
		t.Errorf("terminal progress = %q, want a bar redrawn in place", bar.String())
	}
}
