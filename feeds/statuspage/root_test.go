package statuspage

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// TestPageRootFindsItsSummary: a page's root, as a user copies it from the
// browser, works like the summary's own address: the known page types'
// paths are tried under it, the one found is used from then on, and a root
// with no known summary behind it fails with a clear error.
func TestPageRootFindsItsSummary(t *testing.T) {
	claude := feedtest.ReadTestdata(t, "claude_summary_2026-08-05_two_incidents_trimmed.json")
	deepseek := feedtest.ReadTestdata(t, "flashduty_widget_summary_deepseek_2026-09-15.json")
	html := "<!DOCTYPE html><html><head><title>Status</title></head><body>All good</body></html>"
	tests := []struct {
		name   string
		path   string            // the page address given, under the server
		serve  map[string]string // path → body (HTML when it starts with <)
		status model.PageStatus
		err    string
		first  []string // requests of the first fetch, in order
		second []string // requests of the second fetch
	}{
		{"statuspage root", "/status/claude", map[string]string{"/status/claude": html, "/status/claude/api/v2/summary.json": string(claude)},
			model.StatusDegraded, "",
			[]string{"/status/claude", "/status/claude/api/v2/summary.json"}, []string{"/status/claude/api/v2/summary.json"}},
		{"root with a slash", "/status/claude/", map[string]string{"/status/claude/": html, "/status/claude/api/v2/summary.json": string(claude)},
			model.StatusDegraded, "",
			[]string{"/status/claude/", "/status/claude/api/v2/summary.json"}, []string{"/status/claude/api/v2/summary.json"}},
		{"flashduty root answering 404", "/", map[string]string{"/api/widget/v1/summary.json": string(deepseek)},
			model.StatusOperational, "",
			[]string{"/", "/api/v2/summary.json", "/api/widget/v1/summary.json"}, []string{"/api/widget/v1/summary.json"}},
		{"the summary's own address", "/status/claude/api/v2/summary.json", map[string]string{"/status/claude/api/v2/summary.json": string(claude)},
			model.StatusDegraded, "",
			[]string{"/status/claude/api/v2/summary.json"}, []string{"/status/claude/api/v2/summary.json"}},
		{"HTML with no known JSON behind it", "/status/x", map[string]string{"/status/x": html},
			model.StatusUnknown, "status.x: not a known status page type",
			append([]string{"/status/x"}, prefixed("/status/x", rootPaths)...), nil},
		{"a JSON address that is not a page", "/x.json", map[string]string{"/x.json": html},
			model.StatusUnknown, "status.x: not a recognised status page answer: HTML without OnlineOrNot page data",
			[]string{"/x.json"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, r.URL.Path)
				mu.Unlock()
				body, ok := tt.serve[r.URL.Path]
				if !ok {
					http.NotFound(w, r)
					return
				}
				w.Write([]byte(body))
			}))
			defer srv.Close()
			requests := func() []string {
				mu.Lock()
				defer mu.Unlock()
				out := seen
				seen = nil
				return out
			}
			p, err := ParsePageFlag("x=" + srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			src := Source(p)
			ups, err := src.Fetch(context.Background(), env())
			if got := strings.Join(requests(), " "); got != strings.Join(tt.first, " ") {
				t.Errorf("first fetch asked %s, want %s", got, strings.Join(tt.first, " "))
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || len(ups) != 1 {
				t.Fatalf("%v, %v", ups, err)
			}
			if st := ups[0].(model.StatusUpdate).Page.Status; st != tt.status {
				t.Errorf("status %v, want %v", st, tt.status)
			}
			if _, err := src.Fetch(context.Background(), env()); err != nil && !errors.Is(err, feeds.ErrNotModified) {
				t.Fatal(err)
			}
			if got := strings.Join(requests(), " "); got != strings.Join(tt.second, " ") {
				t.Errorf("second fetch asked %s, want %s", got, strings.Join(tt.second, " "))
			}
		})
	}
}

func prefixed(root string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = root + p
	}
	return out
}
