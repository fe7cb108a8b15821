package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tokentape/tokentape/model"
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
	// Store is the history store: where it lives and what it keeps.
	Store Store `toml:"store"`
	// Serve holds `tokentape serve`'s settings.
	Serve Serve `toml:"serve"`
}

// Serve holds `tokentape serve`'s settings. Secrets (the HTTP token, the
// webhook secret) are not kept in the file: they come from flags or the
// environment.
type Serve struct {
	SSH               string   `toml:"ssh"`                 // SSH listen address
	HTTP              string   `toml:"http"`                // HTTP listen address
	Webhooks          []string `toml:"webhooks"`            // URLs alerts are POSTed to
	SSHAuthorizedKeys string   `toml:"ssh_authorized_keys"` // OpenSSH authorized_keys file of admitted viewers
	SSHOpen           bool     `toml:"ssh_open"`            // admit any SSH client
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

// Store configures the history store (feeds/history). Retention is in
// days; 0 keeps for ever.
type Store struct {
	// Path is the history file; empty means $XDG_STATE_HOME/tokentape/history.db.
	Path string `toml:"path"`
	// UsageDays keeps daily token volumes this long (0: for ever).
	UsageDays int `toml:"usage_days"`
	// PriceDays keeps price changes this long (0: for ever; the current
	// price is always kept).
	PriceDays int `toml:"price_days"`
	// HealthFullDays keeps endpoint samples at full resolution this long.
	HealthFullDays int `toml:"health_full_days"`
	// HealthHourlyDays keeps them hourly this long after that.
	HealthHourlyDays int `toml:"health_hourly_days"`
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

// knownKeys lists every key Config accepts, dotted ("alerts.surge_pct"),
// read off the toml tags of Config and the structs under it, so that a key
// added to the schema is known without a second list to keep in step.
var knownKeys = sync.OnceValue(func() []string {
	var keys []string
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if name == "" || name == "-" {
				continue
			}
			key := prefix + name
			keys = append(keys, key)
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			// A struct with its own decoding (Duration) is one value.
			if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(unmarshalerType) {
				walk(key+".", ft)
			}
		}
	}
	walk("", reflect.TypeFor[Config]())
	return keys
})

var unmarshalerType = reflect.TypeFor[toml.Unmarshaler]()
