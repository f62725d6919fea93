package local

import (
	"slices"
	"testing"
	"time"

	"github.com/csagent/csagent/agent"
)

// BenchmarkRouteRead is what local-first routing adds to a turn the local
// model answers: one more reading of the conversation (Read) before the
// model's own. It reports the p99 of single reads beside ns/op.
func BenchmarkRouteRead(b *testing.B) {
	c, err := classifier()
	if err != nil {
		b.Fatal(err)
	}
	m := New(c)
	req := agent.Request{Locale: "en", Messages: []agent.Message{
		{Role: agent.RoleUser, Content: "hi there"},
		{Role: agent.RoleAssistant, Content: "Hello! How can I help?"},
		{Role: agent.RoleUser, Content: "what is the refund window?"},
		{Role: agent.RoleAssistant, Content: "You can ask for a refund within 30 days of delivery."},
		{Role: agent.RoleUser, Content: "where is my order ORD-10042?"},
	}}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		m.Read(req)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}
