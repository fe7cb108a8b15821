package serve

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"

	"github.com/tokentape/tokentape/model"
)

// scrape renders /metrics and parses it back as the Prometheus text format.
func scrape(t testing.TB, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	h := NewHTTPHandler(HTTPOptions{Metrics: m, Latest: func() *model.Snapshot { return nil }})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "text/plain")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: HTTP %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("/metrics does not parse as Prometheus text: %v", err)
	}
	return fams
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	}
	return math.NaN()
}

func TestMetricsMatchSnapshot(t *testing.T) {
	s := liveSnapshot(t)
	m := NewMetrics("test", func() *model.Snapshot { return s }, func() (int, int) { return 3, 7 })
	m.Observe(s)
	fams := scrape(t, m)

	for name, f := range fams {
		if f.GetType() == dto.MetricType_COUNTER && name[len(name)-6:] != "_total" {
			t.Errorf("counter %s does not end in _total", name)
		}
		if f.GetType() != dto.MetricType_COUNTER && len(name) > 6 && name[len(name)-6:] == "_total" {
			t.Errorf("%s ends in _total but is a %s", name, f.GetType())
		}
	}

	prices := map[[2]string]float64{}
	for _, mt := range fams["tokentape_listing_price_usd_per_token"].GetMetric() {
		l := labels(mt)
		prices[[2]string{l["listing"], l["kind"]}] = value(mt)
	}
	priced := 0
	for _, l := range s.Listings {
		p := l.Price
		if p.Kind != model.PricePaid && p.Kind != model.PriceFree {
			if _, ok := prices[[2]string{l.ID, "input"}]; ok {
				t.Errorf("%s: %s price exported as a number", l.ID, p.Kind)
			}
			continue
		}
		priced++
		for kind, want := range map[string]float64{"input": p.In, "output": p.Out} {
			got, ok := prices[[2]string{l.ID, kind}]
			if !ok {
				t.Errorf("%s: no %s price series", l.ID, kind)
				continue
			}
			if math.Abs(got-want/1e6) > 1e-15 {
				t.Errorf("%s %s price %g USD/token, want %g (the snapshot's %g per million)", l.ID, kind, got, want/1e6, want)
			}
		}
	}
	if priced < 400 {
		t.Errorf("only %d listings have a price in the real catalogue; want most of 414", priced)
	}

	// The health state set: exactly one state at 1 per listing, the snapshot's.
	ones := map[string]string{}
	for _, mt := range fams["tokentape_listing_health"].GetMetric() {
		l := labels(mt)
		if value(mt) == 1 {
			if prev, dup := ones[l["listing"]]; dup {
				t.Errorf("%s is both %s and %s", l["listing"], prev, l["state"])
			}
			ones[l["listing"]] = l["state"]
		}
	}
	for _, l := range s.Listings {
		if ones[l.ID] != healthNames[l.Health] {
			t.Errorf("%s health %q in metrics, %v in the snapshot", l.ID, ones[l.ID], l.Health)
		}
	}

	// Endpoint uptimes are ratios of the snapshot's percentages.
	ups := 0
	for _, mt := range fams["tokentape_endpoint_uptime_ratio"].GetMetric() {
		v := value(mt)
		if v < 0 || v > 1 {
			t.Errorf("uptime ratio %g out of 0-1: %v", v, labels(mt))
		}
		ups++
	}
	if ups == 0 {
		t.Error("no endpoint uptime series, though the recording has endpoints")
	}

	single := func(name string) float64 {
		t.Helper()
		ms := fams[name].GetMetric()
		if len(ms) != 1 {
			t.Fatalf("%s: %d series, want 1", name, len(ms))
		}
		return value(ms[0])
	}
	if got := single("tokentape_listings"); got != float64(len(s.Listings)) {
		t.Errorf("tokentape_listings %g, want %d", got, len(s.Listings))
	}
	if got := single("tokentape_market_as_of_timestamp_seconds"); got != float64(s.AsOf.UnixNano())/1e9 {
		t.Errorf("as-of %g, want %d", got, s.AsOf.Unix())
	}
	if got := labels(fams["tokentape_build_info"].GetMetric()[0])["version"]; got != "test" {
		t.Errorf("build_info version %q", got)
	}
	claude := map[string]float64{}
	for _, mt := range fams["tokentape_status_page_state"].GetMetric() {
		if l := labels(mt); l["page"] == "claude" {
			claude[l["state"]] = value(mt)
		}
	}
	if claude["operational"] != 1 || len(claude) != len(pageStates) {
		t.Errorf("claude page states %v, want operational = 1 among %d states", claude, len(pageStates))
	}
	sources := map[string]bool{}
	for _, mt := range fams["tokentape_source_errors_total"].GetMetric() {
		sources[labels(mt)["source"]] = true
		if value(mt) != 0 {
			t.Errorf("errors counted for a run without errors: %v = %g", labels(mt), value(mt))
		}
	}
	for _, h := range s.Sources {
		if !sources[h.Name] {
			t.Errorf("no error counter for source %s", h.Name)
		}
	}
	viewers := map[string]float64{}
	for _, mt := range fams["tokentape_viewers"].GetMetric() {
		viewers[labels(mt)["transport"]] = value(mt)
	}
	if viewers["ssh"] != 3 || viewers["sse"] != 7 {
		t.Errorf("viewers %v, want ssh 3 sse 7", viewers)
	}
}

func TestMetricsCountSourceErrors(t *testing.T) {
	s := &model.Snapshot{Source: "openrouter"}
	m := NewMetrics("test", func() *model.Snapshot { return s }, nil)
	at := func(sec int, ok bool) {
		h := model.SourceHealth{Name: "catalogue", OK: ok, LastAttempt: s.Now.Add(timeSec(sec))}
		if !ok {
			h.LastError = "HTTP 500"
		}
		s = &model.Snapshot{Source: "openrouter", Sources: []model.SourceHealth{h}}
		m.Observe(s)
	}
	at(1, false)
	at(1, false) // the same attempt seen in two snapshots counts once
	at(2, true)
	at(3, false)
	fams := scrape(t, m)
	got := value(fams["tokentape_source_errors_total"].GetMetric()[0])
	if got != 2 {
		t.Errorf("tokentape_source_errors_total %g, want 2", got)
	}
	if up := value(fams["tokentape_source_up"].GetMetric()[0]); up != 0 {
		t.Errorf("source_up %g after a failure, want 0", up)
	}
}

func BenchmarkMetrics414Listings(b *testing.B) {
	s := liveSnapshot(b)
	m := NewMetrics("bench", func() *model.Snapshot { return s }, nil)
	h := NewHTTPHandler(HTTPOptions{Metrics: m, Latest: func() *model.Snapshot { return s }})
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
