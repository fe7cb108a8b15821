package export

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func TestIndexesValueAndTasksInTheJSON(t *testing.T) {
	at := time.Date(2026, 8, 19, 0, 0, 0, 0, time.UTC)
	m := model.NewMarket(model.Config{Source: "openrouter", Clock: func() time.Time { return at }})
	nan := math.NaN()
	paid := func(in, out float64) model.Price {
		return model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: nan}
	}
	ix := func(v float64) model.Indexes {
		return model.Indexes{Source: "catalogue", Intelligence: v, Coding: nan, Agentic: 33.7}
	}
	m.Apply(model.CatalogueUpdate{At: at, Source: "catalogue", Listings: []model.Listing{
		{ID: "anthropic/claude-sonnet-5", Name: "Claude Sonnet 5", Price: paid(2, 10), Indexes: ix(55.3)},
		{ID: "deepseek/deepseek-v4-flash", Name: "DeepSeek V4 Flash", Price: paid(0.0798, 0.1596), Indexes: ix(42.1)},
		{ID: "x/free", Name: "Free", Price: model.Price{Kind: model.PriceFree, CacheRead: nan}, Indexes: ix(30)},
		{ID: "openrouter/auto", Name: "Auto", Price: model.Price{Kind: model.PriceVariable, In: nan, Out: nan, CacheRead: nan}},
	}})
	m.Apply(model.TasksUpdate{At: at, Source: "tasks", Tasks: model.TaskShares{AsOf: at, WindowDays: 7,
		Macros: []model.MacroShare{{Key: "code", Label: "Code", TokenShare: 0.52, UsageShare: 0.45}},
		Tasks: []model.TaskShare{{Tag: "code:x", Name: "Code Generation", Macro: "code", TokenShare: 0.31, UsageShare: 0.2,
			Models: []model.TaskModel{{Slug: "deepseek/deepseek-v4-flash", TokenShare: 0.5}}}}}})
	s := m.Snapshot()
	r := Build(s)
	r.SetValues(s, model.DefaultWorkload())
	r.Extra = map[string]any{"tasks": Tasks(s)}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Listings []map[string]any `json:"listings"`
		Tasks    struct {
			AsOf   string `json:"as_of"`
			Macros []struct {
				Key        string  `json:"key"`
				TokenShare float64 `json:"token_share"`
			} `json:"macro_categories"`
			Tasks []struct {
				Name   string `json:"name"`
				Models []struct {
					ID string `json:"id"`
				} `json:"models"`
			} `json:"tasks"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	for _, l := range out.Listings {
		byID[l["id"].(string)] = l
	}
	sonnet := byID["anthropic/claude-sonnet-5"]
	if sonnet["intelligence"] != 55.3 || sonnet["coding"] != nil || sonnet["agentic"] != 33.7 || sonnet["index_source"] != "catalogue" {
		t.Errorf("sonnet 5 = %v", sonnet)
	}
	// value = index ÷ the workload's $/day: 55.3 / 80.
	if v, _ := sonnet["value"].(float64); math.Abs(v-55.3/80) > 1e-6 {
		t.Errorf("sonnet 5 value = %v, want %v", sonnet["value"], 55.3/80)
	}
	if v, _ := byID["deepseek/deepseek-v4-flash"]["value"].(float64); math.Abs(v-42.1/1.995) > 1e-6 {
		t.Errorf("flash value = %v, want %v", v, 42.1/1.995)
	}
	for _, id := range []string{"x/free", "openrouter/auto"} {
		if byID[id]["value"] != nil {
			t.Errorf("%s value = %v, want null", id, byID[id]["value"])
		}
	}
	if byID["openrouter/auto"]["intelligence"] != nil {
		t.Error("unindexed listing has an intelligence")
	}
	if out.Tasks.AsOf != "2026-08-19T00:00:00Z" || len(out.Tasks.Macros) != 1 || out.Tasks.Macros[0].TokenShare != 0.52 ||
		out.Tasks.Tasks[0].Models[0].ID != "deepseek/deepseek-v4-flash" {
		t.Errorf("tasks = %+v", out.Tasks)
	}
	// Without task shares the section is null, never made up.
	empty := model.NewMarket(model.Config{Source: "openrouter"}).Snapshot()
	if Tasks(empty) != nil {
		t.Error("tasks without data")
	}
	if !strings.Contains(buf.String(), `"value": null`) {
		t.Error("null values not written")
	}
}
