package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// alertKindFilters is the cycle of the f key: every kind ("" is all), in the
// order of model.AlertKinds.
var alertKindFilters = append([]model.AlertKind{""}, model.AlertKinds...)

// noAlertsYet is the empty Alerts tab: it says what is being watched, so an
// empty log reads as "all quiet", not "broken".
const noAlertsYet = "no alerts yet — the rules watch capacity, outages, prices, surges, ranks, crossovers, listings"

// noEngineNote answers a and A when the UI runs without an engine to
// acknowledge with (Options.Ack nil): acknowledgement lives in the market,
// and the UI does not fake it.
const noEngineNote = "acknowledge needs the engine"

// alertKeys are the Alerts tab's own keys.
type alertKeys struct {
	Ack      key.Binding
	AckAll   key.Binding
	Kind     key.Binding
	Resolved key.Binding
	Clear    key.Binding
}

func newAlertKeys() alertKeys {
	return alertKeys{
		Ack:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "acknowledge")),
		AckAll:   key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "ack all")),
		Kind:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "kind")),
		Resolved: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "hide resolved")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filters")),
	}
}

// alertCounts counts the firing, unacknowledged alerts (what the tab title
// and the header carry) and how many of them are critical.
func alertCounts(s *model.Snapshot) (unacked, crit int) {
	if s == nil {
		return 0, 0
	}
	for i := range s.Alerts {
		if a := &s.Alerts[i]; a.Unacked() {
			unacked++
			if a.Severity == model.SeverityCrit {
				crit++
			}
		}
	}
	return unacked, crit
}

// alertBadge is the header's alert count: "!! 3 alerts" when one of them is
// critical, "! 1 alert" otherwise, "" when nothing is firing unacknowledged.
// The marks are those of the Alerts tab's severity column, so the header
// reads without colour; crit is true when the badge should be painted bad.
func alertBadge(s *model.Snapshot) (text string, crit bool) {
	n, c := alertCounts(s)
	if n == 0 {
		return "", false
	}
	word := " alerts"
	if n == 1 {
		word = " alert"
	}
	mark := "! "
	if c > 0 {
		mark = "!! "
	}
	return mark + strconv.Itoa(n) + word, c > 0
}

// sevCell shows a severity by glyph and word, so it reads without colour.
func sevCell(s model.Severity) string {
	switch s {
	case model.SeverityCrit:
		return "!! CRIT"
	case model.SeverityWarn:
		return "!  WARN"
	}
	return "·  INFO"
}

// message is an alert's message as shown: sanitised, and with the subject
// listing's vendor prefix dropped as everywhere else on screen ("Z.ai: GLM
// 5 degraded" → "GLM 5 degraded"), which at 80 columns is a third of the
// cells the message gets. The text depends only on the message and the
// listing's name, which a new snapshot rarely changes, so it is kept in
// t.texts: sanitising is a scan of every rune, and a page of messages was a
// fifth of an Alerts rebuild.
func (t *alertsTab) message(a *model.Alert) string {
	k := alertText{msg: a.Message}
	if v, ok := t.snap.Listing(a.Subject); ok {
		k.name = v.Name
	}
	if s, ok := t.texts[k]; ok {
		return s
	}
	msg := a.Message
	if k.name != "" {
		if short := displayName(k.name); short != k.name {
			msg = strings.Replace(msg, k.name, short, 1)
		}
	}
	s := safe(msg)
	if t.texts == nil || len(t.texts) >= maxAlertTexts {
		t.texts = make(map[alertText]string) // start again rather than grow without end
	}
	t.texts[k] = s
	return s
}

// alertText is what an alert's shown message depends on: the message and
// the name of the listing it is about ("" when none).
type alertText struct{ msg, name string }

// maxAlertTexts bounds t.texts: several pages of alerts, more than a frame
// shows, far fewer than a long-running log holds.
const maxAlertTexts = 1024

// alertsTab is tab 5: the alert log, newest first, with acknowledgement and
// a kind filter.
type alertsTab struct {
	tabBase[alertsState]
	list listCtl // selection and scrolling only; its filter keys are not used
	keys alertKeys

	kind         int  // index into alertKindFilters
	hideResolved bool // x
	note         string
	// unpinned is set once the user moves the selection off the newest
	// row: from then on it follows its alert (by key and time) as new ones
	// arrive above it, so a or enter acts on the alert the user chose.
	// While it sits on the newest row it stays on the newest, as a log
	// follows its tail; moving back to the top pins it again.
	unpinned bool

	texts map[alertText]string // message's shown texts, kept across snapshots
	when  whenMemo             // the since column's texts

	title    string // "Alerts 3", computed once per snapshot
	titleFor *model.Snapshot
	unacked  int
	crit     int

	rows    []*model.Alert
	rowsKey alertRowsKey
	size    bodySize // the last body's, for the next one's room
}

// alertsState is what the Alerts tab's frame shows besides the snapshot.
type alertsState struct {
	sel          int
	kind         int
	hideResolved bool
	note         string
}

type alertRowsKey struct {
	snap         snapKey
	kind         int
	hideResolved bool
	ok           bool
}

func newAlerts(e *env) *alertsTab {
	return &alertsTab{tabBase: tabBase[alertsState]{e: e}, list: newListCtl(1), keys: newAlertKeys(), title: "Alerts"}
}

// Title implements Tab: the count of firing, unacknowledged alerts.
func (t *alertsTab) Title() string { return t.title }

// SetSnapshot implements Tab.
func (t *alertsTab) SetSnapshot(s *model.Snapshot) {
	t.snap = s
	if s != t.titleFor {
		t.titleFor = s
		t.unacked, t.crit = alertCounts(s)
		t.title = "Alerts"
		if t.unacked > 0 {
			t.title += " " + strconv.Itoa(t.unacked)
		}
		t.note = "" // the engine has answered (or the market moved on)
	}
}

// Selected implements Selector: enter on an alert about a listing opens
// that listing's detail.
func (t *alertsTab) Selected() (string, bool) {
	a := t.selected()
	if a == nil {
		return "", false
	}
	if _, ok := t.snap.Listing(a.Subject); ok {
		return a.Subject, true
	}
	return "", false
}

func (t *alertsTab) selected() *model.Alert {
	if t.list.sel < len(t.rows) {
		return t.rows[t.list.sel]
	}
	return nil
}

// Help implements Tab.
func (t *alertsTab) Help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	if t.hideResolved {
		k.Resolved.SetHelp("x", "show resolved")
	}
	if t.filtered() {
		k.AckAll.SetHelp("A", "ack shown")
	} else {
		k.Clear.SetEnabled(false)
	}
	l := t.list.keys
	return []key.Binding{k.Ack, k.AckAll, k.Kind, k.Resolved},
		[][]key.Binding{
			{l.Up, l.Down, l.Top, l.Bottom, l.PageUp, l.PageDown},
			{k.Ack, k.AckAll, k.Kind, k.Resolved, k.Clear},
		}
}

// filtered reports whether some alerts are hidden by the view.
func (t *alertsTab) filtered() bool { return t.kind != 0 || t.hideResolved }

// Update implements Tab.
func (t *alertsTab) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k, l := &t.keys, &t.list.keys
	t.note = ""
	var cmd tea.Cmd
	switch {
	case key.Matches(km, k.Ack):
		cmd = t.ack(false)
	case key.Matches(km, k.AckAll):
		cmd = t.ack(true)
	case key.Matches(km, k.Kind):
		t.kind = (t.kind + 1) % len(alertKindFilters)
	case key.Matches(km, k.Resolved):
		t.hideResolved = !t.hideResolved
	case key.Matches(km, k.Clear):
		t.kind, t.hideResolved = 0, false
	case key.Matches(km, l.Up, l.Down, l.Top, l.Bottom, l.PageUp, l.PageDown):
		t.list.update(km, len(t.rows), t.pageRows(), func(i int) string { return t.rows[i].ID() })
		t.unpinned = t.list.sel > 0
	}
	t.sync()
	return cmd
}

// ack acknowledges the selected alert, or every alert shown: all of them
// when no filter hides any, else the ones the filter shows. The
// acknowledgement goes to the engine; the ✓ appears when the market's next
// snapshot says so, never before.
func (t *alertsTab) ack(all bool) tea.Cmd {
	if len(t.rows) == 0 {
		return nil
	}
	ack := t.e.opts.Ack
	if ack == nil {
		t.note = noEngineNote
		return nil
	}
	// The engine may be busy: the update waits in a command, not in Update.
	send := func(keys []string, all bool) tea.Cmd {
		return func() tea.Msg { ack(keys, all); return nil }
	}
	if !all {
		a := t.rows[t.list.sel]
		if a.Acked {
			t.note = "already acknowledged"
			return nil
		}
		t.note = "acknowledging " + safe(a.Subject) + "…"
		return send([]string{a.Key}, false)
	}
	if !t.filtered() {
		t.note = "acknowledging all…"
		return send(nil, true)
	}
	var keys []string
	seen := map[string]bool{}
	for _, a := range t.rows {
		if !a.Acked && !seen[a.Key] {
			seen[a.Key] = true
			keys = append(keys, a.Key)
		}
	}
	if len(keys) == 0 {
		t.note = "all shown are acknowledged"
		return nil
	}
	t.note = "acknowledging " + strconv.Itoa(len(keys)) + " shown…"
	return send(keys, false)
}

// sync recomputes the shown alerts when the snapshot or a filter changed,
// and finds the selected alert again.
func (t *alertsTab) sync() {
	k := alertRowsKey{keyOf(t.snap), t.kind, t.hideResolved, true}
	if k == t.rowsKey {
		return
	}
	t.rowsKey = k
	t.rows = t.rows[:0]
	if t.snap == nil {
		return
	}
	want := alertKindFilters[t.kind]
	for i := range t.snap.Alerts {
		a := &t.snap.Alerts[i]
		if (want == "" || a.Kind == want) && !(t.hideResolved && a.State == model.AlertResolved) {
			t.rows = append(t.rows, a)
		}
	}
	if !t.unpinned {
		t.list.selID = "" // on the newest row: stay on the newest
		t.list.sel = 0
	}
	t.list.reselect(len(t.rows), func(i int) string { return t.rows[i].ID() })
}

// paneLines is the height of the pane under the table that shows the
// selected alert in full: a rule with its facts and three lines of message.
// Short bodies go without it.
func (t *alertsTab) paneLines() int {
	switch {
	case t.h < 14:
		return 0
	case t.h < 20:
		return 4
	}
	return 5
}

// pageRows is how many alert rows the body shows.
func (t *alertsTab) pageRows() int { return max(t.h-2-t.paneLines(), 0) }

// columns lists the table's columns for width w. The subject repeats what
// most messages say, so it appears only when there is room to spare.
func (t *alertsTab) columns(w int) []column[*model.Alert] {
	st := t.e.st
	tw := 11 // "02-17 12:00": the spare cells go to the message
	if w >= 120 {
		tw = 16
	}
	cols := []column[*model.Alert]{
		{title: "time (UTC)", min: tw, max: tw, prio: 90,
			cell: func(a *model.Alert, w int) string { return t.when.when(a.Since, w) }},
		{title: "severity", min: 7, max: 8, prio: 1000,
			cell:  func(a *model.Alert, _ int) string { return sevCell(a.Severity) },
			paint: func(a *model.Alert) paint { return st.severity(a.Severity) }},
		{title: "kind", min: 9, max: 9, prio: 80,
			cell: func(a *model.Alert, _ int) string { return string(a.Kind) }},
	}
	if w >= 120 {
		// Fixed width: the spare cells go to the message, not here.
		sw := 18
		if w >= 160 {
			sw = 26
		}
		cols = append(cols, column[*model.Alert]{title: "subject", min: sw, max: sw, prio: 20,
			cell: func(a *model.Alert, _ int) string { return safe(a.Subject) }})
	}
	cols = append(cols,
		column[*model.Alert]{title: "message", min: 20, max: 160, prio: 1000,
			cell: func(a *model.Alert, _ int) string { return t.message(a) }},
		column[*model.Alert]{title: "state", min: 8, max: 8, prio: 95,
			cell: func(a *model.Alert, _ int) string { return a.State.String() },
			paint: func(a *model.Alert) paint {
				if a.State == model.AlertFiring {
					return st.warn
				}
				return paint{}
			}},
		column[*model.Alert]{title: "ack", min: 5, max: 5, prio: 85,
			cell: func(a *model.Alert, _ int) string {
				if a.Acked {
					return "✓ ack"
				}
				return ""
			},
			paint: func(*model.Alert) paint { return st.good }},
	)
	return cols
}

// View implements Tab.
func (t *alertsTab) View() string {
	return t.fittedFrame(alertsState{t.list.sel, t.kind, t.hideResolved, t.note}, t.render)
}

// status is the line above the table: filters, counts and any note.
func (t *alertsTab) status() string {
	kind := "all"
	if k := alertKindFilters[t.kind]; k != "" {
		kind = string(k)
	}
	parts := []string{"kind " + kind}
	if t.hideResolved {
		parts = append(parts, "resolved hidden")
	}
	parts = append(parts, strconv.Itoa(len(t.rows))+" of "+strconv.Itoa(len(t.snap.Alerts)))
	firing := strconv.Itoa(t.unacked) + " firing unacknowledged"
	if t.crit > 0 {
		firing += " (" + strconv.Itoa(t.crit) + " crit)"
	}
	parts = append(parts, firing)
	return strings.Join(parts, " · ")
}

func (t *alertsTab) render() string {
	st := t.e.st
	if t.snap == nil {
		return block("\n  waiting for data…", t.w, t.h, true)
	}
	page := t.pageRows()
	t.list.scroll(t.list.sel, page, len(t.rows))
	status := st.dim.s(truncate(t.status(), t.w))
	if t.note != "" {
		status = truncate(st.warn.s(t.note)+st.dim.s(" · "+t.status()), t.w)
	}
	if t.list.off > 0 && len(t.rows) > 0 {
		// The selection followed its alert down the log: say that newer
		// ones are above rather than let them go unseen.
		status = truncate(st.warn.s("↑ "+strconv.Itoa(t.list.off)+" newer (g)")+st.dim.s(" · ")+status, t.w)
	}
	lines := []string{status}
	if len(t.snap.Alerts) == 0 {
		wrapped := strings.Join(wrapWords(noAlertsYet, max(t.w-2, 1)), "\n")
		return block(strings.Join(append(lines, "", indent(wrapped, "  ")), "\n"), t.w, t.h, true)
	}
	if len(t.rows) == 0 {
		msg := "  no"
		if k := alertKindFilters[t.kind]; k != "" {
			msg += " " + string(k)
		}
		msg += " alerts"
		if t.hideResolved {
			msg += " firing"
		}
		msg += " (f cycles kinds, x shows resolved, esc clears)"
		return block(strings.Join(append(lines, "", truncate(msg, t.w)), "\n"), t.w, t.h, true)
	}
	cols := t.columns(t.w)
	widths, gap := layoutColumns(cols, t.w-1) // one cell for the selection mark
	// The table goes straight into one body, cut and padded to the frame:
	// rows of their own, a join and block copied every row three times.
	o := newBodyLike(t.w, t.h, 2*t.w, &t.size, t.e)
	o.line(status)
	o.line(" " + tableHeader(cols, widths, gap, st))
	n := 2
	end := min(t.list.off+page, len(t.rows))
	for i := t.list.off; i < end; i++ {
		a := t.rows[i]
		sel := i == t.list.sel
		bodyRow(o, rowMark(sel), cols, widths, gap, a, sel, a.State == model.AlertResolved, st)
		n++
	}
	if p := t.paneLines(); p > 0 && t.list.sel < len(t.rows) {
		// Right under the rows (a log shorter than the page leaves no gap).
		if n < t.h-p {
			o.line("")
		}
		for _, l := range t.pane(t.rows[t.list.sel], p) {
			o.line(l)
		}
	}
	return o.String()
}

// pane shows the selected alert in full in n lines: a rule naming its
// severity, kind and subject, the whole message wrapped into the lines left
// (the last one cut with … when even they are not enough), and its
// lifecycle: since, last seen or resolved, acknowledged or not.
func (t *alertsTab) pane(a *model.Alert, n int) []string {
	st := t.e.st
	tw := 11
	if t.w >= 120 {
		tw = 16
	}
	rule := "── " + sevCell(a.Severity) + " · " + string(a.Kind) + " · " + safe(a.Subject) + " "
	if rw := textWidth(rule); rw < t.w {
		rule += strings.Repeat("─", t.w-rw)
	}
	out := []string{st.dim.s(truncate(rule, t.w))}
	w := max(t.w-2, 1)
	msg := wrapWords(t.message(a), w)
	if rest := n - 2; len(msg) > rest {
		msg = msg[:rest]
		last := strings.TrimRight(msg[rest-1], " ")
		if textWidth(last) >= w {
			last = truncate(last, w-1)
		} else {
			last += "…"
		}
		msg[rest-1] = last
	}
	for _, l := range msg {
		out = append(out, "  "+l)
	}
	var facts []string
	if a.State == model.AlertResolved {
		facts = append(facts, "RESOLVED "+units.When(a.Resolved, tw), "fired "+units.When(a.Since, tw))
	} else {
		facts = append(facts, "FIRING since "+units.When(a.Since, tw))
		if !a.LastSeen.IsZero() && !a.LastSeen.Equal(a.Since) {
			facts = append(facts, "last seen "+units.When(a.LastSeen, tw))
		}
	}
	if a.Acked {
		facts = append(facts, "✓ acknowledged")
	} else {
		facts = append(facts, "not acknowledged (a)")
	}
	return append(out, st.dim.s(truncate("  "+strings.Join(facts, " · "), t.w)))
}
