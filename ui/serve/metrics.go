package serve

import (
	"bufio"
	"math"
	"net/http"
	"runtime"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tokentape/tokentape/model"
)

// Metrics exposes the newest snapshot in the Prometheus text format, named by
// Prometheus conventions: the tokentape_ prefix, base units (seconds, USD
// per token, ratios 0–1), _total only on counters, and labels whose values
// are bounded by the catalogue (listing ids, providers, sources, pages).
// Every scrape reads the snapshot in hand; nothing is kept per scrape.
//
// The market's families are built straight from the snapshot as metric
// families of prometheus/client_model and written by prometheus/common's
// encoder; the runtime's (Go, process) come from a client_golang registry.
// Going through client_golang's const metrics for the thousands of
// per-listing series cost about 10 ms a scrape (label sorting and
// consistency checks on values that are unique by construction).
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
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ServeHTTP writes the metrics in the format the client asks for (the
// Prometheus text format by default, or protobuf).
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultAcceptedFormats()...)
	runtimeFams, err := m.reg.Gather()
	if err != nil && len(runtimeFams) == 0 {
		http.Error(w, "gathering metrics failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", string(format))
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := expfmt.NewEncoder(bw, format)
	for _, fams := range [][]*dto.MetricFamily{m.families(), runtimeFams} {
		for _, f := range fams {
			if len(f.Metric) == 0 {
				continue
			}
			if err := enc.Encode(f); err != nil {
				return
			}
		}
	}
	if c, ok := enc.(expfmt.Closer); ok {
		_ = c.Close()
	}
	_ = bw.Flush()
}

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

// family is one metric family being built.
type family struct {
	dto.MetricFamily
}

func newFamily(name, help string, typ dto.MetricType) *family {
	name = "tokentape_" + name
	return &family{dto.MetricFamily{Name: &name, Help: &help, Type: &typ}}
}

// builder allocates a scrape's metrics in slabs (callers pass labels in
// name order, as client_golang writes them) and shares label pairs
// between series: the encoder only reads them.
type builder struct {
	metrics []dto.Metric
	values  []float64
	gauges  []dto.Gauge
	labels  []*dto.LabelPair
	pairs   map[[2]string]*dto.LabelPair
}

func (b *builder) pair(name, value string) *dto.LabelPair {
	k := [2]string{name, value}
	if p, ok := b.pairs[k]; ok {
		return p
	}
	p := &dto.LabelPair{Name: &k[0], Value: &k[1]}
	b.pairs[k] = p
	return p
}

func (b *builder) add(f *family, v float64, pairs ...*dto.LabelPair) {
	if len(b.metrics) == cap(b.metrics) {
		b.metrics = make([]dto.Metric, 0, 512)
		b.values = make([]float64, 0, 512)
		b.gauges = make([]dto.Gauge, 0, 512)
	}
	if len(b.labels)+len(pairs) > cap(b.labels) {
		b.labels = make([]*dto.LabelPair, 0, 2048)
	}
	b.values = append(b.values, v)
	b.metrics = append(b.metrics, dto.Metric{})
	mt := &b.metrics[len(b.metrics)-1]
	start := len(b.labels)
	b.labels = append(b.labels, pairs...)
	mt.Label = b.labels[start:len(b.labels):len(b.labels)]
	vp := &b.values[len(b.values)-1]
	if f.GetType() == dto.MetricType_COUNTER {
		mt.Counter = &dto.Counter{Value: vp}
	} else {
		b.gauges = append(b.gauges, dto.Gauge{Value: vp})
		mt.Gauge = &b.gauges[len(b.gauges)-1]
	}
	f.Metric = append(f.Metric, mt)
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

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

var (
	healthNames = [...]string{"unknown", "ok", "degraded", "down"}
	pageStates  = []model.PageStatus{model.StatusUnknown, model.StatusOperational, model.StatusMaintenance,
		model.StatusDegraded, model.StatusPartialOutage, model.StatusMajorOutage}
	severities = []model.Severity{model.SeverityInfo, model.SeverityWarn, model.SeverityCrit}
)

// families builds the market's metric families from the newest snapshot.
func (m *Metrics) families() []*dto.MetricFamily {
	const gauge, counter = dto.MetricType_GAUGE, dto.MetricType_COUNTER
	var (
		fBuild    = newFamily("build_info", "Build of the tokentape server; always 1.", gauge)
		fViewers  = newFamily("viewers", "Connected readers by transport (ssh, sse).", gauge)
		fMarket   = newFamily("market_info", "Where the market comes from; always 1. simulated is true for the demo market and its replays.", gauge)
		fAsOf     = newFamily("market_as_of_timestamp_seconds", "Unix time of the newest market data held (0 before any).", gauge)
		fListings = newFamily("listings", "Listings in the catalogue.", gauge)
		fTokens   = newFamily("listing_tokens", "Tokens processed by a listing over the trailing window (7 days by default). Absent without volumes (no API key).", gauge)
		fShare    = newFamily("listing_share_ratio", "A listing's share of all tokens over the trailing window, 0-1. Absent without volumes.", gauge)
		fRank     = newFamily("listing_rank", "A listing's rank, 1 the most used; absent when unranked.", gauge)
		fPrice    = newFamily("listing_price_usd_per_token", "A listing's list price in USD per token by kind (input, output, cache_read); absent when variable or unknown.", gauge)
		fHealth   = newFamily("listing_health", "A listing's serving state as a state set: 1 for the current state (unknown, ok, degraded, down), 0 for the others.", gauge)
		fUptime   = newFamily("endpoint_uptime_ratio", "An endpoint's uptime over a window (5m, 30m, 1d), 0-1.", gauge)
		fLatency  = newFamily("endpoint_latency_seconds", "An endpoint's median time to first token over the last 30 minutes (needs an API key upstream).", gauge)
		fPage     = newFamily("status_page_state", "A status page's state as a state set: 1 for the current state, 0 for the others.", gauge)
		fOrigin   = newFamily("origin_share_ratio", "An origin's share of the tokens attributed to listings, 0-1.", gauge)
		fAlerts   = newFamily("alerts_firing", "Alerts firing, by kind and severity.", gauge)
		fUnacked  = newFamily("alerts_unacknowledged", "Alerts firing that nobody has acknowledged.", gauge)
		fLastOK   = newFamily("source_last_success_timestamp_seconds", "Unix time of a source's last successful fetch (0 when never).", gauge)
		fUp       = newFamily("source_up", "1 when a source's last attempt succeeded, else 0.", gauge)
		fStale    = newFamily("source_stale", "1 when a source has not succeeded for three of its intervals, else 0.", gauge)
		fErrors   = newFamily("source_errors_total", "Failed fetches of a source seen since the server started.", counter)
	)
	out := []*family{fBuild, fViewers, fMarket, fAsOf, fListings, fTokens, fShare, fRank, fPrice, fHealth,
		fUptime, fLatency, fPage, fOrigin, fAlerts, fUnacked, fLastOK, fUp, fStale, fErrors}
	b := &builder{pairs: make(map[[2]string]*dto.LabelPair, 64)}
	b.add(fBuild, 1, b.pair("goversion", runtime.Version()), b.pair("version", m.version))
	if m.viewers != nil {
		ssh, sse := m.viewers()
		b.add(fViewers, float64(ssh), b.pair("transport", "ssh"))
		b.add(fViewers, float64(sse), b.pair("transport", "sse"))
	}
	if s := m.latest(); s != nil {
		m.market(b, s, fMarket, fAsOf, fListings, fTokens, fShare, fRank, fPrice, fHealth, fUptime, fLatency,
			fPage, fOrigin, fAlerts, fUnacked, fLastOK, fUp, fStale, fErrors)
	}
	fams := make([]*dto.MetricFamily, len(out))
	for i, f := range out {
		fams[i] = &f.MetricFamily
	}
	return fams
}

func (m *Metrics) market(b *builder, s *model.Snapshot, fMarket, fAsOf, fListings, fTokens, fShare, fRank, fPrice,
	fHealth, fUptime, fLatency, fPage, fOrigin, fAlerts, fUnacked, fLastOK, fUp, fStale, fErrors *family) {
	b.add(fMarket, 1, b.pair("simulated", boolString(s.Simulated())), b.pair("source", s.Source))
	b.add(fAsOf, unix(s.AsOf))
	b.add(fListings, float64(len(s.Listings)))
	kinds := [3]*dto.LabelPair{b.pair("kind", "input"), b.pair("kind", "output"), b.pair("kind", "cache_read")}
	var states [len(healthNames)]*dto.LabelPair
	for i, n := range healthNames {
		states[i] = b.pair("state", n)
	}
	windows := [3]*dto.LabelPair{b.pair("window", "5m"), b.pair("window", "30m"), b.pair("window", "1d")}
	listingName := "listing"
	for i := range s.Listings {
		l := &s.Listings[i]
		id := &dto.LabelPair{Name: &listingName, Value: &l.ID} // unique per listing: not worth the map
		if s.HasVolumes {
			b.add(fTokens, float64(l.Tokens), id)
			if finite(l.Share) {
				b.add(fShare, l.Share/100, id)
			}
		}
		if l.Rank > 0 {
			b.add(fRank, float64(l.Rank), id)
		}
		if p := l.Price; p.Kind == model.PricePaid || p.Kind == model.PriceFree {
			for k, v := range [3]float64{p.In, p.Out, p.CacheRead} {
				if finite(v) {
					b.add(fPrice, v/1e6, kinds[k], id)
				}
			}
		}
		for h := range healthNames {
			b.add(fHealth, boolf(int(l.Health) == h), id, states[h])
		}
		for _, e := range l.Endpoints() {
			prov := b.pair("provider", e.Provider)
			for w, v := range [3]float64{e.Uptime5m, e.Uptime30m, e.Uptime1d} {
				if finite(v) {
					b.add(fUptime, v/100, id, prov, windows[w])
				}
			}
			if finite(e.LatencyP50) {
				b.add(fLatency, e.LatencyP50/1000, id, prov)
			}
		}
	}
	for _, p := range s.StatusPages {
		page := b.pair("page", p.Name)
		for _, st := range pageStates {
			b.add(fPage, boolf(p.Status == st), page, b.pair("state", st.String()))
		}
	}
	for _, o := range s.Origins {
		if finite(o.Share) {
			b.add(fOrigin, o.Share/100, b.pair("origin", string(o.Origin)))
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
			b.add(fAlerts, float64(firing[[2]string{string(k), sev.String()}]), b.pair("kind", string(k)), b.pair("severity", sev.String()))
		}
	}
	b.add(fUnacked, float64(unacked))
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range s.Sources {
		src := b.pair("source", h.Name)
		b.add(fLastOK, unix(h.LastSuccess), src)
		b.add(fUp, boolf(h.OK), src)
		b.add(fStale, boolf(h.Stale(s.Now)), src)
		b.add(fErrors, m.errors[h.Name], src)
	}
}
