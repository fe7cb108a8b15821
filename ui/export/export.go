// Package export prints a market Snapshot without the TUI: the JSON object of
// DESIGN.md §4 (`tokentape snapshot --json`), the board as CSV (`--csv`) and
// a plain-text board for a terminal or a pipe. Every output names its source,
// so demo data can never pass for live data.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokentape/tokentape/model"
)

// Report is the JSON object `tokentape snapshot --json` prints.
type Report struct {
	Source    string         `json:"source"`
	AsOf      *time.Time     `json:"as_of"`
	Listings  []ListingRow   `json:"listings"`
	Origins   []OriginRow    `json:"origins"`
	Alerts    []AlertRow     `json:"alerts"`
	Sources   []SourceRow    `json:"sources"`
	Volumes   bool           `json:"volumes"`   // false when ranks are order-only (live without a key)
	Simulated bool           `json:"simulated"` // the demo market, or a replay of a demo recording
	Extra     map[string]any `json:"-"`
}

// ListingRow is one listing of the report. Prices are USD per million
// tokens; null when unknown or variable (price_kind says which).
type ListingRow struct {
	Rank      int      `json:"rank"`
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Author    string   `json:"author"`
	Origin    string   `json:"origin"`
	Tokens    *uint64  `json:"tokens"` // trailing-window total; null without volumes
	Share     *float64 `json:"share"`  // percent of all tokens; null without volumes
	Growth    *float64 `json:"growth"` // percent vs the window before; null when new
	PriceIn   *float64 `json:"price_in"`
	PriceOut  *float64 `json:"price_out"`
	PriceKind string   `json:"price_kind"`
	Health    string   `json:"health"`
	// Artificial Analysis indexes (0–100); null when the listing has none.
	Intelligence *float64   `json:"intelligence"`
	Coding       *float64   `json:"coding"`
	Agentic      *float64   `json:"agentic"`
	IndexSource  string     `json:"index_source,omitempty"` // "catalogue", "benchmarks", "demo"
	IndexAsOf    *time.Time `json:"index_as_of,omitempty"`
	// Value is intelligence points per USD a day of the configured
	// workload (SetValues); null when free, variable, unpriced or unindexed.
	Value *float64 `json:"value"`
}

// OriginRow is one origin's share of attributed tokens, in percent.
type OriginRow struct {
	Origin string  `json:"origin"`
	Share  float64 `json:"share"`
}

// AlertRow is one alert of the log.
type AlertRow struct {
	Kind     string     `json:"kind"`
	Severity string     `json:"severity"`
	Subject  string     `json:"subject"`
	Message  string     `json:"message"`
	Since    time.Time  `json:"since"`
	State    string     `json:"state"`
	Resolved *time.Time `json:"resolved,omitempty"`
	Acked    bool       `json:"acked"`
}

// SourceRow is one source's health.
type SourceRow struct {
	Name        string     `json:"name"`
	OK          bool       `json:"ok"`
	LastSuccess *time.Time `json:"last_success"`
	LastError   string     `json:"last_error"`
	// Skipped says why rows of the source's last answer were left out
	// (unknown permaslug, index outside 0–100, a page URL that is not
	// http(s)); absent when none were.
	Skipped []string `json:"skipped,omitempty"`
}

func num(v float64) *float64 {
	r, ok := figure(v)
	if !ok {
		return nil
	}
	return &r
}

// figure is v as an export writes it, without float noise such as
// 2.9999999999999996; ok is false for NaN and infinities, which are left
// out.
func figure(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return round6(v), true
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func index(ix model.Indexes, k model.IndexKind) *float64 {
	if v, ok := ix.Get(k); ok {
		return &v
	}
	return nil
}

// SetValues fills each listing's value: its intelligence index divided by
// what the workload costs a day on it. Free, variable-priced, unpriced and
// unindexed listings keep a null value (never a division by zero).
func (r *Report) SetValues(s *model.Snapshot, w model.Workload) {
	for i := range r.Listings {
		row := &r.Listings[i]
		v, ok := s.Listing(row.ID)
		if !ok {
			continue
		}
		if val := w.Value(*v.Listing(), model.IndexIntelligence); val.Kind == model.ValuePaid {
			row.Value = num(val.Points)
		}
	}
}

// Build turns a snapshot into a report. Listings are in rank order, then the
// unranked ones by name.
func Build(s *model.Snapshot) Report {
	r := Report{
		Source:    s.Source,
		AsOf:      timePtr(s.AsOf),
		Listings:  make([]ListingRow, 0, len(s.Listings)),
		Origins:   make([]OriginRow, 0, len(s.Origins)),
		Alerts:    make([]AlertRow, 0, len(s.Alerts)),
		Sources:   make([]SourceRow, 0, len(s.Sources)),
		Volumes:   s.HasVolumes,
		Simulated: s.Simulated(),
	}
	for i := range s.Listings {
		v := &s.Listings[i]
		row := ListingRow{
			Rank: v.Rank, ID: v.ID, Name: v.Name, Author: v.Author, Origin: string(v.Origin),
			PriceKind: v.Price.Kind.String(), Health: v.Health.String(),
		}
		if s.HasVolumes {
			tok := v.Tokens
			row.Tokens = &tok
			row.Share = num(v.Share)
			row.Growth = num(v.Growth)
		}
		switch v.Price.Kind {
		case model.PricePaid:
			row.PriceIn, row.PriceOut = num(v.Price.In), num(v.Price.Out)
		case model.PriceFree:
			row.PriceIn, row.PriceOut = num(0), num(0)
		}
		row.Intelligence = index(v.Indexes(), model.IndexIntelligence)
		row.Coding = index(v.Indexes(), model.IndexCoding)
		row.Agentic = index(v.Indexes(), model.IndexAgentic)
		if v.Indexes().Has() {
			row.IndexSource, row.IndexAsOf = v.Indexes().Source, timePtr(v.Indexes().AsOf)
		}
		r.Listings = append(r.Listings, row)
	}
	for _, o := range s.Origins {
		r.Origins = append(r.Origins, OriginRow{Origin: string(o.Origin), Share: math.Round(o.Share*1000) / 1000})
	}
	for _, a := range s.Alerts {
		r.Alerts = append(r.Alerts, AlertRow{
			Kind: string(a.Kind), Severity: a.Severity.String(), Subject: a.Subject, Message: a.Message,
			Since: a.Since.UTC(), State: a.State.String(), Resolved: timePtr(a.Resolved), Acked: a.Acked,
		})
	}
	for _, h := range s.Sources {
		r.Sources = append(r.Sources, SourceRow{Name: h.Name, OK: h.OK, LastSuccess: timePtr(h.LastSuccess), LastError: h.LastError, Skipped: h.Skipped})
	}
	return r
}

// MarshalJSON writes the report's fields followed by any Extra sections
// (cost, apps) in a stable order.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	base, err := json.Marshal(plain(r))
	if err != nil || len(r.Extra) == 0 {
		return base, err
	}
	var b strings.Builder
	b.Write(base[:len(base)-1])
	for _, k := range sortedKeys(r.Extra) {
		v, err := json.Marshal(r.Extra[k])
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", k, err)
		}
		fmt.Fprintf(&b, ",%q:%s", k, v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteJSON prints a report (or any value) as indented JSON.
func WriteJSON(w io.Writer, r any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// SafeCell neutralises a CSV cell a spreadsheet would run as a formula, as
// OWASP recommends: a cell whose first character (after any spaces) is =, +,
// -, @, a tab or a carriage return, or their full-width forms, gets a leading
// single quote, so it reads as text. Plain numbers ("-3.5") are left alone:
// they cannot be formulas, and a quote would turn them into text. Names
// reach the CSV from upstream, so a listing called "=HYPERLINK(...)" must
// not become a link.
func SafeCell(s string) string {
	if s == "" || plainNumber(s) {
		return s
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, " "))
	switch first {
	case '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is -?digits[.digits]: what the exporter
// writes for numbers.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// CSVHeader is the first line of `snapshot --csv`.
var CSVHeader = []string{"source", "as_of", "rank", "id", "name", "author", "origin", "tokens", "share", "growth", "price_in", "price_out", "price_kind", "health"}

// WriteCSV prints the board as CSV. Every row carries the source, so a demo
// row pasted into a spreadsheet still says it is a demo.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	asOf := ""
	if r.AsOf != nil {
		asOf = r.AsOf.Format(time.RFC3339)
	}
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	// Simulated data says so on every row: a replay of a demo recording is
	// "replay of demo", never a bare "replay" that could pass for live.
	source := r.Source
	if r.Simulated && source != model.DemoSource {
		source += " of demo"
	}
	for _, l := range r.Listings {
		tok := ""
		if l.Tokens != nil {
			tok = strconv.FormatUint(*l.Tokens, 10)
		}
		rank := ""
		if l.Rank > 0 {
			rank = strconv.Itoa(l.Rank)
		}
		row := []string{source, asOf, rank, l.ID, l.Name, l.Author, l.Origin, tok,
			f(l.Share), f(l.Growth), f(l.PriceIn), f(l.PriceOut), l.PriceKind, l.Health}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
