package tools

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// checkText trims *s in place and checks that it is at most max characters,
// not empty when required, and free of control characters other than line
// breaks and tabs (Postgres cannot store NUL, and the rest only hide text).
func checkText(field string, s *string, max int, required bool) error {
	*s = strings.TrimSpace(*s)
	n := utf8.RuneCountInString(*s)
	switch {
	case n == 0 && required:
		return fmt.Errorf("%s is required", field)
	case n > max:
		return fmt.Errorf("%s is too long (%d characters, at most %d)", field, n, max)
	}
	for _, r := range *s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return fmt.Errorf("%s contains control characters", field)
		}
	}
	return nil
}

// checkEnum checks that v is one of allowed.
func checkEnum(field, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s %q is not one of %s", field, truncate(v, 40), strings.Join(allowed, ", "))
	}
	return nil
}

// parseDay parses an optional "YYYY-MM-DD" date as midnight UTC.
func parseDay(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, fmt.Errorf("%s %q is not a date; dates look like 2026-03-31", field, truncate(s, 40))
	}
	return &t, nil
}

// checkRange validates optional since and until dates, and a limit that
// defaults to def and may not exceed max.
func checkRange(since, until string, limit *int, def, max int) (from, to *time.Time, err error) {
	if from, err = parseDay("since", since); err != nil {
		return nil, nil, err
	}
	if to, err = parseDay("until", until); err != nil {
		return nil, nil, err
	}
	if from != nil && to != nil && to.Before(*from) {
		return nil, nil, fmt.Errorf("until (%s) is before since (%s)", until, since)
	}
	if to != nil {
		// until is inclusive: the whole day counts.
		end := to.AddDate(0, 0, 1)
		to = &end
	}
	switch {
	case *limit == 0:
		*limit = def
	case *limit < 0 || *limit > max:
		return nil, nil, fmt.Errorf("limit must be between 1 and %d", max)
	}
	return from, to, nil
}

// addBusinessDays returns t moved n days forward, skipping Saturdays and
// Sundays (public holidays differ by country and are not counted).
func addBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// day formats t as the date people and models read: 2026-03-31 (UTC).
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// describeItems lists items as "Trail hiking boots ×1, Merino wool socks ×2",
// each with what it comes to when the action says ("Merino wool socks ×2:
// 48.00 USD").
func describeItems(items []ActionItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%s ×%d", it.Name, it.Quantity)
		if it.Amount != nil {
			parts[i] += ": " + it.Amount.String()
		}
	}
	return strings.Join(parts, ", ")
}

// dbNow is the current time as Postgres stores it (UTC, whole
// microseconds), so what a call returns and what a repeat reads back from
// the database are equal.
func dbNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// enumJSON is values as a JSON array, for the enum of a tool's schema: the
// list the Go code validates against is the one the model is shown.
func enumJSON(values []string) string {
	b, err := json.Marshal(values)
	if err != nil {
		panic("tools: enum values are not JSON: " + err.Error())
	}
	return string(b)
}
