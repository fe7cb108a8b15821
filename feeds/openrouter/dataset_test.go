package openrouter

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// TestDatasetFetch: a keyed fetch stops at the first step that fails (no
// key, no limiter slot, the read, the decode) and otherwise answers one
// update, made at the time the fetch asked, from the body of path.
func TestDatasetFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ok" || r.Header.Get("Authorization") != "Bearer sk-or-test-key" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte("body"))
	}))
	defer srv.Close()
	at := time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
	errDecode := errors.New("bad body")
	keyed := Config{BaseURL: srv.URL, APIKey: "sk-or-test-key"}
	full := NewLimiter(1, time.Minute)
	full.Reserve(at)
	tests := []struct {
		name      string
		cfg       Config
		lim       *Limiter
		path      string
		decodeErr error
		wantErr   func(error) bool
		decoded   bool
	}{
		{name: "answers one update", cfg: keyed, path: "/ok", decoded: true},
		{name: "no key", cfg: Config{BaseURL: srv.URL}, path: "/ok",
			wantErr: func(err error) bool { return err != nil && err.Error() == "test: tests need OPENROUTER_API_KEY" }},
		{name: "no limiter slot", cfg: keyed, lim: full, path: "/ok",
			wantErr: func(err error) bool { var rl *RateLimitError; return errors.As(err, &rl) }},
		{name: "read fails", cfg: keyed, path: "/fails",
			wantErr: func(err error) bool { return err != nil }},
		{name: "decode fails", cfg: keyed, path: "/ok", decodeErr: errDecode, decoded: true,
			wantErr: func(err error) bool { return errors.Is(err, errDecode) }},
	}
	for _, tt := range tests {
		d := newDataset(tt.cfg, "test", time.Hour, tt.lim, "tests need")
		decoded := false
		ups, err := d.fetch(context.Background(), newEnv(newHTTPFetcher(), &fixedClock{t: at}, nil), tt.path,
			func(body []byte, now time.Time) (model.Update, error) {
				decoded = true
				if string(body) != "body" || !now.Equal(at) {
					t.Errorf("%s: decode got %q at %v", tt.name, body, now)
				}
				return model.TasksUpdate{At: now, Source: "test"}, tt.decodeErr
			})
		if decoded != tt.decoded {
			t.Errorf("%s: decoded %v, want %v", tt.name, decoded, tt.decoded)
		}
		if tt.wantErr != nil {
			if !tt.wantErr(err) || ups != nil {
				t.Errorf("%s: %v, %v; want no updates and the step's error", tt.name, ups, err)
			}
			continue
		}
		if err != nil || len(ups) != 1 || ups[0].(model.TasksUpdate).At != at {
			t.Errorf("%s: %v, %v; want one update at %v", tt.name, ups, err, at)
		}
	}
}

// TestReadUpdate: a keyless fetch sends no key, and answers the update
// decode makes of the body, or the read's or decode's error.
func TestReadUpdate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ok" || r.Header.Get("Authorization") != "" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte("body"))
	}))
	defer srv.Close()
	errDecode := errors.New("bad body")
	tests := []struct {
		name      string
		path      string
		decodeErr error
		ok        bool
	}{
		{"answers one update", "/ok", nil, true},
		{"read fails", "/fails", nil, false},
		{"decode fails", "/ok", errDecode, false},
	}
	for _, tt := range tests {
		s := newSource(Config{BaseURL: srv.URL, APIKey: "sk-or-test-key"}, "test", time.Hour)
		ups, err := s.readUpdate(context.Background(), newEnv(newHTTPFetcher(), &fixedClock{}, nil), tt.path, false,
			func(body []byte) (model.Update, error) {
				if tt.decodeErr != nil {
					return nil, tt.decodeErr
				}
				return model.TasksUpdate{Source: string(body)}, nil
			})
		switch {
		case tt.ok && (err != nil || len(ups) != 1 || ups[0].(model.TasksUpdate).Source != "body"):
			t.Errorf("%s: %v, %v; want the body's one update", tt.name, ups, err)
		case !tt.ok && (err == nil || ups != nil):
			t.Errorf("%s: %v, %v; want an error and no updates", tt.name, ups, err)
		case tt.decodeErr != nil && !errors.Is(err, tt.decodeErr):
			t.Errorf("%s: %v; want the decode's error", tt.name, err)
		}
	}
}
