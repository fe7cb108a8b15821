package ui

import (
	"strconv"
	"strings"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// The Health tab's status-page section: every configured page's state and
// the open incidents, under the table of watched listings.

// pageGlyph shows a status page's state without colour, in the shapes of
// the listing health states: ● fine, ◐/◑ partly, ○ down, ◇ maintenance.
func pageGlyph(s model.PageStatus) string {
	switch s {
	case model.StatusOperational:
		return "●"
	case model.StatusMaintenance:
		return "◇"
	case model.StatusDegraded:
		return "◐"
	case model.StatusPartialOutage:
		return "◑"
	case model.StatusMajorOutage:
		return "○"
	}
	return "·"
}

// pageCell is a status page state by glyph and word.
func pageCell(s model.PageStatus) string { return pageGlyph(s) + " " + s.String() }

// incidentRow is an open incident with the page that reports it.
type incidentRow struct {
	page string
	inc  *model.Incident
}

// wideIncidents reports whether incidents fit one table row each; narrower,
// each takes two lines (its title, then its facts), so that neither the
// title nor the facts are cut to nothing.
func (t *health) wideIncidents() bool { return t.w >= 120 }

// statusLines is how many lines the status-page section wants: a heading,
// one line per page, and the incidents (a title line and one row each when
// wide, two lines each when narrow).
func (t *health) statusLines() int {
	n := 1 + len(t.pages)
	if len(t.pages) == 0 {
		n++
	}
	switch {
	case len(t.incidents) == 0:
	case t.wideIncidents():
		n += 1 + len(t.incidents)
	default:
		n += 2 * len(t.incidents)
	}
	return n
}

// statusSection renders the status pages and their open incidents in at
// most n lines; incidents that do not fit are counted on the last line.
func (t *health) statusSection(n int) []string {
	st := t.e.st
	w := t.w
	now := t.snap.Now
	if now.IsZero() {
		now = t.snap.AsOf
	}
	head := "status pages"
	switch k := len(t.incidents); k {
	case 0:
		head += " · no open incidents"
	case 1:
		head += " · 1 open incident"
	default:
		head += " · " + strconv.Itoa(k) + " open incidents, newest first"
	}
	out := []string{st.bold.s(truncate(head, w))}
	if len(t.pages) == 0 {
		out = append(out, st.dim.s(truncate("  no status pages configured", w)))
	}
	pcols := []column[*model.StatusPage]{
		{title: "state", min: 16, max: 16, prio: 1000,
			cell:  func(p *model.StatusPage, _ int) string { return pageCell(p.Status) },
			paint: func(p *model.StatusPage) paint { return st.page(p.Status) }},
		{title: "page", min: 8, max: 14, prio: 1000,
			cell: func(p *model.StatusPage, _ int) string { return safe(p.Name) }},
		{title: "serves", min: 12, max: 60, prio: 50,
			cell: func(p *model.StatusPage, _ int) string {
				if len(p.Authors) == 0 {
					return "—"
				}
				return "serves " + safe(strings.Join(p.Authors, ", "))
			}},
		{title: "incidents", min: 11, max: 11, prio: 40,
			cell: func(p *model.StatusPage, _ int) string {
				switch len(p.Incidents) {
				case 0:
					return ""
				case 1:
					return "1 incident"
				}
				return strconv.Itoa(len(p.Incidents)) + " incidents"
			}},
		{title: "updated", min: 14, max: 14, right: true, prio: 30,
			cell: func(p *model.StatusPage, _ int) string {
				if p.Updated.IsZero() || now.IsZero() {
					return ""
				}
				return "upd " + fmtAge(now.Sub(p.Updated)) + " ago"
			}},
	}
	// Pages with something to say first, then their incidents, then the
	// quiet ones: one line each when there is room, else all on one line.
	if t.e.stalePages != "" {
		// A stale page's state carries the mark (set only then: the mark
		// takes a cell of its own).
		pcols[0].markStale(func(p *model.StatusPage) bool { return t.e.pageStale(p.Name) })
	}
	pw, pgap := layoutColumns(pcols, w-2)
	var quiet []string
	var quietNames []string
	for _, p := range t.pages {
		row := "  " + tableRow(pcols, pw, pgap, p, false, false, st)
		if p.Status == model.StatusOperational && len(p.Incidents) == 0 {
			quiet = append(quiet, row)
			quietNames = append(quietNames, safe(p.Name))
			if t.e.pageStale(p.Name) {
				quietNames[len(quietNames)-1] += staleGlyph // inside a painted line: the glyph alone
			}
			continue
		}
		out = append(out, row)
	}
	if len(t.incidents) > 0 && !t.wideIncidents() {
		for _, r := range t.incidents {
			facts := []string{st.impact(r.inc.Impact).s(pageCell(r.inc.Impact))}
			if t.e.pageStale(r.page) {
				facts[0] = st.dim.s(pageCell(r.inc.Impact) + staleGlyph)
			}
			if r.inc.Status != "" {
				facts = append(facts, safe(r.inc.Status))
			}
			upd := units.When(r.inc.Updated, 11)
			if y, m, d := r.inc.Updated.UTC().Date(); !r.inc.Updated.IsZero() && r.inc.Started.UTC().Day() == d &&
				r.inc.Started.UTC().Month() == m && r.inc.Started.UTC().Year() == y {
				upd = r.inc.Updated.UTC().Format("15:04") // the same day: the time says it
			}
			facts = append(facts, "started "+units.When(r.inc.Started, 11), "updated "+upd)
			out = append(out, "  ▸ "+truncate(safe(r.page)+": "+safe(r.inc.Title), w-4),
				"    "+truncate(strings.Join(facts, " · "), w-4))
		}
	}
	if len(t.incidents) > 0 && t.wideIncidents() {
		icols := []column[incidentRow]{
			{title: "page", min: 6, max: 12, prio: 60,
				cell: func(r incidentRow, _ int) string { return safe(r.page) }},
			{title: "started", min: 11, max: 16, prio: 90,
				cell: func(r incidentRow, w int) string { return units.When(r.inc.Started, w) }},
			{title: "updated", min: 11, max: 16, prio: 70,
				cell: func(r incidentRow, w int) string { return units.When(r.inc.Updated, w) }},
			{title: "impact", min: 14, max: 16, prio: 85,
				cell:  func(r incidentRow, _ int) string { return pageCell(r.inc.Impact) },
				paint: func(r incidentRow) paint { return st.impact(r.inc.Impact) }},
			{title: "status", min: 10, max: 14, prio: 50,
				cell: func(r incidentRow, _ int) string { return safe(r.inc.Status) }},
			{title: "incident", min: 16, max: 120, prio: 1000,
				cell: func(r incidentRow, _ int) string { return safe(r.inc.Title) }},
		}
		if t.e.stalePages != "" {
			icols[3].markStale(func(r incidentRow) bool { return t.e.pageStale(r.page) })
		}
		iw, igap := layoutColumns(icols, w-2)
		out = append(out, "  "+tableHeader(icols, iw, igap, st))
		for _, r := range t.incidents {
			out = append(out, "  "+tableRow(icols, iw, igap, r, false, false, st))
		}
	}
	switch {
	case len(out)+len(quiet) <= n:
		out = append(out, quiet...)
	case len(quiet) > 0:
		out = append(out, "  "+st.good.s(pageCell(model.StatusOperational))+" "+
			truncate(strings.Join(quietNames, ", "), max(w-4-textWidth(pageCell(model.StatusOperational)), 1)))
	}
	if len(out) > n {
		cut := len(out) - n + 1
		out = append(out[:n-1], st.dim.s(truncate("  +"+strconv.Itoa(cut)+" more lines (widen or heighten the terminal)", w)))
	}
	return out
}
