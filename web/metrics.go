package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewAdminHandler serves the operators' endpoints, for a listener apart
// from the public one (serve's --admin-addr): the metrics of reg at
// /metrics, and /healthz. The metrics name limits, routes and error codes
// that are no business of the public.
func NewAdminHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("GET /healthz", handleHealthz())
	return mux
}

type metrics struct {
	connections prometheus.Gauge
	frames      *prometheus.CounterVec
	errors      *prometheus.CounterVec
	// limited counts requests, frames and connections refused by a limit.
	limited          *prometheus.CounterVec
	limiterEvictions prometheus.Counter

	subscriptions prometheus.Gauge
	listening     prometheus.Gauge
	hubReconnects prometheus.Counter
	notifications *prometheus.CounterVec
	delivered     prometheus.Counter

	requests       *prometheus.CounterVec
	ratings        *prometheus.CounterVec
	sellerMessages prometheus.Counter
	drafts         *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "csagent_ws_connections", Help: "Open chat websockets.",
		}),
		frames: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_ws_frames_total", Help: "Chat frames received, by type (unknown for the rest).",
		}, []string{"type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_ws_errors_total", Help: "Error frames sent, by code.",
		}, []string{"code"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_web_limited_total",
			Help: "Messages, frames, bodies and connections refused or closed by a limit, by limit.",
		}, []string{"limit"}),
		limiterEvictions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "csagent_web_rate_limiter_evictions_total", Help: "Times the per-buyer rate limiter was full and forgot buyers.",
		}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "csagent_hub_subscriptions", Help: "Open chats and seller panels following conversations.",
		}),
		listening: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "csagent_hub_listening", Help: "1 while the notification listener is connected to Postgres.",
		}),
		hubReconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "csagent_hub_reconnects_total", Help: "Times the notification listener lost its connection.",
		}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_hub_notifications_total", Help: "Notifications received from Postgres, by channel.",
		}, []string{"channel"}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "csagent_ws_messages_delivered_total", Help: "Stored messages sent to chat websockets (replay and live).",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_http_requests_total", Help: "HTTP requests answered, by route pattern and status.",
		}, []string{"route", "status"}),
		ratings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_ratings_total", Help: "Conversation ratings received, by thumbs (none when not given).",
		}, []string{"thumbs"}),
		sellerMessages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "csagent_seller_messages_total", Help: "Replies sent by sellers from the reply-assist panel.",
		}),
		drafts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "csagent_seller_suggestions_total", Help: "Suggested-reply requests, by outcome.",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.connections, m.frames, m.errors, m.limited, m.limiterEvictions,
		m.subscriptions, m.listening, m.hubReconnects, m.notifications, m.delivered,
		m.requests, m.ratings, m.sellerMessages, m.drafts)
	return m
}

// instrument counts every request by its route pattern (never its path,
// which may carry ids) and status.
func instrument(m *metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			route := routePattern(r)
			status := ww.Status()
			switch {
			case status == 0 && strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
				status = http.StatusSwitchingProtocols // hijacked by the upgrader
			case status == 0:
				status = http.StatusOK
			}
			m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		})
	}
}

// routePattern returns the pattern of the route r matched, for logs and
// metrics: never the path, which may carry ids.
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
