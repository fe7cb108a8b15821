package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// ListingView is one listing as a Snapshot shows it: the listing's fields
// every screen reads, its market figures of the day, and the rest of it
// behind Detail. A day of usage changes only the figures, so a new
// snapshot writes those and shares each listing's Detail with the last
// snapshot while the listing, its prices, endpoints and serving history
// stay the same (400 whole views of 568 bytes were half of a new day's
// cost, their collection included). Slices in a ListingView, and its
// Detail, are never written after the Snapshot is built.
type ListingView struct {
	ID     string // OpenRouter model id, e.g. "minimax/minimax-m2.5"
	Name   string // display name
	Author string // author slug, e.g. "minimax"
	Origin Origin
	Price  Price
	Health Health
	// Unlisted is set for a listing the usage rankings name but the
	// catalogue (once read) does not list: retired, stealth or renamed. Its
	// name is made from its slug (NameFromSlug) and it has no prices.
	Unlisted bool
	// Alias is set when the listing is an alias of another
	// (Listing().AliasOf), and Indexed when it has benchmark indexes
	// (Indexes().Has()): the lists test them on every row, and reading
	// them here spares each row a trip to its Detail (at 10,000 listings,
	// those trips were half a Prices rebuild).
	Alias, Indexed bool

	Rank     int      // 1-based rank by tokens (or by order without volumes); 0 when unranked
	PrevRank int      // rank one window earlier; 0 when it was unranked
	Tokens   uint64   // tokens in the last window (Snapshot.Window days)
	Share    float64  // percent of all tokens in the window, the long tail included
	Growth   float64  // percent change against the window before; NaN when there is none
	Series   []uint64 // daily tokens, aligned with Snapshot.Days

	// Detail is the rest of the listing. It is nil in a view made by hand
	// (a test's): the methods below read it and then answer as for a
	// listing with no history, so a zero ListingView is safe to show.
	Detail *ListingDetail
}

// ListingDetail is the part of a listing's view that a day of usage does
// not change, shared by consecutive snapshots until it does.
type ListingDetail struct {
	// Listing is the listing as the catalogue gives it, with the
	// benchmarks dataset's indexes when the catalogue carries none.
	Listing        Listing
	PriceHistory   []PricePoint   // oldest first; the last is the current price
	IndexHistory   []IndexPoint   // oldest first; the last is Listing.Indexes (see IndexSegments)
	Endpoints      []Endpoint     // the providers serving it, as the last endpoints poll gave them
	EndpointsAt    time.Time      // when the endpoints were polled; zero when never
	FirstSeen      time.Time      // when the market first heard of the listing
	HealthDays     []HealthDay    // worst state per UTC day, oldest first; at most HealthDaysKept
	HealthTimeline []HealthSample // states at each endpoints poll of the last 24 hours, oldest first
}

// String prints the detail's fields, so that a snapshot printed with %v
// or %+v shows what its views hold rather than where: tests and logs compare
// snapshots by their print.
func (d *ListingDetail) String() string {
	if d == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", *d)
}

// noDetail answers for a view without a Detail.
var noDetail ListingDetail

// detail is v.Detail, or an empty one when v has none.
func (v *ListingView) detail() *ListingDetail {
	if v.Detail == nil {
		return &noDetail
	}
	return v.Detail
}

// Listing is the whole listing, shared with the snapshot: read it, never
// write it. A view without a Detail gives a listing of its own fields.
func (v *ListingView) Listing() *Listing {
	if v.Detail == nil {
		return &Listing{ID: v.ID, Name: v.Name, Author: v.Author, Origin: v.Origin, Price: v.Price}
	}
	return &v.Detail.Listing
}

// Indexes are the listing's benchmark indexes: the catalogue's, else the
// benchmarks dataset's; zero when it has none.
func (v *ListingView) Indexes() Indexes { return v.detail().Listing.Indexes }

// PriceHistory is the listing's prices, oldest first; the last is the
// current price.
func (v *ListingView) PriceHistory() []PricePoint { return v.detail().PriceHistory }

// IndexHistory is the listing's indexes over time, oldest first.
func (v *ListingView) IndexHistory() []IndexPoint { return v.detail().IndexHistory }

// Endpoints are the providers serving the listing.
func (v *ListingView) Endpoints() []Endpoint { return v.detail().Endpoints }

// EndpointsAt is when the endpoints were polled; zero when never.
func (v *ListingView) EndpointsAt() time.Time { return v.detail().EndpointsAt }

// FirstSeen is when the market first heard of the listing.
func (v *ListingView) FirstSeen() time.Time { return v.detail().FirstSeen }

// HealthDays are the worst serving state per UTC day, oldest first.
func (v *ListingView) HealthDays() []HealthDay { return v.detail().HealthDays }

// HealthTimeline is the serving states of the last 24 hours, oldest first.
func (v *ListingView) HealthTimeline() []HealthSample { return v.detail().HealthTimeline }

// LastPriceChange returns when the price last changed; zero when it never did.
func (v *ListingView) LastPriceChange() time.Time {
	if _, at, ok := v.PrevPrice(); ok {
		return at
	}
	return time.Time{}
}

// RankMove is how many places the listing climbed since one window earlier
// (negative: fell). It is 0 when either rank is unknown.
func (v *ListingView) RankMove() int {
	if v.Rank == 0 || v.PrevRank == 0 {
		return 0
	}
	return v.PrevRank - v.Rank
}

// IsNew reports whether the listing is ranked now but was not a window ago.
func (v *ListingView) IsNew() bool { return v.Rank > 0 && v.PrevRank == 0 }

// PrevPrice returns the price before the current one and when the current one
// took effect; ok is false when the price never changed.
func (v *ListingView) PrevPrice() (prev Price, changed time.Time, ok bool) {
	ph := v.PriceHistory()
	n := len(ph)
	if n < 2 {
		return Price{}, time.Time{}, false
	}
	return ph[n-2].Price, ph[n-1].At, true
}

// OriginShare is one origin's share of the tokens attributed to listings.
type OriginShare struct {
	Origin Origin
	Tokens uint64
	Share  float64 // percent; the shares of all origins sum to 100
}

// AuthorShare is one author's share of all tokens in the window.
type AuthorShare struct {
	Author string
	Origin Origin
	Tokens uint64
	Share  float64 // percent of all tokens, the long tail included
}

// Crossover is the moment one origin's share passed another's and held.
type Crossover struct {
	Leader      Origin    // the origin that passed
	Passed      Origin    // the origin it passed
	Day         time.Time // the first day of the new order (UTC midnight)
	LeaderShare float64   // the leader's share on Day, percent
}

// Snapshot is an immutable view of the market at one moment. Views are pure
// functions of a Snapshot and their own state.
type Snapshot struct {
	Source     string    // "demo", "openrouter" or "replay"
	AsOf       time.Time // the last successful data update; zero when none yet
	Now        time.Time // the market clock when the snapshot was taken
	Version    uint64    // the market version it reflects; equal versions, equal content
	HasVolumes bool      // token volumes are known (otherwise ranks are order-only)
	KeySet     bool      // an API key is configured (Config.KeySet)
	Window     int       // days per period

	Days       []time.Time // retained UTC days, oldest first
	Listings   []ListingView
	Total      uint64 // tokens in the window, long tail included
	Attributed uint64 // tokens in the window attributed to listings

	Origins      []OriginShare        // in Origins order
	OriginSeries map[Origin][]float64 // trailing-window share per day, aligned with Days; NaN without data
	Authors      []AuthorShare        // largest first
	Crossovers   []Crossover          // oldest first

	StatusPages []StatusPage   // by name
	Sources     []SourceHealth // by name
	Apps        []App          // by rank
	Alerts      []Alert        // newest first
	Tasks       TaskShares     // what the tokens are spent on; Source "" when unknown
	Providers   []Provider     // by slug

	// Warnings are the newest fields the number guards dropped (a price of
	// 1e300, 2^64-1 tokens), oldest first; WarningCount counts them all.
	Warnings     []string
	WarningCount int

	// pos maps an id to its index in the market's sorted ids (shared by
	// every snapshot while the listings stay the same), at that index to
	// the listing's place in Listings.
	pos map[string]int
	at  []int32
}

// Listing finds a listing by id.
func (s *Snapshot) Listing(id string) (*ListingView, bool) {
	if s == nil {
		return nil, false
	}
	i, ok := s.pos[id]
	if !ok {
		return nil, false
	}
	return &s.Listings[s.at[i]], true
}

// DemoSource is the Source (and the source-health row) of the embedded demo
// market.
const DemoSource = "demo"

// Simulated reports whether the snapshot's data is the demo market's: the
// demo itself, or a replay of a demo recording (whose "demo" source row
// travels in the recording). Simulated data must never pass for real data.
func (s *Snapshot) Simulated() bool {
	if s == nil {
		return false
	}
	if s.Source == DemoSource {
		return true
	}
	for _, h := range s.Sources {
		if h.Name == DemoSource {
			return true
		}
	}
	return false
}

// OfflineSource is the source-health row of a run that looked for the live
// market (--source auto), could not reach it and fell back to the demo; its
// error says why ("no network: lookup openrouter.ai: no such host").
const OfflineSource = "openrouter"

// Offline reports whether the snapshot is the demo shown because the live
// market could not be reached, and why.
func (s *Snapshot) Offline() (reason string, ok bool) {
	if s == nil || !s.Simulated() {
		return "", false
	}
	for _, h := range s.Sources {
		if h.Name == OfflineSource && !h.OK {
			return h.LastError, true
		}
	}
	return "", false
}

// OriginShareOf returns one origin's current share in percent (0 when none).
func (s *Snapshot) OriginShareOf(o Origin) float64 {
	for _, os := range s.Origins {
		if os.Origin == o {
			return os.Share
		}
	}
	return 0
}

// SourceState classifies a source's health at a moment: what the strip and
// the header say about it and whether its figures may be trusted as current.
type SourceState int

// Source states, from the rules of SourceHealth.State.
const (
	SourceWaiting     SourceState = iota // never attempted yet
	SourceNoData                         // attempted, never succeeded: nothing of it is held
	SourceFresh                          // the last attempt succeeded and the data is recent
	SourceStale                          // data is held but its refresh failed, or it is old
	SourceUnavailable                    // the upstream says the data does not exist (404 on an optional dataset)
)

// staleAfter is how many intervals a source may go without a success
// before its data counts as old even though nothing failed (paused, skipped
// or a fetch still hanging).
const staleAfter = 3

// State applies the age rules at now. An age is always the time since the
// last success (the data held), never since the last attempt:
//
//   - a source that has never succeeded has no data (not stale: there is
//     nothing old to distrust), or is waiting when it was never attempted;
//   - a source whose last attempt failed after a success is stale at once:
//     its figures are those of LastSuccess;
//   - a source whose last attempt succeeded is stale once its last success
//     is more than three intervals old (skipped or paused polls are not
//     successes);
//   - a source the upstream says does not exist is unavailable, unless
//     data of it is still held from before, which is then stale.
func (h SourceHealth) State(now time.Time) SourceState {
	switch {
	case h.LastSuccess.IsZero() && h.Unavailable:
		return SourceUnavailable
	case h.LastSuccess.IsZero() && h.LastAttempt.IsZero() && h.LastError == "":
		return SourceWaiting
	case h.LastSuccess.IsZero():
		return SourceNoData
	case !h.OK:
		return SourceStale
	case h.Interval > 0 && !now.IsZero() && now.Sub(h.LastSuccess) > staleAfter*h.Interval:
		return SourceStale
	}
	return SourceFresh
}

// Stale reports whether the source holds data it failed to refresh or has
// not refreshed for three intervals (see State).
func (h SourceHealth) Stale(now time.Time) bool { return h.State(now) == SourceStale }

// Age is how old the data held from the source is at now: the time since
// its last success. ok is false when it never succeeded.
func (h SourceHealth) Age(now time.Time) (age time.Duration, ok bool) {
	if h.LastSuccess.IsZero() {
		return 0, false
	}
	return max(now.Sub(h.LastSuccess), 0), true
}

// Snapshot returns the market as it is now. It is cheap to call repeatedly:
// while no update has been applied the same Snapshot is returned.
func (m *Market) Snapshot() *Snapshot {
	now := m.cfg.Clock()
	if m.last != nil && m.last.Version == m.version {
		if m.last.Now.Equal(now) {
			return m.last
		}
		c := *m.last // same content, fresh clock
		c.Now = now
		m.last = &c
		return m.last
	}
	s := m.withAlerts(m.build(now))
	m.last = s
	return s
}

// sumRange sums s[from:to] without wrapping (see satAdd).
func sumRange(s []uint64, from, to int) uint64 {
	from, to = max(from, 0), min(to, len(s))
	var t uint64
	for i := from; i < to; i++ {
		t = satAdd(t, s[i])
	}
	return t
}

// floatRange sums s[from:to] in float64, which cannot overflow at any
// count a uint64 holds: shares and growth are ratios of these, so they stay
// right where a uint64 total would saturate.
func floatRange(s []uint64, from, to int) float64 {
	from, to = max(from, 0), min(to, len(s))
	var t float64
	for i := from; i < to; i++ {
		t += float64(s[i])
	}
	return t
}

// sumBoth is sumRange and floatRange of the same range in one pass.
func sumBoth(s []uint64, from, to int) (uint64, float64) {
	from, to = max(from, 0), min(to, len(s))
	var t uint64
	var f float64
	for _, x := range s[from:max(from, to)] {
		t = satAdd(t, x)
		f += float64(x)
	}
	return t, f
}

// tokensOf converts a float sum back to a count, saturating.
func tokensOf(f float64) uint64 {
	if f >= math.MaxUint64 {
		return math.MaxUint64
	}
	if f <= 0 || math.IsNaN(f) {
		return 0
	}
	return uint64(f)
}

// boardScratch holds the per-listing figures a build works from, indexed
// like Market.ids. It is reused by the next build and never reaches a
// Snapshot.
type boardScratch struct {
	tok, prev      []uint64
	tokF, prevF    []float64 // tok and prev summed in float64
	rank, prevRank []int
	order          []int
	// The last build's rankings by tokens and by the window before, in
	// rank order, valid while ids holds: a day moves few ranks, and a sort
	// of an almost sorted slice is quick.
	pairs, prevPairs []rankedKey
	pairsOf          []string  // the ids the pairs index
	shares           []float64 // buildShares' totals of the windows per day
	origin           []int     // each entry's place in Origins, -1 when none
	authors          []authorShare
	// Every author seen, numbered in order of first sight (byAuthor), and
	// each listing's number by its index in ids (authorOf, checked against
	// its author on use, so a listing that came, went or changed author is
	// looked up again): a day's 400 authors then cost no hashing. slot is
	// an author's place in authors in the build under way, -1 when none.
	authorNames []string
	byAuthor    map[string]int32
	authorOf    []int32
	slot        []int32
}

// authorID is the number of the author of the listing at index i of ids.
func (b *boardScratch) authorID(i int, author string) int32 {
	if i < len(b.authorOf) {
		if id := b.authorOf[i]; id >= 0 && b.authorNames[id] == author {
			return id
		}
	}
	id, ok := b.byAuthor[author]
	if !ok {
		id = int32(len(b.authorNames))
		b.byAuthor[author] = id
		b.authorNames = append(b.authorNames, author)
		b.slot = append(b.slot, -1)
	}
	for len(b.authorOf) <= i {
		b.authorOf = append(b.authorOf, -1)
	}
	b.authorOf[i] = id
	return id
}

// clearSlots readies the numbering of authors for a build of n listings,
// every slot -1. Authors long gone are forgotten once the names outgrow the
// listings, so the numbering stays bounded.
func (b *boardScratch) clearSlots(n int) {
	if b.byAuthor == nil || len(b.authorNames) > 2*n+64 {
		b.byAuthor = make(map[string]int32)
		b.authorNames, b.authorOf, b.slot = b.authorNames[:0], b.authorOf[:0], b.slot[:0]
	}
	for i := range b.slot {
		b.slot[i] = -1
	}
}

// reset sizes the per-listing arrays for n listings, ranks zeroed.
func (b *boardScratch) reset(n int) {
	grow := func(s []int) []int {
		if cap(s) < n {
			return make([]int, n)
		}
		s = s[:n]
		clear(s)
		return s
	}
	if cap(b.tok) < n {
		b.tok, b.prev = make([]uint64, n), make([]uint64, n)
		b.tokF, b.prevF = make([]float64, n), make([]float64, n)
	}
	b.tok, b.prev, b.tokF, b.prevF = b.tok[:n], b.prev[:n], b.tokF[:n], b.prevF[:n]
	b.rank, b.prevRank = grow(b.rank), grow(b.prevRank)
	b.order = b.order[:0]
}

// sortIDs refreshes ids, ents and pos after an entry came or went.
func (m *Market) sortIDs() {
	if m.ids != nil {
		return
	}
	m.ids = make([]string, 0, len(m.entries))
	for id := range m.entries {
		m.ids = append(m.ids, id)
	}
	sort.Strings(m.ids)
	m.ents = make([]*entry, len(m.ids))
	m.pos = make(map[string]int, len(m.ids))
	for i, id := range m.ids {
		m.ents[i] = m.entries[id]
		m.pos[id] = i
	}
}

// daysList lists the retained days, oldest first: the last list while it
// still holds (snapshots share it), a new one when a day came or went.
func (m *Market) daysList() []time.Time {
	n := m.days
	if m.dayList != nil && len(m.dayList) == n && (n == 0 || m.dayList[0].Equal(m.day0)) {
		return m.dayList
	}
	// A new day keeps the days still retained: they are copied, and only
	// the new ones are worked out (AddDate normalises a whole date).
	old := m.dayList
	m.dayList = make([]time.Time, n)
	kept := 0
	if len(old) > 0 {
		if k := int(m.day0.Sub(old[0]).Hours()+0.5) / 24; k >= 0 && k < len(old) && old[k].Equal(m.day0) {
			kept = copy(m.dayList, old[k:])
		}
	}
	for i := kept; i < n; i++ {
		m.dayList[i] = m.day0.AddDate(0, 0, i)
	}
	return m.dayList
}

// shared returns s capped at its length for a snapshot to hold: an append
// by a reader then copies, and the market only appends past it or copies
// before an edit (see entry.pub). Empty is nil, as a copy of it was.
func shared[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s[:len(s):len(s)]
}

// build makes a snapshot but for the alerts and warnings, which the caller
// adds (checkUsage builds before its rules have run). The board is the last
// snapshot's while no update has changed it (Market.board); a new board
// copies nothing of a listing but its view: a snapshot shares each entry's
// slices, which the market never writes where a snapshot can see (see
// entry.pub).
func (m *Market) build(now time.Time) *Snapshot {
	s := &Snapshot{
		Source:     m.cfg.Source,
		AsOf:       m.asOf,
		Now:        now,
		Version:    m.version,
		HasVolumes: m.hasVolumes,
		KeySet:     m.cfg.KeySet,
		Window:     m.cfg.Window,
	}
	if b := m.board; b != nil {
		s.Days, s.Listings, s.pos, s.at = b.Days, b.Listings, b.pos, b.at
		s.Total, s.Attributed = b.Total, b.Attributed
		s.Origins, s.OriginSeries, s.Authors, s.Crossovers = b.Origins, b.OriginSeries, b.Authors, b.Crossovers
	} else {
		m.buildBoard(s)
		m.board = s
	}
	m.buildRest(s)
	return s
}

// buildBoard fills the snapshot's days, listings and shares.
func (m *Market) buildBoard(s *Snapshot) {
	w, n := m.cfg.Window, m.days
	s.Days = m.daysList()
	m.sortIDs()
	ids, ents := m.ids, m.ents
	b := &m.scratch
	b.reset(len(ids))
	tok, prev, tokF, prevF := b.tok, b.prev, b.tokF, b.prevF
	var attributedF float64
	for i, e := range ents {
		// Window tokens in float64 too, for shares and growth.
		tok[i], tokF[i] = sumBoth(e.tokens, n-w, n)
		prev[i], prevF[i] = sumBoth(e.tokens, n-2*w, n-w)
		s.Attributed = satAdd(s.Attributed, tok[i])
		attributedF += tokF[i]
	}
	s.Total = satAdd(s.Attributed, sumRange(m.other, n-w, n))
	totalF := attributedF + floatRange(m.other, n-w, n)

	// Ranked listings first by rank, then the rest by name (ties by id, the
	// order of ids). The order is worked out on indices, so each view is
	// written once, in its place.
	order := b.order
	if m.hasVolumes {
		if len(b.pairsOf) != len(ids) || (len(ids) > 0 && &b.pairsOf[0] != &ids[0]) {
			b.pairs, b.prevPairs = b.pairs[:0], b.prevPairs[:0]
			b.pairsOf = ids
		}
		b.pairs = rankBy(tok, b.rank, b.pairs)
		for _, x := range b.pairs {
			order = append(order, x.i)
		}
		b.prevPairs = rankBy(prev, b.prevRank, b.prevPairs)
	} else {
		rankByOrder(ids, m.ranking, b.rank)
		rankByOrder(ids, m.prevRanking, b.prevRank)
		for i, r := range b.rank {
			if r > 0 {
				order = append(order, i)
			}
		}
		slices.SortFunc(order, func(i, j int) int { return cmp.Compare(b.rank[i], b.rank[j]) })
	}
	ranked := len(order)
	for i, r := range b.rank {
		if r == 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order[ranked:], func(i, j int) int {
		if c := strings.Compare(ents[i].l.Name, ents[j].l.Name); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	b.order = order

	s.Listings = make([]ListingView, len(ids))
	at := make([]int32, len(ids))
	for p, i := range order {
		e := ents[i]
		v := &s.Listings[p]
		at[i] = int32(p)
		v.ID, v.Name, v.Author, v.Origin, v.Price = e.l.ID, e.l.Name, e.l.Author, e.l.Origin, e.l.Price
		v.Health = e.health
		v.Unlisted = e.stub && m.catalogueSeen
		v.Alias, v.Indexed = e.l.AliasOf != "", e.l.Indexes.Has() || e.bench.Has()
		v.Rank, v.PrevRank = b.rank[i], b.prevRank[i]
		v.Tokens = tok[i]
		if totalF > 0 {
			v.Share = tokF[i] / totalF * 100
		}
		v.Growth = math.NaN()
		// Growth needs a whole previous window: against a partial one every
		// listing would look like it surged.
		if prev[i] > 0 && n >= 2*w {
			v.Growth = (tokF[i]/prevF[i] - 1) * 100
		}
		v.Series = shared(e.tokens)
		e.pub = len(e.tokens)
		v.Detail = e.viewDetail()
	}
	s.pos, s.at = m.pos, at

	if m.hasVolumes {
		m.buildShares(s, totalF)
	}
}

// buildRest fills the snapshot's status pages, sources, apps, tasks and
// providers.
func (m *Market) buildRest(s *Snapshot) {
	names := make([]string, 0, len(m.pages))
	for name := range m.pages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s.StatusPages = append(s.StatusPages, m.pages[name])
	}
	names = names[:0]
	for name := range m.sources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := m.sources[name]
		h.Skipped = append([]string(nil), m.skipped[name]...)
		s.Sources = append(s.Sources, h)
	}
	s.Apps = append([]App(nil), m.apps...)
	s.Tasks = m.tasks
	s.Tasks.Tasks = make([]TaskShare, len(m.tasks.Tasks))
	for i, t := range m.tasks.Tasks {
		t.Models = append([]TaskModel(nil), t.Models...)
		for k := range t.Models {
			if id, ok := m.joins[t.Models[k].Slug]; ok && m.entries[id] != nil {
				t.Models[k].ListingID = id
			} else if m.entries[t.Models[k].Slug] != nil {
				t.Models[k].ListingID = t.Models[k].Slug
			}
		}
		s.Tasks.Tasks[i] = t
	}
	s.Providers = m.providers
}

// withAlerts gives a snapshot the alert log and the warnings as they are
// now.
func (m *Market) withAlerts(s *Snapshot) *Snapshot {
	s.Alerts = m.alerts.snapshot()
	s.Warnings = append([]string(nil), m.warnings...)
	s.WarningCount = m.warningCount
	return s
}

// rankedKey is one listing's key for ranking, by its index in Market.ids.
type rankedKey struct {
	key uint64
	i   int
}

// rankBy gives 1-based ranks by descending key to the listings with a key
// above zero, writing rank[i] (zero on entry) for the listing at index i of
// Market.ids; ties break by id, which is the index order, so ranks are
// deterministic. pairs is the last ranking of the same ids, or empty; the
// ranked listings are returned in rank order, in pairs' array.
func rankBy(keys []uint64, rank []int, pairs []rankedKey) []rankedKey {
	// The last order with today's keys, then the listings it lacked: the
	// sort then mostly finds runs already in order. rank marks who is in.
	kept := pairs[:0]
	for _, x := range pairs {
		if k := keys[x.i]; k > 0 {
			kept = append(kept, rankedKey{k, x.i})
			rank[x.i] = -1
		}
	}
	pairs = kept
	for i, k := range keys {
		if k > 0 && rank[i] == 0 {
			pairs = append(pairs, rankedKey{k, i})
		}
	}
	// Keys and indices are unique together, a total order that needs no
	// stable sort.
	slices.SortFunc(pairs, func(a, b rankedKey) int {
		if a.key != b.key {
			return cmp.Compare(b.key, a.key)
		}
		return cmp.Compare(a.i, b.i)
	})
	for r, x := range pairs {
		rank[x.i] = r + 1
	}
	return pairs
}

// rankByOrder ranks the listings ids names by their first place in order,
// writing rank[i] for ids[i].
func rankByOrder(ids []string, order []string, rank []int) {
	if len(order) == 0 {
		return
	}
	pos := make(map[string]int, len(order))
	for _, id := range order {
		if _, dup := pos[id]; !dup {
			pos[id] = len(pos) + 1
		}
	}
	for i, id := range ids {
		if r, ok := pos[id]; ok {
			rank[i] = r
		}
	}
}

// crossoverHold is how many consecutive days a new order must hold before it
// counts as a crossover, so day-to-day noise at the crossing is not reported
// as a string of passes back and forth.
const crossoverHold = 3

// crossoverFloor is the share (percent) the leader must reach for a pass to
// count: two origins trading places below it are noise, not news.
const crossoverFloor = 5.0

func (m *Market) buildShares(s *Snapshot, totalF float64) {
	n := m.days
	no := len(Origins)
	// Daily totals per origin, then trailing-window sums, in float64: a sum
	// of uint64 counts could wrap (or saturate, putting every origin at
	// 100%), a float64 sum of them cannot. The market keeps both from one
	// build to the next (dailyTotals, windowSums); the row of the windows'
	// totals per day comes from the scratch of the last build.
	b := &m.scratch
	if cap(b.shares) < n {
		b.shares = make([]float64, n)
	}
	totals := b.shares[:n]
	clear(totals)
	daily := m.dailyTotals()
	authors := b.authors[:0]
	b.clearSlots(len(s.Listings))
	for i := range s.Listings {
		v := &s.Listings[i]
		if v.Tokens > 0 {
			// The float window sum buildBoard made of this view's series.
			p := b.order[i]
			f := b.tokF[p]
			id := b.authorID(p, v.Author) // may grow b.slot
			k := b.slot[id]
			if k < 0 {
				k = int32(len(authors))
				b.slot[id] = k
				authors = append(authors, authorShare{AuthorShare: AuthorShare{Author: v.Author, Origin: v.Origin}})
			}
			a := &authors[k]
			a.Tokens = satAdd(a.Tokens, v.Tokens)
			a.f += f
		}
	}
	b.authors = authors
	win := m.windowSums(daily)
	for o := range no {
		for k, x := range win[o] {
			totals[k] += x
		}
	}
	s.OriginSeries = make(map[Origin][]float64, no)
	s.Origins = make([]OriginShare, 0, no)
	all := make([]float64, no*n) // every origin's series in one array
	for oi, o := range Origins {
		ws := win[oi]
		series := all[oi*n : (oi+1)*n : (oi+1)*n]
		for k := range series {
			if totals[k] == 0 {
				series[k] = math.NaN()
			} else {
				series[k] = ws[k] / totals[k] * 100
			}
		}
		s.OriginSeries[o] = series
		os := OriginShare{Origin: o}
		if n > 0 {
			os.Tokens = tokensOf(ws[n-1])
			if totals[n-1] > 0 {
				os.Share = series[n-1]
			}
		}
		s.Origins = append(s.Origins, os)
	}
	if len(authors) > 0 {
		s.Authors = make([]AuthorShare, len(authors))
	}
	for i := range authors {
		a := &authors[i]
		if totalF > 0 {
			a.Share = a.f / totalF * 100
		}
		s.Authors[i] = a.AuthorShare
	}
	// Authors are unique: tokens then name is a total order.
	slices.SortFunc(s.Authors, func(a, b AuthorShare) int {
		if a.Tokens != b.Tokens {
			return cmp.Compare(b.Tokens, a.Tokens)
		}
		return strings.Compare(a.Author, b.Author)
	})
	s.Crossovers = findCrossovers(s.Days, s.OriginSeries)
}

// dailyTotals returns the listings' tokens per origin (in Origins order)
// and day, each summed in float64 in the order of ids: Market.daily,
// summed anew for the days written since the last call, or wholly when
// the listings or their origins changed. A day of usage then costs one
// sum over the listings, not one per retained day.
func (m *Market) dailyTotals() [][]float64 {
	n, no := m.days, len(Origins)
	oi := m.scratch.origin[:0]
	for _, e := range m.ents {
		oi = append(oi, originIndex(e.l.Origin))
	}
	m.scratch.origin = oi
	whole := len(m.daily) != no || len(m.dailyOf) != len(m.ids) || m.dailyOf == nil ||
		(len(m.ids) > 0 && &m.dailyOf[0] != &m.ids[0])
	for _, row := range m.daily {
		whole = whole || len(row) != n
	}
	switch {
	case whole:
		if len(m.daily) != no {
			m.daily = make([][]float64, no)
		}
		for o := range m.daily {
			m.daily[o] = growSeries(m.daily[o][:0], n, 0, false)
		}
		for i, e := range m.ents {
			if oi[i] < 0 {
				continue
			}
			d := m.daily[oi[i]]
			for k, t := range e.tokens[:min(len(e.tokens), n)] {
				d[k] += float64(t)
			}
		}
		m.dailyOf = m.ids
		if m.dailyOf == nil {
			m.dailyOf = []string{}
		}
		m.winOK = 0
	case m.dirtyLo <= m.dirtyHi:
		m.winOK = min(m.winOK, m.dirtyLo)
		for k := m.dirtyLo; k <= min(m.dirtyHi, n-1); k++ {
			for o := range m.daily {
				m.daily[o][k] = 0
			}
			for i, e := range m.ents {
				if oi[i] >= 0 && k < len(e.tokens) {
					m.daily[oi[i]][k] += float64(e.tokens[k])
				}
			}
		}
	}
	m.dirtyLo, m.dirtyHi = math.MaxInt, -1
	return m.daily
}

// windowSums returns, per origin in Origins order, the trailing-window sum
// of daily at each day: Market.win, summed anew for the days whose window
// may have changed since the last call (from winOK on, see Market.win) and
// for the first w-1 days, whose partial windows a dropped day changes. A
// new day then costs one window per origin, not one per retained day.
func (m *Market) windowSums(daily [][]float64) [][]float64 {
	n, w, no := m.days, m.cfg.Window, len(Origins)
	if len(m.win) != no {
		m.win = make([][]float64, no)
		m.winOK = 0
	}
	for o := range m.win {
		if len(m.win[o]) != n {
			m.win[o] = growSeries(m.win[o][:0], n, 0, false)
			m.winOK = 0
		}
	}
	for o := range no {
		d, ws := daily[o], m.win[o]
		for k := range n {
			if k >= w-1 && k < m.winOK {
				continue
			}
			// Summed afresh, not as a running sum: subtracting huge values
			// from a float leaves residue that would show as a tiny share.
			var run float64
			for _, x := range d[max(k-w+1, 0) : k+1] {
				run += x
			}
			ws[k] = run
		}
	}
	m.winOK = n
	return m.win
}

// authorShare is an author's share as buildShares adds it up: the float
// sum of its window tokens beside the saturating count.
type authorShare struct {
	AuthorShare
	f float64
}

// originIndex is o's place in Origins, -1 when it has none.
func originIndex(o Origin) int {
	for i, x := range Origins {
		if x == o {
			return i
		}
	}
	return -1
}

// findCrossovers scans the share series for one origin passing another and
// holding the lead for crossoverHold days.
func findCrossovers(days []time.Time, series map[Origin][]float64) []Crossover {
	var out []Crossover
	known := []Origin{OriginCN, OriginUS, OriginEU, OriginOther}
	for _, a := range known {
		for _, b := range known {
			if a == b {
				continue
			}
			sa, sb := series[a], series[b]
			// lead is the established order: +1 a ahead, -1 b ahead, 0 not yet known.
			// It changes only when the new order holds for crossoverHold days.
			lead := 0
			side := func(k int) int {
				switch {
				case math.IsNaN(sa[k]) || math.IsNaN(sb[k]) || sa[k] == sb[k]:
					return 0 // no data, or a tie: says nothing about the order
				case sa[k] > sb[k]:
					return 1
				}
				return -1
			}
			for k := 0; k+crossoverHold <= len(sa); k++ {
				cur := side(k)
				if cur == 0 || cur == lead {
					continue
				}
				held := true
				for j := k + 1; j < k+crossoverHold; j++ {
					if side(j) != cur {
						held = false
						break
					}
				}
				if !held {
					continue
				}
				if lead == -1 && cur == 1 && sa[k] >= crossoverFloor {
					out = append(out, Crossover{Leader: a, Passed: b, Day: days[k], LeaderShare: sa[k]})
				}
				lead = cur
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// Health thresholds, in percentage points and fractions of endpoints.
const (
	healthUptimeDrop   = 5.0  // median 5-minute uptime this far below the 1-day median: degraded
	healthDownUptime   = 50.0 // median 5-minute uptime below this: down
	healthDeratedShare = 1.0 / 3
	// healthOffline is the endpoint status OpenRouter gives an endpoint it
	// has taken out of rotation; milder negative statuses only derank.
	healthOffline EndpointStatus = -10
)

// DeriveHealth turns a listing's endpoints into one serving state: DOWN when
// the median 5-minute uptime is below 50% or every endpoint is offline
// (status -10); DEGRADED when the median sits 5 points or more below the
// 1-day median or a third of the endpoints are deranked (status < 0);
// otherwise OK. No endpoints: UNKNOWN.
func DeriveHealth(eps []Endpoint) Health {
	if len(eps) == 0 {
		return HealthUnknown
	}
	var u5, u1d []float64
	degraded, offline := 0, 0
	for _, e := range eps {
		if e.Degraded() {
			degraded++
		}
		if e.Status <= healthOffline {
			offline++
		}
		if !math.IsNaN(e.Uptime5m) {
			u5 = append(u5, e.Uptime5m)
		}
		if !math.IsNaN(e.Uptime1d) {
			u1d = append(u1d, e.Uptime1d)
		}
	}
	m5, m1d := Median(u5), Median(u1d)
	switch {
	case offline == len(eps) || (!math.IsNaN(m5) && m5 < healthDownUptime):
		return HealthDown
	case float64(degraded) >= healthDeratedShare*float64(len(eps)),
		!math.IsNaN(m5) && !math.IsNaN(m1d) && m1d-m5 >= healthUptimeDrop:
		return HealthDegraded
	}
	return HealthOK
}

// MinMedian returns the smallest value and the median of xs (NaN, NaN when
// empty), sorting xs in place: the Health tab reduces every watched
// listing's endpoints with it into reused buffers, without a copy.
func MinMedian(xs []float64) (lo, med float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	if n%2 == 1 {
		return xs[0], xs[n/2]
	}
	return xs[0], (xs[n/2-1] + xs[n/2]) / 2
}

// Median returns the median of xs (NaN when empty). xs is not modified.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), xs...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

// VolumesNote says why token volumes are missing, "" when they are known.
// The usage source runs only with an API key, so its health tells the two
// cases apart: without a key, volumes need OPENROUTER_API_KEY; with one,
// the usage source's error (or that it has not answered yet) is the reason,
// and telling the user to set a key they have set would mislead.
func (s *Snapshot) VolumesNote() string {
	if s.HasVolumes {
		return ""
	}
	if !s.Keyed() {
		return "token volumes need OPENROUTER_API_KEY"
	}
	for _, h := range s.Sources {
		if h.Name == "usage" && h.LastError != "" {
			return "token volumes unavailable: usage " + h.LastError
		}
	}
	return "token volumes: waiting for the usage dataset"
}

// Keyed reports whether the data comes with an API key: set in this run, or
// seen in the data (the usage source runs only with a key, so a replay of a
// keyed run says so too).
func (s *Snapshot) Keyed() bool {
	if s.KeySet {
		return true
	}
	for _, h := range s.Sources {
		if h.Name == "usage" {
			return true
		}
	}
	return false
}
