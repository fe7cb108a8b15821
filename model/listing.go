package model

import (
	"math"
	"time"
)

// PriceKind says how a listing is priced. Free and variable-priced listings
// are shown as such and never ranked as the cheapest.
type PriceKind uint8

// The kinds of price a listing can have.
const (
	PriceUnknown  PriceKind = iota // no price seen yet
	PricePaid                      // ordinary per-token prices
	PriceFree                      // "0": costs nothing
	PriceVariable                  // "-1": a router whose price depends on the model it picks
)

// String names the kind as the UI and exports show it.
func (k PriceKind) String() string {
	switch k {
	case PricePaid:
		return "paid"
	case PriceFree:
		return "free"
	case PriceVariable:
		return "variable"
	}
	return "unknown"
}

// Word is what a price of this kind shows in place of a figure: "free",
// "variable", or "—" while the price is unknown. ok is false for a paid
// price, whose figures are shown instead. Tables, details and the history
// command all show a price's legs this way.
func (k PriceKind) Word() (word string, ok bool) {
	switch k {
	case PricePaid:
		return "", false
	case PriceFree, PriceVariable:
		return k.String(), true
	}
	return "—", true
}

// Price is a list price in USD per million tokens. CacheRead is NaN when the
// listing has no cache-read price.
type Price struct {
	Kind      PriceKind
	In        float64 // USD per million input (prompt) tokens
	Out       float64 // USD per million output (completion) tokens
	CacheRead float64 // USD per million cached input tokens; NaN if none
}

// HasCacheRead reports whether the price includes a cache-read rate.
func (p Price) HasCacheRead() bool { return p.Kind == PricePaid && !math.IsNaN(p.CacheRead) }

// Rankable reports whether the price may take part in price rankings: only
// paid listings with known prices do.
func (p Price) Rankable() bool { return p.Kind == PricePaid }

// Blended is the price of a mix of input and output tokens in USD per million,
// with inShare the fraction of input tokens (0.75 for 3:1). It is NaN when the
// price is not rankable.
func (p Price) Blended(inShare float64) float64 {
	if !p.Rankable() {
		return math.NaN()
	}
	return inShare*p.In + (1-inShare)*p.Out
}

// Equal reports whether two prices are the same (NaN cache-read rates compare
// equal to each other).
func (p Price) Equal(q Price) bool {
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	return p.Kind == q.Kind && same(p.In, q.In) && same(p.Out, q.Out) && same(p.CacheRead, q.CacheRead)
}

// PriceOverride is a conditional price: it applies to requests with more than
// MinPromptTokens prompt tokens (long context), or inside a daily UTC window
// [UTCStart, UTCEnd) given as HHMM clock numbers (a window may wrap midnight).
// Prices are USD per million; NaN means "inherits the base price".
type PriceOverride struct {
	MinPromptTokens float64 // 0 when not a long-context override
	UTCStart        int     // HHMM; -1 when not a time-of-day override
	UTCEnd          int     // HHMM, exclusive; -1 when not a time-of-day override
	In, Out         float64
	CacheRead       float64
}

// IsTimeWindow reports whether the override is a time-of-day window.
func (o PriceOverride) IsTimeWindow() bool { return o.UTCStart >= 0 && o.UTCEnd >= 0 }

// Listing is one LLM on the market.
type Listing struct {
	ID            string    // OpenRouter model id, e.g. "minimax/minimax-m2.5"
	Slug          string    // canonical slug (permaslug), the join key, e.g. "minimax/minimax-m2.5-20260211"
	Name          string    // display name
	Author        string    // author slug, e.g. "minimax"
	Origin        Origin    // filled in by the Market from its origin table
	ContextLength int       // tokens; 0 when unknown
	Description   string    // short description; may be empty
	Created       time.Time // zero when unknown
	Expires       time.Time // expiration date; zero when none
	AliasOf       string    // for "~" aliases, the id of the target listing
	Price         Price
	Overrides     []PriceOverride
	// Indexes are the benchmark indexes the catalogue carries for the
	// listing (Artificial Analysis, keyless); zero when it carries none.
	Indexes Indexes `json:",omitzero"`
}

// EndpointStatus is OpenRouter's endpoint status: 0 normal, negative degraded
// (the more negative, the more deranked).
type EndpointStatus int

// Endpoint is one provider serving a listing, with its recent health.
// Uptimes are percent; NaN when unknown. Latency (ms to first token) and
// throughput (tokens/s) are p50s over the last 30 minutes; NaN without a key.
type Endpoint struct {
	Provider      string
	Quantization  string
	Status        EndpointStatus
	Uptime5m      float64
	Uptime30m     float64
	Uptime1d      float64
	LatencyP50    float64
	ThroughputP50 float64
}

// Degraded reports whether the endpoint's status is below normal.
func (e Endpoint) Degraded() bool { return e.Status < 0 }

// Health is a listing's derived serving state.
type Health uint8

// The serving states, worst last.
const (
	HealthUnknown Health = iota
	HealthOK
	HealthDegraded
	HealthDown
)

// String names the state in upper case, as the UI shows it next to its glyph.
func (h Health) String() string {
	switch h {
	case HealthOK:
		return "OK"
	case HealthDegraded:
		return "DEGRADED"
	case HealthDown:
		return "DOWN"
	}
	return "UNKNOWN"
}

// Glyph is the symbol that shows the state without colour.
func (h Health) Glyph() string {
	switch h {
	case HealthOK:
		return "●"
	case HealthDegraded:
		return "◐"
	case HealthDown:
		return "○"
	}
	return "·"
}

// PageStatus is a status page's normalised state, worst last.
type PageStatus uint8

// The normalised status-page states, in order of severity.
const (
	StatusUnknown PageStatus = iota
	StatusOperational
	StatusMaintenance
	StatusDegraded
	StatusPartialOutage
	StatusMajorOutage
)

// String names the state as the UI and exports show it.
func (s PageStatus) String() string {
	switch s {
	case StatusOperational:
		return "operational"
	case StatusMaintenance:
		return "maintenance"
	case StatusDegraded:
		return "degraded"
	case StatusPartialOutage:
		return "partial outage"
	case StatusMajorOutage:
		return "major outage"
	}
	return "unknown"
}

// Worse returns the more severe of two states.
func (s PageStatus) Worse(t PageStatus) PageStatus {
	if t > s {
		return t
	}
	return s
}

// Component is one component of a status page.
type Component struct {
	Name   string
	Status PageStatus
}

// Incident is an open incident (or maintenance) on a status page.
type Incident struct {
	ID       string
	Title    string
	Impact   PageStatus // the worst state it causes
	Status   string     // the page's own word: investigating, identified, monitoring...
	Started  time.Time
	Updated  time.Time
	LastNote string // the latest update's text, sanitised and short
}

// StatusPage is the normalised state of one provider status page.
type StatusPage struct {
	Name    string   // "claude", "openai", ...
	URL     string   // where it was read
	Authors []string // the model authors it serves
	// Provider is the OpenRouter provider slug whose page this is, when the
	// page was found from the providers list; the listings it serves are
	// those with an endpoint of that provider.
	Provider string
	// Kind is the page's type ("statuspage", "instatus", ...), or "" when
	// the page has no machine-readable status: then Status stays unknown
	// and is never guessed.
	Kind       string
	Status     PageStatus
	Components []Component
	Incidents  []Incident // open ones, newest first
	Updated    time.Time
}

// App is an app or agent burning tokens, from the app rankings.
type App struct {
	Rank     int
	Name     string
	Tokens   uint64
	Requests uint64
}

// SourceHealth is a feed source's recent history as the poller saw it.
type SourceHealth struct {
	Name        string        // "catalogue", "status.claude", ...
	OK          bool          // the last attempt succeeded
	LastSuccess time.Time     // zero when never
	LastAttempt time.Time     // zero when never
	LastError   string        // the last failure, sanitised; empty when none
	NextAttempt time.Time     // zero when unscheduled
	Interval    time.Duration // how often the source is polled; staleness is judged against it
	// Unavailable is set when the source answered that what it reads does
	// not exist (a 404 from an optional dataset): not an outage, nothing to
	// show, retried at the source's slow interval.
	Unavailable bool `json:",omitempty"`
	// Skipped says why rows of the source's last answer were left out
	// (an unknown permaslug, an index outside 0–100); empty when none were.
	// The market fills it; a SourceUpdate's own value is ignored.
	Skipped []string `json:",omitempty"`
}
