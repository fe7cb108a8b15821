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
//	[serve]              # tokentape serve (secrets come from flags or the environment)
//	ssh = ":2222"                        # SSH viewers' address
//	http = "127.0.0.1:9464"              # metrics and API address
//	webhooks = ["https://hooks.slack.com/services/..."]
//	ssh_authorized_keys = "~/.ssh/authorized_keys"
//	ssh_open = false                     # admit any SSH client (trusted LAN only)
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
//	[store]              # the history store (tokentape --no-history runs without it)
//	path = "~/.local/state/tokentape/history.db" # default $XDG_STATE_HOME/tokentape/history.db
//	usage_days = 0           # daily token volumes kept (0: for ever)
//	price_days = 0           # price changes kept (0: for ever)
//	health_full_days = 14    # endpoint samples at full resolution
//	health_hourly_days = 400 # then hourly for this long
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
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// Defaults that are not the model's.
const (
	DefaultOpenRouterURL = "https://openrouter.ai/api/v1"
	maxFileSize          = 4 << 20
	minInterval          = time.Second
)

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
		Reference: model.DefaultReference,
		Serve:     Serve{SSH: ":2222", HTTP: "127.0.0.1:9464"},
		Store:     Store{HealthFullDays: 14, HealthHourlyDays: 400},
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
	// A regular file only: a FIFO would block at start for ever, a device
	// such as /dev/zero would be read to the size cap for nothing.
	f, err := feeds.OpenRegular(path)
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
