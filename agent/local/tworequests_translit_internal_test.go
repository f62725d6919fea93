package local

import (
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// Russian typed in Latin letters is split into its requests as it would be
// in Cyrillic: each request gets its own order and its own action, never
// the first order's lookup for "otmenite" nor the two orders under one.
func TestTwoRequestsInLatinTypedRussian(t *testing.T) {
	m := newModel(t)
	for _, tt := range []struct {
		text   string
		orders []string
		want   []nlu.Intent
	}{
		{"otmenite zakaz 20801 pozhaluysta i po zakazu 20802 vernite dengi za odin sharf",
			[]string{"ORD-20801", "ORD-20802"}, []nlu.Intent{nlu.CancelOrder, nlu.RefundRequest}},
		{"verni dengi za samovar iz 20803, a 20804 otmeni",
			[]string{"ORD-20803", "ORD-20804"}, []nlu.Intent{nlu.RefundRequest, nlu.CancelOrder}},
	} {
		t.Run(tt.text, func(t *testing.T) {
			reqs := m.splitRequests(tt.text, "ru")
			if len(reqs) != len(tt.orders) {
				t.Fatalf("splitRequests(%q) = %d requests %+v, want %d", tt.text, len(reqs), reqs, len(tt.orders))
			}
			for i, rq := range reqs {
				if rq.order != tt.orders[i] || rq.r.Intent != tt.want[i] {
					t.Errorf("request %d = %s %s (%q), want %s %s", i, rq.order, rq.r.Intent, rq.text, tt.orders[i], tt.want[i])
				}
			}
		})
	}
}
