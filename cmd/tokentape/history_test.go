package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/cmd/tokentape/config"
	"github.com/tokentape/tokentape/feeds/history"
	"github.com/tokentape/tokentape/model"
)

// recordedHistory writes a small live history: a listing first seen at t0
// at $2/$8, cut by 20% at t1.
func recordedHistory(t *testing.T) (path string, t0, t1 time.Time) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "history.db")
	st, err := history.Open(path, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	t1 = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	price := func(in float64) model.Price {
		return model.Price{Kind: model.PricePaid, In: in, Out: 4 * in, CacheRead: math.NaN()}
	}
	for _, c := range []struct {
		at time.Time
		in float64
	}{{t0, 2}, {t0.Add(time.Hour), 2}, {t1, 1.6}} {
		st.Record([]model.Update{
			model.CatalogueUpdate{At: c.at, Source: "catalogue", Listings: []model.Listing{
				{ID: "openai/gpt-4o", Slug: "openai/gpt-4o-2024-05-13", Name: "OpenAI: GPT-4o", Author: "openai", Price: price(c.in)},
				{ID: "qwen/qwen3-max", Name: "Qwen: Qwen3 Max", Author: "qwen", Price: price(1.2)}}},
			model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: c.at, LastAttempt: c.at, Interval: 10 * time.Minute}},
		})
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path, t0, t1
}

func TestSnapshotAtReplaysTheMarketOfThatTime(t *testing.T) {
	path, _, t1 := recordedHistory(t)
	for _, c := range []struct {
		at     string
		wantIn float64
	}{
		{"2026-11-23", 2}, // a date: the market at its end
		{t1.Add(-time.Second).Format(time.RFC3339), 2}, // just before the cut
		{t1.Format(time.RFC3339), 1.6},                 // the cut
		{"2026-11-29T00:00:00+01:00", 1.6},             // another zone
	} {
		var out, errb bytes.Buffer
		if code := run([]string{"snapshot", "--json", "--at", c.at, "--db", path}, &out, &errb); code != 0 {
			t.Fatalf("--at %s: exit %d: %s", c.at, code, errb.String())
		}
		var snap struct {
			Source   string `json:"source"`
			Listings []struct {
				ID      string  `json:"id"`
				PriceIn float64 `json:"price_in"`
			} `json:"listings"`
		}
		if err := json.Unmarshal(out.Bytes(), &snap); err != nil {
			t.Fatal(err)
		}
		if snap.Source != "history" || len(snap.Listings) != 2 {
			t.Fatalf("--at %s: source %q, %d listings", c.at, snap.Source, len(snap.Listings))
		}
		for _, l := range snap.Listings {
			if l.ID == "openai/gpt-4o" && l.PriceIn != c.wantIn {
				t.Errorf("--at %s: gpt-4o input price %v, want %v", c.at, l.PriceIn, c.wantIn)
			}
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"snapshot", "--at", "2026-01-01", "--db", path}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "nothing that early") {
		t.Errorf("--at before the history: exit %d, %q", code, errb.String())
	}
}

func TestHistoryCommands(t *testing.T) {
	path, _, _ := recordedHistory(t)
	cases := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"prices", "openai/gpt-4o", "--db", path}, 0, []string{"2 prices kept", "2026-11-24 09:30", "-20% in, -20% out"}},
		{[]string{"prices", "--db", path, "openai/gpt-4o-2024-05-13"}, 0, []string{"openai/gpt-4o: 2 prices"}},
		{[]string{"prices", "no/such", "--db", path}, 1, []string{"no such listing"}},
		{[]string{"export", "--since", "2026-11-24", "--csv", "--db", path}, 0, []string{"table,subject,time,measure,value", "price,openai/gpt-4o,2026-11-24T09:30:00Z,in,1.6"}},
		{[]string{"export", "--db", path}, 2, []string{"needs --since"}},
		{[]string{"prices", "--db", filepath.Join(t.TempDir(), "none.db"), "x"}, 1, []string{"no history at"}},
		{[]string{"bogus"}, 2, []string{"want prices, uptime or export"}},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(append([]string{"history"}, c.args...), &out, &errb)
		got := out.String() + errb.String()
		if code != c.code {
			t.Errorf("history %v: exit %d, want %d: %s", c.args, code, c.code, got)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("history %v: output lacks %q:\n%s", c.args, w, got)
			}
		}
	}
}

func TestHistoryFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--at", "2026-11-24", "--no-history"}, "--no-history"},
		{[]string{"--at", "2026-11-24", "--source", "demo"}, "--source demo"},
		{[]string{"--at", "yesterday"}, "want a time"},
		{[]string{"--db", "x.db", "--no-history"}, "pick one"},
	} {
		if _, _, err := parseArgs(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want it to mention %q", c.args, err, c.want)
		}
	}
	_, o, err := parseArgs([]string{"--at", "2026-11-24"})
	if err != nil || o.source != sourceHistory || !o.atTime.Equal(time.Date(2026, 11, 24, 23, 59, 59, 999e6, time.UTC)) {
		t.Errorf("--at 2026-11-24: source %q at %s, %v", o.source, o.atTime, err)
	}
}

// TestOnlyALiveMarketCreatesTheHistoryFile: an auto run that falls back to
// the demo leaves no file behind (the file appears when the live market
// answers); --source demo never opens it; a live run creates it.
func TestOnlyALiveMarketCreatesTheHistoryFile(t *testing.T) {
	closed := "http://" + freePort(t) + "/api/v1" // nobody listens: connection refused
	for _, c := range []struct {
		name        string
		source      string
		goLive      bool // after the start, the live market answers (r, or serve's retry)
		wantFile    bool
		wantRunning string
	}{
		{"auto, offline: the demo", sourceAuto, false, false, sourceDemo},
		{"auto, offline, then live", sourceAuto, true, true, sourceDemo},
		{"demo", sourceDemo, false, false, sourceDemo},
		{"openrouter", sourceOpenRouter, false, true, sourceOpenRouter},
	} {
		t.Run(c.name, func(t *testing.T) {
			isolate(t, "")
			db := filepath.Join(t.TempDir(), "state", "history.db")
			a, err := newApp(options{source: c.source, openrouterURL: closed, db: db, speed: 1}, config.Defaults())
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := a.openRun(ctx, io.Discard, nil); err != nil {
				t.Fatal(err)
			}
			if a.o.source != c.wantRunning {
				t.Errorf("running %q, want %q", a.o.source, c.wantRunning)
			}
			if c.goLive {
				a.liveMarket(ctx) // what switchToLive does once the catalogue answers
			}
			a.hist.close(io.Discard)
			_, err = os.Stat(db)
			if got := err == nil; got != c.wantFile {
				t.Errorf("history file exists: %v, want %v (%v)", got, c.wantFile, err)
			}
			if !c.wantFile {
				if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
					t.Errorf("the store's directory was created: %v", err)
				}
			}
		})
	}
}
