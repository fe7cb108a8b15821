package model

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultRetention = 180 // days of usage history kept
	DefaultWindow    = 7   // days summed for tokens, shares and growth
	maxPriceHistory  = 32  // price points kept per listing
	maxApps          = 100 // apps kept from the app rankings
)

// Config sets up a Market.
type Config struct {
	// Source names where the data comes from: "demo", "openrouter" or "replay".
	Source string
	// Origins maps authors to origins; nil means DefaultOrigins().
	Origins *OriginTable
	// Retention is how many days of usage are kept; older days are dropped,
	// so memory is bounded by retention, not by uptime.
	Retention int
	// Window is how many days make one period for token totals, shares,
	// growth and rank moves (7: a week, like the published rankings).
	Window int
	// Clock returns the current time; nil means time.Now. Tests inject one.
	Clock func() time.Time
	// Alerts sets the alert rules' thresholds; zero fields take defaults.
	Alerts AlertConfig
	// KeySet says an API key is configured, so missing volumes are the
	// usage source's failure, not a missing key (see Snapshot.VolumesNote).
	KeySet bool
}

// PricePoint is a listing's price from a moment on.
type PricePoint struct {
	At    time.Time
	Price Price
}

// entry is the market's private record of one listing.
type entry struct {
	l           Listing
	tokens      []uint64 // one per retained day, aligned with Market.day0
	prices      []PricePoint
	endpoints   []Endpoint
	endpointsAt time.Time
	firstSeen   time.Time
	lastSeen    time.Time // the last catalogue, usage or endpoints naming it
	stub        bool      // created from usage before the catalogue named it
	bench       Indexes   // from the benchmarks dataset; used when the catalogue has none
	indexHist   []IndexPoint
	healthDays  []HealthDay    // daily worst states, oldest first (HealthDaysKept)
	healthLog   []HealthSample // states of the last HealthTimelineOf, oldest first
	health      Health         // DeriveHealth(endpoints), kept as the endpoints change

	// Snapshots share the entry's slices instead of copying them (see
	// shared). pub is how many leading days of tokens a snapshot may hold:
	// a write to one of them goes to a copy (setToken), while days appended
	// after them are the market's alone. healthShared says a snapshot holds
	// healthDays and healthLog, which are edited in place, so the next edit
	// copies them first. prices, indexHist and endpoints are only ever
	// appended to past what a snapshot sees, or replaced whole.
	pub          int
	healthShared bool
	// detail is the ListingDetail the last snapshot showed, shared by the
	// next ones until a change to the listing, its indexes, prices,
	// endpoints or serving history drops it (nil: build it anew).
	detail *ListingDetail
}

// viewDetail returns the listing's ListingDetail for a snapshot: the last
// one while nothing in it changed, so a day of usage copies none of it.
func (e *entry) viewDetail() *ListingDetail {
	if e.detail != nil {
		return e.detail
	}
	d := &ListingDetail{
		Listing:        e.l,
		PriceHistory:   shared(e.prices),
		IndexHistory:   shared(e.indexHist),
		Endpoints:      shared(e.endpoints),
		EndpointsAt:    e.endpointsAt,
		FirstSeen:      e.firstSeen,
		HealthDays:     shared(e.healthDays),
		HealthTimeline: shared(e.healthLog),
	}
	if !e.l.Indexes.Has() {
		d.Listing.Indexes = e.bench
	}
	e.healthShared = e.healthShared || len(e.healthDays) > 0 || len(e.healthLog) > 0
	e.detail = d
	return d
}

// setToken sets the listing's tokens on day idx, copying the series first
// when a snapshot holds that day: a snapshot never changes after it is
// built. An unchanged value (a refresh of days already held) writes nothing.
// It reports whether the value changed.
func (e *entry) setToken(idx int, v uint64) bool {
	if e.tokens[idx] == v {
		return false
	}
	if idx < e.pub {
		e.tokens = append(make([]uint64, 0, len(e.tokens)+len(e.tokens)/4+1), e.tokens...)
		e.pub = 0
	}
	e.tokens[idx] = v
	return true
}

// maxIndexHistory caps the index points kept per listing (they change
// weekly at most).
const maxIndexHistory = 64

// indexes are the listing's indexes: the catalogue's when it carries any,
// else the benchmarks dataset's.
func (e *entry) indexes() Indexes {
	if e.l.Indexes.Has() {
		return e.l.Indexes
	}
	return e.bench
}

// recordIndexes appends the listing's indexes to its history when they
// changed, so a model's index over time is kept (and a history store that
// records updates can rebuild it).
func (m *Market) recordIndexes(e *entry, at time.Time) {
	cur := e.indexes()
	if !cur.Has() {
		return
	}
	if n := len(e.indexHist); n > 0 && e.indexHist[n-1].Indexes.Equal(cur) {
		return
	}
	e.indexHist = append(e.indexHist, IndexPoint{At: at, Indexes: cur})
	if len(e.indexHist) > maxIndexHistory {
		e.indexHist = append(e.indexHist[:0:0], e.indexHist[len(e.indexHist)-maxIndexHistory:]...)
	}
}

// Market is the single owner of market state. It is not safe for concurrent
// use: one goroutine applies updates and hands Snapshots to readers.
type Market struct {
	cfg     Config
	origins OriginTable

	entries map[string]*entry // by listing id
	joins   map[string]string // canonical slug (+":variant") or id → listing id

	day0  time.Time // the UTC day of index 0 of every series
	days  int       // retained days
	other []uint64  // the long tail, per day

	ranking     []string // order-only ranking (no volumes)
	prevRanking []string
	hasVolumes  bool

	pages   map[string]StatusPage
	sources map[string]SourceHealth
	apps    []App

	tasks     TaskShares
	providers []Provider
	skipped   map[string][]string // source → why its last answer had rows skipped

	asOf    time.Time
	version uint64
	last    *Snapshot
	// ids are the keys of entries, sorted; nil when an entry came or went.
	// ents are their entries in the same order, and pos maps an id to its
	// place in ids. A snapshot shares pos, so it is replaced, never edited.
	ids  []string
	ents []*entry
	pos  map[string]int
	// joinsStale says an entry went since forgetRetired last swept joins
	// of the ids that are gone.
	joinsStale bool
	// resolved caches resolve's answers, one map look-up a usage row
	// where joins and entries took two; nil after joins or entries changed
	// (a catalogue, a new or a gone entry).
	resolved map[string]*entry
	// days are the retained days as the last snapshot listed them, shared
	// by the snapshots while day0 and the count hold.
	dayList []time.Time
	// scratch is the board's working space, reused by every build.
	scratch boardScratch
	// board is the last snapshot built, whose board (days, listings and
	// shares) the next build shares while no update that can change it has
	// been applied since; nil when one has. Every source's poll reports its
	// health, and a snapshot after one need not rebuild 400 listings.
	board *Snapshot
	// daily holds, per origin in Origins order, the listings' tokens on
	// each retained day summed in float64 in ids order. It is kept aligned
	// with the series (resize, dropOldest); dailyTotals brings it up to date
	// for the days written since (dirtyLo..dirtyHi), or wholly when dailyOf
	// is not ids (a listing came or went) or an origin changed (dailyOf nil).
	daily            [][]float64
	dailyOf          []string
	dirtyLo, dirtyHi int
	// win holds, per origin, the trailing-window sums of daily at each
	// day, kept aligned with it like daily. The whole windows (day
	// Window-1 on) of the first winOK days are current: a write to a day
	// lowers winOK to it (dailyTotals), older days arriving in front zero
	// it, and dropping the oldest days moves it down with them.
	win   [][]float64
	winOK int
	// fresh is a snapshot of the state being applied, built by the update
	// itself; Apply makes it the last one once the update is done.
	fresh *Snapshot

	// Alert state: the log and what the rules remember between samples.
	alerts    *alertLog
	baselines map[string]*capacityBaseline
	pageKeys  map[string]map[string]bool
	rankFirst rankState
	inTop     map[string]*rankState
	// ranksSeen is set once the rank rules have seen a ranked market:
	// from then on a listing without a top-10 state was outside the top
	// 10, so its entering is news, not the market as found.
	ranksSeen     bool
	catalogueSeen bool

	// Fields dropped by the number guards, newest last (see guard.go).
	warnings     []string
	warningCount int
}

// NewMarket returns an empty market.
func NewMarket(cfg Config) *Market {
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Retention < 2*cfg.Window {
		cfg.Retention = 2 * cfg.Window
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	origins := DefaultOrigins()
	if cfg.Origins != nil {
		origins = *cfg.Origins
	}
	return &Market{
		cfg:     cfg,
		origins: origins,
		entries: make(map[string]*entry, 512),
		joins:   make(map[string]string, 1024),
		pages:   make(map[string]StatusPage),
		sources: make(map[string]SourceHealth),
		skipped: make(map[string][]string),

		alerts:    newAlertLog(cfg.Alerts),
		baselines: make(map[string]*capacityBaseline),
		pageKeys:  make(map[string]map[string]bool),
		inTop:     make(map[string]*rankState),
		dirtyLo:   math.MaxInt,
		dirtyHi:   -1,
	}
}

// Apply applies one update. Apply never fails: malformed values (NaN or
// negative prices, empty ids) are ignored or normalised, because a bad feed
// must never corrupt the last good state.
func (m *Market) Apply(u Update) {
	if u == nil {
		return
	}
	switch u.(type) {
	case SourceUpdate, StatusUpdate, AppsUpdate, AckUpdate, AlertsUpdate, TasksUpdate, ProvidersUpdate:
		// These change no listing, day or volume: the next snapshot keeps
		// the board of the last (see Market.board).
	default:
		m.board = nil // before apply: the usage rules build the new board
	}
	u.apply(m)
	m.version++
	if m.fresh != nil {
		// The update built the snapshot of the new state already (the usage
		// rules need the whole board): the next Snapshot reuses it.
		m.fresh.Version = m.version
		m.last, m.fresh = m.fresh, nil
	}
}

// AsOf is the time of the newest data applied (not of health reports).
// Paced sources (the demo, replays) use it as the market's clock, so that
// simulated or recorded data is judged by its own time, not the wall clock.
func (m *Market) AsOf() time.Time { return m.asOf }

// Version counts applied updates; a reader can compare it to tell whether a
// new Snapshot is worth taking.
func (m *Market) Version() uint64 { return m.version }

func (m *Market) touch(at time.Time) {
	if at.After(m.asOf) {
		m.asOf = at
	}
}

// dayOf truncates a time to its UTC day.
func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// variantOf returns the ":variant" suffix of an id, or "".
func variantOf(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[i:]
	}
	return ""
}

func validPrice(v float64) bool { return SanePrice(v) }

// normalisePrice turns a price the market cannot trust into PriceUnknown.
func normalisePrice(p Price) Price {
	if p.Kind != PricePaid {
		return Price{Kind: p.Kind, CacheRead: math.NaN()}
	}
	if !validPrice(p.In) || !validPrice(p.Out) {
		return Price{Kind: PriceUnknown, CacheRead: math.NaN()}
	}
	if !validPrice(p.CacheRead) {
		p.CacheRead = math.NaN()
	}
	return p
}

func (m *Market) newEntry(l Listing, at time.Time) *entry {
	e := &entry{l: l, tokens: make([]uint64, m.days), firstSeen: at, lastSeen: at}
	m.entries[l.ID] = e
	m.ids = nil
	m.resolved = nil
	return e
}

func (m *Market) fillListing(l *Listing) {
	if l.Author == "" {
		l.Author = AuthorOf(l.ID)
	}
	l.Origin = m.origins.Lookup(l.Author)
	if l.Name == "" {
		l.Name = l.ID
	}
	l.Price = normalisePrice(l.Price)
}

func (u CatalogueUpdate) apply(m *Market) {
	m.resolved = nil // the catalogue may join slugs anew
	var rejected []string
	for _, w := range u.Warnings {
		m.warn(u.Source, "%s", w)
	}
	for _, l := range u.Listings {
		if l.ID == "" {
			continue
		}
		if l.Slug == "" {
			l.Slug = l.ID
		}
		var what string
		if l.Price, what = GuardPrice(l.Price); what != "" {
			m.warn(u.Source, "%s: dropped %s", l.ID, what)
		}
		if len(l.Overrides) > 0 {
			var n int
			if l.Overrides, n = guardOverrides(l.Overrides); n > 0 {
				m.warn(u.Source, "%s: dropped %d conditional prices out of range", l.ID, n)
			}
		}
		m.fillListing(&l)
		key := l.Slug + variantOf(l.ID)
		e, ok := m.entries[l.ID]
		if !ok {
			if m.catalogueSeen {
				m.checkNewListing(l, u.At)
			}
			e = m.newEntry(l, u.At)
			// Usage may have arrived first under the permaslug: adopt it.
			if stubID, found := m.joins[key]; found && stubID != l.ID {
				if s := m.entries[stubID]; s != nil && s.stub {
					copy(e.tokens, s.tokens)
					delete(m.entries, stubID)
					m.ids = nil
					m.resolved = nil
					m.joinsStale = true
				}
			}
		}
		if n := len(e.prices); n == 0 || !e.prices[n-1].Price.Equal(l.Price) {
			if l.Price.Kind != PriceUnknown || n == 0 {
				e.prices = append(e.prices, PricePoint{At: u.At, Price: l.Price})
				if len(e.prices) > maxPriceHistory {
					e.prices = append(e.prices[:0:0], e.prices[len(e.prices)-maxPriceHistory:]...)
				}
			}
		}
		if l.Price.Kind == PriceUnknown && e.l.Price.Kind != PriceUnknown {
			l.Price = e.l.Price // keep the last good price
		}
		if ok && !e.stub {
			m.checkPrice(l, e.l.Price, u.At)
		}
		if l.Indexes.Source != "" && l.Indexes.AsOf.IsZero() {
			l.Indexes.AsOf = u.At
		}
		if l.Indexes.Rejected != "" {
			rejected = append(rejected, l.ID+": "+l.Indexes.Rejected)
		}
		if e.l.Origin != l.Origin {
			m.dailyOf = nil // the day totals per origin are summed anew
		}
		e.l = l
		e.detail = nil
		m.recordIndexes(e, u.At)
		e.stub = false
		e.lastSeen = maxTime(e.lastSeen, u.At)
		m.joins[key] = l.ID
		m.joins[l.ID] = l.ID
	}
	if len(u.Listings) > 0 {
		m.setSkipped(u.Source, rejected)
		m.catalogueSeen = true
		m.touch(u.At)
		m.checkExpiry(u.At)
	}
}

// ensureDay makes sure day d has a slot and returns its index, or -1 when d
// is older than the retention allows.
func (m *Market) ensureDay(d time.Time) int {
	if m.days == 0 {
		m.day0, m.days = d, 1
		m.resize(1, 0)
		return 0
	}
	idx := int(d.Sub(m.day0).Hours()+0.5) / 24
	if d.Before(m.day0) {
		back := int(m.day0.Sub(d).Hours()+0.5) / 24
		if m.days+back > m.cfg.Retention {
			return -1
		}
		m.resize(m.days+back, back)
		m.day0 = d
		m.days += back
		return 0
	}
	if idx >= m.days {
		grow := idx + 1 - m.days
		m.resize(m.days+grow, 0)
		m.days += grow
		if drop := m.days - m.cfg.Retention; drop > 0 {
			m.dropOldest(drop)
			idx -= drop
		}
	}
	return idx
}

// resize grows every series to n days, shifting the held values right by
// shift slots (used when older days arrive).
func (m *Market) resize(n, shift int) {
	m.sortIDs()
	for _, e := range m.ents {
		// Every series holds m.days days, so none is cut short here and
		// the days a snapshot holds stay below the new ones.
		old := e.tokens
		e.tokens = growSeries(e.tokens[:min(len(e.tokens), m.days)], n, shift, e.pub > 0)
		if len(old) > 0 && &e.tokens[0] != &old[0] {
			e.pub = 0
		}
	}
	m.other = growSeries(m.other[:min(len(m.other), m.days)], n, shift, false)
	for o, row := range m.daily {
		m.daily[o] = growSeries(row[:min(len(row), m.days)], n, shift, false)
	}
	for o, row := range m.win {
		m.win[o] = growSeries(row[:min(len(row), m.days)], n, shift, false)
	}
	if shift > 0 {
		m.winOK = 0
	}
	if m.dirtyLo <= m.dirtyHi {
		m.dirtyLo, m.dirtyHi = m.dirtyLo+shift, m.dirtyHi+shift
	}
}

// growSeries grows a series to n days, its held values shifted right by
// shift slots and the new slots zero. shared says a snapshot holds the
// series' days: they are then moved into a new array, never shifted where
// the snapshot reads them.
func growSeries[T uint64 | float64](s []T, n, shift int, shared bool) []T {
	out := s
	if cap(s) < n || (shared && shift > 0) {
		out = make([]T, len(s), n+n/4)
		copy(out, s)
	}
	out = out[:n]
	if shift > 0 {
		copy(out[shift:], out[:len(s)])
		clear(out[:shift])
	}
	clear(out[shift+len(s):])
	return out
}

func (m *Market) dropOldest(k int) {
	m.sortIDs()
	for _, e := range m.ents {
		if e.pub > 0 {
			// A snapshot reads these days where they are: drop the oldest
			// by moving the start, not by shifting the rest over them.
			e.tokens = e.tokens[min(k, len(e.tokens)):]
			e.pub = max(e.pub-k, 0)
			continue
		}
		n := copy(e.tokens, e.tokens[k:])
		e.tokens = e.tokens[:n]
	}
	n := copy(m.other, m.other[k:])
	m.other = m.other[:n]
	for o, row := range m.daily {
		m.daily[o] = row[:copy(row, row[min(k, len(row)):])]
	}
	for o, row := range m.win {
		m.win[o] = row[:copy(row, row[min(k, len(row)):])]
	}
	m.winOK = max(m.winOK-k, 0)
	if m.dirtyLo <= m.dirtyHi {
		m.dirtyLo, m.dirtyHi = max(m.dirtyLo-k, 0), m.dirtyHi-k
	}
	m.days -= k
	m.day0 = m.day0.AddDate(0, 0, k)
	m.forgetRetired()
}

// forgetRetired drops listings with no usage in the retained days that no
// feed has named for as long as the retention: a delisted model's record
// would otherwise be kept for ever, and memory must be bounded by retention,
// not by uptime.
func (m *Market) forgetRetired() {
	cutoff := m.day0
	m.sortIDs()
	ids := m.ids // a deletion drops m.ids, not this slice
	for i, e := range m.ents {
		if !e.lastSeen.Before(cutoff) {
			continue
		}
		id := ids[i]
		idle := true
		for _, t := range e.tokens {
			if t > 0 {
				idle = false
				break
			}
		}
		if idle {
			delete(m.entries, id)
			m.ids = nil
			m.resolved = nil
			m.joinsStale = true
			delete(m.baselines, id)
			delete(m.inTop, id)
		}
	}
	if !m.joinsStale {
		return // no entry went since the last sweep: no join names one
	}
	for key, id := range m.joins {
		if _, ok := m.entries[id]; !ok {
			delete(m.joins, key)
		}
	}
	m.joinsStale = false
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// resolve finds the listing a usage slug names, creating a stub for a
// permaslug the catalogue has not named (it still counts, under its slug).
func (m *Market) resolve(slug string, at time.Time) *entry {
	if e := m.resolved[slug]; e != nil {
		return e
	}
	e := m.resolveJoin(slug, at)
	if m.resolved == nil {
		m.resolved = make(map[string]*entry, len(m.entries))
	}
	m.resolved[slug] = e
	return e
}

func (m *Market) resolveJoin(slug string, at time.Time) *entry {
	if id, ok := m.joins[slug]; ok {
		if e := m.entries[id]; e != nil {
			return e
		}
	}
	if e := m.entries[slug]; e != nil {
		return e
	}
	l := Listing{ID: slug, Slug: slug, Name: NameFromSlug(slug)}
	m.fillListing(&l)
	e := m.newEntry(l, at)
	e.stub = true
	m.joins[slug] = slug
	return e
}

func (u UsageUpdate) apply(m *Market) {
	rows := u.Rows
	// Oldest first, so a backfill grows the window forward, not by shifts.
	if !sort.SliceIsSorted(rows, func(i, j int) bool { return rows[i].Date.Before(rows[j].Date) }) {
		rows = append([]UsageRow(nil), rows...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Date.Before(rows[j].Date) })
	}
	applied := false
	// The rows of one day share its date: its slot is found once while
	// the retained days stay as they are.
	var lastDate, lastDay0 time.Time
	lastIdx, lastDays := 0, -1
	for _, r := range rows {
		if r.Slug == "" || r.Date.IsZero() {
			continue
		}
		if !SaneTokens(r.Tokens) {
			m.warn(u.Source, "%s on %s: dropped %d tokens (above 10^18)", r.Slug, r.Date.UTC().Format(time.DateOnly), r.Tokens)
			continue
		}
		idx := lastIdx
		if lastDays != m.days || !r.Date.Equal(lastDate) || !m.day0.Equal(lastDay0) {
			idx = m.ensureDay(dayOf(r.Date))
			lastDate, lastDay0, lastIdx, lastDays = r.Date, m.day0, idx, m.days
		}
		if idx < 0 {
			continue
		}
		if r.Slug == OtherSlug {
			m.other[idx] = r.Tokens
		} else {
			e := m.resolve(r.Slug, u.At)
			if e.setToken(idx, r.Tokens) {
				m.dirtyLo, m.dirtyHi = min(m.dirtyLo, idx), max(m.dirtyHi, idx)
			}
			e.lastSeen = maxTime(e.lastSeen, u.At)
		}
		applied = true
	}
	if applied {
		m.hasVolumes = true
		m.touch(u.At)
		m.checkUsage(u.At)
	}
}

func (u RankingUpdate) apply(m *Market) {
	if len(u.IDs) == 0 {
		return
	}
	m.prevRanking = m.ranking
	m.ranking = append([]string(nil), u.IDs...)
	m.touch(u.At)
}

func (u EndpointsUpdate) apply(m *Market) {
	e := m.entries[u.ListingID]
	if e == nil {
		if id, ok := m.joins[u.ListingID]; ok {
			e = m.entries[id]
		}
	}
	if e == nil {
		return // endpoints of a listing the catalogue has not named
	}
	e.endpoints = make([]Endpoint, len(u.Endpoints))
	for i, ep := range u.Endpoints {
		e.endpoints[i] = guardEndpoint(ep)
	}
	e.endpointsAt = u.At
	e.detail = nil
	e.lastSeen = maxTime(e.lastSeen, u.At)
	e.health = DeriveHealth(e.endpoints)
	e.recordHealth(u.At, e.health)
	m.touch(u.At)
	m.checkCapacity(e, u.At)
}

func (u StatusUpdate) apply(m *Market) {
	if u.Page.Name == "" {
		return
	}
	p := u.Page
	p.Authors = append([]string(nil), p.Authors...)
	p.Components = append([]Component(nil), p.Components...)
	p.Incidents = append([]Incident(nil), p.Incidents...)
	sort.SliceStable(p.Incidents, func(i, j int) bool { return p.Incidents[i].Started.After(p.Incidents[j].Started) })
	if p.Updated.IsZero() {
		p.Updated = u.At
	}
	m.pages[p.Name] = p
	m.touch(u.At)
	m.checkOutage(p, u.At)
}

func (u SourceUpdate) apply(m *Market) {
	if u.Health.Name == "" {
		return
	}
	m.sources[u.Health.Name] = u.Health
}

func (u AppsUpdate) apply(m *Market) {
	apps := make([]App, 0, len(u.Apps))
	for _, a := range u.Apps {
		if !SaneTokens(a.Tokens) || !SaneTokens(a.Requests) {
			m.warn(u.Source, "app %s: dropped (a count above 10^18)", a.Name)
			continue
		}
		apps = append(apps, a)
	}
	sort.SliceStable(apps, func(i, j int) bool { return apps[i].Rank < apps[j].Rank })
	if len(apps) > maxApps {
		apps = apps[:maxApps]
	}
	m.apps = apps
	m.touch(u.At)
}
