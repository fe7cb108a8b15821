package serve

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func TestWebhookRetriesThenDeliversSigned(t *testing.T) {
	const secret = "hook-secret"
	var calls atomic.Int32
	got := make(chan []byte, 1)
	var sigOK atomic.Bool
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch calls.Add(1) {
		case 1:
			http.Error(w, "down", http.StatusBadGateway)
		case 2:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			sigOK.Store(hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(Sign(secret, body))))
			got <- body
		}
	}))
	defer recv.Close()

	var logs strings.Builder
	var mu sync.Mutex
	w, err := NewWebhooks(WebhookOptions{URLs: []string{recv.URL + "/hooks/T000/B000/XXXX"}, Secret: secret,
		Backoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Log: newTestLogger(&lockedWriter{w: &logs, mu: &mu})})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	defer func() { cancel(); <-done }()

	srv := &Server{Hub: NewHub(HubOptions{}), Webhooks: w}
	since := time.Date(2026, 8, 19, 12, 0, 0, 0, time.UTC)
	alert := model.Alert{Key: "capacity:z-ai/glm-5", Kind: model.AlertCapacity, Severity: model.SeverityWarn,
		Subject: "z-ai/glm-5", Message: "uptime 5m 71% < baseline 99% & latency <up>", Since: since, State: model.AlertFiring}
	srv.Publish(&model.Snapshot{Source: "openrouter", Alerts: []model.Alert{alert}})

	var body []byte
	select {
	case body = <-got:
	case <-time.After(5 * time.Second):
		t.Fatalf("not delivered after %d attempts", calls.Load())
	}
	if calls.Load() != 3 {
		t.Errorf("%d attempts, want 3 (502, 429, then 200)", calls.Load())
	}
	if !sigOK.Load() {
		t.Error("signature header does not match HMAC-SHA256 of the body")
	}
	var ev AlertEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	wantText := "tokentape WARN capacity z-ai/glm-5: uptime 5m 71% &lt; baseline 99% &amp; latency &lt;up&gt;"
	if ev.Text != wantText || ev.Content != wantText {
		t.Errorf("text %q, want %q", ev.Text, wantText)
	}
	if ev.Event != "fired" || ev.Alert.Subject != "z-ai/glm-5" || ev.Simulated {
		t.Errorf("event %+v", ev)
	}
	// The same snapshot again is not news; the alert resolving is.
	srv.Publish(&model.Snapshot{Source: "openrouter", Alerts: []model.Alert{alert}})
	alert.State, alert.Resolved = model.AlertResolved, since.Add(time.Hour)
	srv.Publish(&model.Snapshot{Source: "openrouter", Alerts: []model.Alert{alert}})
	select {
	case body = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("resolution not delivered")
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Event != "resolved" || !strings.HasPrefix(ev.Text, "tokentape RESOLVED capacity") {
		t.Errorf("resolution %+v (%v)", ev, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, leak := range []string{secret, "T000/B000/XXXX"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the log shows %q:\n%s", leak, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "retrying") {
		t.Errorf("no retry logged:\n%s", logs.String())
	}
}

func TestWebhookGivesUpAndNeverBlocks(t *testing.T) {
	var calls atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer recv.Close()
	w, _ := NewWebhooks(WebhookOptions{URLs: []string{recv.URL}, Backoff: 5 * time.Millisecond,
		MaxBackoff: 10 * time.Millisecond, RetryFor: 100 * time.Millisecond, Queue: 2})
	// Without a worker running, the queue fills and Enqueue still returns at once.
	start := time.Now()
	for i := 0; i < 100; i++ {
		w.Enqueue([]byte(`{}`))
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("100 enqueues on a full queue took %s", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	time.Sleep(400 * time.Millisecond) // two deliveries of ~100ms of retries each
	cancel()
	<-done
	n := calls.Load()
	if n < 4 || n > 60 {
		t.Errorf("%d attempts for two deliveries retried for 100ms with 5-10ms backoff", n)
	}
	// A refusal (4xx) is not retried.
	calls.Store(0)
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusGone)
	}))
	defer refuse.Close()
	w2, _ := NewWebhooks(WebhookOptions{URLs: []string{refuse.URL}, Backoff: time.Millisecond})
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() { defer close(done); w2.Run(ctx) }()
	w2.Enqueue([]byte(`{}`))
	time.Sleep(100 * time.Millisecond)
	cancel()
	<-done
	if calls.Load() != 1 {
		t.Errorf("410 Gone was tried %d times, want once", calls.Load())
	}
}

func TestCheckWebhookURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://hooks.slack.com/services/T/B/X", true},
		{"http://127.0.0.1:9000/hook", true},
		{"http://alerts.lan/hook", true},
		{"ftp://x/y", false},
		{"hooks.slack.com/services/T/B/X", false},
		{"", false},
	} {
		err := CheckWebhookURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("CheckWebhookURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), "/services/") {
			t.Errorf("the error shows the URL's path: %v", err)
		}
	}
	refuse := func(string) error { return errors.New("plain http") }
	if _, err := NewWebhooks(WebhookOptions{URLs: []string{"http://alerts.lan/x"}, Secret: "s", CheckSecret: refuse}); err == nil {
		t.Error("CheckSecret not applied with a secret")
	}
	if _, err := NewWebhooks(WebhookOptions{URLs: []string{"http://alerts.lan/x"}, CheckSecret: refuse}); err != nil {
		t.Errorf("CheckSecret applied without a secret: %v", err)
	}
}
