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
	tones                     [toneCount]paint // by tone: plain, good, warn, bad
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
	st.tones = [toneCount]paint{toneGood: st.good, toneWarn: st.warn, toneBad: st.bad}
	key, desc, sep := fg("250"), grey, fg("240")
	st.help = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return st
}

// tone is how a state reads at a glance: plain, good (green), warn (yellow)
// or bad (red). The states of listings, alerts and status pages are mapped
// to tones by the tables below and painted through styles.tones, so that a
// state type's colours are one table rather than a switch of their own.
type tone uint8

// The tones; the zero tone is plain, so a state a table leaves out is
// never coloured.
const (
	tonePlain tone = iota
	toneGood
	toneWarn
	toneBad
	toneCount // the number of tones
)

// toneTable maps the values of a state type (ordered worst last) to tones.
type toneTable[S ~uint8] struct {
	byState []tone // indexed by the state's value
	beyond  tone   // the tone of a value past byState's end
}

// of is the tone of state s.
func (t toneTable[S]) of(s S) tone {
	if int(s) < len(t.byState) {
		return t.byState[s]
	}
	return t.beyond
}

// The tone of each state. A page state past the worst named one reads as
// an outage; any other unnamed state reads plain.
var (
	healthTones = toneTable[model.Health]{byState: []tone{
		model.HealthOK:       toneGood,
		model.HealthDegraded: toneWarn,
		model.HealthDown:     toneBad,
	}}
	severityTones = toneTable[model.Severity]{byState: []tone{
		model.SeverityWarn: toneWarn,
		model.SeverityCrit: toneBad,
	}}
	pageTones = toneTable[model.PageStatus]{byState: []tone{
		model.StatusOperational:   toneGood,
		model.StatusDegraded:      toneWarn,
		model.StatusPartialOutage: toneBad,
		model.StatusMajorOutage:   toneBad,
	}, beyond: toneBad}
	// An open incident is never good news: yellow below a partial outage.
	impactTones = toneTable[model.PageStatus]{byState: []tone{
		model.StatusUnknown:       toneWarn,
		model.StatusOperational:   toneWarn,
		model.StatusMaintenance:   toneWarn,
		model.StatusDegraded:      toneWarn,
		model.StatusPartialOutage: toneBad,
		model.StatusMajorOutage:   toneBad,
	}, beyond: toneBad}
)

// health paints a listing's health state: OK green, DEGRADED yellow, DOWN
// red, unknown plain.
func (st *styles) health(h model.Health) paint { return st.tones[healthTones.of(h)] }

// severity paints an alert's severity: crit red, warn yellow, info plain.
func (st *styles) severity(s model.Severity) paint { return st.tones[severityTones.of(s)] }

// page paints a status page's state: operational green, degraded yellow,
// a partial or major outage red, maintenance and unknown plain.
func (st *styles) page(s model.PageStatus) paint { return st.tones[pageTones.of(s)] }

// impact paints an open incident's impact: red from a partial outage up,
// else yellow.
func (st *styles) impact(s model.PageStatus) paint { return st.tones[impactTones.of(s)] }

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
