package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

var asOf = time.Date(2026, 2, 16, 23, 59, 0, 0, time.UTC)

func fixture(t *testing.T) *model.Snapshot {
	t.Helper()
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return asOf }})
	nan := math.NaN()
	m.Apply(model.CatalogueUpdate{At: asOf, Listings: []model.Listing{
		{ID: "minimax/minimax-m2.5", Name: "MiniMax M2.5", Price: model.Price{Kind: model.PricePaid, In: 0.3, Out: 1.2, CacheRead: 0.03}},
		{ID: "anthropic/claude-sonnet-4.5", Name: "Claude Sonnet 4.5", Price: model.Price{Kind: model.PricePaid, In: 3, Out: 15, CacheRead: 0.3}},
		{ID: "openrouter/auto", Name: "Auto Router", Price: model.Price{Kind: model.PriceVariable}},
		{ID: "qwen/qwen3.6-plus:free", Name: "Qwen3.6 Plus (free)", Price: model.Price{Kind: model.PriceFree, CacheRead: nan}},
	}})
	var rows []model.UsageRow
	for d := 0; d < 14; d++ {
		day := asOf.AddDate(0, 0, d-13)
		rows = append(rows,
			model.UsageRow{Date: day, Slug: "minimax/minimax-m2.5", Tokens: uint64(100 + 100*d)},
			model.UsageRow{Date: day, Slug: "anthropic/claude-sonnet-4.5", Tokens: 400},
			model.UsageRow{Date: day, Slug: model.OtherSlug, Tokens: 1000})
	}
	m.Apply(model.UsageUpdate{At: asOf, Rows: rows})
	m.Apply(model.SourceUpdate{Health: model.SourceHealth{Name: "demo", OK: true, LastSuccess: asOf}})
	return m.Snapshot()
}

func TestJSONHasEveryDesignField(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Build(fixture(t))); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if got["source"] != "demo" || got["as_of"] != "2026-02-16T23:59:00Z" {
		t.Errorf("source %v as_of %v", got["source"], got["as_of"])
	}
	listings := got["listings"].([]any)
	if len(listings) != 4 {
		t.Fatalf("%d listings, want 4", len(listings))
	}
	for _, l := range listings {
		row := l.(map[string]any)
		for _, k := range []string{"rank", "id", "name", "author", "origin", "tokens", "share", "growth", "price_in", "price_out", "health"} {
			if _, ok := row[k]; !ok {
				t.Errorf("listing %v lacks %q", row["id"], k)
			}
		}
	}
	first := listings[0].(map[string]any)
	if first["id"] != "minimax/minimax-m2.5" || first["rank"] != 1.0 || first["origin"] != "CN" || first["price_out"] != 1.2 {
		t.Errorf("first listing %v", first)
	}
	variable := listings[2].(map[string]any)
	if variable["price_in"] != nil || variable["price_kind"] != "variable" {
		t.Errorf("variable price exported as %v (%v)", variable["price_in"], variable["price_kind"])
	}
	var sum float64
	for _, o := range got["origins"].([]any) {
		sum += o.(map[string]any)["share"].(float64)
	}
	if math.Abs(sum-100) > 0.5 {
		t.Errorf("origin shares sum to %v", sum)
	}
	src := got["sources"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "ok", "last_success", "last_error"} {
		if _, ok := src[k]; !ok {
			t.Errorf("source lacks %q", k)
		}
	}
	if _, ok := got["alerts"].([]any); !ok {
		t.Errorf("alerts is %T, want a list (empty or not)", got["alerts"])
	}
}

func TestExtraSectionsAreAppended(t *testing.T) {
	r := Build(fixture(t))
	r.Extra = map[string]any{"cost": []int{1}, "apps": []string{"x"}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if got["cost"] == nil || got["apps"] == nil || got["source"] != "demo" {
		t.Errorf("extra sections missing: %s", b)
	}
	if strings.Index(string(b), `"apps"`) > strings.Index(string(b), `"cost"`) {
		t.Error("extra sections not in key order")
	}
}

func TestCSVCarriesTheSourceOnEveryRow(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Build(fixture(t))); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("got %d records, header %v", len(recs), recs[0])
	}
	for _, r := range recs[1:] {
		if r[0] != "demo" {
			t.Errorf("row %v does not say demo", r)
		}
	}
	if recs[1][3] != "minimax/minimax-m2.5" || recs[1][7] != "7700" {
		t.Errorf("first row %v, want minimax with 7700 tokens (800+...+1400)", recs[1])
	}
}

func TestAReplayOfTheDemoIsMarkedSimulated(t *testing.T) {
	demo := fixture(t)
	if r := Build(demo); !r.Simulated {
		t.Error("the demo is not marked simulated")
	}
	rec := *demo
	rec.Source = "replay"
	var buf bytes.Buffer
	if err := WriteText(&buf, &rec, 5); err != nil {
		t.Fatal(err)
	}
	if r := Build(&rec); !r.Simulated || !strings.HasPrefix(buf.String(), "tokentape REPLAY of DEMO data ·") {
		t.Errorf("a replay of the demo: simulated %v, text %q", r.Simulated, strings.SplitN(buf.String(), "\n", 2)[0])
	}
	buf.Reset()
	if err := WriteCSV(&buf, Build(&rec)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	for _, row := range recs[1:] {
		if row[0] != "replay of demo" {
			t.Fatalf("a CSV row of a demo replay says %q, want replay of demo: %v", row[0], row)
		}
	}
	rec.Sources = nil
	if Build(&rec).Simulated {
		t.Error("a replay without the demo's row is marked simulated")
	}
	buf.Reset()
	if err := WriteCSV(&buf, Build(&rec)); err != nil {
		t.Fatal(err)
	}
	if recs, _ := csv.NewReader(&buf).ReadAll(); len(recs) < 2 || recs[1][0] != "replay" {
		t.Errorf("a replay of live data: %v", recs[1])
	}
}
