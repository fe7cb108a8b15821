package openrouter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// Fuzz targets for every decoder: whatever the body, no panic, no string
// with an escape, control or format rune, and no paid price that is NaN or
// negative.

func seedBodies(f *testing.F, bodies ...string) {
	for _, b := range bodies {
		f.Add([]byte(b))
	}
	f.Add([]byte(``))
	f.Add([]byte(`{"data":null}`))
	f.Add([]byte(`{"data":[null,1,"x",[],{}]}`))
	f.Add([]byte(`{"data":{"endpoints":null}}`))
}

func checkString(t *testing.T, what, s string) {
	t.Helper()
	if !feedtest.Clean(s) {
		t.Fatalf("%s not sanitised: %q", what, s)
	}
}

func FuzzDecodeCatalogue(f *testing.F) {
	seedBodies(f, goodCatalogue,
		`{"data":[{"id":"~a/b","alias_target":{"slug":"a/c\u001b[1m"},"name":"\u202eX\r\b","description":"\u009b31m",
		  "created":1e300,"context_length":1e20,"expiration_date":"2026-02-30",
		  "pricing":{"prompt":"-1","completion":"-1"}}]}`,
		`{"data":[{"id":"a/b","pricing":{"prompt":"1e-6","completion":"0.000001","input_cache_read":"-0.1",
		  "overrides":[{"min_prompt_tokens":1e308,"prompt":"1e400"},{"utc_start":2399,"utc_end":0,"completion":"0"}]}}]}`,
		`{"data":[{"id":"a/b","pricing":{"prompt":"NaN","completion":"Infinity"}},{"id":"a/b","pricing":{"prompt":"-0","completion":"0"}}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		ls, dropped, err := DecodeCatalogue(body)
		if oneDataMember(body) {
			// The whole-answer decode and the streamed one agree (on an
			// answer with several members named "data", any case, the
			// first takes the last, the second all exact ones).
			sl, sd, _, serr := streamCatalogue(body)
			if (err == nil) != (serr == nil) || dropped != sd || fmt.Sprintf("%+v", ls) != fmt.Sprintf("%+v", sl) {
				t.Fatalf("whole and streamed decodes differ on %q:\n%+v %d %v\n%+v %d %v", body, ls, dropped, err, sl, sd, serr)
			}
		}
		if err == nil && !json.Valid(body) {
			t.Fatalf("the streaming decoder accepted a body that is not JSON: %q", body)
		}
		if err != nil {
			if ls != nil || dropped != 0 {
				t.Fatalf("error %v with %d listings, %d dropped", err, len(ls), dropped)
			}
			return
		}
		ids := map[string]bool{}
		for _, l := range ls {
			if l.ID == "" || ids[l.ID] {
				t.Fatalf("empty or duplicate id %q", l.ID)
			}
			ids[l.ID] = true
			for _, s := range listingStrings(l) {
				checkString(t, "listing field", s)
			}
			p := l.Price
			if p.Kind == model.PricePaid {
				for _, v := range []float64{p.In, p.Out} {
					if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
						t.Fatalf("paid price %+v", p)
					}
				}
				if !math.IsNaN(p.CacheRead) && (math.IsInf(p.CacheRead, 0) || p.CacheRead < 0) {
					t.Fatalf("cache read %v", p.CacheRead)
				}
			}
			for _, o := range l.Overrides {
				for _, v := range []float64{o.In, o.Out, o.CacheRead} {
					if !math.IsNaN(v) && (math.IsInf(v, 0) || v < 0) {
						t.Fatalf("override price %+v", o)
					}
				}
				if o.MinPromptTokens < 0 || math.IsNaN(o.MinPromptTokens) || o.UTCStart > 2400 || o.UTCEnd > 2400 {
					t.Fatalf("override condition %+v", o)
				}
			}
			if l.ContextLength < 0 {
				t.Fatalf("context %d", l.ContextLength)
			}
		}
	})
}

func FuzzDecodeRankingsDaily(f *testing.F) {
	seedBodies(f,
		`{"data":[{"date":"2026-05-11","model_permaslug":"openai/gpt-4o-2024-05-13","total_tokens":"12345678"},
		  {"date":"2026-05-11","model_permaslug":"other","total_tokens":"18446744073709551615"}],"meta":{"version":"v1"}}`,
		`{"data":[{"date":"2026-05-11","model_permaslug":"a\u001b/b","total_tokens":"-1"},{"date":"0000-01-01","model_permaslug":"x","total_tokens":99}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, _, err := DecodeRankingsDaily(body)
		if err != nil {
			return
		}
		for _, r := range rows {
			checkString(t, "slug", r.Slug)
			if r.Slug == "" || r.Date.Location() != time.UTC || !r.Date.Equal(utcDay(r.Date)) {
				t.Fatalf("row %+v", r)
			}
		}
	})
}

func FuzzDecodeAppRankings(f *testing.F) {
	seedBodies(f,
		`{"data":[{"app_id":1,"app_name":"Cline","rank":1,"total_requests":4321,"total_tokens":"12345678"}]}`,
		`{"data":[{"app_name":"\u001b]0;x\u0007Roo\r","rank":2147483648,"total_requests":-1,"total_tokens":"1"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		apps, _, err := DecodeAppRankings(body)
		if err != nil {
			return
		}
		for _, a := range apps {
			checkString(t, "app name", a.Name)
			if a.Name == "" || a.Rank < 1 {
				t.Fatalf("app %+v", a)
			}
		}
	})
}

func FuzzDecodeEndpoints(f *testing.F) {
	seedBodies(f,
		`{"data":{"id":"a/b","endpoints":[{"provider_name":"P","quantization":"fp8","status":0,"uptime_last_5m":99.5,
		  "uptime_last_30m":null,"uptime_last_1d":101,"latency_last_30m":{"p50":1},"throughput_last_30m":null}]}}`,
		`{"data":{"endpoints":[{"provider_name":"\u202eP\u200b","status":-10,"latency_last_30m":{"p50":-5}}]}}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		eps, _, err := DecodeEndpoints(body)
		if err != nil {
			return
		}
		for _, e := range eps {
			checkString(t, "provider", e.Provider)
			checkString(t, "quantization", e.Quantization)
			for _, u := range []float64{e.Uptime5m, e.Uptime30m, e.Uptime1d} {
				if !math.IsNaN(u) && (u < 0 || u > 100) {
					t.Fatalf("uptime %v", u)
				}
			}
			for _, v := range []float64{e.LatencyP50, e.ThroughputP50} {
				if !math.IsNaN(v) && (v < 0 || math.IsInf(v, 0)) {
					t.Fatalf("latency/throughput %v", v)
				}
			}
		}
	})
}

// FuzzPerMillion checks the decimal shift against the plain product.
func FuzzPerMillion(f *testing.F) {
	for _, s := range []string{"0.000003", "-1", "0", "1e-6", "123.456e-9", "NaN", "0x10", "1e309"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := perMillion(s)
		if !ok {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("perMillion(%q) = %v", s, v)
		}
		if strings.ContainsAny(s, "xXpPnNiI_+") {
			t.Fatalf("perMillion(%q) accepted a non-decimal", s)
		}
		if p, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsInf(p*1e6, 0) && p*1e6 != 0 {
			if math.Abs(v-p*1e6) > 1e-9*math.Abs(p*1e6) {
				t.Fatalf("perMillion(%q) = %v, product %v", s, v, p*1e6)
			}
		}
	})
}

// oneDataMember reports whether body is a JSON object with exactly one
// member whose name is "data" in any case, and that one spelled "data".
func oneDataMember(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return true // not an object: both decodes fail alike
	}
	n := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return true
		}
		if k, _ := t.(string); strings.EqualFold(k, "data") {
			if k != "data" {
				return false
			}
			n++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return true
		}
	}
	return n <= 1
}
