package config

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tokentape/tokentape/model"
)

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
	for _, f := range []struct {
		key string
		v   int
	}{{"usage_days", c.Store.UsageDays}, {"price_days", c.Store.PriceDays},
		{"health_full_days", c.Store.HealthFullDays}, {"health_hourly_days", c.Store.HealthHourlyDays}} {
		if f.v < 0 {
			bad(fmt.Sprintf("%d: want 0 (for ever) or a number of days", f.v), "store", f.key)
		}
	}
	for _, u := range c.Serve.Webhooks {
		if checkURL(u) != "" {
			bad("a webhook is not an http(s) URL", "serve", "webhooks") // the URL may hold a secret: not repeated
		}
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
