package web

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	connections prometheus.Gauge
	frames      *prometheus.CounterVec
	errors      *prometheus.CounterVec
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
	}
	reg.MustRegister(m.connections, m.frames, m.errors)
	return m
}
