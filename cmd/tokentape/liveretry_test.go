package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/remote"
	"github.com/tokentape/tokentape/model"
)

// lateUpstream is an OpenRouter upstream that is down until up is called:
// its port refuses connections (refuse), or it answers 503. Once up it
// serves the catalogue and a calm status page.
type lateUpstream struct {
	base, root string // the API's base URL, and the server's root
	up         func()
}

func newLateUpstream(t *testing.T, refuse bool, catalogue []byte) *lateUpstream {
	t.Helper()
	var isUp atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !isUp.Load():
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		case r.URL.Path == "/api/v1/models":
			w.Write(catalogue)
		case r.URL.Path == "/status.json":
			io.WriteString(w, `{"page":{"name":"t"},"status":{"indicator":"none"},"components":[],"incidents":[]}`)
		default:
			http.NotFound(w, r)
		}
	})
	if !refuse {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return &lateUpstream{base: srv.URL + "/api/v1", root: srv.URL, up: func() { isUp.Store(true) }}
	}
	addr := freePort(t) // nobody listens: connection refused until up
	return &lateUpstream{base: "http://" + addr + "/api/v1", root: "http://" + addr, up: func() {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("the upstream cannot take its port back: %v", err)
		}
		srv := &http.Server{Handler: h}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		isUp.Store(true)
	}}
}

// waitLog waits for a line of serve's log that contains want.
func waitLog(t *testing.T, logs *syncBuffer, want string) {
	t.Helper()
	waitFor(t, "a log line with "+want, func() bool { return strings.Contains(logs.String(), want) })
}

// servingAddrs reads where serve listens from its "serving" log line.
func servingAddrs(t *testing.T, logs *syncBuffer) (httpAddr, sshAddr string) {
	t.Helper()
	waitLog(t, logs, "INFO tokentape: serving ")
	for _, line := range strings.Split(logs.String(), "\n") {
		if !strings.Contains(line, "INFO tokentape: serving ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "http="); ok {
				httpAddr = v
			}
			if v, ok := strings.CutPrefix(f, "ssh="); ok {
				sshAddr = v
			}
		}
	}
	if httpAddr == "" || sshAddr == "" {
		t.Fatalf("no addresses in the serving line:\n%s", logs.String())
	}
	return httpAddr, sshAddr
}

// remoteViewer attaches to a server as `tokentape --remote` does, starting
// afresh when the server's market changes; it returns the client's market.
func remoteViewer(t *testing.T, addr string) func() *model.Snapshot {
	t.Helper()
	var mu sync.Mutex
	fresh := func() *model.Market { return model.NewMarket(model.Config{Source: remoteSource("http://" + addr)}) }
	m := fresh()
	c, err := remote.NewClient("http://"+addr, "", func(b []model.Update) {
		mu.Lock()
		defer mu.Unlock()
		for _, u := range b {
			m.Apply(u)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	c.MinBackoff = 50 * time.Millisecond
	c.OnNewMarket = func() { mu.Lock(); m = fresh(); mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = c.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return func() *model.Snapshot { mu.Lock(); defer mu.Unlock(); return m.Snapshot() }
}

// TestServeGoesLiveByItself: an auto serve that starts with its upstream
// down (refusing connections, or answering 503) serves the demo or the kept
// history, says why and when it tries again, and, once the upstream
// answers, switches to the live market without a restart: the API, the
// metrics, SSH viewers and --remote clients all say LIVE, and nothing of
// the demo carries over. The history file appears only with the live
// market.
func TestServeGoesLiveByItself(t *testing.T) {
	catalogue := realCatalogue(t, 40)
	for _, c := range []struct {
		name    string
		refuse  bool // else 503
		history bool // a history of a live market is kept
		viewers bool // an SSH viewer and a --remote client watch the switch
	}{
		{"refused, no history: DEMO, then LIVE", true, false, true},
		{"503, no history: DEMO, then LIVE", false, false, false},
		{"refused, a kept history: HISTORY, then LIVE", true, true, true},
		{"503, a kept history: HISTORY, then LIVE", false, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			isolate(t, "")
			up := newLateUpstream(t, c.refuse, catalogue)
			db := filepath.Join(t.TempDir(), "history.db")
			// The viewer's header says what stands in for the live market;
			// the strip when the next look is: a wall time beside the demo
			// (its clock is simulated), a countdown beside the history.
			before, offlineWords, nextWords := sourceDemo, "OFFLINE", "live no data yet · next try "
			if c.history {
				db, _, _ = recordedHistory(t)
				before, offlineWords, nextWords = sourceHistory, "(history)", "live no data yet · no network: connection refused · retry in"
			}
			// Port 0, and the addresses read from the log: a port picked
			// free and given to serve later can be taken meanwhile by
			// another test on a busy machine.
			sshAddr := "off"
			if c.viewers {
				sshAddr = "127.0.0.1:0"
			}
			logs, stop := startServe(t, config.Defaults(), "--openrouter-url", up.base,
				"--status-page", "t="+up.root+"/status.json", "--db", db,
				"--http", "127.0.0.1:0", "--ssh", sshAddr, "--ssh-open", "--live-retry", "1s")
			defer stop()
			httpAddr, sshAddr := servingAddrs(t, logs)

			// Offline: the fallback is served, and the log says why and when
			// the next look is.
			waitLog(t, logs, "next_try=")
			if m := served(t, httpAddr); m.Source != before {
				t.Fatalf("offline, serve serves %q, want %q", m.Source, before)
			}
			if !strings.Contains(logs.String(), "serving="+map[bool]string{false: "DEMO", true: "history"}[c.history]) {
				t.Errorf("the offline log line does not say what is served:\n%s", logs.String())
			}
			if !c.history {
				if _, err := os.Stat(db); !os.IsNotExist(err) {
					t.Errorf("offline on the demo, serve created the history file (%v)", err)
				}
			}
			var waitScreen func(string)
			var attached func() *model.Snapshot
			if c.viewers {
				_, waitScreen = openViewer(t, sshAddr)
				waitScreen(offlineWords)
				waitScreen(nextWords)
				// A --remote client gets the fallback as the server shows it:
				// the demo, offline and why; or the kept market.
				attached = remoteViewer(t, httpAddr)
				waitFor(t, "the remote client on the fallback", func() bool {
					s := attached()
					if c.history {
						_, kept := s.Listing("qwen/qwen3-max")
						return kept && !s.Simulated()
					}
					why, offline := s.Offline()
					return offline && strings.Contains(why, "connection refused") && len(s.Listings) > 0
				})
			}

			up.up()
			waitFor(t, "the live market on /api/v1/snapshot", func() bool {
				m := served(t, httpAddr)
				return m.Source == sourceOpenRouter && len(m.Listings) >= 40
			})
			waitLog(t, logs, "live: the market answered")
			metrics := string(getOK(t, "http://"+httpAddr+"/metrics", ""))
			if !strings.Contains(metrics, `tokentape_market_info{simulated="false",source="openrouter"} 1`) {
				t.Errorf("metrics do not say live:\n%.600s", metrics)
			}
			if _, err := os.Stat(db); err != nil {
				t.Errorf("the live market kept no history: %v", err)
			}
			m := served(t, httpAddr)
			for _, l := range m.Listings {
				if strings.HasPrefix(l.ID, "demo") {
					t.Fatalf("a demo listing carried over: %s", l.ID)
				}
			}
			if c.history && !strings.Contains(m.ids(), "qwen/qwen3-max") {
				t.Errorf("the live market lost the kept history (as the TUI's r loads it): %s", m.ids())
			}
			if c.viewers {
				waitScreen(" LIVE ")
				waitFor(t, "the remote client on the live market", func() bool {
					s := attached()
					return !s.Simulated() && len(s.Listings) >= 40
				})
			}
		})
	}
}

// TestLiveRetryBacksOff: 30 s doubling to 5 min, each wait within ±20%.
func TestLiveRetryBacksOff(t *testing.T) {
	r := defaultLiveRetry
	for _, c := range []struct {
		try  int
		want time.Duration
	}{{0, 30 * time.Second}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {4, 5 * time.Minute}, {40, 5 * time.Minute}} {
		lo, mid, hi := r.wait(c.try, 0), r.wait(c.try, 0.5), r.wait(c.try, math.Nextafter(1, 0))
		if mid != c.want || lo != c.want*8/10 || hi > c.want*12/10 || hi < c.want*119/100 {
			t.Errorf("try %d: waits %v..%v around %v, want %v ±20%%", c.try, lo, hi, mid, c.want)
		}
	}
}

// TestLiveRetryFlag: --live-retry sets the first wait; under a second (or
// not a duration) is refused before anything starts.
func TestLiveRetryFlag(t *testing.T) {
	for _, c := range []struct {
		arg     string
		want    liveRetry
		wantErr string
	}{
		{"", defaultLiveRetry, ""},
		{"2s", liveRetry{2 * time.Second, 5 * time.Minute}, ""},
		{"10m", liveRetry{10 * time.Minute, 10 * time.Minute}, ""},
		{"10ms", liveRetry{}, "at least 1s"},
		{"-5s", liveRetry{}, "at least 1s"},
		{"soon", liveRetry{}, "invalid value"},
	} {
		args := []string{"serve"}
		if c.arg != "" {
			args = append(args, "--live-retry", c.arg)
		}
		_, o, err := parseArgs(args)
		var a *app
		if err == nil {
			a, err = newApp(o, config.Defaults())
		}
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("--live-retry %q: err %v, want %q", c.arg, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("--live-retry %q: %v", c.arg, err)
		case a.liveRetry != c.want:
			t.Errorf("--live-retry %q: %+v, want %+v", c.arg, a.liveRetry, c.want)
		}
	}
}

// TestServeOfflineRowsSayWhyAndWhen: the fallback's rows name the reason
// and the next try; beside the demo, whose simulated clock cannot count
// down to it, as a wall time in a row of its own, so that neither is cut.
func TestServeOfflineRowsSayWhyAndWhen(t *testing.T) {
	next := time.Date(2026, 11, 29, 9, 52, 30, 0, time.UTC)
	why := fmt.Errorf("catalogue: %w", &feeds.HTTPError{Status: http.StatusServiceUnavailable})
	for _, c := range []struct {
		history bool
		want    []model.SourceHealth
	}{
		{false, []model.SourceHealth{
			{Name: model.OfflineSource, LastError: "catalogue: HTTP 503"},
			{Name: "live", LastError: "next try 09:52:30"}}},
		{true, []model.SourceHealth{{Name: "live", LastError: "catalogue: HTTP 503", NextAttempt: next}}},
	} {
		got := retryRows(c.history, why, next)
		if len(got) != len(c.want) {
			t.Fatalf("history %v: %d rows, want %d", c.history, len(got), len(c.want))
		}
		for i, h := range got {
			w := c.want[i]
			if h.Name != w.Name || h.LastError != w.LastError || !h.NextAttempt.Equal(w.NextAttempt) || h.OK || !h.LastSuccess.IsZero() {
				t.Errorf("history %v row %d: %+v, want %s %q next %v, never succeeded", c.history, i, h, w.Name, w.LastError, w.NextAttempt)
			}
		}
	}
}
