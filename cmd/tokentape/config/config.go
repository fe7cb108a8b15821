// Package config reads and writes tokentape's config file, TOML at
// $XDG_CONFIG_HOME/tokentape/config.toml (~/.config/tokentape/config.toml
// when XDG_CONFIG_HOME is unset). Every key is optional; a key left out keeps
// its default. config.example.toml in this directory documents them all:
//
//	openrouter_url = "https://openrouter.ai/api/v1" # base URL of the OpenRouter API
//	watch = ["z-ai/glm-5"]                          # listings whose endpoints are always polled
//	reference = "anthropic/claude-sonnet-4.5"       # the listing prices are compared against
//
//	[intervals]          # how often each live source is polled (Go durations)
//	catalogue = "10m"    # GET /models
//	endpoints = "2m"     # GET /models/{author}/{slug}/endpoints, per watched listing
//	status    = "1m"     # each status page
//	usage     = "1h"     # GET /datasets/rankings-daily (needs OPENROUTER_API_KEY)
//
//	[origins]            # author slug → CN, US, EU, Other or Unknown
//	mistralai = "EU"
//
//	[[status_pages]]     # replaces the built-in list when present
//	name = "claude"
//	url = "https://status.claude.com/api/v2/summary.json"
//	authors = ["anthropic"]
//
//	[workload]           # the cost planner's workload (saved when edited in the TUI)
//	tokens_per_day = "20M"   # "20M", "1.5B" or 20000000
//	input_share = 0.75       # fraction of tokens that are input (3:1)
//	cache_hit = 0.0          # fraction of input tokens served from cache
//
//	[alerts]             # thresholds of the alert rules
//	uptime_drop_points = 5   # median uptime 5m this many points below 1d: capacity
//	deranked_fraction = 0.333 # this share of endpoints with status < 0: capacity
//	latency_factor = 2       # latency p50 this many times its baseline: capacity
//	throughput_factor = 0.5  # throughput p50 at most this fraction of its baseline: capacity
//	capacity_surge_pct = 50  # usage growth that makes a degradation look capacity-driven
//	surge_pct = 100          # week-over-week token growth that is a surge
//	surge_top = 50           # only listings ranked this high can surge
//	surge_min_share = 0.5    # nor listings below this share of all tokens (percent)
//	price_change_pct = 10    # list price move that alerts
//	expiry_days = 14         # expiration date this close alerts
//	fire_after = 2           # consecutive bad samples before an alert fires
//	resolve_after = 2        # consecutive good samples before it resolves
//	cooldown = "30m"         # no refiring of a resolved alert for this long
//	event_ttl = "72h"        # one-off events (price change, new #1) stay firing this long
//
// Errors name the file, line, column and key, e.g.
//
//	config.toml:7:13: intervals.catalogue: "10x" is not a duration
//
// and unknown keys are errors too, so a typo never passes silently.
//
// Precedence is the caller's: tokentape's flags win over the environment,
// which wins over this file, which wins over the defaults.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/tokentape/tokentape/model"
)

// Defaults that are not the model's.
const (
	DefaultOpenRouterURL = "https://openrouter.ai/api/v1"
	DefaultReference     = "anthropic/claude-sonnet-4.5"
	maxFileSize          = 4 << 20
	minInterval          = time.Second
)

// Config is the config file's content. Add a key by adding a field with a
// toml tag, a default in Defaults, a check in validate, and a line in
// config.example.toml; Load then accepts it, and Save writes it.
type Config struct {
	// OpenRouterURL is the OpenRouter API base URL.
	OpenRouterURL string `toml:"openrouter_url"`
	// Intervals are the live sources' polling intervals.
	Intervals Intervals `toml:"intervals"`
	// Watch lists listing ids whose endpoints are polled in addition to the
	// top listings by usage.
	Watch []string `toml:"watch"`
	// Reference is the listing prices are compared against ("12.5× cheaper").
	Reference string `toml:"reference"`
	// Origins overrides the author → origin table; values are canonical
	// origin names after Load ("cn" becomes "CN"). See OriginOverrides.
	Origins map[string]string `toml:"origins"`
	// StatusPages replaces the built-in status-page list when not empty.
	StatusPages []StatusPage `toml:"status_pages"`
	// Workload is the cost planner's workload.
	Workload Workload `toml:"workload"`
	// Alerts holds the alert rules' thresholds.
	Alerts Alerts `toml:"alerts"`
}

// Intervals are how often each live source is polled.
type Intervals struct {
	Catalogue Duration `toml:"catalogue"`
	Endpoints Duration `toml:"endpoints"`
	Status    Duration `toml:"status"`
	Usage     Duration `toml:"usage"`
}

// StatusPage is one provider status page and the model authors it serves.
type StatusPage struct {
	Name    string   `toml:"name"`
	URL     string   `toml:"url"`
	Authors []string `toml:"authors"`
}

// Workload is the cost planner's workload (see model.Workload).
type Workload struct {
	TokensPerDay Tokens  `toml:"tokens_per_day"`
	InputShare   float64 `toml:"input_share"`
	CacheHit     float64 `toml:"cache_hit"`
}

// Alerts holds the alert rules' thresholds (see model.AlertConfig).
type Alerts struct {
	UptimeDropPoints float64  `toml:"uptime_drop_points"`
	DerankedFraction float64  `toml:"deranked_fraction"`
	LatencyFactor    float64  `toml:"latency_factor"`
	ThroughputFactor float64  `toml:"throughput_factor"`
	CapacitySurgePct float64  `toml:"capacity_surge_pct"`
	SurgePct         float64  `toml:"surge_pct"`
	SurgeTop         int      `toml:"surge_top"`
	SurgeMinShare    float64  `toml:"surge_min_share"`
	PriceChangePct   float64  `toml:"price_change_pct"`
	ExpiryDays       int      `toml:"expiry_days"`
	FireAfter        int      `toml:"fire_after"`
	ResolveAfter     int      `toml:"resolve_after"`
	Cooldown         Duration `toml:"cooldown"`
	EventTTL         Duration `toml:"event_ttl"`
}

// Defaults returns the configuration used when the file is missing, and
// the values of keys the file leaves out.
func Defaults() Config {
	w := model.DefaultWorkload()
	a := model.DefaultAlertConfig()
	return Config{
		OpenRouterURL: DefaultOpenRouterURL,
		Intervals: Intervals{
			Catalogue: Duration{10 * time.Minute},
			Endpoints: Duration{2 * time.Minute},
			Status:    Duration{60 * time.Second},
			Usage:     Duration{time.Hour},
		},
		Reference: DefaultReference,
		Workload:  Workload{TokensPerDay: Tokens(w.TokensPerDay), InputShare: w.InputShare, CacheHit: w.CacheHit},
		Alerts: Alerts{
			UptimeDropPoints: a.UptimeDrop,
			DerankedFraction: a.DerankedFraction,
			LatencyFactor:    a.LatencyFactor,
			ThroughputFactor: a.ThroughputFactor,
			CapacitySurgePct: a.CapacitySurgePct,
			SurgePct:         a.SurgePct,
			SurgeTop:         a.SurgeTop,
			SurgeMinShare:    a.SurgeMinShare,
			PriceChangePct:   a.PriceChangePct,
			ExpiryDays:       a.ExpiryDays,
			FireAfter:        a.FireAfter,
			ResolveAfter:     a.ResolveAfter,
			Cooldown:         Duration{a.Cooldown},
			EventTTL:         Duration{a.EventTTL},
		},
	}
}

// ModelWorkload returns the workload as the model's cost planner takes it.
func (c Config) ModelWorkload() model.Workload {
	return model.Workload{TokensPerDay: float64(c.Workload.TokensPerDay), InputShare: c.Workload.InputShare,
		CacheHit: c.Workload.CacheHit}
}

// SetWorkload stores a workload edited in the TUI (save it with Save).
func (c *Config) SetWorkload(w model.Workload) {
	c.Workload = Workload{TokensPerDay: Tokens(w.TokensPerDay), InputShare: w.InputShare, CacheHit: w.CacheHit}
}

// AlertConfig returns the thresholds as the model's alert engine takes them.
// Fields the file does not set keep model.DefaultAlertConfig's values.
func (c Config) AlertConfig() model.AlertConfig {
	a := model.DefaultAlertConfig()
	a.UptimeDrop = c.Alerts.UptimeDropPoints
	a.DerankedFraction = c.Alerts.DerankedFraction
	a.LatencyFactor = c.Alerts.LatencyFactor
	a.ThroughputFactor = c.Alerts.ThroughputFactor
	a.CapacitySurgePct = c.Alerts.CapacitySurgePct
	a.SurgePct = c.Alerts.SurgePct
	a.SurgeTop = c.Alerts.SurgeTop
	a.SurgeMinShare = c.Alerts.SurgeMinShare
	if a.SurgeMinShare == 0 {
		a.SurgeMinShare = -1 // the file's 0 means no floor; the model's 0 means its default
	}
	a.PriceChangePct = c.Alerts.PriceChangePct
	a.ExpiryDays = c.Alerts.ExpiryDays
	a.FireAfter = c.Alerts.FireAfter
	a.ResolveAfter = c.Alerts.ResolveAfter
	a.Cooldown = c.Alerts.Cooldown.Duration
	a.EventTTL = c.Alerts.EventTTL.Duration
	return a
}

// OriginOverrides returns [origins] as the model's OriginTable.With takes it.
func (c Config) OriginOverrides() map[string]model.Origin {
	if len(c.Origins) == 0 {
		return nil
	}
	out := make(map[string]model.Origin, len(c.Origins))
	for a, o := range c.Origins {
		if origin, ok := model.ParseOrigin(o); ok {
			out[strings.ToLower(strings.TrimSpace(a))] = origin
		}
	}
	return out
}

// Duration is a time.Duration written as a Go duration string ("90s",
// "10m", "1h30m").
type Duration struct{ time.Duration }

// UnmarshalTOML reads a duration string; a bare number is refused because
// its unit would be a guess.
func (d *Duration) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		p, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil {
			return fmt.Errorf("%q is not a duration (write e.g. \"90s\", \"10m\", \"1h\")", x)
		}
		d.Duration = p
		return nil
	case int64, float64:
		return fmt.Errorf("%v is not a duration: give a unit, as in \"%vs\"", x, x)
	}
	return fmt.Errorf("expected a duration such as \"10m\", got %s", tomlTypeName(v))
}

// MarshalText writes the shortest form: "10m", not "10m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(formatDuration(d.Duration)), nil }

func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Tokens is a token count written "20M", "1.5B" or 20000000.
type Tokens float64

// UnmarshalTOML reads a count as a number or a string with a K/M/B/T suffix.
func (t *Tokens) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case int64:
		if x <= 0 {
			return fmt.Errorf("%d is not a token count above 0", x)
		}
		*t = Tokens(x)
		return nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
			return fmt.Errorf("%v is not a token count above 0", x)
		}
		*t = Tokens(x)
		return nil
	case string:
		n, err := model.ParseTokenCount(x)
		if err != nil {
			return fmt.Errorf("%q is not a token count (write e.g. \"20M\", \"1.5B\" or 20000000)", x)
		}
		*t = Tokens(n)
		return nil
	}
	return fmt.Errorf("expected a token count such as \"20M\", got %s", tomlTypeName(v))
}

// MarshalText writes the count as "20M" or "1.5B" when that is short and
// exact, and in digits otherwise ("12345678", not "12.345678M"), so that
// saving never changes a value.
func (t Tokens) MarshalText() ([]byte, error) {
	v := float64(t)
	if s := model.FormatTokenCount(v); s != "" {
		_, frac, _ := strings.Cut(strings.TrimRight(s, "KMBT"), ".")
		if back, err := model.ParseTokenCount(s); err == nil && back == v && len(frac) <= 2 {
			return []byte(s), nil
		}
	}
	return []byte(strconv.FormatFloat(v, 'f', -1, 64)), nil
}

// DefaultPath is $XDG_CONFIG_HOME/tokentape/config.toml, or
// ~/.config/tokentape/config.toml when XDG_CONFIG_HOME is unset or relative
// (the XDG spec says to ignore a relative one). It is "" when no home
// directory is known either.
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "tokentape", "config.toml")
}

// Load reads the config file at path, or at DefaultPath when path is "".
// A missing file at the default path gives Defaults and no error; a missing
// file at an explicit path (--config) is an error. A malformed file is an
// error naming the file, line, column and key; the Config returned with an
// error is Defaults.
func Load(path string) (Config, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultPath()
		if path == "" {
			return Defaults(), nil
		}
	}
	data, err := readFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return Defaults(), nil
		}
		return Defaults(), fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB; is it a config file?", path, maxFileSize>>20)
	}
	return data, nil
}

// Parse reads a config file's content; name labels errors (the path).
func Parse(name string, data []byte) (Config, error) {
	cfg := Defaults()
	loc := newLocator(string(data))
	// Syntax first: its errors carry the lexer's own position.
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return Defaults(), decodeError(name, loc, err, true)
	}
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return Defaults(), decodeError(name, loc, err, false)
	}
	var errs []error
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		// A whole unknown table reports once, not once per key in it.
		if parentReported(k, reported) {
			continue
		}
		reported[k.String()] = true
		line, col := loc.find(k, -1, false)
		errs = append(errs, positioned(name, line, col, k.String(), "unknown key"+suggest(k)))
	}
	for _, p := range cfg.validate() {
		line, col := loc.find(p.key, p.index, true)
		errs = append(errs, positioned(name, line, col, p.label(), p.msg))
	}
	if len(errs) > 0 {
		return Defaults(), errors.Join(errs...)
	}
	cfg.normalise()
	return cfg, nil
}

func parentReported(k toml.Key, reported map[string]bool) bool {
	for i := 1; i < len(k); i++ {
		if reported[toml.Key(k[:i]).String()] {
			return true
		}
	}
	return false
}

// suggest names the known key closest to an unknown one: "did you mean ...".
func suggest(k toml.Key) string {
	known := knownKeys()
	parent := toml.Key(k[:len(k)-1]).String()
	last := k[len(k)-1]
	best, bestD := "", 3
	for _, kk := range known {
		i := strings.LastIndexByte(kk, '.')
		p, l := "", kk
		if i >= 0 {
			p, l = kk[:i], kk[i+1:]
		}
		if p != parent {
			continue
		}
		if d := editDistance(last, l); d < bestD {
			best, bestD = l, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// knownKeys lists every key Config accepts, dotted.
func knownKeys() []string {
	return []string{
		"openrouter_url", "watch", "reference", "origins", "status_pages", "workload", "alerts", "intervals",
		"intervals.catalogue", "intervals.endpoints", "intervals.status", "intervals.usage",
		"status_pages.name", "status_pages.url", "status_pages.authors",
		"workload.tokens_per_day", "workload.input_share", "workload.cache_hit",
		"alerts.uptime_drop_points", "alerts.deranked_fraction", "alerts.latency_factor",
		"alerts.throughput_factor", "alerts.capacity_surge_pct", "alerts.surge_pct", "alerts.surge_top", "alerts.surge_min_share",
		"alerts.price_change_pct", "alerts.expiry_days", "alerts.fire_after", "alerts.resolve_after",
		"alerts.cooldown", "alerts.event_ttl",
	}
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// positioned formats "file:line:col: key: message", leaving out what is
// unknown.
func positioned(name string, line, col int, key, msg string) error {
	var b strings.Builder
	b.WriteString(name)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
		if col > 0 {
			fmt.Fprintf(&b, ":%d", col)
		}
	}
	b.WriteString(": ")
	if key != "" {
		b.WriteString(key)
		b.WriteString(": ")
	}
	b.WriteString(msg)
	return errors.New(b.String())
}

// badTypeRE matches BurntSushi/toml's type-mismatch errors, which are plain
// errors carrying the line and key in their text.
var badTypeRE = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)

// incompatibleRE picks the two types out of a type-mismatch message.
var incompatibleRE = regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (.+)$`)

// decodeError turns a decoder error into "file:line:col: key: message".
func decodeError(name string, loc locator, err error, syntax bool) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		key := pe.LastKey
		msg := strings.TrimPrefix(pe.Message, "toml: ")
		line, col := pe.Position.Line, pe.Position.Col
		// A value our types refused: point at the value's first character
		// (the decoder points inside a string's quotes).
		if l, c := loc.find(splitKey(key), -1, true); !syntax && key != "" && l == line && c > 0 {
			col = c
		}
		return positioned(name, line, col, key, msg)
	}
	if m := badTypeRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		key, msg := m[2], m[3]
		col := 0
		if line > 0 {
			col = loc.valueColumn(line)
		}
		if t := incompatibleRE.FindStringSubmatch(msg); t != nil {
			msg = fmt.Sprintf("expected %s, got %s", goTypeName(t[2]), tomlGoTypeName(t[1]))
		} else if strings.Contains(msg, "expected table") {
			msg = "expected a table ([" + key + "]), got a value"
		}
		return positioned(name, line, col, key, msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// goTypeName says what a destination type expects, in the file's terms.
func goTypeName(t string) string {
	switch {
	case t == "float":
		return "a number"
	case t == "integer":
		return "a whole number"
	case t == "string":
		return "a string"
	case t == "boolean":
		return "true or false"
	case t == "slice" || t == "array":
		return "an array"
	case strings.HasPrefix(t, "map") || strings.HasPrefix(t, "struct") || t == "table":
		return "a table"
	}
	return t
}

// tomlGoTypeName names the Go type the decoder saw, in the file's terms.
func tomlGoTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "int64":
		return "an integer"
	case t == "float64":
		return "a float"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "map"):
		return "a table"
	case strings.HasPrefix(t, "time.") || strings.HasPrefix(t, "toml.Local"):
		return "a date"
	}
	return t
}

func tomlTypeName(v any) string { return tomlGoTypeName(fmt.Sprintf("%T", v)) }

// problem is one invalid value: key is its path, index its element (in an
// array of tables or an array) or -1.
type problem struct {
	key   toml.Key
	index int
	leaf  string // a key under an array-of-tables element, "" for others
	msg   string
}

func (p problem) label() string {
	if p.index < 0 {
		return p.key.String()
	}
	if p.leaf != "" {
		return fmt.Sprintf("%s[%d].%s", toml.Key(p.key[:len(p.key)-1]).String(), p.index, p.leaf)
	}
	return fmt.Sprintf("%s[%d]", p.key.String(), p.index)
}

// validate checks every value's range; the decoder has checked the types.
func (c *Config) validate() []problem {
	var ps []problem
	bad := func(msg string, key ...string) { ps = append(ps, problem{key: key, index: -1, msg: msg}) }

	if err := checkURL(c.OpenRouterURL); err != "" {
		bad(err, "openrouter_url")
	}
	for _, iv := range []struct {
		name string
		d    time.Duration
	}{{"catalogue", c.Intervals.Catalogue.Duration}, {"endpoints", c.Intervals.Endpoints.Duration},
		{"status", c.Intervals.Status.Duration}, {"usage", c.Intervals.Usage.Duration}} {
		switch {
		case iv.d < minInterval:
			bad(fmt.Sprintf("%s is too short (at least %s)", formatDuration(iv.d), minInterval), "intervals", iv.name)
		case iv.d > 24*time.Hour:
			bad(fmt.Sprintf("%s is too long (at most 24h)", formatDuration(iv.d)), "intervals", iv.name)
		}
	}
	for i, id := range c.Watch {
		if !isListingID(id) {
			ps = append(ps, problem{key: toml.Key{"watch"}, index: i, msg: fmt.Sprintf("%q is not a listing id (author/slug)", id)})
		}
	}
	if !isListingID(c.Reference) {
		bad(fmt.Sprintf("%q is not a listing id (author/slug)", c.Reference), "reference")
	}
	for author, o := range c.Origins {
		if _, ok := model.ParseOrigin(o); !ok {
			bad(fmt.Sprintf("%q is not an origin (CN, US, EU, Other or Unknown)", o), "origins", author)
		}
		if strings.TrimSpace(author) == "" {
			bad("empty author", "origins", author)
		}
	}
	seen := map[string]bool{}
	for i, p := range c.StatusPages {
		pageBad := func(leaf, msg string) {
			ps = append(ps, problem{key: toml.Key{"status_pages", leaf}, index: i, leaf: leaf, msg: msg})
		}
		name := strings.TrimSpace(p.Name)
		switch {
		case name == "":
			pageBad("name", "missing or empty")
		case strings.ContainsAny(name, " \t=/"):
			pageBad("name", fmt.Sprintf("%q: use a short word without spaces, '=' or '/'", p.Name))
		case seen[name]:
			pageBad("name", fmt.Sprintf("%q appears twice", p.Name))
		}
		seen[name] = true
		if err := checkURL(p.URL); err != "" {
			pageBad("url", err)
		}
	}
	w := c.Workload
	if t := float64(w.TokensPerDay); t <= 0 || t > 1e15 {
		bad(fmt.Sprintf("%s is out of range (above 0, at most 1000T)", model.FormatTokenCount(t)), "workload", "tokens_per_day")
	}
	fraction := func(v float64, key string) {
		if math.IsNaN(v) || v < 0 || v > 1 {
			bad(fmt.Sprintf("%v is not a fraction between 0 and 1 (0.75 = 75%%)", v), "workload", key)
		}
	}
	fraction(w.InputShare, "input_share")
	fraction(w.CacheHit, "cache_hit")

	a := c.Alerts
	positive := func(v float64, key string) {
		if math.IsNaN(v) || v <= 0 {
			bad(fmt.Sprintf("%v must be above 0", v), "alerts", key)
		}
	}
	positive(a.UptimeDropPoints, "uptime_drop_points")
	positive(a.CapacitySurgePct, "capacity_surge_pct")
	positive(a.SurgePct, "surge_pct")
	positive(a.PriceChangePct, "price_change_pct")
	if v := a.SurgeMinShare; math.IsNaN(v) || v < 0 || v > 100 {
		bad(fmt.Sprintf("%v is not a percentage between 0 and 100", v), "alerts", "surge_min_share")
	}
	if v := a.DerankedFraction; math.IsNaN(v) || v <= 0 || v > 1 {
		bad(fmt.Sprintf("%v is not a fraction above 0 and at most 1", v), "alerts", "deranked_fraction")
	}
	if v := a.LatencyFactor; math.IsNaN(v) || v <= 1 {
		bad(fmt.Sprintf("%v must be above 1 (2 = twice the baseline)", v), "alerts", "latency_factor")
	}
	if v := a.ThroughputFactor; math.IsNaN(v) || v <= 0 || v >= 1 {
		bad(fmt.Sprintf("%v must be between 0 and 1 (0.5 = half the baseline)", v), "alerts", "throughput_factor")
	}
	for _, iv := range []struct {
		name string
		v    int
	}{{"surge_top", a.SurgeTop}, {"expiry_days", a.ExpiryDays}, {"fire_after", a.FireAfter}, {"resolve_after", a.ResolveAfter}} {
		if iv.v < 1 {
			bad(fmt.Sprintf("%d must be at least 1", iv.v), "alerts", iv.name)
		}
	}
	if a.Cooldown.Duration < 0 {
		bad("must not be negative", "alerts", "cooldown")
	}
	if a.EventTTL.Duration <= 0 {
		bad("must be above 0", "alerts", "event_ttl")
	}
	return ps
}

// normalise writes validated values in their canonical form.
func (c *Config) normalise() {
	// An empty list or table means the same as none; keep one form so that
	// configurations compare equal.
	if len(c.Watch) == 0 {
		c.Watch = nil
	}
	if len(c.StatusPages) == 0 {
		c.StatusPages = nil
	}
	if len(c.Origins) == 0 {
		c.Origins = nil
	} else {
		out := make(map[string]string, len(c.Origins))
		for a, o := range c.Origins {
			origin, _ := model.ParseOrigin(o)
			out[strings.ToLower(strings.TrimSpace(a))] = string(origin)
		}
		c.Origins = out
	}
	for i := range c.StatusPages {
		c.StatusPages[i].Name = strings.TrimSpace(c.StatusPages[i].Name)
	}
	c.OpenRouterURL = strings.TrimRight(c.OpenRouterURL, "/")
}

func checkURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q is not an http(s) URL", s)
	}
	return ""
}

func isListingID(s string) bool {
	i := strings.IndexByte(s, '/')
	return i > 0 && i < len(s)-1 && !strings.ContainsAny(s, " \t\r\n")
}
