package remote

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

var t0 = time.Date(2026, 8, 19, 12, 0, 0, 0, time.UTC)

func listing(id string, in, out float64) model.Listing {
	return model.Listing{ID: id, Slug: id, Name: id, Author: strings.Split(id, "/")[0],
		Price: model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: -1}}
}

// marketSink applies batches to a market under a lock, as the engine would.
type marketSink struct {
	mu sync.Mutex
	m  *model.Market
}

func newMarketSink(src string) *marketSink {
	return &marketSink{m: model.NewMarket(model.Config{Source: src, Clock: func() time.Time { return t0.Add(time.Hour) }})}
}

func (s *marketSink) sink(batch []model.Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range batch {
		s.m.Apply(u)
	}
}

func (s *marketSink) snap() *model.Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m.Snapshot()
}

func (s *marketSink) source(name string) (model.SourceHealth, bool) {
	for _, h := range s.snap().Sources {
		if h.Name == name {
			return h, true
		}
	}
	return model.SourceHealth{}, false
}

// serveLog serves a log on addr ("127.0.0.1:0" for any port) until stop.
func serveLog(t *testing.T, l *Log, addr string) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, l)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("within 5s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAttachReplaysStateThenStreamsAndSurvivesTheServer(t *testing.T) {
	server := newMarketSink("openrouter")
	log := NewLog(0)
	record := log.Wrap(server.sink)
	record([]model.Update{
		model.CatalogueUpdate{At: t0, Source: "catalogue", Listings: []model.Listing{listing("z-ai/glm-5", 1, 3.2), listing("openai/gpt-5", 1.25, 10)}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: t0, LastAttempt: t0}},
	})
	// A second catalogue changes a price: the log keeps one catalogue.
	record([]model.Update{model.CatalogueUpdate{At: t0.Add(time.Minute), Source: "catalogue", Listings: []model.Listing{listing("z-ai/glm-5", 0.8, 2.56)}}})
	record([]model.Update{model.StatusUpdate{At: t0, Page: model.StatusPage{Name: "claude", Status: model.StatusOperational}}})

	addr, stop := serveLog(t, log, "127.0.0.1:0")
	viewer := newMarketSink("remote " + addr)
	c, err := NewClient("http://"+addr, "", viewer.sink)
	if err != nil {
		t.Fatal(err)
	}
	c.MinBackoff, c.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = c.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the state arrives", func() bool { return len(viewer.snap().Listings) == 2 })
	s := viewer.snap()
	glm, _ := s.Listing("z-ai/glm-5")
	if glm.Price.In != 0.8 {
		t.Errorf("attached price %v, want the newest (0.8)", glm.Price.In)
	}
	if len(s.StatusPages) != 1 || s.StatusPages[0].Status != model.StatusOperational {
		t.Errorf("status pages %+v", s.StatusPages)
	}
	if h, ok := viewer.source(SourceName); !ok || !h.OK {
		t.Errorf("remote row %+v, want OK", h)
	}
	if log.Clients() != 1 {
		t.Errorf("%d clients attached", log.Clients())
	}

	// A new batch streams through.
	record([]model.Update{model.StatusUpdate{At: t0.Add(2 * time.Minute), Page: model.StatusPage{Name: "claude", Status: model.StatusMajorOutage}}})
	waitFor(t, "the streamed batch applies", func() bool {
		p := viewer.snap().StatusPages
		return len(p) == 1 && p[0].Status == model.StatusMajorOutage
	})

	// The server goes away: the screen says so and keeps its data.
	stop()
	waitFor(t, "the remote row says the server is gone", func() bool {
		h, _ := viewer.source(SourceName)
		return !h.OK && strings.Contains(h.LastError, "server gone")
	})
	if n := len(viewer.snap().Listings); n != 2 {
		t.Errorf("%d listings after the server left, want the 2 it had", n)
	}

	// It comes back on the same address, with news: the client reconnects.
	record([]model.Update{model.CatalogueUpdate{At: t0.Add(3 * time.Minute), Source: "catalogue", Listings: []model.Listing{listing("qwen/qwen3.8", 0.1, 0.4)}}})
	_, stop2 := serveLog(t, log, addr)
	defer stop2()
	waitFor(t, "reconnect and catch up", func() bool {
		h, _ := viewer.source(SourceName)
		return h.OK && len(viewer.snap().Listings) == 3
	})
}

func TestLogStateIsBounded(t *testing.T) {
	st := newState()
	for i := 0; i < 1000; i++ {
		st.add(model.EndpointsUpdate{At: t0, Source: "endpoints", ListingID: "z-ai/glm-5"})
		st.add(model.AckUpdate{Keys: []string{"k"}})
		st.add(model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", LastAttempt: t0.Add(time.Duration(i))}})
		st.add(model.UsageUpdate{At: t0.AddDate(0, 0, i), Source: "usage", Rows: []model.UsageRow{{Date: t0.AddDate(0, 0, i), Slug: "z-ai/glm-5", Tokens: 1}}})
	}
	ups := st.updates()
	counts := map[string]int{}
	for _, u := range ups {
		counts[u.Kind()]++
	}
	if counts["endpoints"] != 1 || counts["source"] != 1 || counts["ack"] != maxKept || counts["usage"] != 1 {
		t.Errorf("kinds kept: %v", counts)
	}
	for _, u := range ups {
		if uu, ok := u.(model.UsageUpdate); ok && len(uu.Rows) > model.DefaultRetention+15 {
			t.Errorf("%d usage days kept after 1000 days, want about the retention", len(uu.Rows))
		}
	}
}

func TestClientRefusesTokenOverPlainHTTP(t *testing.T) {
	if _, err := NewClient("http://tokentape.lan:9464", "tok", func([]model.Update) {}); err == nil {
		t.Error("a token over plain http to another machine was accepted")
	}
	if _, err := NewClient("http://127.0.0.1:9464", "tok", func([]model.Update) {}); err != nil {
		t.Errorf("loopback: %v", err)
	}
	if _, err := NewClient("tokentape.lan", "", func([]model.Update) {}); err == nil {
		t.Error("a URL without a scheme was accepted")
	}
}

func TestSlowClientIsCutOff(t *testing.T) {
	log := NewLog(1)
	c, _, _, err := log.attach()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := log.attach(); err != ErrFull {
		t.Errorf("second client of one: %v", err)
	}
	for i := 0; i <= clientBuffer; i++ {
		log.Record([]model.Update{model.AckUpdate{All: true}})
	}
	select {
	case <-c.done:
	default:
		t.Error("a client a full buffer behind is still attached")
	}
	if log.Clients() != 0 {
		t.Errorf("%d clients", log.Clients())
	}
}

// TestResetStartsClientsOnTheNewMarket: when the server replaces its market
// (the demo giving way to the live market), attached clients are cut off,
// and on reconnecting they start afresh on the new market: nothing of the
// demo stays under the live market's name. A reconnect to the same market
// keeps what the client has.
func TestResetStartsClientsOnTheNewMarket(t *testing.T) {
	server := newMarketSink("demo")
	log := NewLog(0)
	record := log.Wrap(server.sink)
	record([]model.Update{
		model.CatalogueUpdate{At: t0, Source: "demo", Listings: []model.Listing{listing("demo/one", 1, 2), listing("demo/two", 1, 2)}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "demo", OK: true, LastSuccess: t0, LastAttempt: t0}},
	})
	addr, stop := serveLog(t, log, "127.0.0.1:0")
	defer stop()

	var mu sync.Mutex
	viewer := newMarketSink("remote " + addr)
	fresh := 0
	c, err := NewClient("http://"+addr, "", func(b []model.Update) {
		mu.Lock()
		v := viewer
		mu.Unlock()
		v.sink(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	c.MinBackoff, c.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	c.OnNewMarket = func() {
		mu.Lock()
		defer mu.Unlock()
		fresh++
		viewer = newMarketSink("remote " + addr)
	}
	current := func() *marketSink { mu.Lock(); defer mu.Unlock(); return viewer }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = c.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the demo's state", func() bool { return len(current().snap().Listings) == 2 })
	if !current().snap().Simulated() {
		t.Error("the demo streamed to a client is not labelled simulated")
	}

	log.Reset()
	record([]model.Update{
		model.CatalogueUpdate{At: t0.Add(time.Minute), Source: "catalogue", Listings: []model.Listing{listing("z-ai/glm-5", 1, 3.2)}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: t0, LastAttempt: t0}},
	})
	waitFor(t, "the live market alone", func() bool {
		s := current().snap()
		_, hasLive := s.Listing("z-ai/glm-5")
		return hasLive && len(s.Listings) == 1
	})
	if s := current().snap(); s.Simulated() {
		t.Error("the live market still says simulated: the demo's row carried over")
	}
	mu.Lock()
	if fresh != 1 {
		t.Errorf("OnNewMarket called %d times, want 1", fresh)
	}
	mu.Unlock()

	// The same server comes back on the same market: no fresh start.
	stop()
	waitFor(t, "the client notices", func() bool { h, _ := current().source(SourceName); return !h.OK })
	_, stop2 := serveLog(t, log, addr)
	defer stop2()
	waitFor(t, "reconnected", func() bool { h, _ := current().source(SourceName); return h.OK })
	mu.Lock()
	defer mu.Unlock()
	if fresh != 1 {
		t.Errorf("a reconnect to the same market started afresh (%d)", fresh)
	}
}
