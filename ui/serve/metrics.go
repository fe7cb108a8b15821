package serve

import (
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tokentape/tokentape/model"
)

// Metrics exposes the newest snapshot in the Prometheus text format, named by
// Prometheus conventions: the tokentape_ prefix, base units (seconds, USD
// per token, ratios 0–1), _total only on counters, and labels whose values
// are bounded by the catalogue (listing ids, providers, sources, pages).
// Every scrape reads the snapshot in hand; nothing is kept per scrape.
type Metrics struct {
	reg     *prometheus.Registry
	latest  func() *model.Snapshot
	viewers func() (ssh, sse int)
	version string

	mu     sync.Mutex
	errors map[string]float64   // source → failed attempts seen
	tried  map[string]time.Time // source → the last attempt counted
}

// NewMetrics returns the metrics of the snapshots latest returns; viewers
// (may be nil) counts the connected SSH viewers and SSE streams.
func NewMetrics(version string, latest func() *model.Snapshot, viewers func() (ssh, sse int)) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(), latest: latest, viewers: viewers, version: version,
		errors: make(map[string]float64), tried: make(map[string]time.Time),
	}
	m.reg.MustRegister(marketCollector{m},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is what an HTTP handler gathers from.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Observe counts the failed fetches a snapshot reports; call it with every
// published snapshot so that tokentape_source_errors_total only grows.
func (m *Metrics) Observe(s *model.Snapshot) {
	if s == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range s.Sources {
		if h.LastAttempt.IsZero() || !h.LastAttempt.After(m.tried[h.Name]) {
			continue
		}
		m.tried[h.Name] = h.LastAttempt
		if _, ok := m.errors[h.Name]; !ok {
			m.errors[h.Name] = 0
		}
		if !h.OK && h.LastError != "" {
			m.errors[h.Name]++
		}
	}
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("tokentape_"+name, help, labels, nil)
}

var (
	dBuild      = desc("build_info", "Build of the tokentape server; always 1.", "version", "goversion")
	dSource     = desc("market_info", "Where the market comes from; always 1. simulated is true for the demo market and its replays.", "source", "simulated")
	dAsOf       = desc("market_as_of_timestamp_seconds", "Unix time of the newest market data held (0 before any).")
	dListings   = desc("listings", "Listings in the catalogue.")
	dTokens     = desc("listing_tokens", "Tokens processed by a listing over the trailing window (7 days by default). Absent without volumes (no API key).", "listing")
	dShare      = desc("listing_share_ratio", "A listing's share of all tokens over the trailing window, 0-1. Absent without volumes.", "listing")
	dRank       = desc("listing_rank", "A listing's rank, 1 the most used; absent when unranked.", "listing")
	dPrice      = desc("listing_price_usd_per_token", "A listing's list price in USD per token by kind (input, output, cache_read); absent when variable or unknown.", "listing", "kind")
	dHealth     = desc("listing_health", "A listing's serving state as a state set: 1 for the current state (unknown, ok, degraded, down), 0 for the others.", "listing", "state")
	dUptime     = desc("endpoint_uptime_ratio", "An endpoint's uptime over a window (5m, 30m, 1d), 0-1.", "listing", "provider", "window")
	dLatency    = desc("endpoint_latency_seconds", "An endpoint's median time to first token over the last 30 minutes (needs an API key upstream).", "listing", "provider")
	dPage       = desc("status_page_state", "A status page's state as a state set: 1 for the current state, 0 for the others.", "page", "state")
	dOrigin     = desc("origin_share_ratio", "An origin's share of the tokens attributed to listings, 0-1.", "origin")
	dAlerts     = desc("alerts_firing", "Alerts firing, by kind and severity.", "kind", "severity")
	dUnacked    = desc("alerts_unacknowledged", "Alerts firing that nobody has acknowledged.")
	dLastOK     = desc("source_last_success_timestamp_seconds", "Unix time of a source's last successful fetch (0 when never).", "source")
	dUp         = desc("source_up", "1 when a source's last attempt succeeded, else 0.", "source")
	dStale      = desc("source_stale", "1 when a source has not succeeded for three of its intervals, else 0.", "source")
	dErrors     = desc("source_errors_total", "Failed fetches of a source seen since the server started.", "source")
	dViewers    = desc("viewers", "Connected readers by transport (ssh, sse).", "transport")
	healthNames = [...]string{"unknown", "ok", "degraded", "down"}
	pageStates  = []model.PageStatus{model.StatusUnknown, model.StatusOperational, model.StatusMaintenance,
		model.StatusDegraded, model.StatusPartialOutage, model.StatusMajorOutage}
	severities = []model.Severity{model.SeverityInfo, model.SeverityWarn, model.SeverityCrit}
)

// marketCollector turns the newest snapshot into constant metrics.
type marketCollector struct{ m *Metrics }

func (c marketCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dBuild, dSource, dAsOf, dListings, dTokens, dShare, dRank, dPrice,
		dHealth, dUptime, dLatency, dPage, dOrigin, dAlerts, dUnacked, dLastOK, dUp, dStale, dErrors, dViewers} {
		ch <- d
	}
}

func gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func unix(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (c marketCollector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	gauge(ch, dBuild, 1, m.version, runtime.Version())
	if m.viewers != nil {
		ssh, sse := m.viewers()
		gauge(ch, dViewers, float64(ssh), "ssh")
		gauge(ch, dViewers, float64(sse), "sse")
	}
	s := m.latest()
	if s == nil {
		return
	}
	gauge(ch, dSource, 1, s.Source, boolString(s.Simulated()))
	gauge(ch, dAsOf, unix(s.AsOf))
	gauge(ch, dListings, float64(len(s.Listings)))
	for i := range s.Listings {
		l := &s.Listings[i]
		if s.HasVolumes {
			gauge(ch, dTokens, float64(l.Tokens), l.ID)
			if finite(l.Share) {
				gauge(ch, dShare, l.Share/100, l.ID)
			}
		}
		if l.Rank > 0 {
			gauge(ch, dRank, float64(l.Rank), l.ID)
		}
		if p := l.Price; p.Kind == model.PricePaid || p.Kind == model.PriceFree {
			for _, k := range [...]struct {
				name string
				v    float64
			}{{"input", p.In}, {"output", p.Out}, {"cache_read", p.CacheRead}} {
				if finite(k.v) {
					gauge(ch, dPrice, k.v/1e6, l.ID, k.name)
				}
			}
		}
		for h, name := range healthNames {
			gauge(ch, dHealth, boolf(int(l.Health) == h), l.ID, name)
		}
		for _, e := range l.Endpoints {
			for _, w := range [...]struct {
				name string
				v    float64
			}{{"5m", e.Uptime5m}, {"30m", e.Uptime30m}, {"1d", e.Uptime1d}} {
				if finite(w.v) {
					gauge(ch, dUptime, w.v/100, l.ID, e.Provider, w.name)
				}
			}
			if finite(e.LatencyP50) {
				gauge(ch, dLatency, e.LatencyP50/1000, l.ID, e.Provider)
			}
		}
	}
	for _, p := range s.StatusPages {
		for _, st := range pageStates {
			gauge(ch, dPage, boolf(p.Status == st), p.Name, st.String())
		}
	}
	for _, o := range s.Origins {
		if finite(o.Share) {
			gauge(ch, dOrigin, o.Share/100, string(o.Origin))
		}
	}
	firing := make(map[[2]string]int)
	unacked := 0
	for _, a := range s.Alerts {
		if a.State == model.AlertFiring {
			firing[[2]string{string(a.Kind), a.Severity.String()}]++
			if !a.Acked {
				unacked++
			}
		}
	}
	for _, k := range model.AlertKinds {
		for _, sev := range severities {
			gauge(ch, dAlerts, float64(firing[[2]string{string(k), sev.String()}]), string(k), sev.String())
		}
	}
	gauge(ch, dUnacked, float64(unacked))
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range s.Sources {
		gauge(ch, dLastOK, unix(h.LastSuccess), h.Name)
		gauge(ch, dUp, boolf(h.OK), h.Name)
		gauge(ch, dStale, boolf(h.Stale(s.Now)), h.Name)
		ch <- prometheus.MustNewConstMetric(dErrors, prometheus.CounterValue, m.errors[h.Name], h.Name)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
