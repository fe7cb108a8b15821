package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const testKey = "sk-or-v1-0123456789abcdef-SECRET"

func authHeader() http.Header {
	return http.Header{"Authorization": {"Bearer " + testKey}}
}

// assertNoSecret fails when an error message could leak the key or headers.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, bad := range []string{testKey, "Bearer", "Authorization"} {
		if strings.Contains(msg, bad) {
			t.Fatalf("error %q contains %q", msg, bad)
		}
	}
}

func TestHTTPGetOKSendsHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[]}`)
	}))
	defer srv.Close()

	h := NewHTTP(HTTPOptions{Version: "1.2.3"})
	resp, err := h.Get(context.Background(), Request{URL: srv.URL + "/models", Header: authHeader()})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != `{"data":[]}` || resp.NotModified {
		t.Fatalf("resp = %+v", resp)
	}
	if ua := got.Get("User-Agent"); ua != "tokentape/1.2.3" {
		t.Errorf("User-Agent = %q", ua)
	}
	if a := got.Get("Authorization"); a != "Bearer "+testKey {
		t.Errorf("Authorization not passed through: %q", a)
	}
	if got.Get("If-None-Match") != "" {
		t.Errorf("first request was conditional")
	}
	if NewHTTP(HTTPOptions{}).UserAgent() != "tokentape/dev" {
		t.Errorf("default User-Agent = %q", NewHTTP(HTTPOptions{}).UserAgent())
	}
}

// etagServer is an upstream with ETags: its n-th request (from 1) gets
// body(n) tagged tag(n), and a request offering back a tag it issued gets
// 304 Not Modified. It counts both.
type etagServer struct {
	*httptest.Server
	hits, conditional atomic.Int32

	mu     sync.Mutex
	issued map[string]bool
}

func newETagServer(t *testing.T, tag, body func(n int32) string) *etagServer {
	s := &etagServer{issued: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.hits.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.issued[r.Header.Get("If-None-Match")] {
			s.conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		s.issued[tag(n)] = true
		w.Header().Set("ETag", tag(n))
		fmt.Fprint(w, body(n))
	}))
	t.Cleanup(s.Close)
	return s
}

// always is a tag or body that is the same for every request.
func always(s string) func(int32) string { return func(int32) string { return s } }

func TestHTTPETagRoundTrip(t *testing.T) {
	srv := newETagServer(t, always(`"v1"`), always("body-v1"))
	hits, conditional := &srv.hits, &srv.conditional
	h := NewHTTP(HTTPOptions{})
	ctx := context.Background()

	r1, err := h.Get(ctx, Request{URL: srv.URL})
	if err != nil || string(r1.Body) != "body-v1" {
		t.Fatalf("first: %v %q", err, r1.Body)
	}
	r2, err := h.Get(ctx, Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.NotModified || r2.Status != 304 || len(r2.Body) != 0 {
		t.Fatalf("second = %+v, want 304 NotModified", r2)
	}
	// Another URL has its own ETag (none yet).
	r3, err := h.Get(ctx, Request{URL: srv.URL + "/other"})
	if err != nil || r3.NotModified {
		t.Fatalf("other URL: %v %+v", err, r3)
	}
	// Forgetting the ETag makes the next request unconditional.
	h.ForgetETag(srv.URL)
	r4, err := h.Get(ctx, Request{URL: srv.URL})
	if err != nil || r4.NotModified {
		t.Fatalf("after ForgetETag: %v %+v", err, r4)
	}
	if hits.Load() != 4 || conditional.Load() != 1 {
		t.Errorf("hits %d conditional %d, want 4 and 1", hits.Load(), conditional.Load())
	}
}

func TestHTTPStatusErrors(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
		wantMsg    string
	}{
		{"500 plain", 500, "", 0, "HTTP 500"},
		{"429 seconds", 429, "120", 120 * time.Second, "HTTP 429, retry after 2m0s"},
		{"503 http date", 503, now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, "HTTP 503, retry after 1m30s"},
		{"429 absurd", 429, "99999999", time.Hour, "HTTP 429, retry after 1h0m0s"},
		{"429 garbage", 429, "soon", 0, "HTTP 429"},
		{"429 negative", 429, "-5", 0, "HTTP 429"},
		{"404", 404, "", 0, "HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, "Authorization: "+r.Header.Get("Authorization")) // a hostile echo
			}))
			defer srv.Close()
			h := NewHTTP(HTTPOptions{Now: func() time.Time { return now }})
			_, err := h.Get(context.Background(), Request{URL: srv.URL, Header: authHeader()})
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("err = %v (%T), want *HTTPError", err, err)
			}
			if he.Status != tc.status || he.RetryAfter != tc.want {
				t.Errorf("got status %d retry %v, want %d %v", he.Status, he.RetryAfter, tc.status, tc.want)
			}
			if err.Error() != tc.wantMsg {
				t.Errorf("message %q, want %q", err.Error(), tc.wantMsg)
			}
			assertNoSecret(t, err)
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"  30 ", 30 * time.Second},
		{"120", 2 * time.Minute},
		{"7200", time.Hour}, // capped
		{"99999999999999999999", 0},
		{"1.5", 0},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{now.Add(10*time.Second + 300*time.Millisecond).UTC().Format(http.TimeFormat), 10 * time.Second},
		{"Sun, 01 Mar 2026 12:05:00 GMT", 5 * time.Minute},
		{"Sunday, 01-Mar-26 12:00:20 GMT", 20 * time.Second}, // RFC 850
	}
	for _, tc := range tests {
		if got := ParseRetryAfter(tc.in, now, time.Hour); got != tc.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := ParseRetryAfter("7200", now, 0); got != 2*time.Hour {
		t.Errorf("no limit: %v", got)
	}
}

func TestHTTPBodyCap(t *testing.T) {
	const size = 50 << 20
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("content-length=%v", declared), func(t *testing.T) {
			var written atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if declared {
					w.Header().Set("Content-Length", fmt.Sprint(size))
				}
				for n := 0; n < size; n += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return // the client hung up: good
					}
					written.Add(int64(len(chunk)))
				}
			}))
			defer srv.Close()
			h := NewHTTP(HTTPOptions{})
			_, err := h.Get(context.Background(), Request{URL: srv.URL})
			if err == nil || err.Error() != "body over 16 MiB" || !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("err = %v, want body over 16 MiB", err)
			}
			h.CloseIdleConnections()
		})
	}
}

// countingBody is a huge body that counts what is read from it.
type countingBody struct {
	left, read int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	n = min(n, c.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	c.left -= n
	c.read += n
	return int(n), nil
}
func (c *countingBody) Close() error { return nil }

type stubTransport struct{ body *countingBody }

func (s stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: s.body, ContentLength: -1, Request: r}, nil
}

func TestHTTPBodyCapReadsAtMostCapPlusOne(t *testing.T) {
	body := &countingBody{left: 50 << 20}
	h := NewHTTP(HTTPOptions{Client: &http.Client{Transport: stubTransport{body}}, MaxBody: 1 << 20})
	_, err := h.Get(context.Background(), Request{URL: "http://example.invalid/"})
	if err == nil || err.Error() != "body over 1 MiB" {
		t.Fatalf("err = %v", err)
	}
	if body.read > 1<<20+1 {
		t.Errorf("read %d bytes, cap+1 is %d", body.read, 1<<20+1)
	}
	// Exactly at the cap is fine.
	body = &countingBody{left: 1 << 20}
	h = NewHTTP(HTTPOptions{Client: &http.Client{Transport: stubTransport{body}}, MaxBody: 1 << 20})
	resp, err := h.Get(context.Background(), Request{URL: "http://example.invalid/"})
	if err != nil || len(resp.Body) != 1<<20 {
		t.Fatalf("at cap: %v, %d bytes", err, len(resp.Body))
	}
}

func TestHTTPSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	h := NewHTTP(HTTPOptions{Timeout: 50 * time.Millisecond})
	start := time.Now()
	_, err := h.Get(context.Background(), Request{URL: srv.URL, Header: authHeader()})
	if err == nil || err.Error() != "timeout after 50ms" {
		t.Fatalf("err = %v, want timeout after 50ms", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout does not unwrap to DeadlineExceeded")
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	assertNoSecret(t, err)
}

func TestHTTPSlowBodyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		fmt.Fprint(w, "{")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	h := NewHTTP(HTTPOptions{Timeout: 80 * time.Millisecond})
	_, err := h.Get(context.Background(), Request{URL: srv.URL})
	if err == nil || err.Error() != "timeout after 80ms" {
		t.Fatalf("err = %v, want timeout after 80ms", err)
	}
}

func TestHTTPTruncatedBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		fmt.Fprint(w, `{"data":[`)
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	_, err := NewHTTP(HTTPOptions{}).Get(context.Background(), Request{URL: srv.URL})
	if err == nil || err.Error() != "truncated body" || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want truncated body", err)
	}
}

func TestHTTPTransportErrors(t *testing.T) {
	// A port with nothing listening: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	// A server that hangs up without answering.
	hangup, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hangup.Close()
	go func() {
		for {
			c, err := hangup.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_, _ = c.Read(buf)
			c.Close()
		}
	}()

	tests := []struct {
		name, url, want string
		is              error
	}{
		{"refused", "http://" + addr + "/x", "connection refused", syscall.ECONNREFUSED},
		{"hang up", "http://" + hangup.Addr().String() + "/x", "connection closed by server", nil},
		{"bad scheme", "ftp://example.com/x", "invalid URL", nil},
		{"no host", "http:///x", "invalid URL", nil},
		{"credentials in URL", "http://user:hunter2@" + addr + "/x", "connection refused", nil},
	}
	h := NewHTTP(HTTPOptions{Timeout: 2 * time.Second})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.Get(context.Background(), Request{URL: tc.url, Header: authHeader()})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) false", tc.is)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("URL credentials leaked: %v", err)
			}
			assertNoSecret(t, err)
		})
	}
}

func TestHTTPCancelledContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := NewHTTP(HTTPOptions{}).Get(ctx, Request{URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The caller's own deadline reads as a plain timeout.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	_, err = NewHTTP(HTTPOptions{}).Get(ctx2, Request{URL: srv.URL})
	if err == nil || err.Error() != "timed out" {
		t.Fatalf("err = %v, want timed out", err)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 512 << 10: "512 KiB", 100: "100 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "", "-1", "Sun, 01 Mar 2026 12:05:00 GMT", "1e9", "99999999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseRetryAfter(s, now, time.Hour)
		if d < 0 || d > time.Hour {
			t.Fatalf("ParseRetryAfter(%q) = %v out of [0, 1h]", s, d)
		}
	})
}
