package statuspage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// TestContractPages decodes the real answer of every page kind
// (testdata/README.md says where each came from).
func TestContractPages(t *testing.T) {
	// incident names one incident: by id where the test pins ids, by title
	// where it pins titles; an empty field is not checked.
	type incident struct{ id, title string }
	tests := []struct {
		file       string
		kind       Kind
		status     model.PageStatus
		components int
		incidents  []incident // newest first
	}{
		{"claude_summary_2026-08-05_two_incidents_trimmed.json", KindStatuspage, model.StatusDegraded, 3,
			[]incident{{id: "mgp99sn4ynd4"}, {id: "f6gkkq6txl7z"}}},
		{"claude_summary_2026-09-04_operational_trimmed.json", KindStatuspage, model.StatusOperational, 6, nil},
		{"openai_incidentio_summary_2026-09-04_trimmed.json", KindIncidentIO, model.StatusOperational, 4, nil},
		{"flashduty_widget_summary_deepseek_2026-09-15.json", KindFlashDuty, model.StatusOperational, 0, nil},
		{"instatus_perplexity_summary_2026-07-23_major_outage.json", KindInstatus, model.StatusMajorOutage, 0,
			[]incident{{title: "Computer sandbox issues"}}},
		{"checkly_mistral_unresolved_incidents_2026-07-27_medium.json", KindCheckly, model.StatusDegraded, 0,
			[]incident{{title: "Audio API Degraded"}}},
		{"checkly_mistral_summary_2026-09-17_trimmed.json", KindCheckly, model.StatusPartialOutage, 0,
			[]incident{{title: "Free Tier Temporarily Disabled"}}},
		// Spaces Proxy is down; every report is resolved, and the Inference
		// Endpoints maintenance starts three days after the page was read.
		{"betterstack_huggingface_index_2026-07-19_downtime_trimmed.json", KindBetterStack, model.StatusMajorOutage, 8, nil},
		{"xai_status_feed_2026-07-07_resolved.xml", KindFeed, model.StatusOperational, 0, nil},
		{"googlecloud_incidents_2023-03-10_bigquery_one_incident.json", KindGoogleCloud, model.StatusOperational, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := feedtest.ReadTestdata(t, tt.file)
			k, err := Detect(body)
			if err != nil || k != tt.kind {
				t.Fatalf("Detect = %v, %v; want %v", k, err, tt.kind)
			}
			p, err := Decode(body)
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.status || len(p.Components) != tt.components || len(p.Incidents) != len(tt.incidents) {
				t.Fatalf("page = %v, %d components, %d incidents %+v; want %v, %d, %d",
					p.Status, len(p.Components), len(p.Incidents), p.Incidents, tt.status, tt.components, len(tt.incidents))
			}
			for i, want := range tt.incidents {
				got := p.Incidents[i]
				if (want.id != "" && got.ID != want.id) || (want.title != "" && got.Title != want.title) {
					t.Errorf("incident %d = %s %q, want %s %q (newest first)", i, got.ID, got.Title, want.id, want.title)
				}
			}
		})
	}
}

func TestContractClaudeIncidents(t *testing.T) {
	p, err := Decode(feedtest.ReadTestdata(t, "claude_summary_2026-08-05_two_incidents_trimmed.json"))
	if err != nil {
		t.Fatal(err)
	}
	first, second := p.Incidents[0], p.Incidents[1]
	if first.Title != "Degraded performance for Claude Opus 5" || first.Status != "identified" || first.Impact != model.StatusDegraded ||
		!first.Started.Equal(time.Date(2026, 8, 5, 13, 51, 30, 277e6, time.UTC)) ||
		first.LastNote != "We have identified the cause of elevated errors on requests to Claude Opus 5." {
		t.Errorf("first incident = %+v", first)
	}
	// Its updates are listed oldest first: the note is still the newest one's.
	if second.Status != "monitoring" || second.LastNote != "A fix has been deployed." ||
		!second.Updated.Equal(time.Date(2026, 8, 5, 13, 8, 34, 0, time.UTC)) {
		t.Errorf("second incident = %+v", second)
	}
	if p.Name != "Claude" || p.Components[1].Name != "Claude API (api.anthropic.com)" || p.Components[1].Status != model.StatusDegraded {
		t.Errorf("page = %+v", p)
	}
}

func TestOnlineOrNotPage(t *testing.T) {
	body, err := os.ReadFile("testdata/onlineornot_page.html")
	if err != nil {
		t.Fatal(err)
	}
	if k, err := Detect(body); k != KindOnlineOrNot || err != nil {
		t.Fatalf("Detect = %v, %v", k, err)
	}
	p, err := Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Example Router" || p.URL != "status.example.test" || len(p.Components) != 4 {
		t.Fatalf("page = %+v", p)
	}
	if c := p.Components[2]; c.Name != "Homepage (us east)" || c.Status != model.StatusOperational {
		t.Errorf("component with escapes = %+v", c)
	}
	// Worst of components (partial outage on Generation) and the open incident.
	if p.Status != model.StatusPartialOutage {
		t.Errorf("status = %v, want partial outage", p.Status)
	}
	if len(p.Incidents) != 1 {
		t.Fatalf("incidents = %+v, want only the open one", p.Incidents)
	}
	in := p.Incidents[0]
	if in.ID != "inc-open" || in.Title != "Generation API slow" || in.Status != "identified" || in.Impact != model.StatusDegraded ||
		in.LastNote != "A fix is being rolled out & latency is recovering." ||
		!in.Started.Equal(time.Date(2026, 9, 4, 9, 50, 46, 508e6, time.UTC)) {
		t.Errorf("incident = %+v", in)
	}
}

func TestOnlineOrNotREST(t *testing.T) {
	body := `{"result":{"id":"a1b2c3d4","name":"My Example SaaS","subdomain":"status","status":"ALL_SYSTEMS_OPERATIONAL"},
	 "success":true,"errors":[],"messages":[]}`
	p, err := Decode([]byte(body))
	if err != nil || p.Status != model.StatusOperational || p.Name != "My Example SaaS" {
		t.Errorf("REST page = %+v, %v", p, err)
	}
	if k, _ := Detect([]byte(body)); k != KindOnlineOrNot {
		t.Errorf("kind = %v", k)
	}
}

func TestTurboHostile(t *testing.T) {
	tests := map[string]string{
		"self cycle":       `[{"_1":0},"loaderData"]`,
		"mutual cycle":     `[{"_2":1},{"_2":0},"loaderData"]`,
		"out of range":     `[{"_1":99,"_99":1,"_-1":1,"_x":1,"y":1},"loaderData"]`,
		"key not a string": `[{"_1":2},5,"v"]`,
		"deep":             deepTurbo(5000),
		"tags":             `[{"_1":2,"_3":4},"a",["D",1700000000000],"b",["P",1]]`,
		"root not object":  `["x"]`,
		"empty":            `[]`,
	}
	for name, stream := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Decode([]byte(onlineOrNotPage(stream)))
			if err == nil && p.Status != model.StatusUnknown {
				t.Errorf("hostile stream gave a status: %+v", p)
			}
		})
	}
	if _, err := Decode([]byte(`<html><body>Just a page</body></html>`)); !errors.Is(err, ErrUnrecognised) {
		t.Errorf("plain HTML: %v, want ErrUnrecognised", err)
	}
	if _, err := Decode([]byte(`<html><script>x.streamController.enqueue("[unterminated`)); err == nil {
		t.Error("unterminated literal accepted")
	}
}

// deepTurbo is an object nested n levels deep: {"k":{"k":{...}}}, where
// index 0 is the outermost object, 1 the key, and i ≥ 2 point at i+1.
func deepTurbo(n int) string {
	var b strings.Builder
	b.WriteString(`[{"_1":2},"k"`)
	for i := 2; i < n; i++ {
		fmt.Fprintf(&b, `,{"_1":%d}`, i+1)
	}
	b.WriteString(`,"end"]`)
	return b.String()
}

func TestDetect(t *testing.T) {
	tests := []struct {
		body string
		kind Kind
	}{
		{`{"page":{"id":"tymt9n04zgry","name":"Claude"},"status":{"indicator":"none"}}`, KindStatuspage},
		{`{"page":{"id":"01JMDK9XYNY6RXSED6SDWW50WY","name":"OpenAI"},"components":[]}`, KindIncidentIO},
		{`{"page":{"name":"DeepSeek"},"overall":{"status":"operational"}}`, KindFlashDuty},
		{`{"ongoing_incidents":[]}`, KindFlashDuty},
		{`{"loaderData":{}}`, KindOnlineOrNot},
		{onlineOrNotPage(turboEncode(map[string]any{"loaderData": map[string]any{}})), KindOnlineOrNot},
		{`{"page":{"id":"x"}}`, KindUnknown},
		{`{"status":"ok"}`, KindUnknown},
		{`[1,2]`, KindUnknown},
		{`"text"`, KindUnknown},
		{`{"page":`, KindUnknown},
		{``, KindUnknown},
		{`   `, KindUnknown},
		{`<html>502</html>`, KindUnknown},
		{`Service Unavailable`, KindUnknown},
	}
	for _, tt := range tests {
		k, err := Detect([]byte(tt.body))
		if k != tt.kind || (k == KindUnknown) != (err != nil) {
			t.Errorf("Detect(%.60q) = %v, %v; want %v", tt.body, k, err, tt.kind)
		}
	}
}

func TestLevel(t *testing.T) {
	tests := map[string]model.PageStatus{
		"none": model.StatusOperational, "operational": model.StatusOperational, "ALL_SYSTEMS_OPERATIONAL": model.StatusOperational,
		"NO_IMPACT": model.StatusOperational, "minor": model.StatusDegraded, "degraded_performance": model.StatusDegraded,
		"DEGRADED_PERFORMANCE": model.StatusDegraded, "major": model.StatusPartialOutage, "partial_outage": model.StatusPartialOutage,
		"Partial Outage": model.StatusPartialOutage, "critical": model.StatusMajorOutage, "major_outage": model.StatusMajorOutage,
		"full_outage": model.StatusMajorOutage, "MAJOR_OUTAGE": model.StatusMajorOutage, "maintenance": model.StatusMaintenance,
		"under_maintenance": model.StatusMaintenance, "": model.StatusUnknown, "purple": model.StatusUnknown,
		"\x1b[31mmajor": model.StatusUnknown,
	}
	for in, want := range tests {
		if got := Level(in); got != want {
			t.Errorf("Level(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDecodeWorstOf(t *testing.T) {
	tests := []struct {
		name string
		body string
		want model.PageStatus
	}{
		{"indicator only", `{"page":{},"status":{"indicator":"major"}}`, model.StatusPartialOutage},
		{"component worse than indicator", `{"page":{},"status":{"indicator":"minor"},"components":[{"name":"API","status":"major_outage"}]}`, model.StatusMajorOutage},
		{"group component skipped", `{"page":{},"status":{"indicator":"none"},"components":[{"name":"G","status":"major_outage","group":true},{"name":"A","status":"operational"}]}`, model.StatusOperational},
		{"critical incident", `{"page":{},"status":{"indicator":"none"},"incidents":[{"id":"1","name":"Down","status":"investigating","impact":"critical"}]}`, model.StatusMajorOutage},
		{"resolved incident ignored", `{"page":{},"status":{"indicator":"none"},"incidents":[{"id":"1","name":"Was down","status":"resolved","impact":"critical"}]}`, model.StatusOperational},
		{"resolved_at set ignored", `{"page":{},"status":{"indicator":"none"},"incidents":[{"id":"1","name":"x","status":"monitoring","impact":"major","resolved_at":"2026-09-01T00:00:00Z"}]}`, model.StatusOperational},
		{"impact none stays operational", `{"page":{},"status":{"indicator":"none"},"incidents":[{"id":"1","name":"FYI","status":"monitoring","impact":"none"}]}`, model.StatusOperational},
		{"unlabelled open incident", `{"page":{},"incidents":[{"id":"1","name":"Something"}]}`, model.StatusDegraded},
		{"maintenance in progress", `{"page":{},"status":{"indicator":"maintenance"},"scheduled_maintenances":[{"id":"m","name":"DB","status":"in_progress"}]}`, model.StatusMaintenance},
		{"maintenance scheduled ignored", `{"page":{},"status":{"indicator":"none"},"scheduled_maintenances":[{"id":"m","name":"DB","status":"scheduled"}]}`, model.StatusOperational},
		{"under maintenance component", `{"page":{},"components":[{"name":"A","status":"under_maintenance"}]}`, model.StatusMaintenance},
		{"flashduty overall", `{"page":{"name":"D"},"overall":{"status":"partial_outage"},"ongoing_incidents":[]}`, model.StatusPartialOutage},
		{"flashduty incident", `{"overall":{"status":"operational"},"ongoing_incidents":[{"id":7,"title":"API errors","impact":"major_outage","started_at":1757930000}]}`, model.StatusMajorOutage},
		{"flashduty maintenance", `{"overall":{"status":"operational"},"in_progress_maintenances":[{"id":"m","title":"Upgrade"}]}`, model.StatusMaintenance},
		{"wrong types read as absent", `{"page":"x","status":"bad","components":{"a":1},"incidents":"none"}`, model.StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != tt.want {
				t.Errorf("status = %v, want %v (page %+v)", p.Status, tt.want, p)
			}
		})
	}
}

func TestDecodeSanitisesAndCaps(t *testing.T) {
	var comps []string
	for i := 0; i < 1000; i++ {
		comps = append(comps, fmt.Sprintf(`{"name":%s,"status":"operational"}`, quote(fmt.Sprintf("C%d %s", i, hostile))))
	}
	var incs []string
	for i := 0; i < 300; i++ {
		incs = append(incs, fmt.Sprintf(`{"id":%s,"name":%s,"status":%s,"impact":"minor","created_at":"2026-09-01T%02d:%02d:00Z",
		  "incident_updates":[{"body":%s,"created_at":"2026-09-01T00:00:00Z"}]}`,
			quote(hostile), quote(hostile), quote("investigating\r\b"), (i/60)%24, i%60, quote(strings.Repeat(hostile+" ", 100))))
	}
	body := `{"page":{"name":` + quote(hostile) + `,"url":` + quote("https://x\x1b]8;;evil\x07") + `},"components":[` + strings.Join(comps, ",") +
		`],"incidents":[` + strings.Join(incs, ",") + `]}`
	p, err := Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pageStrings(p) {
		if !feedtest.Clean(s) {
			t.Fatalf("unclean %q", s)
		}
	}
	if len(p.Components) != maxComponents || len(p.Incidents) != maxIncidents {
		t.Errorf("%d components, %d incidents; want capped at %d, %d", len(p.Components), len(p.Incidents), maxComponents, maxIncidents)
	}
	for i := 1; i < len(p.Incidents); i++ {
		if p.Incidents[i].Started.After(p.Incidents[i-1].Started) {
			t.Fatalf("incidents not newest first at %d", i)
		}
	}
	if got := p.Incidents[0].LastNote; len([]rune(got)) > 240 || got == "" {
		t.Errorf("note = %q, want short and non-empty", got)
	}
}

func TestDefaultPages(t *testing.T) {
	pages := DefaultPages()
	want := map[string]string{"claude": "anthropic", "openai": "openai", "moonshot": "moonshotai", "minimax": "minimax",
		"deepseek": "deepseek", "openrouter": "openrouter"}
	if len(pages) != len(want) {
		t.Fatalf("%d pages, want %d", len(pages), len(want))
	}
	for _, p := range pages {
		if a, ok := want[p.Name]; !ok || len(p.Authors) != 1 || p.Authors[0] != a || !strings.HasPrefix(p.URL, "https://") {
			t.Errorf("page %+v", p)
		}
		if _, err := ParsePageFlag(p.Name + "=" + p.URL); err != nil {
			t.Errorf("default page %s does not round-trip through the flag: %v", p.Name, err)
		}
	}
	if DefaultPages()[0].URL != "https://status.claude.com/api/v2/summary.json" {
		t.Error("claude URL changed")
	}
}

func TestParsePageFlag(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		authors string
		err     bool
	}{
		{"claude=https://status.claude.com/api/v2/summary.json", "claude", "anthropic", false},
		{"Anthropic=http://127.0.0.1:8080/summary.json", "anthropic", "anthropic", false},
		{"moonshot=https://status.moonshot.cn/api/v2/summary.json", "moonshot", "moonshotai", false},
		{"zhipu=https://status.example/x", "zhipu", "z-ai", false},
		{"z-ai=https://status.example/x", "z-ai", "z-ai", false},
		{"openrouter=https://status.openrouter.ai/", "openrouter", "openrouter", false},
		{"mylab=https://status.mylab.dev/api/v2/summary.json", "mylab", "", false},
		{"  deepseek = https://status.deepseek.com/api/widget/v1/summary.json ", "deepseek", "deepseek", false},
		{"claude", "", "", true},
		{"=https://x", "", "", true},
		{"claude=", "", "", true},
		{"claude=ftp://x/y", "", "", true},
		{"claude=/relative", "", "", true},
		{"claude=https://user:pw@host/x", "", "", true},
		{"bad name=https://x", "", "", true},
		{"evil\x1b[31m=https://x", "", "", true},
		{strings.Repeat("a", 40) + "=https://x", "", "", true},
	}
	for _, tt := range tests {
		p, err := ParsePageFlag(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParsePageFlag(%q) err = %v, want err %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && (p.Name != tt.name || strings.Join(p.Authors, ",") != tt.authors) {
			t.Errorf("ParsePageFlag(%q) = %+v, want %s %s", tt.in, p, tt.name, tt.authors)
		}
	}
}

func TestSourceFaults(t *testing.T) {
	claude := `{"page":{"id":"tymt9n04zgry","name":"Claude"},"status":{"indicator":"minor"},
	 "components":[{"name":"Claude API","status":"degraded_performance"}],
	 "incidents":[{"id":"i1","name":` + quote(hostile) + `,"status":"investigating","impact":"minor","created_at":"2026-09-15T10:00:00Z",
	   "incident_updates":[{"body":"Looking \u001b[2J into it\r","created_at":"2026-09-15T10:01:00Z"}]}]}`
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, ups []model.Update, err error)
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, wantHTTP(500, 0)},
		{"429 Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
		}, wantHTTP(429, 120*time.Second)},
		{"truncated", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, claude[:len(claude)/2]) }, wantError},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>Cloudflare</html>") }, wantError},
		{"unknown JSON", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"hello":"world"}`) }, wantError},
		{"no signal", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"page":{"name":"x"},"components":[]}`) }, wantError},
		{"not modified", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(304) }, func(t *testing.T, ups []model.Update, err error) {
			if !errors.Is(err, feeds.ErrNotModified) || ups != nil {
				t.Errorf("%v, %v; want ErrNotModified", ups, err)
			}
		}},
		{"healthy with hostile strings", func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				t.Error("status page request carries Authorization")
			}
			fmt.Fprint(w, claude)
		}, func(t *testing.T, ups []model.Update, err error) {
			if err != nil || len(ups) != 1 {
				t.Fatalf("%v, %v", ups, err)
			}
			u := ups[0].(model.StatusUpdate)
			p := u.Page
			if !u.At.Equal(t0) || p.Name != "claude" || !strings.HasSuffix(p.URL, "/api/v2/summary.json") ||
				strings.Join(p.Authors, ",") != "anthropic" || p.Status != model.StatusDegraded || len(p.Incidents) != 1 {
				t.Errorf("update = %+v", u)
			}
			for _, s := range pageStrings(p) {
				if !feedtest.Clean(s) {
					t.Errorf("unclean %q", s)
				}
			}
			if p.Incidents[0].LastNote != "Looking into it" {
				t.Errorf("note = %q", p.Incidents[0].LastNote)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			src := Source(Page{Name: "claude", URL: srv.URL + "/api/v2/summary.json", Authors: []string{"anthropic"}})
			if src.Name() != "status.claude" || src.Interval() != time.Minute {
				t.Fatalf("source %s every %v", src.Name(), src.Interval())
			}
			ups, err := src.Fetch(context.Background(), env())
			if err != nil && !feedtest.Clean(err.Error()) {
				t.Errorf("unclean error %q", err)
			}
			tt.check(t, ups, err)
		})
	}
}

func wantError(t *testing.T, ups []model.Update, err error) {
	t.Helper()
	if err == nil || ups != nil {
		t.Errorf("%d updates, err %v; want an error and no update", len(ups), err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "status.claude: ") {
		t.Errorf("error %q does not name the source", err)
	}
}

func wantHTTP(status int, retry time.Duration) func(*testing.T, []model.Update, error) {
	return func(t *testing.T, ups []model.Update, err error) {
		t.Helper()
		var he *feeds.HTTPError
		if !errors.As(err, &he) || he.Status != status || he.RetryAfter != retry || ups != nil {
			t.Errorf("err %v; want HTTP %d retry %v", err, status, retry)
		}
	}
}

func TestSourceOnlineOrNotOverHTTP(t *testing.T) {
	body, err := os.ReadFile("testdata/onlineornot_page.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	}))
	defer srv.Close()
	ups, err := Source(Page{Name: "openrouter", URL: srv.URL + "/", Authors: AuthorsFor("openrouter")}).Fetch(context.Background(), env())
	if err != nil || len(ups) != 1 {
		t.Fatal(ups, err)
	}
	if p := ups[0].(model.StatusUpdate).Page; p.Status != model.StatusPartialOutage || p.Authors[0] != "openrouter" {
		t.Errorf("page = %+v", p)
	}
}

// BenchmarkDecodeStatuspage decodes the two-incident Claude summary.
func BenchmarkDecodeStatuspage(b *testing.B) {
	body := feedtest.ReadTestdata(b, "claude_summary_2026-08-05_two_incidents_trimmed.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBigPage(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"page":{"name":"Big"},"status":{"indicator":"none"},"components":[`)
	for i := 0; b.Len() < 8<<20; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"c%d","name":"Component %d","status":"operational","description":%q}`, i, i, strings.Repeat("x", 200))
	}
	b.WriteString(`]}`)
	start := time.Now()
	p, err := Decode([]byte(b.String()))
	if err != nil || len(p.Components) != maxComponents || p.Status != model.StatusOperational {
		t.Fatalf("big page: %d components, %v, %v", len(p.Components), p.Status, err)
	}
	t.Logf("decoded %.1f MB in %v", float64(b.Len())/(1<<20), time.Since(start))
}

func TestTurboDecode(t *testing.T) {
	decode := func(stream string) obj {
		t.Helper()
		o, err := onlineOrNotHTML([]byte(onlineOrNotPage(stream)))
		if err != nil {
			t.Fatalf("%s: %v", stream, err)
		}
		return o
	}
	o := decode(`[{"_1":2,"_3":4,"_5":6},"a",["D",1700000000000],"b",["P",1],"c",[7,-5,99],"x"]`)
	if got := fmt.Sprint(o); got != "map[a:2023-11-14T22:13:20Z b:<nil> c:[x <nil> <nil>]]" {
		t.Errorf("decoded %s", got)
	}
	if got := fmt.Sprint(decode(`[{"_1":0},"self"]`)); got != "map[self:<nil>]" {
		t.Errorf("cycle decoded as %s", got)
	}
	depth := 0
	for v := any(map[string]any(decode(deepTurbo(5000)))); v != nil; depth++ {
		m, _ := v.(map[string]any)
		v = m["k"]
	}
	if depth < 50 || depth > turboMaxDepth+2 {
		t.Errorf("deep stream decoded %d levels, want bounded near %d", depth, turboMaxDepth)
	}
	// Shared references decode once and stay shared: the real pages point
	// many rows at one "OPERATIONAL" string.
	if got := fmt.Sprint(decode(turboEncode(map[string]any{"l": []any{"OPERATIONAL", "OPERATIONAL"}}))); got != "map[l:[OPERATIONAL OPERATIONAL]]" {
		t.Errorf("shared strings decoded as %s", got)
	}
}
