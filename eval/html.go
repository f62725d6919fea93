package eval

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
)

var (
	//go:embed templates/report.html
	reportHTML string
	//go:embed templates/report.css
	reportCSS string
	//go:embed templates/report.js
	reportJS string
)

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"ms":   func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"pct":  func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
	"f3":   func(f float64) string { return fmt.Sprintf("%.3f", f) },
	"inc":  func(i int) int { return i + 1 },
	"join": strings.Join,
	"open": func(c CaseResult) bool {
		return c.Status == StatusFail || c.Status == StatusError || c.Flaky
	},
}).Parse(reportHTML))

// reportCSP lets the page run its own style and script and nothing else:
// both are inline (the file is self-contained) and allowed by their hash,
// so text from a transcript can never become script or style.
var reportCSP = "default-src 'none'; style-src " + cspHash(reportCSS) + "; script-src " + cspHash(reportJS) +
	"; img-src data:; base-uri 'none'; form-action 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// htmlView is what the HTML report's template sees: the report with its
// cases in the page's order and the values its filters offer.
type htmlView struct {
	*Report
	Cases                           []CaseResult
	Verdicts, Suites, Tags, Locales []string
	CSS                             template.CSS
	JS                              template.JS
	CSP                             string
}

// verdictOrder puts what needs a look first: failures, errors, flaky
// cases, then passes and skips.
func verdictOrder(c CaseResult) int {
	switch {
	case c.Status == StatusFail:
		return 0
	case c.Status == StatusError:
		return 1
	case c.Flaky:
		return 2
	case c.Status == StatusPass:
		return 3
	case c.Status == StatusXFail:
		return 4
	}
	return 5
}

// WriteHTML writes the report as one self-contained HTML page: the summary,
// a filter by verdict, suite, tag and language, then every case, failures
// first, with its transcript, tool calls, assertion results and timings.
// Style and script are inline and nothing is fetched, so the file can be
// mailed or kept as a CI artifact; it reads on a phone without scrolling
// sideways.
func WriteHTML(w io.Writer, r *Report) error {
	v := htmlView{Report: r, CSS: template.CSS(reportCSS), JS: template.JS(reportJS), CSP: reportCSP}
	v.Cases = slices.Clone(r.Cases)
	slices.SortStableFunc(v.Cases, func(a, b CaseResult) int { return cmp.Compare(verdictOrder(a), verdictOrder(b)) })
	seen := map[Status]bool{}
	flaky := false
	for _, c := range v.Cases {
		seen[c.Status] = true
		flaky = flaky || c.Flaky
		v.Suites = appendNew(v.Suites, c.Suite)
		v.Locales = appendNew(v.Locales, c.Locale)
		for _, t := range c.Tags {
			v.Tags = appendNew(v.Tags, t)
		}
	}
	for _, s := range []Status{StatusFail, StatusError, StatusPass, StatusXFail, StatusSkip} {
		if seen[s] {
			v.Verdicts = append(v.Verdicts, string(s))
		}
	}
	if flaky {
		v.Verdicts = append(v.Verdicts, "flaky")
	}
	slices.Sort(v.Suites)
	slices.Sort(v.Tags)
	slices.Sort(v.Locales)
	if err := reportTemplate.Execute(w, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
