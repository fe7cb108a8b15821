package statuspage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
)

// FuzzDecode: whatever the answer (JSON of any kind, HTML with or without
// turbo-stream data), Decode never panics, never lets an escape, control or
// format rune through, keeps its caps and order, and reports a status no
// better than any component or open incident.
func FuzzDecode(f *testing.F) {
	if b, err := os.ReadFile("testdata/onlineornot_page.html"); err == nil {
		f.Add(b)
	}
	if files, err := filepath.Glob("testdata/*.*"); err == nil {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		`{"page":{"id":"x","name":"\u001b[31mP"},"status":{"indicator":"critical"},"components":[{"name":"A\r","status":"partial_outage"}],
		  "incidents":[{"id":"1","name":"\u202eT","status":"identified","impact":"major","created_at":"2026-01-01T00:00:00Z",
		  "incident_updates":[{"body":"<b>x</b>&amp;\u0007","created_at":"2026-01-01T00:01:00Z"}]}],
		  "scheduled_maintenances":[{"id":"m","name":"M","status":"in_progress"}]}`,
		`{"overall":{"status":"major_outage"},"ongoing_incidents":[{"id":1,"title":"x","started_at":-1}],"in_progress_maintenances":[{}]}`,
		`{"result":{"status":"PARTIAL_OUTAGE","components":[{"name":"c","status":"MAJOR_OUTAGE"}]},"success":true}`,
		onlineOrNotPage(`[{"_1":2},"loaderData",{"_3":4},"root",{"_5":6},"result",{"_7":8},"components",[9],{"_10":11,"_12":13},"name","C\u001b","status","DEGRADED_PERFORMANCE"]`),
		onlineOrNotPage(`[{"_1":0,"_2":[0,0,0]},"loaderData",["D",1e300]]`),
		`<script>streamController.enqueue("\u0000`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := Decode(body)
		if err != nil {
			if p.Name != "" || p.Components != nil || p.Incidents != nil {
				t.Fatalf("error %v with a page %+v", err, p)
			}
			return
		}
		for _, s := range pageStrings(p) {
			if !feedtest.Clean(s) {
				t.Fatalf("unclean %q", s)
			}
		}
		if len(p.Components) > maxComponents || len(p.Incidents) > maxIncidents {
			t.Fatalf("caps exceeded: %d components, %d incidents", len(p.Components), len(p.Incidents))
		}
		for _, c := range p.Components {
			if c.Status > p.Status || c.Name == "" {
				t.Fatalf("component %+v worse than page %v", c, p.Status)
			}
		}
		for i, in := range p.Incidents {
			if in.Impact > p.Status || in.Impact == 0 {
				t.Fatalf("incident %+v vs page %v", in, p.Status)
			}
			if i > 0 && in.Started.After(p.Incidents[i-1].Started) {
				t.Fatalf("incidents not newest first")
			}
		}
	})
}

// FuzzParsePageFlag: an accepted flag always gives a safe name and an
// absolute http(s) URL.
func FuzzParsePageFlag(f *testing.F) {
	for _, s := range []string{"claude=https://status.claude.com/api/v2/summary.json", "x=", "=y", "a=b=c", "a\x1b=http://h/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePageFlag(s)
		if err != nil {
			return
		}
		if p.Name == "" || strings.ContainsFunc(p.Name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
		}) {
			t.Fatalf("name %q", p.Name)
		}
		if !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
			t.Fatalf("url %q", p.URL)
		}
	})
}
