package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// blackHole is a listener that accepts connections and never answers.
func blackHole(t *testing.T) string {
	base, _ := countingBlackHole(t)
	return base
}

// countingBlackHole is blackHole, and how many connections it accepted.
func countingBlackHole(t *testing.T) (base string, accepted func() int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	conns := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(conns)
				return
			}
			n.Add(1)
			conns <- c // held open, never read or written
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/api/v1", n.Load
}

func autoApp(t *testing.T, base string) *app {
	t.Helper()
	t.Setenv("OPENROUTER_API_KEY", "")
	cfg := config.Defaults()
	a, err := newApp(options{source: sourceAuto, openrouterURL: base, speed: 64,
		statusPages: multiFlag{"x=" + base + "/status"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAutoFallsBackWithinFiveSeconds: a catalogue address that accepts and
// never answers costs at most five seconds; the run is then the demo, and
// its offline row says why.
func TestAutoFallsBackWithinFiveSeconds(t *testing.T) {
	a := autoApp(t, blackHole(t))
	start := time.Now()
	first, err := a.resolveAuto(context.Background())
	took := time.Since(start)
	if err == nil || first != nil {
		t.Fatalf("a black hole answered: %v, %d updates", err, len(first))
	}
	if took > autoProbeTimeout+time.Second { // the issue allows 6 s to OFFLINE · DEMO
		t.Errorf("the fallback took %v", took)
	}
	s := a.market.Snapshot()
	reason, offline := s.Offline()
	if a.o.source != sourceDemo || !offline || reason != "no answer within 5s" {
		t.Errorf("source %s, offline %v %q; want the demo, offline, no answer within 5s", a.o.source, offline, reason)
	}
}

// TestAutoOfflineReasons: a closed port and an unknown host say "no
// network" with what failed; an HTTP error says the status.
func TestAutoOfflineReasons(t *testing.T) {
	closed := "http://" + freePort(t) + "/api/v1" // nobody listens: connection refused
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer srv.Close()
	for base, want := range map[string]string{
		closed:              "no network: connection refused",
		srv.URL + "/api/v1": "catalogue: HTTP 500",
	} {
		a := autoApp(t, base)
		_, err := a.resolveAuto(context.Background())
		if err == nil {
			t.Fatalf("%s answered", base)
		}
		if got, _ := a.market.Snapshot().Offline(); got != want {
			t.Errorf("%s: reason %q, want %q", base, got, want)
		}
	}
	// No DNS in tests: the fetcher's error for an unknown host, built here.
	dns := &feeds.FetchError{Msg: "no such host openrouter.ai", Err: &net.DNSError{Err: "no such host", Name: "openrouter.ai", IsNotFound: true}}
	if got := offlineReason(fmt.Errorf("catalogue: %w", dns)); got != "no network: lookup openrouter.ai: no such host" {
		t.Errorf("unknown host: %q", got)
	}
}

// TestAutoSwitchesToLiveOnRefresh: on the demo fallback, r looks for the
// live market again and, once it answers, replaces the demo with a fresh
// live market (nothing of the demo carries over) polled from then on.
func TestAutoSwitchesToLiveOnRefresh(t *testing.T) {
	upstream := newLateUpstream(t, false, realCatalogue(t, 40))
	a := autoApp(t, upstream.base)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := a.resolveAuto(ctx); err == nil {
		t.Fatal("the live market answered while down")
	}
	engine := NewEngine(a.market)
	go engine.Run(ctx, nil)
	report := func(h model.SourceHealth) { engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}}) }
	st, _, err := a.stream(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	player := feeds.NewPlayer(st, engine.Sink(), feeds.PlayerOptions{Speed: 64})
	later := make(chan func(context.Context), 1)
	control, runner := a.demoFallback(ctx, engine, player, engine.Sink(), report, later)
	go runner(ctx)

	waitFor(t, "the demo", func() bool { s := engine.Latest(); return s.Simulated() && len(s.Listings) > 0 })
	control.Refresh() // still down: stays on the demo, saying why
	waitFor(t, "the failed retry", func() bool {
		r, ok := engine.Latest().Offline()
		return ok && r == "catalogue: HTTP 503"
	})
	if control.Speed() <= 0 {
		t.Error("the demo's control lost its speed")
	}

	upstream.up()
	control.Refresh()
	waitFor(t, "the live market", func() bool { s := engine.Latest(); return s.Source == sourceOpenRouter && len(s.Listings) >= 35 })
	s := engine.Latest()
	if s.Simulated() {
		t.Error("the live market still says it is simulated")
	}
	for _, h := range s.Sources {
		if h.Name == model.DemoSource || h.Name == model.OfflineSource {
			t.Errorf("the demo's source row %q carried over", h.Name)
		}
	}
	if s.HasVolumes {
		t.Error("the demo's volumes carried over (live without a key has none)")
	}
	for i := range s.Listings {
		if s.Listings[i].Tokens > 0 {
			t.Fatalf("%s has the demo's tokens", s.Listings[i].ID)
		}
	}
	select {
	case run := <-later:
		go run(ctx)
	case <-time.After(5 * time.Second):
		t.Fatal("no live poller was started")
	}
	waitFor(t, "the live control", func() bool { return control.Speed() == 0 })
	control.Refresh() // now reaches the poller: must not look for live again
	if strings.Contains(engine.Latest().Source, "demo") {
		t.Error("back on the demo")
	}
}

// TestTUIDrawsTheHistoryWhileLookingForLive: with a kept market, an auto
// TUI draws it (HISTORY) before anything is asked of the network, and looks
// for the live market behind it: a black hole leaves the history on screen
// with the reason in its live row; an answering upstream replaces it with
// the live market, as r does.
func TestTUIDrawsTheHistoryWhileLookingForLive(t *testing.T) {
	hole, accepted := countingBlackHole(t)
	var hits atomic.Int64
	catalogue := realCatalogue(t, 40)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/api/v1/models" {
			w.Write(catalogue)
			return
		}
		http.NotFound(w, r)
	}))
	defer upstream.Close()
	for _, c := range []struct {
		name      string
		base      string
		asked     func() int64
		wantLive  bool
		wantWhy   string // the live row's error when it stays on the history
		wantFirst int    // listings on the first frame: the kept market's
	}{
		{"black hole: the history stays, saying why", hole, accepted, false, "no answer within 5s", 2},
		{"answering upstream: live replaces the history", upstream.URL + "/api/v1", hits.Load, true, "", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, _, _ := recordedHistory(t)
			a := autoApp(t, c.base)
			a.o.db = db
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			before := c.asked()
			rs, err := a.openRun(ctx, io.Discard, nil)
			defer a.hist.close(io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if !rs.lookBehind || rs.first != nil || rs.offline != nil || a.o.source != sourceHistory {
				t.Fatalf("look behind %v, %d first updates, source %q: want the kept market first", rs.lookBehind, len(rs.first), a.o.source)
			}
			if n := c.asked() - before; n != 0 {
				t.Fatalf("the network was asked %d times before the first frame", n)
			}
			engine := NewEngine(a.market)
			if s := engine.Latest(); s.Source != sourceHistory || len(s.Listings) != c.wantFirst {
				t.Fatalf("first frame: source %q with %d listings, want the history's %d", s.Source, len(s.Listings), c.wantFirst)
			}
			go engine.Run(ctx, nil)
			report := func(h model.SourceHealth) { engine.Send(ctx, []model.Update{model.SourceUpdate{Health: h}}) }
			later := make(chan func(context.Context), 1)
			control := a.historyFallback(ctx, engine, a.hist.keep(report, engine.Sink()), report, later)
			control.Refresh() // what runTUI does once the UI runs
			if c.wantLive {
				waitFor(t, "the live market", func() bool {
					s := engine.Latest()
					return s.Source == sourceOpenRouter && len(s.Listings) >= 40
				})
				select {
				case run := <-later:
					go run(ctx)
				case <-time.After(60 * time.Second):
					t.Fatal("no live poller was started")
				}
				return
			}
			waitFor(t, "the reason in the live row", func() bool {
				for _, h := range engine.Latest().Sources {
					if h.Name == "live" && h.LastError == c.wantWhy {
						return true
					}
				}
				return false
			})
			if s := engine.Latest(); s.Source != sourceHistory || len(s.Listings) != c.wantFirst {
				t.Errorf("after a failed look: source %q with %d listings, want the history kept", s.Source, len(s.Listings))
			}
		})
	}
}

// realCatalogue is the first n listings of the real catalogue payload
// (2026-08-19, feeds/openrouter/testdata): decoding all 414 under the race
// detector on a loaded machine can outlast the 5 s look for the live market.
func realCatalogue(t *testing.T, n int) []byte {
	t.Helper()
	full, err := os.ReadFile("../../feeds/openrouter/testdata/openrouter_api_v1_models_2026-08-19.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(full, &cat); err != nil || len(cat.Data) < n {
		t.Fatalf("catalogue: %v", err)
	}
	b, err := json.Marshal(map[string]any{"data": cat.Data[:n]})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second) // a loaded CI machine under -race is slow
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDemoReplayIsSimulatedInEveryOutput: a recording of the demo, replayed,
// says so in `cost --json` and on every row of `snapshot --csv`, as the
// TUI, the text board and snapshot --json do.
func TestDemoReplayIsSimulatedInEveryOutput(t *testing.T) {
	dir := t.TempDir()
	rec := dir + "/demo.ndjson"
	t.Setenv("XDG_CONFIG_HOME", dir)
	var out, errb strings.Builder
	if code := run([]string{"snapshot", "--source", "demo", "--record", rec, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("recording the demo: %d %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"cost", "--json", "--source", "replay", "--replay", rec}, &out, &errb); code != 0 {
		t.Fatalf("cost --json: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"simulated": true`) {
		t.Errorf("cost --json of a demo replay does not say simulated: %.300s", out.String())
	}
	out.Reset()
	if code := run([]string{"snapshot", "--csv", "--source", "replay", "--replay", rec}, &out, &errb); code != 0 {
		t.Fatalf("snapshot --csv: %d %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("%d CSV lines", len(lines))
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "replay of demo,") {
			t.Fatalf("a CSV row does not say demo: %q", l)
		}
	}
}
