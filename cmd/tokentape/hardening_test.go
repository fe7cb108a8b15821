package main

import (
	"strings"
	"testing"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
)

// With a key set, a plain-http base URL to another machine is refused before
// anything starts (newApp opens no connection); https and loopback http
// are fine, and without a key any http(s) base is.
func TestAPIKeyOnlyOverHTTPSOrLoopback(t *testing.T) {
	cases := []struct {
		key, flagURL, cfgURL string
		ok                   bool
	}{
		{"sk-test", "http://192.0.2.1/api/v1", "", false},
		{"sk-test", "", "http://mirror.example/api/v1", false},
		{"sk-test", "https://mirror.example/api/v1", "", true},
		{"sk-test", "http://127.0.0.1:8080/api/v1", "", true},
		{"sk-test", "http://[::1]:8080", "", true},
		{"sk-test", "", "", true}, // the default is https
		{"", "http://192.0.2.1/api/v1", "", true},
	}
	for _, c := range cases {
		t.Setenv("OPENROUTER_API_KEY", c.key)
		o := options{source: sourceOpenRouter, openrouterURL: c.flagURL, speed: 1}
		cfg := config.Defaults()
		if c.cfgURL != "" {
			cfg.OpenRouterURL = c.cfgURL
		}
		_, err := newApp(o, cfg)
		if (err == nil) != c.ok {
			t.Errorf("key %q, flag %q, config %q: %v, want ok=%v", c.key, c.flagURL, c.cfgURL, err, c.ok)
		}
		if err != nil && (!strings.Contains(err.Error(), "OPENROUTER_API_KEY") || strings.Contains(err.Error(), c.key)) {
			t.Errorf("message %q: want it to name the variable, never its value", err)
		}
	}
}
