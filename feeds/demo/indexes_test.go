package demo

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// The demo's listings carry the AA indexes published for them, dated; days
// before the first publication (2026-02-15) use the earliest value and say so.
func TestDemoIndexes(t *testing.T) {
	h := newHarness(t, DefaultSeed)
	check := func(s *model.Snapshot, id string, intel float64, asOf, note string) {
		t.Helper()
		v, ok := s.Listing(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		got, ok := v.Indexes().Get(model.IndexIntelligence)
		if !ok || got != intel || v.Indexes().AsOf.Format(time.DateOnly) != asOf || !strings.Contains(v.Indexes().Note, note) ||
			v.Indexes().Source != SourceName {
			t.Errorf("%s: %+v, want %v as of %s, note %q", id, v.Indexes(), intel, asOf, note)
		}
	}
	h.runTo(date("2026-01-10"), nil)
	s := h.m.Snapshot()
	check(s, "anthropic/claude-sonnet-4.5", 42.9, "2026-02-15", "earliest published AA value (2026-02-15) used for earlier days")
	check(s, "x-ai/grok-4.1-fast:free", 38.5, "2026-02-15", "earliest")
	h.runTo(date("2026-03-05"), nil)
	s = h.m.Snapshot()
	check(s, "z-ai/glm-5", 49.8, "2026-03-01", "")
	if v, _ := s.Listing("qwen/qwen3.5-plus-02-15"); v == nil || v.Indexes().Has() {
		t.Errorf("an unmatched AA model got indexes: %+v", v)
	}
	h.runTo(LastPublished, nil)
	s = h.m.Snapshot()
	check(s, "moonshotai/kimi-k2.6", 53.9, "2026-04-26", "")
	check(s, "deepseek/deepseek-v4-flash", 46.5, "2026-04-26", "")
	v, _ := s.Listing("z-ai/glm-5")
	if len(v.IndexHistory()) < 2 {
		t.Errorf("GLM-5 index history = %+v", v.IndexHistory())
	}
	w := model.DefaultWorkload()
	if val := w.Value(*v.Listing(), model.IndexIntelligence); val.Kind != model.ValuePaid || math.IsNaN(val.Points) {
		t.Errorf("GLM-5 value offline = %+v", val)
	}
}

// The embedded table is well formed and honest: dates increase per listing,
// every index is within 0–100, and every listing it names is in the demo.
func TestIndexTable(t *testing.T) {
	idx, err := parseIndexes(aaIndexesCSV)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, sp := range listings {
		ids[sp.id] = true
	}
	for id, pts := range idx {
		if !ids[id] {
			t.Errorf("%s is not a demo listing", id)
		}
		for _, p := range pts {
			if dateOf(p.day).Before(date("2026-02-15")) || dateOf(p.day).After(date("2026-08-14")) {
				t.Errorf("%s: point on %v outside the record", id, dateOf(p.day))
			}
		}
	}
	if len(idx) < 25 {
		t.Errorf("%d listings with indexes, want ≥ 25", len(idx))
	}
	for _, bad := range []string{"date,listing,aa_slug,intelligence,coding\n2026-02-15,a/b,x,101,1\n",
		"date,listing,aa_slug,intelligence,coding\n2026-02-15,a/b,x,1\n",
		"date,listing,aa_slug,intelligence,coding\n2026-02-15,a/b,x,1,1\n2026-02-15,a/b,x,2,2\n"} {
		if _, err := parseIndexes(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
