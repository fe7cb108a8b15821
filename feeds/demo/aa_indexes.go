package demo

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
)

// The demo's benchmark indexes: the Artificial Analysis intelligence and
// coding indexes published for its listings, from the weekly versions of
// AA's model list between 2026-02-15 and 2026-08-14 (the earliest kept in
// the public record). aa_indexes.csv holds one row per change; the OpenRouter
// catalogue maps its listings to AA's reasoning variants, and so does this
// table (Claude Sonnet 4.5 is "Claude 4.5 Sonnet (Reasoning)"). AA reused
// the slugs of DeepSeek V4 Flash and Pro for later models in August; the
// rows follow the April models by release date. Listings AA does not rate
// (or rates under a name that cannot be matched with certainty, such as
// Qwen3.5 Plus) carry no indexes. The agentic index is not in the record
// for these dates, so the demo has none.
//
//go:embed aa_indexes.csv
var aaIndexesCSV string

// indexPoint is one published change of a listing's indexes.
type indexPoint struct {
	day           int // dayNum of the publication
	intel, coding float64
}

// parseIndexes reads aa_indexes.csv into points per listing id, oldest
// first.
func parseIndexes(csv string) (map[string][]indexPoint, error) {
	out := map[string][]indexPoint{}
	header := true
	for n, line := range strings.Split(csv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 5 {
			return nil, fmt.Errorf("aa_indexes.csv line %d: %d fields", n+1, len(f))
		}
		d, err := time.Parse(time.DateOnly, f[0])
		if err != nil {
			return nil, fmt.Errorf("aa_indexes.csv line %d: %v", n+1, err)
		}
		num := func(s string) (float64, error) {
			if s == "" {
				return math.NaN(), nil
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !model.ValidIndex(v) {
				return 0, fmt.Errorf("aa_indexes.csv line %d: index %q", n+1, s)
			}
			return v, nil
		}
		intel, err1 := num(f[3])
		coding, err2 := num(f[4])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%v%v", err1, err2)
		}
		pts := out[f[1]]
		day := dayNum(d)
		if len(pts) > 0 && pts[len(pts)-1].day >= day {
			return nil, fmt.Errorf("aa_indexes.csv line %d: %s out of order", n+1, f[1])
		}
		out[f[1]] = append(pts, indexPoint{day: day, intel: intel, coding: coding})
	}
	return out, nil
}

// indexesOn returns a listing's indexes on day d: the latest published on
// or before d, else (before its first publication) the earliest, saying so.
// ok is false for a listing without published indexes.
func indexesOn(pts []indexPoint, d int) (model.Indexes, bool) {
	if len(pts) == 0 {
		return model.Indexes{}, false
	}
	p, note := pts[0], ""
	for _, q := range pts {
		if q.day <= d {
			p = q
		}
	}
	if d < pts[0].day {
		note = "earliest published AA value (" + dateOf(pts[0].day).Format(time.DateOnly) + ") used for earlier days"
	}
	return model.Indexes{Source: SourceName, AsOf: dateOf(p.day), Intelligence: p.intel, Coding: p.coding,
		Agentic: math.NaN(), Note: note}, true
}

// indexChanges reports whether a listing's published indexes change on day
// d (the first publication changes them too: its note goes).
func indexChanges(pts []indexPoint, d int) bool {
	for _, p := range pts {
		if p.day == d {
			return true
		}
	}
	return false
}
