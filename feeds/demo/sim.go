// Package demo is tokentape's embedded demo market: an offline,
// deterministic (for a given seed), clearly simulated market calibrated to
// the public record of the token economy between November 2025 and May 2026
// (OpenRouter rankings, catalogue and list prices; see scenario.go).
//
// A Sim opens with the history up to Start already in the charts and then
// plays one simulated day per call of Next: token usage interpolated between
// the published weekly figures with seeded day-to-day noise and a weekday
// shape, listings arriving on their real release dates, price changes,
// endpoint health for the watched listings (GLM-5's capacity episode in
// February 2026 included), status-page incidents and the apps that burn the
// tokens. After LastPublished it goes on as a plausible random walk with new
// listings and price moves, for ever, with bounded memory.
package demo

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/model"
)

// DayEvery is how long one simulated day lasts at speed 1; the Player
// divides it by the speed.
const DayEvery = 2 * time.Second

// DefaultSeed is the seed of the demo when none is given.
const DefaultSeed int64 = 20260216

// SourceName labels every update the demo produces and its row in the
// source strip.
const SourceName = "demo"

var (
	// HistoryStart is the first day of usage in the history batch: the
	// first day covered by the first published week (file 2025-11-16
	// covers 2025-11-09 .. 2025-11-15).
	HistoryStart = time.Date(2025, 11, 9, 0, 0, 0, 0, time.UTC)
	// Start is the last day of the history shown at launch; Next plays the
	// days after it.
	Start = time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC)
	// LastPublished is the last day of the last published week: the file
	// of 2026-05-11 covers 2026-05-04 .. 2026-05-10. A market run to this
	// day has, in its trailing seven-day window, exactly that week.
	LastPublished = time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)
)

// historyFull is how many days at the end of the history carry endpoints,
// status pages and apps as well as usage: enough for health baselines and
// a short health history, without replaying months of endpoint samples.
const historyFull = 14

// lst is one listing at run time: the scenario's data plus, in the Sim's
// copy, the continuation's state.
type lst struct {
	key       uint64 // hashing key of its noise
	l         model.Listing
	usageSlug string
	released  int // day number it is listed
	lastDay   int // last day with usage (the day before it expires)
	prices    []pricePoint
	base      []float64 // tokens per day for HistoryStart .. LastPublished; nil without weekly points
	peak      float64   // tokens per day at maturity (continuation)
	hosts     []string  // endpoint providers; nil when not watched
	hot       bool
	synthetic bool
	indexes   []indexPoint // published AA indexes, oldest first; nil when unrated

	// Continuation state.
	active       bool
	trend, x     float64 // log tokens per day: trend and AR(1) deviation
	price        model.Price
	epFrom, epTo int // capacity episode days (continuation), 0 = none
}

// scenario is the parsed scenario table, built once and shared read-only by
// every Sim.
type scenario struct {
	list      []lst // templates, in table order
	total     []float64
	hist0     int
	start     int
	published int
	glm5      map[int]float64
	incidents []parsedIncident
	apps      []parsedApp
	lastPool  int // the last real arrival's release day
}

type parsedIncident struct {
	incident
	from, to int
}

type appPoint struct {
	day              int
	tokens, requests float64
	estimated        bool
}

type parsedApp struct {
	name   string
	points []appPoint
}

var (
	scenarioOnce sync.Once
	scn          *scenario
	scnErr       error
)

// loadScenario parses the scenario table (once).
func loadScenario() (*scenario, error) {
	scenarioOnce.Do(func() { scn, scnErr = parseScenario() })
	return scn, scnErr
}

func parseScenario() (*scenario, error) {
	s := &scenario{
		hist0:     dayNum(HistoryStart),
		start:     dayNum(Start),
		published: dayNum(LastPublished),
		glm5:      map[int]float64{},
	}
	idx, err := parseIndexes(aaIndexesCSV)
	if err != nil {
		return nil, err
	}
	for i := range listings {
		sp := &listings[i]
		x, err := parseSpec(sp, s.hist0, s.published)
		if err != nil {
			return nil, errorf("listing %s: %v", sp.id, err)
		}
		x.key = uint64(i + 1)
		// A ":free" variant is the same model: same indexes.
		x.indexes = idx[strings.TrimSuffix(sp.id, variantOf(sp.id))]
		if sp.peak > 0 && x.released > s.lastPool {
			s.lastPool = x.released
		}
		s.list = append(s.list, x)
	}
	pts, err := parseWeeks(marketWeeks)
	if err != nil {
		return nil, errorf("market weeks: %v", err)
	}
	s.total = baseCurve(pts, s.hist0, s.published, s.hist0, s.published)
	for date, sev := range glm5Episode {
		d, err := parseDay(date)
		if err != nil {
			return nil, errorf("GLM-5 episode: %v", err)
		}
		s.glm5[d] = sev
	}
	for _, in := range incidents {
		from, err1 := parseDay(in.from)
		to, err2 := parseDay(in.to)
		if err1 != nil || err2 != nil || to < from || len(in.notes) == 0 {
			return nil, errorf("incident %q: bad dates or notes", in.title)
		}
		s.incidents = append(s.incidents, parsedIncident{incident: in, from: from, to: to})
	}
	for _, a := range apps {
		pa := parsedApp{name: a.name}
		for _, f := range strings.Fields(a.points) {
			est := strings.HasPrefix(f, "~")
			f = strings.TrimPrefix(f, "~")
			date, vals, ok := strings.Cut(f, ":")
			tok, req, ok2 := strings.Cut(vals, "/")
			d, err := parseDay(date)
			if !ok || !ok2 || err != nil {
				return nil, errorf("app %s: bad point %q", a.name, f)
			}
			t, err1 := parseFloat(tok)
			r, err2 := parseFloat(req)
			if err1 != nil || err2 != nil {
				return nil, errorf("app %s: bad point %q", a.name, f)
			}
			if n := len(pa.points); n > 0 && d <= pa.points[n-1].day {
				return nil, errorf("app %s: dates must increase", a.name)
			}
			pa.points = append(pa.points, appPoint{day: d, tokens: t * 1e9, requests: r * 1e6, estimated: est})
		}
		s.apps = append(s.apps, pa)
	}
	return s, nil
}

func parseSpec(sp *spec, hist0, published int) (lst, error) {
	rel, err := parseDay(sp.released)
	if err != nil {
		return lst{}, err
	}
	x := lst{released: rel, lastDay: math.MaxInt32, peak: sp.peak / 7 * 1e9, hot: sp.hot}
	slug := sp.slug
	if slug == "" {
		slug = strings.TrimSuffix(sp.id, variantOf(sp.id))
	}
	x.usageSlug = slug + variantOf(sp.id)
	x.l = model.Listing{
		ID: sp.id, Slug: slug, Name: sp.name, Author: model.AuthorOf(sp.id), ContextLength: sp.ctx,
		Description: sp.desc, Created: dateOf(rel), Overrides: sp.over,
	}
	if sp.expires != "" {
		exp, err := parseDay(sp.expires)
		if err != nil {
			return lst{}, err
		}
		if exp <= rel {
			return lst{}, errorf("expires before it is listed")
		}
		x.l.Expires = dateOf(exp)
		x.lastDay = exp - 1
	}
	if x.prices, err = parsePrices(sp.prices, rel); err != nil {
		return lst{}, err
	}
	if sp.hosts != "" {
		x.hosts = strings.Split(sp.hosts, ",")
	}
	pts, err := parseWeeks(sp.weeks)
	if err != nil {
		return lst{}, err
	}
	switch {
	case len(pts) == 0 && sp.peak <= 0:
		return lst{}, errorf("neither weekly points nor a peak")
	case len(pts) > 0:
		for _, p := range pts {
			if p.file-1 < rel || p.file-7 > x.lastDay {
				return lst{}, errorf("weekly point of %s falls outside its live days", dateOf(p.file).Format("2006-01-02"))
			}
		}
		x.base = baseCurve(pts, hist0, published, rel, x.lastDay)
	}
	return x, nil
}

// variantOf returns the ":variant" suffix of an id, or "".
func variantOf(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[i:]
	}
	return ""
}

// Sim is the demo market. It implements feeds.Stream. It is not safe for
// concurrent use: one goroutine (the Player) calls Next.
type Sim struct {
	sc      *scenario
	seed    uint64
	day     int  // the last day Next returned; Start before the first call
	started bool // the history batch has been returned
	list    []*lst

	// Continuation state (bounded: a fixed number of listings, families,
	// pages and one "other" level).
	contInit   bool
	otherTrend float64
	otherX     float64
	famMajor   []int
	famMinor   []int
	famLast    int // the family of the last simulated successor
	nextLaunch int // day of the next simulated successor
	serial     uint64
	open       map[string]*liveIncident
}

// liveIncident is an incident the continuation opened at random.
type liveIncident struct {
	id        string
	title     string
	impact    model.PageStatus
	component string
	from, to  int
}

// maxActive bounds the listings the continuation keeps in use; beyond it the
// smallest retires (and a simulated one is forgotten).
const maxActive = 64

// New returns a demo market for a seed. The same seed gives the same
// updates; a different seed gives different noise around the same record.
func New(seed int64) *Sim {
	sc, err := loadScenario()
	if err != nil {
		// The table is compiled in and checked by the tests; a broken table
		// is a programming error.
		panic("demo: " + err.Error())
	}
	s := &Sim{sc: sc, seed: uint64(seed), day: sc.start, open: map[string]*liveIncident{}}
	s.list = make([]*lst, len(sc.list))
	for i := range sc.list {
		c := sc.list[i]
		c.price = c.prices[0].price
		s.list[i] = &c
	}
	s.famMajor = make([]int, len(families))
	s.famMinor = make([]int, len(families))
	for i, f := range families {
		s.famMajor[i], s.famMinor[i] = f.major, f.minor
	}
	s.famLast = -1
	return s
}

// Name implements feeds.Stream.
func (s *Sim) Name() string { return SourceName }

// Day returns the simulated day of the last batch Next returned (Start
// before the first call).
func (s *Sim) Day() time.Time { return dateOf(s.day) }

// Next implements feeds.Stream. The first call returns the whole history,
// from HistoryStart to Start, with no wait; every later call returns one
// simulated day, due DayEvery after the previous one. The stream never ends.
func (s *Sim) Next() ([]model.Update, time.Duration, bool) {
	if !s.started {
		s.started = true
		var batch []model.Update
		for d := s.sc.hist0; d <= s.sc.start; d++ {
			batch = s.appendDay(batch, d, d > s.sc.start-historyFull)
		}
		s.day = s.sc.start
		return append(batch, s.health(s.day)), 0, true
	}
	s.day++
	batch := s.appendDay(make([]model.Update, 0, 32), s.day, true)
	return append(batch, s.health(s.day)), DayEvery, true
}

// endOfDay is the simulated time of everything a day brings: its last
// second, so that the market's as-of is the simulated date.
func endOfDay(d int) time.Time { return dateOf(d + 1).Add(-time.Second) }

func (s *Sim) health(d int) model.Update {
	at := endOfDay(d)
	return model.SourceUpdate{Health: model.SourceHealth{
		Name: SourceName, OK: true, LastSuccess: at, LastAttempt: at,
	}}
}

// appendDay appends one simulated day's updates: catalogue changes, usage,
// and when full, endpoints, status pages and (weekly) apps.
func (s *Sim) appendDay(batch []model.Update, d int, full bool) []model.Update {
	at := endOfDay(d)
	if d > s.sc.published {
		s.continueTo(d)
	}
	if cat := s.catalogue(d); len(cat) > 0 {
		batch = append(batch, model.CatalogueUpdate{At: at, Source: SourceName, Listings: cat})
	}
	batch = append(batch, model.UsageUpdate{At: at, Source: SourceName, Rows: s.usage(d)})
	if full {
		batch = s.appendEndpoints(batch, d)
		batch = s.appendStatus(batch, d)
		if (d-s.sc.start)%7 == 0 {
			batch = append(batch, model.AppsUpdate{At: at, Source: SourceName, Apps: s.apps(d)})
		}
	}
	return batch
}

// listing returns the catalogue entry of x on day d with the given price
// and the indexes published by then. The overrides are copied so that no two
// updates share mutable memory.
func (x *lst) listing(p model.Price, d int) model.Listing {
	l := x.l
	l.Price = p
	l.Overrides = slices.Clone(x.l.Overrides)
	l.Indexes, _ = indexesOn(x.indexes, d)
	return l
}

// catalogue returns the listings that day d lists or reprices.
func (s *Sim) catalogue(d int) []model.Listing {
	var out []model.Listing
	for _, x := range s.list {
		if x.released > d {
			continue
		}
		scheduled := priceAt(x.prices, d)
		changed := false
		for _, pp := range x.prices[1:] {
			if pp.day == d {
				changed = true
			}
		}
		if changed {
			x.price = scheduled
		}
		switch {
		case x.released == d, d == s.sc.hist0 && x.released < d:
			x.price = scheduled
			out = append(out, x.listing(x.price, d))
		case changed:
			out = append(out, x.listing(x.price, d))
		case d > s.sc.published && x.active && s.randomReprice(x, d):
			out = append(out, x.listing(x.price, d))
		case indexChanges(x.indexes, d):
			out = append(out, x.listing(x.price, d))
		}
	}
	return out
}

// rate is a listing's tokens per day on day d before noise: the published
// curve, then the continuation's level. Zero when it is not in use.
func (s *Sim) rate(x *lst, d int) float64 {
	if d < x.released || d > x.lastDay {
		return 0
	}
	if d <= s.sc.published {
		if x.base == nil {
			return 0
		}
		return x.base[d-s.sc.hist0]
	}
	if !x.active {
		return 0
	}
	return math.Exp(x.trend + x.x)
}

// noise is a listing's multiplicative day-to-day noise in the published
// period: a smooth component over a few days and a daily one, mean 1.
func (s *Sim) noise(key uint64, d int) float64 {
	const sSmooth, sWhite = 0.04, 0.03
	z := sSmooth*smooth(mix(s.seed, key, tagSmooth), d, 5) + sWhite*gauss(mix(s.seed, key, tagWhite, uint64(d)))
	return math.Exp(z - (sSmooth*sSmooth+sWhite*sWhite)/2)
}

// usage returns day d's rows: one per listing in use and the long tail.
func (s *Sim) usage(d int) []model.UsageRow {
	date := dateOf(d)
	wk := weekdayFactor(d)
	rows := make([]model.UsageRow, 0, len(s.list)+1)
	var sum float64
	for _, x := range s.list {
		r := s.rate(x, d)
		if r <= 0 {
			continue
		}
		var v float64
		if d <= s.sc.published {
			v = r * wk * s.noise(x.key, d)
		} else {
			// The continuation's level already wanders; add only daily noise.
			v = r * wk * math.Exp(0.03*gauss(mix(s.seed, x.key, tagWhite, uint64(d)))-0.00045)
		}
		tokens := uint64(v)
		if tokens == 0 {
			continue
		}
		sum += float64(tokens)
		rows = append(rows, model.UsageRow{Date: date, Slug: x.usageSlug, Tokens: tokens})
	}
	var other float64
	if d <= s.sc.published {
		total := s.sc.total[d-s.sc.hist0] * wk * s.noise(0, d)
		other = max(total-sum, 0.04*total)
	} else {
		other = math.Exp(s.otherTrend+s.otherX) * wk
	}
	rows = append(rows, model.UsageRow{Date: date, Slug: model.OtherSlug, Tokens: uint64(other)})
	return rows
}

// appsAt interpolates the scenario's apps for day d and ranks them.
func (s *Sim) apps(d int) []model.App {
	out := make([]model.App, 0, len(s.sc.apps))
	for i, a := range s.sc.apps {
		if d < a.points[0].day {
			continue
		}
		tok, req := interpApp(a.points, d)
		key := mix(s.seed, uint64(i), tagApps)
		var f float64
		if d > s.sc.published {
			// After the record: wander around the last figures, slowly.
			f = math.Exp(0.25 * smooth(key, d, 28))
		} else {
			f = math.Exp(0.04 * gauss(mix(key, uint64(d))))
		}
		out = append(out, model.App{Name: a.name, Tokens: uint64(tok * f), Requests: uint64(req * f)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Tokens > out[j].Tokens })
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func interpApp(ps []appPoint, d int) (tokens, requests float64) {
	last := ps[len(ps)-1]
	if d >= last.day {
		return last.tokens, last.requests
	}
	for i := 1; i < len(ps); i++ {
		if d < ps[i].day {
			a, b := ps[i-1], ps[i]
			f := float64(d-a.day) / float64(b.day-a.day)
			return a.tokens + f*(b.tokens-a.tokens), a.requests + f*(b.requests-a.requests)
		}
	}
	return last.tokens, last.requests
}
