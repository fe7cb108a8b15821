package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeOpenRouter serves a catalogue and a day of rankings with absurd numbers
// in them, a status page, and 404 for everything else. It runs on loopback.
func fakeOpenRouter(t *testing.T, catalogue, rankings string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v1/models":
			fmt.Fprint(w, catalogue)
		case r.URL.Path == "/api/v1/datasets/rankings-daily":
			fmt.Fprint(w, rankings)
		case r.URL.Path == "/api/v1/datasets/app-rankings":
			fmt.Fprint(w, `{"data":[]}`)
		case r.URL.Path == "/status.json":
			fmt.Fprint(w, `{"page":{"name":"t"},"status":{"indicator":"none"},"components":[],"incidents":[]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func priced(id, in, out string) string {
	return fmt.Sprintf(`{"id":%q,"canonical_slug":%q,"name":%q,"pricing":{"prompt":%q,"completion":%q}}`, id, id, id, in, out)
}

// isolate keeps a test away from the user's config and from the network.
func isolate(t *testing.T, key string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("OPENROUTER_API_KEY", key)
	t.Setenv("TOKENTAPE_OPENROUTER_URL", "")
}

// A price of 1e300 USD per token, a negative one, and token counts of 2^64-1
// and above 10^18 drop their field with a warning: snapshot --json and cost
// --json still print valid JSON, and the shares still sum to 100. Before the
// guards, both commands printed nothing and exited 1.
func TestAbsurdNumbersNeverKillAnExport(t *testing.T) {
	isolate(t, "sk-test-key")
	day := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	catalogue := `{"data":[` + strings.Join([]string{
		priced("a/huge", "1e300", "1e300"),
		priced("a/big", "2", "3"), // $2M/M: above the $1M/M ceiling
		priced("a/neg", "-0.5", "0.000001"),
		priced("a/ok", "0.000001", "0.000002"),
		priced("b/ok", "0.000003", "0.000015"),
		priced("openrouter/auto", "-1", "-1"),
	}, ",") + `]}`
	rows := []string{}
	for i, tok := range []string{"18446744073709551615", "1000000000000000001", "18446744073709551615", "600", "400", "1000"} {
		slug := []string{"a/huge", "a/big", "a/neg", "a/ok", "b/ok", "other"}[i]
		rows = append(rows, fmt.Sprintf(`{"date":%q,"model_permaslug":%q,"total_tokens":%q}`, day, slug, tok))
	}
	srv := fakeOpenRouter(t, catalogue, `{"data":[`+strings.Join(rows, ",")+`]}`)
	common := []string{"--source", "openrouter", "--openrouter-url", srv.URL + "/api/v1",
		"--status-page", "t=" + srv.URL + "/status.json", "--timeout", "10s"}

	var out, errOut strings.Builder
	if code := run(append([]string{"snapshot", "--json"}, common...), &out, &errOut); code != 0 {
		t.Fatalf("snapshot --json exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Listings []struct {
			ID       string   `json:"id"`
			Tokens   *uint64  `json:"tokens"`
			Share    *float64 `json:"share"`
			PriceIn  *float64 `json:"price_in"`
			PriceOut *float64 `json:"price_out"`
		} `json:"listings"`
		Origins []struct {
			Share float64 `json:"share"`
		} `json:"origins"`
	}
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("snapshot --json is not JSON: %v\n%s", err, out.String())
	}
	var listingShares, originShares float64
	for _, l := range rep.Listings {
		if l.PriceIn != nil && (*l.PriceIn > 1e6 || *l.PriceIn < 0) {
			t.Errorf("%s: price_in %v survived", l.ID, *l.PriceIn)
		}
		if l.Tokens != nil && *l.Tokens > 1e18*7 {
			t.Errorf("%s: %d tokens survived", l.ID, *l.Tokens)
		}
		if l.Share != nil {
			listingShares += *l.Share
			if *l.Share > 100 {
				t.Errorf("%s: share %v%%", l.ID, *l.Share)
			}
		}
	}
	for _, o := range rep.Origins {
		originShares += o.Share
	}
	if math.Abs(originShares-100) > 0.01 {
		t.Errorf("origin shares sum to %v, want 100", originShares)
	}
	if listingShares > 100.01 {
		t.Errorf("listing shares sum to %v, want at most 100", listingShares)
	}
	for _, want := range []string{"a/huge", "a/neg"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("no warning names %s:\n%s", want, errOut.String())
		}
	}

	out.Reset()
	errOut.Reset()
	if code := run(append([]string{"cost", "--json"}, common...), &out, &errOut); code != 0 {
		t.Fatalf("cost --json exit %d: %s", code, errOut.String())
	}
	if !json.Valid([]byte(out.String())) {
		t.Fatalf("cost --json is not JSON:\n%s", out.String())
	}
	if strings.Contains(out.String(), "a/huge") {
		t.Errorf("a listing with a dropped price was costed:\n%s", out.String())
	}
}
