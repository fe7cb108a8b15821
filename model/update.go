package model

import "time"

// Update is one typed change to the market, produced by a feed. Updates are
// plain values: feeds build them, the Market applies them, and the recorder
// writes them as NDJSON (see EncodeUpdate). The set is closed: only this
// package defines Updates.
type Update interface {
	// Kind names the update type in recordings ("catalogue", "usage", ...).
	Kind() string
	apply(m *Market)
}

// CatalogueUpdate brings listings and their prices. Listings are merged by
// ID; a listing whose price differs from the one held records a price change.
// Listings not in the update are kept.
type CatalogueUpdate struct {
	At       time.Time // when the data was current
	Source   string    // the source that produced it
	Listings []Listing
	// Warnings name fields the decoder dropped as absurd (a price of 1e300
	// or -5), for Snapshot.Warnings.
	Warnings []string `json:",omitempty"`
}

// UsageRow is one listing's token volume for one UTC day. Slug is a canonical
// slug (permaslug, possibly with a ":variant" suffix) or a listing id; the
// reserved slug "other" is the long tail outside the listed models.
type UsageRow struct {
	Date   time.Time
	Slug   string
	Tokens uint64
}

// OtherSlug is the reserved usage slug of the aggregated long tail.
const OtherSlug = "other"

// UsageUpdate brings daily token volumes. A row replaces any volume held for
// the same listing and day, so re-fetching a day is idempotent. Rows older
// than the retention are dropped.
type UsageUpdate struct {
	At     time.Time
	Source string
	Rows   []UsageRow
}

// RankingUpdate is an order without volumes (the catalogue sorted by weekly
// popularity, used when no API key allows volumes). IDs are listing ids, most
// used first. It has no effect once volumes have been seen.
type RankingUpdate struct {
	At     time.Time
	Source string
	IDs    []string
}

// EndpointsUpdate replaces the endpoints serving one listing.
type EndpointsUpdate struct {
	At        time.Time
	Source    string
	ListingID string
	Endpoints []Endpoint
}

// StatusUpdate replaces one status page's state, keyed by Page.Name.
type StatusUpdate struct {
	At   time.Time
	Page StatusPage
}

// SourceUpdate reports one source's health; it replaces the record held for
// Health.Name. It carries no market data, so it does not move the as-of time.
type SourceUpdate struct {
	Health SourceHealth
}

// AppsUpdate replaces the app rankings.
type AppsUpdate struct {
	At     time.Time
	Source string
	Apps   []App
}

// Kind implements Update.
func (CatalogueUpdate) Kind() string { return "catalogue" }

// Kind implements Update.
func (UsageUpdate) Kind() string { return "usage" }

// Kind implements Update.
func (RankingUpdate) Kind() string { return "ranking" }

// Kind implements Update.
func (EndpointsUpdate) Kind() string { return "endpoints" }

// Kind implements Update.
func (StatusUpdate) Kind() string { return "status" }

// Kind implements Update.
func (SourceUpdate) Kind() string { return "source" }

// Kind implements Update.
func (AppsUpdate) Kind() string { return "apps" }
