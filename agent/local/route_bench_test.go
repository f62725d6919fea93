package local

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
	"unicode"

	"github.com/csagent/csagent/agent"
)

// routeBenchRequest is a five-message conversation whose last message is a
// routine request.
func routeBenchRequest() agent.Request {
	return agent.Request{Locale: "en", Messages: []agent.Message{
		{Role: agent.RoleUser, Content: "hi there"},
		{Role: agent.RoleAssistant, Content: "Hello! How can I help?"},
		{Role: agent.RoleUser, Content: "what is the refund window?"},
		{Role: agent.RoleAssistant, Content: "You can ask for a refund within 30 days of delivery."},
		{Role: agent.RoleUser, Content: "where is my order ORD-10042?"},
	}}
}

// reportPercentiles reports the p50 and p99 of lat, in µs, as metrics
// named after unit.
func reportPercentiles(b *testing.B, lat []time.Duration, unit string) {
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*50/100].Nanoseconds())/1e3, "p50-"+unit)
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-"+unit)
	}
}

// BenchmarkRouteRead is what local-first routing adds to a turn the local
// model answers, against a local-only turn:
//
//   - local: the local model's answer alone (Generate), the local-only turn;
//   - routed: routing's reading (Read) and the answer from that reading
//     (GenerateRead), the routed turn;
//   - read: the reading alone.
//
// routed minus local is the overhead routing adds. Each operation's newest
// message is spelt its own way (the case of "where is my order" by the
// bits of a counter), so the model's memo of parsed messages knows the
// earlier messages, as it does in a running conversation, and never the
// newest. Each reports the p50
// and p99 of single operations in wall time (µs) and, on Linux, in the
// thread's CPU time (cpu-µs), which a machine shared with other work does
// not inflate.
func BenchmarkRouteRead(b *testing.B) {
	c, err := classifier()
	if err != nil {
		b.Fatal(err)
	}
	m := New(c)
	req := routeBenchRequest()
	ctx := context.Background()
	n := 0
	run := func(b *testing.B, op func()) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		lat := make([]time.Duration, 0, 1024)
		cpu := make([]time.Duration, 0, 1024)
		for b.Loop() {
			req = newest(req, n)
			n++
			start := time.Now()
			c0, ok0 := threadCPU()
			op()
			c1, ok1 := threadCPU()
			lat = append(lat, time.Since(start))
			if ok0 && ok1 {
				cpu = append(cpu, c1-c0)
			}
		}
		reportPercentiles(b, lat, "µs")
		reportPercentiles(b, cpu, "cpu-µs")
	}
	b.Run("local", func(b *testing.B) {
		run(b, func() {
			if _, err := m.Generate(ctx, req, nil); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("routed", func(b *testing.B) {
		run(b, func() {
			if _, err := m.GenerateRead(ctx, req, m.Read(req), nil); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("read", func(b *testing.B) {
		run(b, func() { m.Read(req) })
	})
}

// newest returns req with its last message, "where is my order ORD-10042?",
// spelt the n-th way: the letters of "where is my order" in upper or lower
// case by the bits of n.
func newest(req agent.Request, n int) agent.Request {
	msgs := slices.Clone(req.Messages)
	text := []rune("where is my order ORD-10042?")
	bit := 0
	for i, r := range text[:len("where is my order")] {
		if r != ' ' {
			if n>>bit&1 == 1 {
				text[i] = unicode.ToUpper(r)
			}
			bit++
		}
	}
	msgs[len(msgs)-1].Content = string(text)
	req.Messages = msgs
	return req
}
