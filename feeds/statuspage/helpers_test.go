package statuspage

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unicode"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// readTestdata returns a real payload kept in testdata/ (see
// testdata/README.md for where each came from). The files are part of the
// repository, so a missing one fails the test rather than skipping it.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("real payload %s: %v", name, err)
	}
	return b
}

// httpFetcher is a minimal feeds.Fetcher over net/http mimicking the real
// one: non-2xx answers become *feeds.HTTPError with Retry-After, 304 is
// NotModified, bodies are capped at 16 MiB.
type httpFetcher struct{ client http.Client }

func (f *httpFetcher) Get(ctx context.Context, req feeds.Request) (feeds.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return feeds.Response{}, err
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	resp, err := f.client.Do(hr)
	if err != nil {
		return feeds.Response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return feeds.Response{}, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return feeds.Response{Status: 304, NotModified: true}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		e := &feeds.HTTPError{Status: resp.StatusCode}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		return feeds.Response{}, e
	}
	return feeds.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

var t0 = time.Date(2026, 9, 15, 10, 30, 0, 0, time.UTC)

func env() feeds.Env {
	return feeds.Env{
		HTTP:   &httpFetcher{client: http.Client{Timeout: 10 * time.Second}},
		Latest: func() *model.Snapshot { return &model.Snapshot{} },
		Now:    func() time.Time { return t0 },
	}
}

// clean reports whether s carries no escape, C0/C1 control or format rune.
func clean(s string) bool {
	for _, r := range s {
		if r == '\x1b' || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// pageStrings returns every string of a decoded page.
func pageStrings(p model.StatusPage) []string {
	out := []string{p.Name, p.URL}
	out = append(out, p.Authors...)
	for _, c := range p.Components {
		out = append(out, c.Name)
	}
	for _, in := range p.Incidents {
		out = append(out, in.ID, in.Title, in.Status, in.LastNote)
	}
	return out
}

// hostile is a string carrying every trick a remote string may try.
const hostile = "Evil\x1b[31m Red\x1b]0;pwned\x07 \r\b\u202egnp\u200b\u200d\ufeff Title"

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// turboEncode flattens a JSON-like tree into React Router's turbo-stream
// form (the shape of OnlineOrNot pages), for tests.
func turboEncode(v any) string {
	var flat []any
	strs := map[string]int{}
	str := func(s string) int {
		if i, ok := strs[s]; ok {
			return i
		}
		flat = append(flat, s)
		strs[s] = len(flat) - 1
		return len(flat) - 1
	}
	var enc func(v any) int
	enc = func(v any) int {
		switch x := v.(type) {
		case nil:
			return -5
		case string:
			return str(x)
		case map[string]any:
			flat = append(flat, nil)
			i := len(flat) - 1
			o := map[string]int{}
			for k, e := range x {
				o["_"+strconv.Itoa(str(k))] = enc(e)
			}
			flat[i] = o
			return i
		case []any:
			flat = append(flat, nil)
			i := len(flat) - 1
			l := make([]int, 0, len(x))
			for _, e := range x {
				l = append(l, enc(e))
			}
			flat[i] = l
			return i
		default:
			flat = append(flat, x)
			return len(flat) - 1
		}
	}
	enc(v)
	b, _ := json.Marshal(flat)
	return string(b)
}

// onlineOrNotPage wraps turbo-stream data in a page as OnlineOrNot serves it.
func onlineOrNotPage(stream string) string {
	lit, _ := json.Marshal(stream + "\n")
	return fmt.Sprintf(`<!DOCTYPE html><html><body><script>window.__reactRouterContext.streamController.enqueue(%s);</script></body></html>`, lit)
}
