package openrouter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Polling intervals of the quality, task and provider sources. The
// benchmarks are published daily and share the 500-a-day dataset quota, so
// once a day is enough.
const (
	BenchmarksInterval = 24 * time.Hour
	TasksInterval      = 6 * time.Hour
	ProvidersInterval  = 24 * time.Hour
)

// maxProviders and maxTasks cap what one answer may contribute.
const (
	maxProviders = 1000
	maxTasks     = 200
	maxTaskModel = 20
)

// rawAAIndexes is the Artificial Analysis entry of a catalogue listing's
// "benchmarks" or an AA row of GET /benchmarks. Members stay raw so that a
// wrong type rejects that index alone, with a reason.
type rawAAIndexes struct {
	Intelligence json.RawMessage `json:"intelligence_index"`
	Coding       json.RawMessage `json:"coding_index"`
	Agentic      json.RawMessage `json:"agentic_index"`
}

// indexes validates the three indexes: each is a number within 0–100, or
// missing (null or absent). Anything else is left out and named in the
// returned Indexes' Rejected.
func (r rawAAIndexes) indexes(source string) model.Indexes {
	ix := model.Indexes{Source: source}
	var why []string
	read := func(name string, raw json.RawMessage) float64 {
		s := strings.TrimSpace(string(raw))
		if s == "" || s == "null" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || s[0] == '"':
			why = append(why, name+" is not a number")
			return math.NaN()
		case !model.ValidIndex(v):
			why = append(why, name+" "+strconv.FormatFloat(v, 'g', 6, 64)+" is outside 0–100")
			return math.NaN()
		}
		return v
	}
	ix.Intelligence = read("intelligence_index", r.Intelligence)
	ix.Coding = read("coding_index", r.Coding)
	ix.Agentic = read("agentic_index", r.Agentic)
	ix.Rejected = strings.Join(why, ", ")
	if !ix.Has() {
		if ix.Rejected == "" {
			ix.Rejected = "no index"
		}
		ix.Source = "" // nothing usable: no indexes, only the reason
	}
	return ix
}

// catalogueIndexes reads a listing's "benchmarks" member (keyless AA
// indexes, beside Design Arena results this package does not use). A
// listing without AA indexes has none; a malformed member is a reason, never
// a dropped listing.
//
// The member is an eighth of the catalogue's bytes, most of it Design Arena
// results: unmarshalling it to find "artificial_analysis" scanned it twice
// more after the listing's own decode, a fifth of the whole decode. member
// steps over the other members in one light pass; only the AA object is
// unmarshalled.
func catalogueIndexes(raw json.RawMessage) model.Indexes {
	if len(raw) == 0 || string(raw) == "null" {
		return model.Indexes{}
	}
	aa, ok := member(raw, "artificial_analysis")
	if !ok {
		return model.Indexes{Rejected: "benchmarks is not an object"}
	}
	if len(aa) == 0 || string(aa) == "null" {
		return model.Indexes{}
	}
	var r rawAAIndexes
	if json.Unmarshal(aa, &r) != nil {
		return model.Indexes{Rejected: "artificial_analysis is not an object"}
	}
	return r.indexes("catalogue")
}

// member returns the value of obj's member named key, as encoding/json
// would pick it for a struct field of that name: the last member whose
// name equals key ignoring case (bytes.EqualFold), nil when there is none.
// ok is false when obj is not a JSON object. obj is a json.RawMessage that
// encoding/json has already checked to be valid JSON; on invalid input
// member gives ok false or some span of it, never a panic.
func member(obj []byte, key string) (val []byte, ok bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return nil, false
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return nil, true
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return nil, false
		}
		end := skipValue(obj, i)
		name := obj[i+1 : max(end-1, i+1)]
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		start := skipSpace(obj, i+1)
		end = skipValue(obj, start)
		if end <= start {
			return nil, false
		}
		if memberNamed(name, key) {
			val = obj[start:end]
		}
		i = skipSpace(obj, end)
		switch {
		case i < len(obj) && obj[i] == ',':
			i = skipSpace(obj, i+1)
		case i < len(obj) && obj[i] == '}':
			return val, true
		default:
			return nil, false
		}
	}
	return nil, false
}

// memberNamed reports whether a member's name (its bytes between the
// quotes, escapes and all) is key, as encoding/json matches field names.
func memberNamed(name []byte, key string) bool {
	if bytes.IndexByte(name, '\\') < 0 {
		return bytes.EqualFold(name, []byte(key))
	}
	var s string // an escaped name: rare, so unquoted the slow way
	if json.Unmarshal(append(append([]byte{'"'}, name...), '"'), &s) != nil {
		return false
	}
	return strings.EqualFold(s, key)
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value that starts at
// b[i] (a string, an object or array with everything in it, or a number or
// literal), or len(b) when it does not end.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			i++
			if depth == 0 {
				return min(i, len(b))
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the object or array around a literal
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return len(b)
}

// rawBenchmarkItem is one element of GET /benchmarks "data": an AA row, or a
// row of another source (Design Arena, OpenRouter's own), told apart by
// "source".
type rawBenchmarkItem struct {
	Source    string `json:"source"`
	Permaslug string `json:"model_permaslug"`
	rawAAIndexes
}

// DecodeBenchmarks decodes a GET /benchmarks answer: the Artificial Analysis
// rows, keyed by permaslug, and when the data was last updated (meta.as_of;
// zero when absent). Rows of other sources are not AA indexes and are passed
// over; an AA row without a usable permaslug or without any usable index is
// skipped and its reason returned. A body that is not JSON or has no "data"
// list is an error.
func DecodeBenchmarks(body []byte) (rows []model.BenchmarkRow, skipped []string, asOf time.Time, err error) {
	list, err := dataList(body)
	if err != nil {
		return nil, nil, time.Time{}, fmt.Errorf("benchmarks: %w", err)
	}
	var meta struct {
		Meta struct {
			AsOf string `json:"as_of"`
		} `json:"meta"`
	}
	if json.Unmarshal(body, &meta) == nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(meta.Meta.AsOf)); err == nil {
			asOf = t.UTC()
		}
	}
	seen := map[string]bool{}
	for i, raw := range list {
		var r rawBenchmarkItem
		if err := json.Unmarshal(raw, &r); err != nil {
			skipped = append(skipped, fmt.Sprintf("row %d: not an object", i+1))
			continue
		}
		if r.Source != "artificial-analysis" {
			continue
		}
		slug, ok := cleanID(r.Permaslug)
		if !ok {
			skipped = append(skipped, fmt.Sprintf("row %d: no usable model_permaslug", i+1))
			continue
		}
		ix := r.indexes("benchmarks")
		ix.AsOf = asOf
		if !ix.Has() {
			skipped = append(skipped, slug+": "+ix.Rejected)
			continue
		}
		if ix.Rejected != "" {
			skipped = append(skipped, slug+": "+ix.Rejected)
			ix.Rejected = ""
		}
		if seen[slug] {
			skipped = append(skipped, slug+": listed twice, first kept")
			continue
		}
		seen[slug] = true
		rows = append(rows, model.BenchmarkRow{Slug: slug, Indexes: ix})
	}
	return rows, skipped, asOf, nil
}

// share reads a fraction within 0–1.
func share(v *float64) (float64, bool) {
	f := finite(v)
	return f, f >= 0 && f <= 1
}

type rawTaskModel struct {
	ID         string   `json:"id"`
	TokenShare *float64 `json:"tag_token_share"`
	UsageShare *float64 `json:"tag_usage_share"`
}

type rawTask struct {
	Tag         string         `json:"tag"`
	DisplayName string         `json:"display_name"`
	Macro       string         `json:"macro_category"`
	TokenShare  *float64       `json:"token_share"`
	UsageShare  *float64       `json:"usage_share"`
	Models      []rawTaskModel `json:"models"`
}

type rawMacro struct {
	Key        string   `json:"key"`
	Label      string   `json:"label"`
	TokenShare *float64 `json:"token_share"`
	UsageShare *float64 `json:"usage_share"`
}

// DecodeTaskClassifications decodes a GET /classifications/task answer:
// token and request shares (fractions 0–1) by macro category and by task,
// with the top models of each. A task or category whose shares are missing
// or outside 0–1 is dropped and counted, as is a model entry without a
// usable id. A body that is not JSON, lacks "data", or lacks a readable
// as_of date is an error: shares without their date cannot be cited.
func DecodeTaskClassifications(body []byte) (t model.TaskShares, dropped int, err error) {
	data, err := dataOf(body)
	if err != nil {
		return t, 0, fmt.Errorf("tasks: %w", err)
	}
	var d struct {
		AsOf            string            `json:"as_of"`
		WindowDays      *float64          `json:"window_days"`
		Classifications []json.RawMessage `json:"classifications"`
		Macros          []json.RawMessage `json:"macro_categories"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return t, 0, fmt.Errorf("tasks: %w", feeds.JSONProblem(data, err))
	}
	asOf, err := time.Parse(time.DateOnly, strings.TrimSpace(d.AsOf))
	if err != nil {
		return t, 0, errors.New("tasks: answer has no as_of date")
	}
	t = model.TaskShares{Source: "tasks", AsOf: asOf.UTC()}
	if v := finite(d.WindowDays); v >= 1 && v <= 366 {
		t.WindowDays = int(v)
	}
	for _, raw := range d.Macros {
		var r rawMacro
		if json.Unmarshal(raw, &r) != nil {
			dropped++
			continue
		}
		ts, ok1 := share(r.TokenShare)
		us, ok2 := share(r.UsageShare)
		key := sanitize.Name(r.Key)
		if !ok1 || !ok2 || key == "" {
			dropped++
			continue
		}
		label := sanitize.Name(r.Label)
		if label == "" {
			label = key
		}
		t.Macros = append(t.Macros, model.MacroShare{Key: key, Label: label, TokenShare: ts, UsageShare: us})
	}
	for _, raw := range d.Classifications {
		if len(t.Tasks) == maxTasks {
			dropped++
			continue
		}
		var r rawTask
		if json.Unmarshal(raw, &r) != nil {
			dropped++
			continue
		}
		ts, ok1 := share(r.TokenShare)
		us, ok2 := share(r.UsageShare)
		tag := sanitize.Name(r.Tag)
		if !ok1 || !ok2 || tag == "" {
			dropped++
			continue
		}
		task := model.TaskShare{Tag: tag, Name: sanitize.Name(r.DisplayName), Macro: sanitize.Name(r.Macro), TokenShare: ts, UsageShare: us}
		if task.Name == "" {
			task.Name = tag
		}
		for _, m := range r.Models {
			id, ok := cleanID(m.ID)
			mts, ok1 := share(m.TokenShare)
			mus, ok2 := share(m.UsageShare)
			if !ok || !ok1 || !ok2 || len(task.Models) == maxTaskModel {
				dropped++
				continue
			}
			task.Models = append(task.Models, model.TaskModel{Slug: id, TokenShare: mts, UsageShare: mus})
		}
		t.Tasks = append(t.Tasks, task)
	}
	return t, dropped, nil
}

type rawProvider struct {
	Slug          string  `json:"slug"`
	Name          *string `json:"name"`
	Headquarters  *string `json:"headquarters"`
	StatusPageURL *string `json:"status_page_url"`
}

// DecodeProviders decodes a GET /providers answer. A provider without a
// usable slug is skipped with a reason; a status page URL that is not an
// absolute http(s) URL is dropped (the provider kept, without a page) with a
// reason; a headquarters that is not a two-letter country code is dropped.
// A body that is not JSON or has no "data" list is an error.
func DecodeProviders(body []byte) (ps []model.Provider, skipped []string, err error) {
	list, err := dataList(body)
	if err != nil {
		return nil, nil, fmt.Errorf("providers: %w", err)
	}
	seen := map[string]bool{}
	for i, raw := range list {
		if len(ps) == maxProviders {
			skipped = append(skipped, fmt.Sprintf("%d more providers past %d", len(list)-i, maxProviders))
			break
		}
		var r rawProvider
		if json.Unmarshal(raw, &r) != nil {
			skipped = append(skipped, fmt.Sprintf("provider %d: wrong types", i+1))
			continue
		}
		slug, ok := cleanID(r.Slug)
		if !ok || seen[slug] {
			skipped = append(skipped, fmt.Sprintf("provider %d: no usable slug", i+1))
			continue
		}
		seen[slug] = true
		p := model.Provider{Slug: slug, Name: slug}
		if r.Name != nil {
			if n := sanitize.Name(*r.Name); n != "" {
				p.Name = n
			}
		}
		if r.Headquarters != nil {
			if hq := strings.TrimSpace(*r.Headquarters); len(hq) == 2 && isUpperASCII(hq) {
				p.Headquarters = hq
			}
		}
		if r.StatusPageURL != nil && strings.TrimSpace(*r.StatusPageURL) != "" {
			if u, ok := httpURL(*r.StatusPageURL); ok {
				p.StatusPageURL = u
			} else {
				skipped = append(skipped, slug+": status page "+strconv.Quote(sanitize.Name(*r.StatusPageURL))+" is not an http(s) URL")
			}
		}
		ps = append(ps, p)
	}
	return ps, skipped, nil
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// httpURL accepts an absolute http(s) URL without credentials, sanitised.
func httpURL(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s != sanitize.String(s, 300) {
		return "", false // control, escape or invisible runes: not a URL to follow
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// benchmarksSource polls GET /benchmarks?source=artificial-analysis.
type benchmarksSource struct{ dataset }

// NewBenchmarks returns the benchmarks source ("benchmarks", daily), which
// needs cfg.APIKey and shares the dataset limiter lim (nil: its own).
func NewBenchmarks(cfg Config, lim *Limiter) feeds.Source {
	d := newDataset(cfg, "benchmarks", BenchmarksInterval, lim, "the benchmarks dataset needs")
	d.optional = true
	return &benchmarksSource{d}
}

// Fetch reads the AA benchmark rows once.
func (s *benchmarksSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.fetch(ctx, env, "/benchmarks?source=artificial-analysis", func(body []byte, now time.Time) (model.Update, error) {
		rows, skipped, _, err := DecodeBenchmarks(body)
		return model.BenchmarkUpdate{At: now, Source: "benchmarks", Rows: rows, Skipped: skipped}, err
	})
}

// tasksSource polls GET /classifications/task.
type tasksSource struct{ dataset }

// NewTasks returns the task classification source ("tasks", every 6 hours),
// which needs cfg.APIKey and shares the dataset limiter lim (nil: its own).
func NewTasks(cfg Config, lim *Limiter) feeds.Source {
	d := newDataset(cfg, "tasks", TasksInterval, lim, "task shares need")
	d.optional = true
	return &tasksSource{d}
}

// Fetch reads the task shares once.
func (s *tasksSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.fetch(ctx, env, "/classifications/task?window=7d", func(body []byte, now time.Time) (model.Update, error) {
		t, _, err := DecodeTaskClassifications(body)
		return model.TasksUpdate{At: now, Source: "tasks", Tasks: t}, err
	})
}

// providersSource polls GET /providers (public: no key is sent).
type providersSource struct{ source }

// NewProviders returns the providers source ("providers", daily).
func NewProviders(cfg Config) feeds.Source {
	s := newSource(cfg, "providers", ProvidersInterval)
	s.optional = true
	return &providersSource{s}
}

// errNoProviders keeps the last good list when the answer has none.
var errNoProviders = errors.New("providers: no usable providers in the answer")

// Fetch reads the provider list once. Skip reasons travel in the update.
func (s *providersSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.readUpdate(ctx, env, "/providers", false, func(body []byte) (model.Update, error) {
		ps, skipped, err := DecodeProviders(body)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			return nil, errNoProviders
		}
		return model.ProvidersUpdate{At: env.Now(), Source: "providers", Providers: ps, Skipped: skipped}, nil
	})
}
