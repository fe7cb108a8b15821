package ui

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// providerGroup is one provider serving watched listings, as the Health
// tab's provider view (b) shows it: its headquarters, its status page's
// state, and the endpoints it runs for the watched listings.
type providerGroup struct {
	name     string
	hq       string
	page     *model.StatusPage // nil when none is read
	pageNote string            // why there is no state: no page, no machine-readable status
	eps      int
	deranked int
	worst5m  float64
	listings []string
}

// providerGroups gathers the watched listings' endpoints by provider,
// worst page first, then by name.
func providerGroups(s *model.Snapshot) []providerGroup {
	byName := map[string]*providerGroup{}
	for i := range s.Listings {
		v := &s.Listings[i]
		seen := map[string]bool{}
		for _, ep := range v.Endpoints() {
			g := byName[ep.Provider]
			if g == nil {
				g = &providerGroup{name: ep.Provider, worst5m: math.NaN()}
				byName[ep.Provider] = g
			}
			g.eps++
			if ep.Degraded() {
				g.deranked++
			}
			if !math.IsNaN(ep.Uptime5m) && (math.IsNaN(g.worst5m) || ep.Uptime5m < g.worst5m) {
				g.worst5m = ep.Uptime5m
			}
			if !seen[ep.Provider] {
				seen[ep.Provider] = true
				g.listings = append(g.listings, displayName(safe(v.Name)))
			}
		}
	}
	out := make([]providerGroup, 0, len(byName))
	for _, g := range byName {
		p, known := s.ProviderOf(g.name)
		switch {
		case !known:
			g.pageNote = "not in the providers list"
		default:
			g.hq = p.Headquarters
			g.page = pageOf(s, p)
			switch {
			case g.page != nil && g.page.Kind == "" && g.page.Provider != "":
				g.pageNote, g.page = "no machine-readable status", nil
			case g.page == nil && p.StatusPageURL == "":
				g.pageNote = "no status page"
			case g.page == nil:
				g.pageNote = "not read yet"
			}
		}
		sort.Strings(g.listings)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := model.StatusUnknown, model.StatusUnknown
		if out[i].page != nil {
			a = out[i].page.Status
		}
		if out[j].page != nil {
			b = out[j].page.Status
		}
		if a != b && (a > model.StatusOperational || b > model.StatusOperational) {
			return a > b
		}
		return strings.ToLower(out[i].name) < strings.ToLower(out[j].name)
	})
	return out
}

// pageOf finds the status page read for a provider: a provider page, or a
// configured page serving the provider's slug as an author (Anthropic's
// page for the Anthropic provider).
func pageOf(s *model.Snapshot, p model.Provider) *model.StatusPage {
	for i := range s.StatusPages {
		if s.StatusPages[i].Provider == p.Slug {
			return &s.StatusPages[i]
		}
	}
	for i := range s.StatusPages {
		for _, a := range s.StatusPages[i].Authors {
			if a == p.Slug {
				return &s.StatusPages[i]
			}
		}
	}
	return nil
}

// renderProviders is the Health tab grouped by provider.
func (t *health) renderProviders() string {
	st := t.e.st
	if t.snap == nil {
		return "\n  waiting for data…"
	}
	groups := providerGroups(t.snap)
	head := strconv.Itoa(len(groups)) + " providers serve the watched listings · page state from each provider's status page · b back"
	lines := []string{st.dim.s(truncate(head, t.w))}
	if len(groups) == 0 {
		return strings.Join(append(lines, "", "  no endpoint data yet"), "\n")
	}
	if len(t.snap.Providers) == 0 {
		lines = append(lines, st.dim.s(truncate("  the providers list (GET /providers) is not read yet: no headquarters or pages", t.w)))
	}
	cols := []column[*providerGroup]{
		{title: "provider", min: 10, max: 16, prio: 1000, cell: func(g *providerGroup, _ int) string { return safe(g.name) }},
		{title: "HQ", min: 2, max: 2, prio: 80, cell: func(g *providerGroup, _ int) string {
			if g.hq == "" {
				return "—"
			}
			return g.hq
		}},
		{title: "page", min: 18, max: 26, prio: 1000, cell: func(g *providerGroup, _ int) string {
			if g.page == nil {
				return g.pageNote
			}
			s := pageCell(g.page.Status)
			if n := len(g.page.Incidents); n > 0 {
				s += " · " + strconv.Itoa(n) + " inc"
			}
			return s
		}, paint: func(g *providerGroup) paint {
			if g.page == nil {
				return st.dim
			}
			return st.page(g.page.Status)
		}},
		{title: "eps", min: 3, max: 3, right: true, prio: 60, cell: func(g *providerGroup, _ int) string { return strconv.Itoa(g.eps) }},
		{title: "derank", min: 6, max: 6, right: true, prio: 70, cell: func(g *providerGroup, _ int) string {
			return strconv.Itoa(g.deranked) + "/" + strconv.Itoa(g.eps)
		}},
		{title: "5m worst", min: 8, max: 8, right: true, prio: 65, cell: func(g *providerGroup, _ int) string {
			if math.IsNaN(g.worst5m) {
				return "—"
			}
			return units.Uptime(g.worst5m)
		}},
		{title: "serves", min: 12, max: 200, prio: 50, cell: func(g *providerGroup, _ int) string {
			return strings.Join(g.listings, ", ")
		}},
	}
	for i := range cols {
		switch cols[i].title {
		case "eps", "derank", "5m worst":
			if t.e.stale.has(staleEndpoints) {
				cols[i].markStale(nil) // the endpoints' figures
			}
		case "page":
			if t.e.stalePages != "" {
				cols[i].markStale(func(g *providerGroup) bool { return g.page != nil && t.e.pageStale(g.page.Name) })
			}
		}
	}
	widths, gap := layoutColumns(cols, t.w-1)
	lines = append(lines, " "+tableHeader(cols, widths, gap, st))
	for i := range groups {
		if len(lines) >= t.h {
			lines[len(lines)-1] = st.dim.s(truncate("  +"+strconv.Itoa(len(groups)-i+1)+" more providers", t.w))
			break
		}
		lines = append(lines, " "+tableRow(cols, widths, gap, &groups[i], false, false, st))
	}
	return strings.Join(lines, "\n")
}
