package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed templates/report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"ms":  func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"pct": func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
	"f3":  func(f float64) string { return fmt.Sprintf("%.3f", f) },
	"inc": func(i int) int { return i + 1 },
	"open": func(c CaseResult) bool {
		return c.Status == StatusFail || c.Status == StatusError || c.Flaky
	},
}).Parse(reportHTML))

// WriteHTML writes the report as one self-contained HTML page: the summary,
// then every case with its transcript, tool calls, assertion results and
// timings. Styles are inline and nothing is fetched, so the file can be
// mailed or kept as a CI artifact.
func WriteHTML(w io.Writer, r *Report) error {
	if err := reportTemplate.Execute(w, r); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
