package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/guptarohit/asciigraph"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// paint is a style reduced to the escape sequences around its text, so that
// the thousands of cells of a frame are coloured by two string joins instead
// of a lipgloss render each. Under the Ascii profile both halves are empty.
type paint struct{ pre, post string }

// paintOf extracts the sequences a lipgloss style puts around text.
func paintOf(st lipgloss.Style) paint {
	r := st.Render("X")
	i := strings.IndexByte(r, 'X')
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

// s paints a string.
func (p paint) s(str string) string {
	if p.pre == "" && p.post == "" {
		return str
	}
	return p.pre + str + p.post
}

// styles is the palette, built once for the colour profile in effect when
// the Model is made. No AdaptiveColor anywhere: probing the terminal's
// background from inside a running program turns its answer into keystrokes.
type styles struct {
	ascii bool // no colour: glyphs and words carry every state

	bold, dim, sel, head      paint
	up, down, good, warn, bad paint
	title                     paint
	badge                     map[string]paint // by badge word
	paused, stale             paint
	tabOn, tabOff             paint
	origin                    map[model.Origin]paint
	chart                     map[model.Origin]asciigraph.AnsiColor
	help                      help.Styles
}

func newStyles() *styles {
	ascii := lipgloss.ColorProfile() == termenv.Ascii
	fg := func(c string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(c)) }
	badge := func(bg, fgc string) paint {
		return paintOf(lipgloss.NewStyle().Bold(true).Background(lipgloss.Color(bg)).Foreground(lipgloss.Color(fgc)))
	}
	grey := fg("245")
	st := &styles{
		ascii: ascii,
		bold:  paintOf(lipgloss.NewStyle().Bold(true)),
		dim:   paintOf(lipgloss.NewStyle().Faint(true)),
		sel:   paintOf(lipgloss.NewStyle().Reverse(true)),
		head:  paintOf(lipgloss.NewStyle().Bold(true).Underline(true)),
		up:    paintOf(fg("2")),
		down:  paintOf(fg("1")),
		good:  paintOf(fg("2")),
		warn:  paintOf(fg("3")),
		bad:   paintOf(fg("1").Bold(true)),
		title: paintOf(lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("6"))),
		badge: map[string]paint{
			"DEMO":   badge("3", "0"),
			"LIVE":   badge("2", "0"),
			"REPLAY": badge("4", "15"),
		},
		paused: badge("1", "15"),
		stale:  badge("3", "0"),
		tabOn:  paintOf(lipgloss.NewStyle().Bold(true).Reverse(true)),
		tabOff: paintOf(grey),
		origin: map[model.Origin]paint{
			model.OriginCN:      paintOf(fg("1")),
			model.OriginUS:      paintOf(fg("4")),
			model.OriginEU:      paintOf(fg("3")),
			model.OriginOther:   paintOf(fg("5")),
			model.OriginUnknown: paintOf(grey),
		},
		chart: map[model.Origin]asciigraph.AnsiColor{
			model.OriginCN:      asciigraph.Red,
			model.OriginUS:      asciigraph.Blue,
			model.OriginEU:      asciigraph.Yellow,
			model.OriginOther:   asciigraph.Magenta,
			model.OriginUnknown: asciigraph.DarkGray,
		},
	}
	key, desc, sep := fg("250"), grey, fg("240")
	st.help = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return st
}

// health paints a listing's health state: OK green, DEGRADED yellow, DOWN
// red, unknown plain.
func (st *styles) health(h model.Health) paint {
	switch h {
	case model.HealthOK:
		return st.good
	case model.HealthDegraded:
		return st.warn
	case model.HealthDown:
		return st.bad
	}
	return paint{}
}

// severity paints an alert's severity: crit red, warn yellow, info plain.
func (st *styles) severity(s model.Severity) paint {
	switch s {
	case model.SeverityCrit:
		return st.bad
	case model.SeverityWarn:
		return st.warn
	}
	return paint{}
}

// page paints a status page's state: operational green, degraded yellow,
// a partial or major outage red, maintenance and unknown plain.
func (st *styles) page(s model.PageStatus) paint {
	switch {
	case s == model.StatusOperational:
		return st.good
	case s >= model.StatusPartialOutage:
		return st.bad
	case s >= model.StatusDegraded:
		return st.warn
	}
	return paint{}
}

// impact paints an open incident's impact: red from a partial outage up,
// else yellow (an open incident is never good news).
func (st *styles) impact(s model.PageStatus) paint {
	if s >= model.StatusPartialOutage {
		return st.bad
	}
	return st.warn
}

// sign paints a change by its direction: up green, down red, none plain.
func (st *styles) sign(x float64) paint {
	switch {
	case x > 0:
		return st.up
	case x < 0:
		return st.down
	}
	return paint{}
}
