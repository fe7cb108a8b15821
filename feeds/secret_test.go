package feeds

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// A redirect to another origin never carries the key. The second listener is
// on the same host (127.0.0.1) and another port: Go strips Authorization only
// when the host changes, so before SecretRedirectPolicy it arrived here.
func TestRedirectToAnotherPortDropsTheKey(t *testing.T) {
	var leaked, hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			leaked.Add(1)
		}
		w.Write([]byte(`{"data":[]}`))
	}))
	defer other.Close()
	var sameOriginAuth atomic.Int32
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/models", http.StatusFound)
		case "/away-307":
			http.Redirect(w, r, other.URL+"/models", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, "/landing", http.StatusFound)
		case "/landing":
			if r.Header.Get("Authorization") == "Bearer "+testKey {
				sameOriginAuth.Add(1)
			}
			w.Write([]byte(`{"data":[]}`))
		}
	}))
	defer base.Close()

	h := NewHTTP(HTTPOptions{})
	defer h.CloseIdleConnections()
	for _, path := range []string{"/away", "/away-307"} {
		hdr := authHeader()
		hdr.Set("Cookie", "session=1")
		if _, err := h.Get(context.Background(), Request{URL: base.URL + path, Header: hdr}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if hits.Load() != 2 {
		t.Fatalf("the other origin saw %d requests, want 2 (the redirects were not followed)", hits.Load())
	}
	if leaked.Load() != 0 {
		t.Fatalf("%d requests to another port carried the key", leaked.Load())
	}
	// Within the origin the key still goes: redirects there are the API's own.
	if _, err := h.Get(context.Background(), Request{URL: base.URL + "/here", Header: authHeader()}); err != nil {
		t.Fatal(err)
	}
	if sameOriginAuth.Load() != 1 {
		t.Errorf("a same-origin redirect lost the key")
	}
}

// A chain that leaves the origin and comes back has already shown the key
// nothing: once dropped, it stays dropped.
func TestSecretRedirectPolicyIsSticky(t *testing.T) {
	mk := func(s string) *http.Request {
		u, _ := url.Parse(s)
		return &http.Request{URL: u, Header: http.Header{"Authorization": {"Bearer k"}, "X-Hook-Secret": {"s"}}}
	}
	policy := SecretRedirectPolicy("X-Hook-Secret")
	cases := []struct {
		name  string
		chain []string // first request, hops, then the redirected request
		keep  bool
	}{
		{"same origin", []string{"https://a.test/x", "https://a.test/y"}, true},
		{"default port spelled out", []string{"https://a.test/x", "https://a.test:443/y"}, true},
		{"other port", []string{"http://127.0.0.1:8000/x", "http://127.0.0.1:8001/y"}, false},
		{"https to http", []string{"https://a.test/x", "http://a.test/y"}, false},
		{"other host", []string{"https://a.test/x", "https://b.test/y"}, false},
		{"away and back", []string{"https://a.test/x", "https://b.test/y", "https://a.test/z"}, false},
	}
	for _, c := range cases {
		var via []*http.Request
		for _, s := range c.chain[:len(c.chain)-1] {
			via = append(via, mk(s))
		}
		req := mk(c.chain[len(c.chain)-1])
		if err := policy(req, via); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		kept := req.Header.Get("Authorization") != ""
		if kept != c.keep || (req.Header.Get("X-Hook-Secret") != "") != c.keep {
			t.Errorf("%s: secrets kept = %v, want %v", c.name, kept, c.keep)
		}
	}
	var via []*http.Request
	for range 10 {
		via = append(via, mk("https://a.test/"))
	}
	if err := policy(mk("https://a.test/"), via); err == nil {
		t.Error("an eleventh redirect was followed")
	}
}

// Which base URLs may receive a secret. Nothing here connects anywhere.
func TestCheckSecretURL(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://openrouter.ai/api/v1", true},
		{"HTTPS://mirror.example/api", true},
		{"http://127.0.0.1:8080/api/v1", true},
		{"http://127.1.2.3/", true},
		{"http://[::1]:9000/", true},
		{"http://localhost:3000/api", true},
		{"http://LOCALHOST./api", true},
		{"http://api.localhost/", true},
		{"http://openrouter.ai/api/v1", false},
		{"http://192.168.1.10/api", false},
		{"http://0.0.0.0/api", false},
		{"http://localhost.evil.example/", false},
		{"http://127.0.0.1.nip.io/", false},
		{"http://[::ffff:8.8.8.8]/", false},
		{"ftp://openrouter.ai/", false},
		{"openrouter.ai/api/v1", false},
		{"", false},
	}
	for _, c := range cases {
		err := CheckSecretURL(c.url)
		if (err == nil) != c.ok {
			t.Errorf("CheckSecretURL(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
	}
	err := CheckSecretURL("http://user:pw@proxy.example/api?token=t")
	if err == nil || strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "token=t") {
		t.Errorf("message %v: want a refusal that does not repeat credentials", err)
	}
}

// The fetcher itself refuses to put a key on plain http to another machine,
// whatever a source asks for; it fails before dialling.
func TestHTTPRefusesKeyOverPlainHTTPToAnotherMachine(t *testing.T) {
	var dialled atomic.Int32
	tr := &http.Transport{DialContext: nil}
	tr.Proxy = func(*http.Request) (*url.URL, error) { dialled.Add(1); return nil, nil }
	h := NewHTTP(HTTPOptions{Client: &http.Client{Transport: tr}})
	_, err := h.Get(context.Background(), Request{URL: "http://192.0.2.1/api/v1/models", Header: authHeader()})
	if err == nil || !strings.Contains(err.Error(), "refused to send the API key") {
		t.Fatalf("error %v, want a refusal", err)
	}
	assertNoSecret(t, err)
	if dialled.Load() != 0 {
		t.Fatal("the request reached the transport")
	}
}
