package openrouter

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// TestContractCatalogueIndexes: the 2026-08-19 catalogue carries AA indexes
// on 166 of its 414 listings, keyless, and every one decodes: 141 with an
// intelligence index, 25 with only a coding (and sometimes an agentic) one.
func TestContractCatalogueIndexes(t *testing.T) {
	byID := decodeRealCatalogue(t)
	with, intel := 0, 0
	for id, l := range byID {
		if l.Indexes.Rejected != "" {
			t.Errorf("%s: rejected %q", id, l.Indexes.Rejected)
		}
		if l.Indexes.Has() {
			with++
		}
		if _, ok := l.Indexes.Get(model.IndexIntelligence); ok {
			intel++
		}
	}
	if with != 166 || intel != 141 {
		t.Errorf("%d listings with indexes, %d with an intelligence index; want 166 and 141", with, intel)
	}
	if ix := byID["deepseek/deepseek-v3.2"].Indexes; !ix.Has() || ix.Coding != 44.2 || !math.IsNaN(ix.Intelligence) {
		t.Errorf("deepseek v3.2 (coding only) = %+v", ix)
	}
	for _, tt := range []struct {
		id                     string
		intel, coding, agentic float64
	}{
		{"anthropic/claude-sonnet-5", 55.3, math.NaN(), math.NaN()},
		{"moonshotai/kimi-k2.6", 45.1, 61.8, math.NaN()},
		{"deepseek/deepseek-v4-flash", 42.1, 56.2, 33.7},
	} {
		ix := byID[tt.id].Indexes
		got, ok := ix.Get(model.IndexIntelligence)
		if !ok || got != tt.intel || ix.Source != "catalogue" {
			t.Errorf("%s: intelligence %v (%v), source %q; want %v", tt.id, got, ok, ix.Source, tt.intel)
		}
		for _, c := range []struct {
			k    model.IndexKind
			want float64
		}{{model.IndexCoding, tt.coding}, {model.IndexAgentic, tt.agentic}} {
			if math.IsNaN(c.want) {
				continue
			}
			if got, _ := ix.Get(c.k); got != c.want {
				t.Errorf("%s: %v = %v, want %v", tt.id, c.k, got, c.want)
			}
		}
	}
	if byID["openai/gpt-4o"].Indexes.Has() && byID["openrouter/auto"].Indexes.Has() {
		t.Error("a router carries indexes")
	}
}

func TestContractQualityOpenAPIExamples(t *testing.T) {
	rows, skipped, asOf, err := DecodeBenchmarks(openAPIExample(t, "/benchmarks", false))
	if err != nil || len(skipped) != 0 || len(rows) != 1 {
		t.Fatalf("benchmarks example: %+v, skipped %v, %v", rows, skipped, err)
	}
	r := rows[0]
	if r.Slug != "openai/gpt-4o" || r.Indexes.Intelligence != 71.2 || r.Indexes.Coding != 65.8 || r.Indexes.Agentic != 58.3 ||
		r.Indexes.Source != "benchmarks" || !asOf.Equal(time.Date(2026, 6, 3, 12, 0, 0, 0, time.UTC)) || !r.Indexes.AsOf.Equal(asOf) {
		t.Errorf("benchmark row = %+v as of %v", r, asOf)
	}

	tasks, dropped, err := DecodeTaskClassifications(openAPIExample(t, "/classifications/task", false))
	if err != nil || dropped != 0 {
		t.Fatalf("tasks example: %v, %d dropped", err, dropped)
	}
	if tasks.AsOf.Format(time.DateOnly) != "2026-06-17" || tasks.WindowDays != 7 || len(tasks.Macros) != 1 || len(tasks.Tasks) != 1 {
		t.Fatalf("tasks = %+v", tasks)
	}
	if m := tasks.Macros[0]; m.Key != "code" || m.Label != "Code" || m.TokenShare != 0.52 || m.UsageShare != 0.45 {
		t.Errorf("macro = %+v", m)
	}
	task := tasks.Tasks[0]
	if task.Tag != "code:general_impl" || task.Name != "Code Generation" || task.Macro != "code" || task.TokenShare != 0.31 ||
		len(task.Models) != 1 || task.Models[0].Slug != "openai/gpt-4.1-mini" || task.Models[0].TokenShare != 0.75 {
		t.Errorf("task = %+v", task)
	}

	ps, skipped, err := DecodeProviders(openAPIExample(t, "/providers", false))
	if err != nil || len(skipped) != 0 || len(ps) != 1 {
		t.Fatalf("providers example: %+v, %v, %v", ps, skipped, err)
	}
	if ps[0] != (model.Provider{Slug: "openai", Name: "OpenAI", Headquarters: "US", StatusPageURL: "https://status.openai.com"}) {
		t.Errorf("provider = %+v", ps[0])
	}
}

func TestBenchmarksBadRows(t *testing.T) {
	body := `{"data":[
	 {"source":"artificial-analysis","model_permaslug":"a/ok","intelligence_index":50,"coding_index":null,"agentic_index":140},
	 {"source":"artificial-analysis","model_permaslug":"a/none","intelligence_index":null,"coding_index":null,"agentic_index":null},
	 {"source":"artificial-analysis","model_permaslug":"a/neg","intelligence_index":-1},
	 {"source":"artificial-analysis","model_permaslug":"a/str","intelligence_index":"55"},
	 {"source":"artificial-analysis","intelligence_index":40},
	 {"source":"artificial-analysis","model_permaslug":"a/ok","intelligence_index":51},
	 {"source":"design-arena","model_permaslug":"a/da","elo":1200},
	 "nonsense"],
	 "meta":{"as_of":"not a time"}}`
	rows, skipped, asOf, err := DecodeBenchmarks([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Slug != "a/ok" || rows[0].Indexes.Intelligence != 50 || !math.IsNaN(rows[0].Indexes.Agentic) || !asOf.IsZero() {
		t.Fatalf("rows = %+v as of %v", rows, asOf)
	}
	want := []string{
		"a/ok: agentic_index 140 is outside 0–100",
		"a/none: no index",
		"a/neg: intelligence_index -1 is outside 0–100",
		"a/str: intelligence_index is not a number",
		"row 5: no usable model_permaslug",
		"a/ok: listed twice, first kept",
		"row 8: not an object",
	}
	if strings.Join(skipped, "\n") != strings.Join(want, "\n") {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
	}
	for _, bad := range []string{``, `[]`, `{"data":{}}`, `{"nodata":[]}`} {
		if _, _, _, err := DecodeBenchmarks([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestCatalogueIndexesBadInput(t *testing.T) {
	tests := []struct {
		raw      string
		has      bool
		rejected string
	}{
		{``, false, ""},
		{`null`, false, ""},
		{`{"design_arena":[]}`, false, ""},
		{`[]`, false, "benchmarks is not an object"},
		{`{"artificial_analysis":7}`, false, "artificial_analysis is not an object"},
		{`{"artificial_analysis":{"intelligence_index":null,"coding_index":null,"agentic_index":null}}`, false, "no index"},
		{`{"artificial_analysis":{"intelligence_index":100.5,"coding_index":30,"agentic_index":1e999}}`, true,
			"intelligence_index 100.5 is outside 0–100, agentic_index is not a number"},
		{`{"artificial_analysis":{"intelligence_index":0,"coding_index":100,"agentic_index":null}}`, true, ""},
	}
	for _, tt := range tests {
		ix := catalogueIndexes(json.RawMessage(tt.raw))
		if ix.Has() != tt.has || ix.Rejected != tt.rejected {
			t.Errorf("%s: has %v rejected %q; want %v %q", tt.raw, ix.Has(), ix.Rejected, tt.has, tt.rejected)
		}
	}
	// A broken benchmarks member never drops the listing or its price.
	ls, dropped, err := DecodeCatalogue([]byte(`{"data":[{"id":"a/b","pricing":{"prompt":"0.000001","completion":"0.000002"},"benchmarks":"x"}]}`))
	if err != nil || dropped != 0 || len(ls) != 1 || ls[0].Price.In != 1 || ls[0].Indexes.Rejected == "" {
		t.Fatalf("listing with broken benchmarks: %+v %d %v", ls, dropped, err)
	}
}

func TestProvidersBadInput(t *testing.T) {
	body := `{"data":[
	 {"slug":"good","name":"Good","headquarters":"US","status_page_url":"https://status.good.ai"},
	 {"slug":"nopage","name":"No Page","headquarters":null,"status_page_url":null},
	 {"slug":"ftp","name":"FTP","status_page_url":"ftp://status.ftp.ai"},
	 {"slug":"js","name":"JS","status_page_url":"javascript:alert(1)"},
	 {"slug":"creds","name":"Creds","status_page_url":"https://u:p@status.c.ai"},
	 {"slug":"hq","name":"HQ","headquarters":"usa"},
	 {"slug":"bad slug","name":"x"},
	 {"slug":"good","name":"dup"},
	 {"slug":7}]}`
	ps, skipped, err := DecodeProviders([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Slug+"|"+p.Headquarters+"|"+p.StatusPageURL)
	}
	if strings.Join(got, " ") != "good|US|https://status.good.ai nopage|| ftp|| js|| creds|| hq||" {
		t.Errorf("providers = %v", got)
	}
	if len(skipped) != 6 || !strings.Contains(skipped[0], `ftp: status page "ftp://status.ftp.ai" is not an http(s) URL`) {
		t.Errorf("skipped = %q", skipped)
	}
}

func TestTasksBadInput(t *testing.T) {
	body := `{"data":{"as_of":"2026-08-20","window_days":7,
	 "macro_categories":[{"key":"code","label":"Code","token_share":0.5,"usage_share":0.4},{"key":"x","label":"X","token_share":1.5,"usage_share":0.1}],
	 "classifications":[{"tag":"code:x","display_name":"X","macro_category":"code","token_share":0.2,"usage_share":0.1,
	   "models":[{"id":"a/b","tag_token_share":0.5,"tag_usage_share":0.5},{"id":"bad id","tag_token_share":0.1,"tag_usage_share":0.1}]},
	  {"tag":"","token_share":0.1,"usage_share":0.1},{"tag":"t","token_share":-0.1,"usage_share":0.1}]}}`
	tasks, dropped, err := DecodeTaskClassifications([]byte(body))
	if err != nil || dropped != 4 || len(tasks.Macros) != 1 || len(tasks.Tasks) != 1 || len(tasks.Tasks[0].Models) != 1 {
		t.Fatalf("tasks = %+v, %d dropped, %v", tasks, dropped, err)
	}
	if _, _, err := DecodeTaskClassifications([]byte(`{"data":{"classifications":[],"macro_categories":[]}}`)); err == nil {
		t.Error("shares without an as_of date decoded")
	}
}

// The keyed sources send the key to the base URL only, share the dataset
// limiter, and refuse to run without a key; providers sends none.
func TestQualitySources(t *testing.T) {
	var auth = map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth[r.URL.Path] = r.Header.Get("Authorization")
		switch r.URL.Path {
		case "/benchmarks":
			if r.URL.Query().Get("source") != "artificial-analysis" {
				t.Errorf("benchmarks query %q", r.URL.RawQuery)
			}
			w.Write([]byte(`{"data":[{"source":"artificial-analysis","model_permaslug":"a/b","intelligence_index":50,"coding_index":null,"agentic_index":null},
			{"source":"artificial-analysis","model_permaslug":"a/c","intelligence_index":500}],"meta":{"as_of":"2026-08-20T00:00:00Z"}}`))
		case "/classifications/task":
			w.Write([]byte(`{"data":{"as_of":"2026-08-20","window_days":7,"classifications":[],"macro_categories":[]}}`))
		case "/providers":
			w.Write([]byte(`{"data":[{"slug":"p","name":"P","status_page_url":"gopher://x"}]}`))
		}
	}))
	defer srv.Close()
	clock := &fixedClock{t: time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)}
	env := newEnv(newHTTPFetcher(), clock, nil)
	cfg := Config{BaseURL: srv.URL, APIKey: "sk-or-test-key"}
	lim := NewLimiter(2, time.Minute)

	ups, err := NewBenchmarks(cfg, lim).Fetch(context.Background(), env)
	if err != nil || len(ups) != 1 {
		t.Fatalf("benchmarks: %v %v", ups, err)
	}
	bu := ups[0].(model.BenchmarkUpdate)
	if len(bu.Rows) != 1 || len(bu.Skipped) != 1 || bu.Source != "benchmarks" {
		t.Errorf("benchmark update = %+v", bu)
	}
	if _, err := NewTasks(cfg, lim).Fetch(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	var rl *RateLimitError
	if _, err := NewTasks(cfg, lim).Fetch(context.Background(), env); err == nil || !asRateLimit(err, &rl) {
		t.Errorf("third dataset request in a minute with a limit of 2: %v", err)
	}
	ups, err = NewProviders(cfg).Fetch(context.Background(), env)
	if err != nil || len(ups[0].(model.ProvidersUpdate).Skipped) != 1 {
		t.Fatalf("providers: %+v %v", ups, err)
	}
	if auth["/benchmarks"] != "Bearer sk-or-test-key" || auth["/classifications/task"] != "Bearer sk-or-test-key" || auth["/providers"] != "" {
		t.Errorf("authorization sent: %v", auth)
	}
	if _, err := NewBenchmarks(Config{BaseURL: srv.URL}, nil).Fetch(context.Background(), env); err == nil {
		t.Error("benchmarks without a key fetched")
	}
}

func asRateLimit(err error, target **RateLimitError) bool {
	e, ok := err.(*RateLimitError)
	if ok {
		*target = e
	}
	return ok
}

func FuzzDecodeBenchmarks(f *testing.F) {
	seedBodies(f,
		`{"data":[{"source":"artificial-analysis","model_permaslug":"a/b","intelligence_index":50,"coding_index":null,"agentic_index":3}],"meta":{"as_of":"2026-06-03T12:00:00Z"}}`,
		`{"data":[{"source":"artificial-analysis","model_permaslug":"\u001b[2Ja/b","intelligence_index":1e308,"coding_index":"x"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, skipped, _, err := DecodeBenchmarks(body)
		if err != nil {
			return
		}
		for _, r := range rows {
			checkString(t, "slug", r.Slug)
			if !r.Indexes.Has() {
				t.Fatalf("row without an index: %+v", r)
			}
			for _, v := range []float64{r.Indexes.Intelligence, r.Indexes.Coding, r.Indexes.Agentic} {
				if !math.IsNaN(v) && !model.ValidIndex(v) {
					t.Fatalf("index %v kept", v)
				}
			}
		}
		for _, s := range skipped {
			checkString(t, "reason", s)
		}
	})
}

func FuzzDecodeTaskClassifications(f *testing.F) {
	seedBodies(f,
		`{"data":{"as_of":"2026-06-17","window_days":7,"classifications":[{"tag":"code:x","display_name":"C","macro_category":"code","token_share":0.3,"usage_share":0.2,"models":[{"id":"a/b","tag_token_share":0.7,"tag_usage_share":0.5}]}],"macro_categories":[{"key":"code","label":"Code","token_share":0.5,"usage_share":0.4}]}}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		tasks, _, err := DecodeTaskClassifications(body)
		if err != nil {
			return
		}
		in01 := func(v float64) bool { return v >= 0 && v <= 1 }
		for _, m := range tasks.Macros {
			checkString(t, "macro", m.Label)
			if !in01(m.TokenShare) || !in01(m.UsageShare) {
				t.Fatalf("macro %+v", m)
			}
		}
		for _, task := range tasks.Tasks {
			checkString(t, "task", task.Name)
			if !in01(task.TokenShare) || !in01(task.UsageShare) || len(task.Models) > maxTaskModel {
				t.Fatalf("task %+v", task)
			}
		}
	})
}

func FuzzDecodeProviders(f *testing.F) {
	seedBodies(f,
		`{"data":[{"slug":"openai","name":"OpenAI","headquarters":"US","status_page_url":"https://status.openai.com"}]}`,
		`{"data":[{"slug":"x","name":"\u009b31mX","status_page_url":"https://\u202egood.ai"}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		ps, _, err := DecodeProviders(body)
		if err != nil {
			return
		}
		for _, p := range ps {
			checkString(t, "provider", p.Name)
			checkString(t, "page", p.StatusPageURL)
			if p.StatusPageURL != "" && !strings.HasPrefix(p.StatusPageURL, "http") {
				t.Fatalf("page %q", p.StatusPageURL)
			}
		}
	})
}

// memberByJSON is what encoding/json picks for a struct field named key:
// the reference member is checked against.
func memberByJSON(obj []byte) (val []byte, ok bool) {
	var b struct {
		AA json.RawMessage `json:"artificial_analysis"`
	}
	if json.Unmarshal(obj, &b) != nil {
		return nil, false
	}
	return b.AA, true
}

func TestMember(t *testing.T) {
	tests := []struct {
		obj  string
		want string // "!" when obj is not an object
	}{
		{`{}`, ""},
		{` { } `, ""},
		{`[]`, "!"},
		{`"x"`, "!"},
		{`7`, "!"},
		{`{"artificial_analysis":7}`, "7"},
		{`{"artificial_analysis":{"a":[1,{"b":"}"}]},"x":1}`, `{"a":[1,{"b":"}"}]}`},
		{`{"design_arena":[{"artificial_analysis":1}],"artificial_analysis":null}`, "null"},
		{`{"x":"a\"b}","artificial_analysis" : "s\\"}`, `"s\\"`},
		{`{"Artificial_Analysis":1,"artificial_analysis":2}`, "2"},
		{`{"ARTIFICIAL_ANALYSIS":1}`, "1"},
		{`{"artificial\u005fanalysis":3}`, "3"},
		{`{"artificial_analysis":1,"x":true,"y":false,"z":-1.5e3}`, "1"},
	}
	for _, tt := range tests {
		got, ok := member([]byte(tt.obj), "artificial_analysis")
		want, wantOK := memberByJSON([]byte(tt.obj))
		if !ok {
			got = []byte("!")
		}
		if !wantOK {
			want = []byte("!")
		}
		if string(got) != tt.want || string(want) != tt.want {
			t.Errorf("%s: member %q, encoding/json %q, want %q", tt.obj, got, want, tt.want)
		}
	}
}

// FuzzMember: on any valid JSON, member picks the member encoding/json
// would; on any input it never panics.
func FuzzMember(f *testing.F) {
	for _, s := range []string{`{}`, `{"artificial_analysis":{"intelligence_index":40}}`, `{"a":[1,"]"],"artificial_analysis":null}`,
		`{"ARTIFICIAL_analysis":1,"artificial_analysis":[2]}`, `[1]`, `{"x":"\u0041\"}"}`, `{"artificial\u005fanalysis":3}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, obj []byte) {
		got, ok := member(obj, "artificial_analysis")
		if !json.Valid(obj) {
			return
		}
		want, wantOK := memberByJSON(obj)
		if ok != wantOK || !bytes.Equal(got, want) {
			t.Errorf("%q: member %q %v, encoding/json %q %v", obj, got, ok, want, wantOK)
		}
	})
}
