package retrieval

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Question is a labeled policy question: the sections that answer it.
type Question struct {
	Locale string
	Text   string
	// Answers are the sections that answer the question; the first is the
	// one it was written for, the others answer it as well (the policies
	// repeat a few rules, e.g. refund timing in refunds and in payments).
	Answers []Answer
}

// Answer names a section: a document and a suffix of a heading path, as
// long as it needs to be unique ("Time limits for opening a dispute > Not
// received").
type Answer struct {
	DocID   string
	Heading string
}

// Matches reports whether h is the section a names.
func (a Answer) Matches(h Hit) bool {
	if h.DocID != a.DocID {
		return false
	}
	return h.HeadingPath == a.Heading || strings.HasSuffix(h.HeadingPath, headingSeparator+a.Heading)
}

//go:embed testdata/questions.tsv
var labeledQuestions []byte

// LabeledQuestions returns the project's labeled question set,
// testdata/questions.tsv, which ships in the binary for `csagent bench
// retrieval`.
func LabeledQuestions() ([]Question, error) {
	return ReadQuestions(bytes.NewReader(labeledQuestions))
}

// ReadQuestions reads questions as tab-separated lines: locale, document id,
// heading, question, and optionally further answers as "doc-id§heading"
// separated by " | ". Lines starting with "#" and blank lines are skipped.
func ReadQuestions(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || len(f) > 5 || f[0] == "" || f[1] == "" || f[2] == "" || f[3] == "" {
			return nil, fmt.Errorf("questions line %d: want locale, doc id, heading, question and optional other answers, tab-separated", n)
		}
		q := Question{Locale: f[0], Text: f[3], Answers: []Answer{{DocID: f[1], Heading: f[2]}}}
		if len(f) == 5 && strings.TrimSpace(f[4]) != "" {
			for alt := range strings.SplitSeq(f[4], " | ") {
				doc, heading, ok := strings.Cut(strings.TrimSpace(alt), "§")
				if !ok || doc == "" || heading == "" {
					return nil, fmt.Errorf("questions line %d: other answer %q is not doc-id§heading", n, alt)
				}
				q.Answers = append(q.Answers, Answer{DocID: doc, Heading: heading})
			}
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	return qs, nil
}

// Report is retrieval quality per search mode and language.
type Report struct {
	Rows []ReportRow `json:"rows"`
}

// ReportRow is the quality of one mode in one language ("all" for every
// question).
type ReportRow struct {
	Mode      string `json:"mode"`
	Locale    string `json:"locale"`
	Questions int    `json:"questions"`
	// RecallAt1 and RecallAt5 are the share of questions with an answering
	// chunk first, or among the first five.
	RecallAt1 float64 `json:"recall_at_1"`
	RecallAt5 float64 `json:"recall_at_5"`
	// MRR is the mean reciprocal rank of the first answering chunk within
	// the first ten (0 when there is none).
	MRR float64 `json:"mrr"`
}

// Row returns the row of mode and locale, and whether there is one.
func (r Report) Row(mode Mode, locale string) (ReportRow, bool) {
	for _, row := range r.Rows {
		if row.Mode == mode.String() && row.Locale == locale {
			return row, true
		}
	}
	return ReportRow{}, false
}

// WriteTable writes the report as an aligned text table.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\tlocale\tquestions\trecall@1\trecall@5\tMRR\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t\n", row.Mode, row.Locale, row.Questions, row.RecallAt1, row.RecallAt5, row.MRR)
	}
	return tw.Flush()
}

// evalDepth is how deep MRR looks.
const evalDepth = 10

// Evaluate searches every question in every mode, as a reader of the
// question's language who may see every document, and reports recall@1,
// recall@5 and MRR per mode and language, then over all questions.
func Evaluate(ctx context.Context, s *Store, questions []Question) (Report, error) {
	var locales []string
	for _, q := range questions {
		if !slices.Contains(locales, q.Locale) {
			locales = append(locales, q.Locale)
		}
	}
	var rep Report
	for _, mode := range Modes() {
		type acc struct {
			n             int
			r1, r5, rrSum float64
		}
		per := map[string]*acc{}
		all := &acc{}
		for _, q := range questions {
			hits, err := s.Search(ctx, Query{Text: q.Text, Locale: q.Locale, K: evalDepth, Mode: mode})
			if err != nil {
				return Report{}, fmt.Errorf("evaluate %q: %w", q.Text, err)
			}
			rank := 0
			for i, h := range hits {
				if slices.ContainsFunc(q.Answers, func(a Answer) bool { return a.Matches(h) }) {
					rank = i + 1
					break
				}
			}
			a := per[q.Locale]
			if a == nil {
				a = &acc{}
				per[q.Locale] = a
			}
			for _, a := range []*acc{a, all} {
				a.n++
				if rank == 1 {
					a.r1++
				}
				if rank >= 1 && rank <= 5 {
					a.r5++
				}
				if rank > 0 {
					a.rrSum += 1 / float64(rank)
				}
			}
		}
		row := func(locale string, a *acc) ReportRow {
			n := float64(max(a.n, 1))
			return ReportRow{Mode: mode.String(), Locale: locale, Questions: a.n,
				RecallAt1: a.r1 / n, RecallAt5: a.r5 / n, MRR: a.rrSum / n}
		}
		for _, l := range locales {
			rep.Rows = append(rep.Rows, row(l, per[l]))
		}
		rep.Rows = append(rep.Rows, row("all", all))
	}
	return rep, nil
}
