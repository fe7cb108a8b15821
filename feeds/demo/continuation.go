package demo

import (
	"fmt"
	"math"
	"strings"

	"github.com/tokentape/tokentape/model"
)

// After LastPublished there is no record to follow. The continuation keeps
// the market moving plausibly and for ever: each listing's level is a
// random walk (log scale) around a trend with drift, young listings grow and
// old ones fade, the long tail grows slowly, the real listings the
// catalogue shows arriving after May 2026 launch on their dates, then
// simulated successors of the big families every one to three weeks, prices
// are cut now and then (and sometimes raised), status pages have the odd
// incident, and some launches outgrow their compute as GLM-5 did. Its state
// is one small record per active listing (at most maxActive) plus a few
// scalars, so memory does not grow with the days played.

const (
	growthPerDay = 0.0006 // the market's own growth, about 0.4% a week
	rampDays     = 10     // a launch reaches its peak level in this many days
	walkKeep     = 0.9    // AR(1) persistence of a listing's deviation
	walkStep     = 0.05   // daily step of that deviation (log scale)
	retireBelow  = 1e8    // tokens per day under which a listing stops being used
)

// drift is a listing's trend change per day by age: launches grow for six
// weeks, then fade slowly.
func drift(age int) float64 {
	switch {
	case age < 45:
		return 0.002
	case age < 150:
		return -0.002
	}
	return -0.004
}

// continueTo advances the continuation's state to day d (one day after the
// previous call).
func (s *Sim) continueTo(d int) {
	if !s.contInit {
		s.initContinuation()
	}
	// The real arrivals on their release days.
	for _, x := range s.list {
		if !x.active && !x.synthetic && x.base == nil && x.released == d {
			s.activate(x, d)
		}
	}
	if d > s.sc.lastPool && d >= s.nextLaunch {
		s.launchSuccessor(d)
		s.nextLaunch = d + 8 + int(13*unit(mix(s.seed, uint64(d), tagLaunch, 2)))
	}
	kept := s.list[:0]
	for _, x := range s.list {
		if x.active {
			s.step(x, d)
		}
		if x.synthetic && !x.active {
			continue // retired: forget it
		}
		kept = append(kept, x)
	}
	clear(s.list[len(kept):])
	s.list = kept
	s.enforceCap()
	s.otherTrend += growthPerDay
	s.otherX = walkKeep*s.otherX + 0.03*gauss(mix(s.seed, tagOther, uint64(d)))
	s.stepIncidents(d)
}

// initContinuation starts every listing in use on LastPublished from its
// published level.
func (s *Sim) initContinuation() {
	s.contInit = true
	p := s.sc.published
	var sum float64
	for _, x := range s.list {
		r := s.rate(x, p)
		if r <= 0 || x.lastDay <= p {
			continue
		}
		sum += r
		x.active = true
		x.trend = math.Log(r)
		x.x = 0
	}
	total := s.sc.total[p-s.sc.hist0]
	s.otherTrend = math.Log(max(total-sum, 0.04*total))
	s.nextLaunch = s.sc.lastPool + 10
}

// activate puts a launch into use at a quarter of its peak.
func (s *Sim) activate(x *lst, d int) {
	x.active = true
	x.trend = math.Log(x.peak * 0.25)
	x.x = 0
	x.price = priceAt(x.prices, d)
	if x.hot && len(x.hosts) >= 3 {
		x.epFrom = d + 3
		x.epTo = x.epFrom + 3 + int(4*unit(mix(s.seed, x.key, tagLaunch, 3)))
	}
}

// step moves one listing's level by a day.
func (s *Sim) step(x *lst, d int) {
	if d > x.lastDay {
		x.active = false // expired
		return
	}
	age := d - x.released
	if x.base == nil && age < rampDays {
		x.trend = math.Log(x.peak * (0.25 + 0.75*float64(age)/rampDays))
	} else {
		x.trend += growthPerDay + drift(age)
	}
	x.x = walkKeep*x.x + walkStep*gauss(mix(s.seed, x.key, tagWalk, uint64(d)))
	if math.Exp(x.trend+x.x) < retireBelow && age > rampDays {
		x.active = false
	}
}

// enforceCap retires the smallest active listings beyond maxActive.
func (s *Sim) enforceCap() {
	for {
		n, smallest := 0, -1
		for i, x := range s.list {
			if !x.active {
				continue
			}
			n++
			if smallest < 0 || x.trend < s.list[smallest].trend {
				smallest = i
			}
		}
		if n <= maxActive {
			return
		}
		x := s.list[smallest]
		x.active = false
		if x.synthetic {
			s.list = append(s.list[:smallest], s.list[smallest+1:]...)
		}
	}
}

// launchSuccessor lists the next simulated model of one of the families.
func (s *Sim) launchSuccessor(d int) {
	fi := int(unit(mix(s.seed, uint64(d), tagLaunch, 1)) * float64(len(families)))
	if fi == s.famLast {
		fi = (fi + 1) % len(families)
	}
	s.famLast = fi
	f := families[fi]
	major, minor := s.famMajor[fi], s.famMinor[fi]
	s.famMinor[fi]++
	if s.famMinor[fi] >= 10 {
		s.famMajor[fi]++
		s.famMinor[fi] = 0
	}
	price, err := parsePrice(f.price)
	if err != nil {
		panic("demo: family " + f.id + ": " + err.Error()) // checked by the tests
	}
	s.serial++
	key := 1_000_000 + s.serial
	id := fmt.Sprintf(f.id, major, minor)
	slug := id + "-" + dateOf(d).Format("20060102")
	u := unit(mix(s.seed, key, tagLaunch, 4))
	x := &lst{
		key: key,
		l: model.Listing{
			ID: id, Slug: slug, Name: fmt.Sprintf(f.name, major, minor), Author: f.author,
			ContextLength: f.ctx, Created: dateOf(d),
			Description: "Simulated successor in the demo market's continuation; not a real listing.",
		},
		usageSlug: slug,
		released:  d,
		lastDay:   math.MaxInt32,
		prices:    []pricePoint{{day: d, price: price}},
		peak:      f.peak / 7 * 1e9 * (0.7 + 0.8*u) * math.Exp(growthPerDay*float64(d-s.sc.published)),
		synthetic: true,
	}
	if f.hosts != "" {
		x.hosts = strings.Split(f.hosts, ",")
		x.hot = len(x.hosts) >= 3 && unit(mix(s.seed, key, tagLaunch, 5)) < 0.3
	}
	s.activate(x, d)
	s.list = append(s.list, x)
}

// randomReprice now and then cuts (or, less often, raises) an active paid
// listing's price by 10% or more. It reports whether the price changed.
func (s *Sim) randomReprice(x *lst, d int) bool {
	if x.price.Kind != model.PricePaid || d-x.released < 14 {
		return false
	}
	h := mix(s.seed, x.key, tagPrice, uint64(d))
	if unit(h) >= 1.0/400 {
		return false
	}
	launch := x.prices[0].price
	u := unit(mix(h, 1))
	f := 0.65 + 0.23*unit(mix(h, 2)) // a cut of 12% to 35%
	if u >= 0.8 || x.price.In < 0.35*launch.In {
		f = 1.12 + 0.28*unit(mix(h, 3)) // a hike of 12% to 40%
	}
	p := x.price
	p.In, p.Out = roundSig(p.In*f), roundSig(p.Out*f)
	if !math.IsNaN(p.CacheRead) {
		p.CacheRead = roundSig(p.CacheRead * f)
	}
	x.price = p
	return true
}

// roundSig rounds a price to three significant digits, as price lists do.
func roundSig(v float64) float64 {
	if v <= 0 {
		return v
	}
	e := math.Pow(10, math.Floor(math.Log10(v))-2)
	return math.Round(v/e) * e
}

// stepIncidents closes finished random incidents and, now and then, opens a
// new one on a page that has none.
func (s *Sim) stepIncidents(d int) {
	for i, p := range pages {
		if li := s.open[p.name]; li != nil {
			if d <= li.to {
				continue
			}
			delete(s.open, p.name)
		}
		h := mix(s.seed, tagIncident, uint64(i), uint64(d))
		if unit(h) >= 1.0/70 {
			continue
		}
		impact := model.StatusDegraded
		switch u := unit(mix(h, 1)); {
		case u >= 0.95:
			impact = model.StatusMajorOutage
		case u >= 0.7:
			impact = model.StatusPartialOutage
		}
		component := ""
		if len(p.components) > 0 {
			component = p.components[mix(h, 2)%uint64(len(p.components))]
		}
		title := "Elevated error rates"
		if component != "" {
			title += " on " + component
		}
		if name := s.busiest(p.authors, d); name != "" && unit(mix(h, 3)) < 0.5 {
			title = "Degraded performance for " + name
		}
		s.open[p.name] = &liveIncident{
			id: incidentID(p.name, d), title: title, impact: impact, component: component,
			from: d, to: d + int(3*unit(mix(h, 4))),
		}
	}
}

// busiest returns the display name (without the author prefix) of the
// authors' busiest active listing, or "".
func (s *Sim) busiest(authors []string, d int) string {
	var best *lst
	for _, x := range s.list {
		if !x.active || !containsString(authors, x.l.Author) || x.price.Kind != model.PricePaid {
			continue
		}
		if best == nil || x.trend > best.trend {
			best = x
		}
	}
	if best == nil {
		return ""
	}
	name := best.l.Name
	if _, after, ok := strings.Cut(name, ": "); ok {
		name = after
	}
	return name
}

func containsString(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
