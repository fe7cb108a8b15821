package feeds

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Secrets (the OpenRouter API key, a webhook secret, an HTTP token) travel
// only where they were meant to: over https, or over plain http to this very
// machine (a test server or a local proxy), and never across a redirect to
// another origin. Every client that sends one uses these helpers, so the rule
// is written once.

// SecretHeaders are the request headers that carry credentials. They are
// removed from a request redirected to another origin.
var SecretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// CheckSecretURL reports whether a secret may be sent to rawURL: https
// anywhere, http only to a loopback address ("localhost", 127.0.0.0/8, ::1).
// It parses the URL and looks at the host as written; it never resolves or
// connects, so a refusal costs nothing and reaches nobody.
func CheckSecretURL(rawURL string) error {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", rawURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s is plain http to another machine: the key would travel unencrypted (use https, or http to localhost)", redactURL(u))
	}
	return fmt.Errorf("%s is not an http(s) URL", redactURL(u))
}

// IsLoopbackHost reports whether host (without port) names this machine:
// "localhost" (and names under .localhost, which resolvers keep local) or a
// loopback IP literal.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// SameOrigin reports whether a and b share scheme, host and port (a missing
// port is the scheme's default).
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// maxRedirects is how many redirects a request follows (net/http's default).
const maxRedirects = 10

// ErrTooManyRedirects ends a chain of redirects longer than ten.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// SecretRedirectPolicy is an http.Client CheckRedirect that removes
// SecretHeaders, and the extra headers named, from a redirected request once
// the chain has left the first request's origin (scheme, host and port). Go
// itself drops Authorization only when the host changes, so a 302 to another
// port of the same host, or from https to http, would still carry it. Once
// dropped, a secret stays dropped even if a later hop comes back.
func SecretRedirectPolicy(extra ...string) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return ErrTooManyRedirects
		}
		if len(via) == 0 {
			return nil
		}
		origin := via[0].URL
		left := !SameOrigin(origin, req.URL)
		for _, hop := range via[1:] {
			left = left || !SameOrigin(origin, hop.URL)
		}
		if left {
			for _, h := range SecretHeaders {
				req.Header.Del(h)
			}
			for _, h := range extra {
				req.Header.Del(h)
			}
		}
		return nil
	}
}

// redactURL shows a URL for a message without its userinfo, query or
// fragment, which may hold credentials.
func redactURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment, c.RawFragment = nil, "", "", ""
	return fmt.Sprintf("%q", c.String())
}
