package serve

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/export"
)

// startHTTP serves h on a loopback port with the server's real limits.
func startHTTP(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(h)
	ctx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { defer close(done); _ = ServeHTTP(ctx, srv, LimitListener(l, 0)) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + l.Addr().String()
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestHTTPTokenSnapshotAndLimits(t *testing.T) {
	s := liveSnapshot(t)
	const token = "s3cret-token"
	m := NewMetrics("test", func() *model.Snapshot { return s }, nil)
	base := startHTTP(t, NewHTTPHandler(HTTPOptions{
		Token:   token,
		Latest:  func() *model.Snapshot { return s },
		Report:  func(s *model.Snapshot) any { return export.Build(s) },
		Metrics: m,
		Events:  NewEvents(0, 0),
	}))

	for _, tc := range []struct {
		path, token string
		want        int
	}{
		{"/healthz", "", 200},
		{"/metrics", "", 401},
		{"/metrics", "wrong", 401},
		{"/metrics", token, 200},
		{"/api/v1/snapshot", "", 401},
		{"/api/v1/snapshot", token, 200},
		{"/nope", token, 404},
	} {
		resp := get(t, base+tc.path, tc.token)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s (token %q): HTTP %d, want %d", tc.path, tc.token, resp.StatusCode, tc.want)
		}
		if strings.Contains(string(body), token) {
			t.Errorf("GET %s shows the token", tc.path)
		}
		if tc.path == "/api/v1/snapshot" && resp.StatusCode == 200 {
			var r struct {
				Source   string            `json:"source"`
				Listings []json.RawMessage `json:"listings"`
			}
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("snapshot JSON: %v", err)
			}
			if r.Source != "openrouter" || len(r.Listings) != len(s.Listings) {
				t.Errorf("snapshot: source %q, %d listings; want openrouter, %d", r.Source, len(r.Listings), len(s.Listings))
			}
		}
	}

	// Writing is not a thing this API does; a body is never read.
	resp, err := http.Post(base+"/api/v1/snapshot", "application/json", strings.NewReader(strings.Repeat("x", 10<<20)))
	if err == nil {
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: HTTP %d, want 405", resp.StatusCode)
		}
		resp.Body.Close()
	}
	// A request with far too many headers is refused, not buffered.
	req, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil)
	for i := 0; i < 2000; i++ {
		req.Header.Add("X-Junk", strings.Repeat("y", 64))
	}
	resp, err = http.DefaultClient.Do(req)
	if err == nil {
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("128 KB of headers: HTTP %d, want 431", resp.StatusCode)
		}
		resp.Body.Close()
	}
	// The server still answers.
	if r := get(t, base+"/healthz", ""); r.StatusCode != 200 {
		t.Errorf("healthz after abuse: %d", r.StatusCode)
	}
}

func TestHTTPSnapshotBeforeAny(t *testing.T) {
	base := startHTTP(t, NewHTTPHandler(HTTPOptions{
		Latest: func() *model.Snapshot { return nil },
		Report: func(s *model.Snapshot) any { return export.Build(s) },
	}))
	if r := get(t, base+"/api/v1/snapshot", ""); r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Errorf("no snapshot yet: HTTP %d Retry-After %q, want 503 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct{ id, typ, data string }

// readEvents reads n events (skipping comments and the retry field).
func readEvents(t *testing.T, br *bufio.Reader, n int) []sseEvent {
	t.Helper()
	var out []sseEvent
	var cur sseEvent
	for len(out) < n {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d events: %v", len(out), err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if cur.typ != "" {
				out = append(out, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			cur.typ = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		}
	}
	return out
}

func openStream(t *testing.T, url, lastID string) (*http.Response, *bufio.Reader) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	br := bufio.NewReader(resp.Body)
	first, _ := br.ReadString('\n')
	if !strings.HasPrefix(first, "retry: ") {
		t.Errorf("stream starts with %q, want a retry field", first)
	}
	return resp, br
}

func TestSSEReconnectGetsWhatItMissed(t *testing.T) {
	ev := NewEvents(16, 4)
	srv := &Server{Hub: NewHub(HubOptions{}), Events: ev}
	base := startHTTP(t, NewHTTPHandler(HTTPOptions{Latest: srv.Hub.Latest, Events: ev, Heartbeat: 20 * time.Millisecond}))

	resp, br := openStream(t, base+"/api/v1/events", "")
	waitFor(t, func() bool { return ev.Len() == 1 })
	srv.Publish(&model.Snapshot{Version: 1, Listings: make([]model.ListingView, 3)})
	got := readEvents(t, br, 1)
	if got[0].typ != "snapshot" || !strings.Contains(got[0].data, `"listings":3`) {
		t.Fatalf("first event %+v", got[0])
	}
	resp.Body.Close() // the client goes away...
	waitFor(t, func() bool { return ev.Len() == 0 })

	// ...the market moves: an alert fires and a snapshot follows...
	now := time.Date(2026, 8, 19, 12, 0, 0, 0, time.UTC)
	fire := &model.Snapshot{Version: 2, Source: "openrouter", Alerts: []model.Alert{{
		Key: "outage:claude", Kind: model.AlertOutage, Severity: model.SeverityCrit, Subject: "claude",
		Message: "status page: major outage", Since: now, State: model.AlertFiring}}}
	srv.Publish(fire)

	// ...and the client reconnects with the last id it saw.
	_, br = openStream(t, base+"/api/v1/events", got[0].id)
	missed := readEvents(t, br, 2)
	if missed[0].typ != "alert" || missed[1].typ != "snapshot" {
		t.Fatalf("after reconnect: %+v, want the alert then the snapshot it missed", missed)
	}
	var a AlertEvent
	if err := json.Unmarshal([]byte(missed[0].data), &a); err != nil {
		t.Fatal(err)
	}
	if a.Event != "fired" || a.Alert.Kind != "outage" || !strings.Contains(a.Text, "CRIT outage claude") {
		t.Errorf("alert event %+v", a)
	}
	// Live events keep coming on the new stream.
	srv.Publish(&model.Snapshot{Version: 3})
	if e := readEvents(t, br, 1)[0]; e.typ != "snapshot" || !strings.Contains(e.data, `"version":3`) {
		t.Errorf("live after reconnect: %+v", e)
	}
}

func TestSSECapacity(t *testing.T) {
	ev := NewEvents(0, 1)
	base := startHTTP(t, NewHTTPHandler(HTTPOptions{Latest: func() *model.Snapshot { return nil }, Events: ev}))
	openStream(t, base+"/api/v1/events", "")
	waitFor(t, func() bool { return ev.Len() == 1 })
	r := get(t, base+"/api/v1/events", "")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a stream beyond the cap: HTTP %d, want 503", r.StatusCode)
	}
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 3s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
