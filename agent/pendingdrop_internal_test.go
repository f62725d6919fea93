package agent

import (
	"testing"
	"time"
)

// A refund window is said in days in each language, in the case the
// Russian line's "в течение" wants.
func TestWindowDays(t *testing.T) {
	tests := []struct {
		locale string
		days   int
		want   string
	}{
		{"en", 30, "30 days"},
		{"en", 1, "1 day"},
		{"ko", 30, "30일"},
		{"es", 30, "30 días"},
		{"ru", 30, "30 дней"},
		{"ru", 21, "21 дня"},
		{"ru", 14, "14 дней"},
		{"fr", 30, "30 days"},
	}
	for _, tt := range tests {
		if got := windowDays(tt.locale, time.Duration(tt.days)*24*time.Hour); got != tt.want {
			t.Errorf("windowDays(%q, %d days) = %q, want %q", tt.locale, tt.days, got, tt.want)
		}
	}
}
