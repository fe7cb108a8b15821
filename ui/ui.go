package ui

import (
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// Control reaches the poller or the player without ui importing feeds; the
// program's wiring (cmd/tokentape) fills it.
type Control interface {
	// SetPaused stops or resumes fetching (live) or playback (demo, replay).
	SetPaused(paused bool)
	// Paused reports the current pause state.
	Paused() bool
	// Refresh fetches every source now (live); it may be a no-op (demo, replay).
	Refresh()
	// SetSpeed sets the playback multiplier (demo, replay); live ignores it.
	SetSpeed(x float64)
	// Speed is the playback multiplier, 0 when speed does not apply (live).
	Speed() float64
}

// Options configure the TUI.
type Options struct {
	// Control reaches the poller or player. It may be nil (tests): p, r, + and
	// - then change only what the UI shows.
	Control Control
	// Reference is the listing id prices are compared with; default
	// model.DefaultReference (anthropic/claude-sonnet-4.5).
	Reference string
	// InputShare is the share of input tokens in the blended price, in (0,1);
	// default DefaultInputShare (0.75, i.e. 3:1).
	InputShare float64
	// DayEvery is the demo's base pace, one simulated day per DayEvery at
	// speed 1 (default 2s); the header shows the pace at the current speed.
	DayEvery time.Duration
	// Now is the wall clock, used only to age live sources between snapshots;
	// nil means time.Now. Tests inject one.
	Now func() time.Time
	// Workload is the cost planner's initial workload (Prices tab, c); the
	// zero value or an invalid one means model.DefaultWorkload().
	Workload model.Workload
	// SaveWorkload persists a workload edited in the planner (the wiring
	// writes it to the config file). It runs as a tea.Cmd, off the UI
	// goroutine, and may be nil; its error is shown in the planner, and the
	// edit stands for this session either way.
	SaveWorkload func(model.Workload) error
	// Ack acknowledges alerts: the ones named by keys, or every alert when
	// all is set. The wiring sends a model.AckUpdate to the market, and the
	// acknowledgement shows when the next Snapshot carries it (Alert.Acked);
	// the UI never marks an alert itself. It runs as a tea.Cmd, so it may
	// block until the engine takes the update. It may be nil (tests): a and
	// A then only say that acknowledging needs the engine.
	Ack func(keys []string, all bool)
	// Shared marks a viewer of a shared server (tokentape serve over SSH):
	// it cannot make the server look for the live market, which does so on
	// its own, so the header does not offer r on OFFLINE · DEMO.
	Shared bool
	// Speed is the playback multiplier a Shared viewer shows, the speed
	// the server plays its demo or replay at (it has no Control to ask); 0
	// shows none. A viewer cannot pause the shared market or change its
	// speed: p, + and - are not offered.
	Speed float64
}

// SnapshotMsg carries a new market Snapshot; the engine sends one with
// p.Send whenever the market changes. Snapshots are immutable.
type SnapshotMsg struct{ Snapshot *model.Snapshot }

// tickMsg is the tick that ages live sources in the header. It comes when
// the header would next look different (each second while an age shows
// seconds, each minute while ages show minutes), and not at all while
// nothing on screen moves with time.
type tickMsg time.Time

// Sizes.
const (
	minWidth, minHeight         = 80, 24
	defaultWidth, defaultHeight = 80, 24 // before the first WindowSizeMsg
	minSpeed, maxSpeed          = 1.0 / 8, 64
	chromeLines                 = 3 // header (2) and tab bar
)

// Model is the root Bubble Tea model: header, tab bar, the active tab's body
// and the footer. It routes snapshots to every tab and keys to the active
// one. It is a value, as Bubble Tea expects; tabs and caches are pointers it
// shares with its copies, and so are its key bindings and help, which it
// only reads: held by value they made a Model of 4.9 KB, copied twice for
// every message (in and out of tea.Model).
type Model struct {
	e       *env
	keys    *globalKeys
	help    *help.Model
	tabs    []Tab
	active  int
	overlay Tab // a view pushed over the tabs (listing detail); nil when none

	snap          *model.Snapshot
	width, height int
	showHelp      bool
	paused        bool
	refreshing    bool    // r was pressed on a live feed; cleared by the next snapshot
	speed         float64 // the UI's speed when Control is nil

	received time.Time     // wall time the current snapshot arrived
	elapsed  time.Duration // wall time since, advanced by the tick (live only)
	tickAt   time.Time     // wall time the pending tick is due; zero when none

	c *caches
}

// caches hold rendered blocks with the inputs they were built from.
type caches struct {
	headerKey  headerKey
	header     string
	barKey     barKey
	bar        string
	footerKey  footerKey
	footer     string
	footerRows int
	bindings   []byte // scratch for the footer key's bindings text
	dimIn      string
	dimOut     string
	smallKey   [2]int
	small      string
	frameParts [4]string // header, tab bar, body and footer of frame
	frame      string
}

type headerKey struct {
	snap       *model.Snapshot
	width      int
	paused     bool
	refreshing bool
	speed      float64
	elapsed    time.Duration
}

type barKey struct {
	width, active int
	overlay       bool
	titles        string
}

type footerKey struct {
	width, active int
	overlay       bool
	showHelp      bool
	capturing     bool
	speed         bool
	open          bool // enter opens a detail
	bindings      string
}

// appendBindingsKey writes out the help of a view's bindings for the
// footer's cache key after b.
func appendBindingsKey(b []byte, short []key.Binding, full [][]key.Binding) []byte {
	add := func(k key.Binding) {
		if k.Enabled() {
			h := k.Help()
			b = append(b, h.Key...)
			b = append(b, 0)
			b = append(b, h.Desc...)
		}
		b = append(b, 1)
	}
	for _, k := range short {
		add(k)
	}
	for _, g := range full {
		b = append(b, 2)
		for _, k := range g {
			add(k)
		}
	}
	return b
}

// New makes the root model.
func New(opts Options) Model {
	if opts.Reference == "" {
		opts.Reference = model.DefaultReference
	}
	if opts.InputShare <= 0 || opts.InputShare >= 1 {
		opts.InputShare = DefaultInputShare
	}
	if opts.DayEvery <= 0 {
		opts.DayEvery = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workload == (model.Workload{}) || opts.Workload.Validate() != nil {
		opts.Workload = model.DefaultWorkload()
	}
	e := &env{opts: opts, st: newStyles(), workload: opts.Workload, openDetail: newDetail}
	tabs := newTabs(e)
	h := help.New()
	h.Styles = e.st.help
	keys := newGlobalKeys(len(tabs))
	m := Model{e: e, keys: &keys, help: &h, tabs: tabs, speed: 1, c: &caches{}}
	if opts.Control != nil {
		m.paused = opts.Control.Paused()
	}
	m.layout()
	return m
}

// Init implements tea.Model. Nothing runs until a snapshot or a key arrives.
func (m Model) Init() tea.Cmd { return nil }

// current is the view that gets keys: the pushed view, else the active tab.
func (m *Model) current() Tab {
	if m.overlay != nil {
		return m.overlay
	}
	return m.tabs[m.active]
}

// size is the terminal size, or the default before the first WindowSizeMsg.
func (m *Model) size() (int, int) {
	if m.width <= 0 || m.height <= 0 {
		return defaultWidth, defaultHeight
	}
	return m.width, m.height
}

// speedNow is the playback speed to show, 0 when speed does not apply.
func (m *Model) speedNow() float64 {
	if c := m.e.opts.Control; c != nil {
		return c.Speed()
	}
	if m.snap == nil || isLive(m.snap.Source) {
		return 0
	}
	if m.e.opts.Shared {
		return m.e.opts.Speed
	}
	return m.speed
}

// playsShared reports whether the market's playback is someone else's: a
// viewer of a shared server, with no Control, can neither pause it nor
// change its speed, so p, + and - do nothing and are not offered (before,
// p showed PAUSED over a market that kept moving).
func (m *Model) playsShared() bool { return m.e.opts.Shared && m.e.opts.Control == nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case SnapshotMsg:
		if msg.Snapshot == nil {
			return m, nil
		}
		m.snap = msg.Snapshot
		m.received = m.e.opts.Now()
		m.elapsed = 0
		m.refreshing = false
		for _, t := range m.tabs {
			t.SetSnapshot(m.snap)
		}
		if m.overlay != nil {
			m.overlay.SetSnapshot(m.snap)
		}
		if c := m.e.opts.Control; c != nil {
			m.paused = c.Paused()
		}
		cmd = m.startTick()
	case tickMsg:
		if !m.received.IsZero() {
			m.elapsed = max(time.Time(msg).Sub(m.received), 0).Truncate(time.Second)
		}
		if !time.Time(msg).Before(m.tickAt) {
			m.tickAt = time.Time{} // the tick waited for; an earlier chain's late one is not
		}
		cmd = m.startTick()
	case tea.KeyMsg:
		var quit bool
		cmd, quit = m.handleKey(msg)
		if quit {
			return m, tea.Quit
		}
	case broadcast:
		var cmds []tea.Cmd
		for _, t := range m.tabs {
			cmds = append(cmds, t.Update(msg))
		}
		if m.overlay != nil {
			cmds = append(cmds, m.overlay.Update(msg))
		}
		cmd = tea.Batch(cmds...)
	default:
		cmd = m.current().Update(msg)
	}
	m.layout()
	// The view on screen brings its rows up to date with the snapshot and
	// its filters here, in Update, so that View only draws them; tabs out
	// of sight wait until they are shown.
	if s, ok := m.current().(syncer); ok {
		s.sync()
	}
	if b, ok := m.current().(backgrounder); ok {
		if bg := b.background(); bg != nil {
			cmd = tea.Batch(cmd, bg)
		}
	}
	return m, cmd
}

// backgrounder is a view that draws part of its frame in a command, off
// the UI goroutine (the Share chart): background starts that draw when the
// snapshot, size or state calls for a new one, and returns nil otherwise.
type backgrounder interface{ background() tea.Cmd }

// syncer is a view whose rows are derived from the snapshot and its own
// state; sync recomputes them when either changed, and finds the selection
// again. It is cheap when nothing changed.
type syncer interface{ sync() }

// broadcast is implemented by messages every tab gets, not only the active
// one: the answer of a command a tab started, which must reach it even if
// the user has moved to another tab meanwhile.
type broadcast interface{ broadcast() }

// startTick schedules the tick for the moment the header would next look
// different (nextChange), unless a tick already pending comes as soon.
// Demo and replay snapshots carry their own clock, and a strip without ages
// has nothing to move: no tick, idle CPU. Each tick costs every viewer of a
// server (serve) a header and a frame, so none is spent on text that does
// not change: ages in minutes tick once a minute, at the second the shown
// minute changes. Ages in seconds tick one second after the last tick, as
// they always did (a shown second may be up to a second late); ticks kept
// exactly on the snapshot's second instead cost 50 idle SSH viewers 0.3-0.7%
// of a core more (BenchmarkIdle50Viewers/seconds in ui/serve, side by side).
func (m *Model) startTick() tea.Cmd {
	if m.snap == nil || !isLive(m.snap.Source) || m.received.IsZero() {
		return nil
	}
	secs, ok := nextChange(m.snap, m.snap.Now.Add(m.elapsed))
	if !ok {
		return nil
	}
	wait := time.Second
	due := m.e.opts.Now().Add(wait)
	if secs > 1 {
		due = m.received.Add(m.elapsed + time.Duration(secs)*time.Second)
		wait = max(due.Sub(m.e.opts.Now()), 0)
	}
	if !m.tickAt.IsZero() && !m.tickAt.After(due) {
		return nil // the pending tick comes first
	}
	m.tickAt = due
	return tea.Tick(wait, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// handleKey routes a key: ctrl+c always quits; a view with a focused text
// field gets every other key; then the global keys; then the view.
func (m *Model) handleKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.keys
	if key.Matches(msg, k.ForceQ) {
		return nil, true
	}
	cur := m.current()
	if cur.Capturing() {
		return cur.Update(msg), false
	}
	ctl := m.e.opts.Control
	switch {
	case key.Matches(msg, k.Quit):
		return nil, true
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		return nil, false
	case key.Matches(msg, k.Tabs):
		if i, err := strconv.Atoi(msg.String()); err == nil && i >= 1 && i <= len(m.tabs) {
			m.overlay = nil
			m.active = i - 1
		}
		return nil, false
	case key.Matches(msg, k.Next):
		m.overlay = nil
		m.active = (m.active + 1) % len(m.tabs)
		return nil, false
	case key.Matches(msg, k.Prev):
		m.overlay = nil
		m.active = (m.active + len(m.tabs) - 1) % len(m.tabs)
		return nil, false
	case m.playsShared() && (key.Matches(msg, k.Pause) || key.Matches(msg, k.Faster) || key.Matches(msg, k.Slower)):
		return nil, false
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		if ctl != nil {
			ctl.SetPaused(m.paused)
			m.paused = ctl.Paused()
		}
		return nil, false
	case key.Matches(msg, k.Refresh):
		if ctl != nil {
			ctl.Refresh()
			// Only live feeds fetch on demand; say so until the data arrives.
			m.refreshing = m.snap != nil && isLive(m.snap.Source)
			if _, offline := m.snap.Offline(); offline {
				m.refreshing = true // r looks for the live market again
			}
		}
		return nil, false
	case key.Matches(msg, k.Faster), key.Matches(msg, k.Slower):
		cur := m.speedNow()
		if cur <= 0 {
			return nil, false // live: speed does not apply
		}
		next := cur * 2
		if key.Matches(msg, k.Slower) {
			next = cur / 2
		}
		next = min(max(next, minSpeed), maxSpeed)
		if ctl != nil {
			ctl.SetSpeed(next)
		} else {
			m.speed = next
		}
		return nil, false
	case key.Matches(msg, k.Open):
		if sel, ok := cur.(Selector); ok && m.e.openDetail != nil && m.overlay == nil {
			if id, ok := sel.Selected(); ok {
				m.overlay = m.e.openDetail(m.e, id)
				m.overlay.SetSnapshot(m.snap)
			}
		}
		return nil, false
	}
	cmd := cur.Update(msg)
	if m.overlay != nil && key.Matches(msg, k.Back) && !m.overlay.Capturing() {
		m.overlay = nil
	}
	return cmd, false
}

// layout sizes the footer and gives every view the body height left over.
func (m *Model) layout() {
	w, h := m.size()
	m.footer(w)
	bodyH := max(h-chromeLines-m.c.footerRows, 0)
	for _, t := range m.tabs {
		t.SetSize(w, bodyH)
	}
	if m.overlay != nil {
		m.overlay.SetSize(w, bodyH)
	}
}

// footer renders the help line (or the full help) from the bindings. The
// view's bindings are part of the key: they change with its state (the
// planner's fields, the Alerts filters).
func (m *Model) footer(w int) string {
	cur := m.current()
	short, full := cur.Help()
	// The key's text is written into a kept buffer and becomes a string
	// only when the bindings changed: building it afresh cost a dozen
	// allocations a frame.
	m.c.bindings = appendBindingsKey(m.c.bindings[:0], short, full)
	bindings := m.c.footerKey.bindings
	if string(m.c.bindings) != bindings {
		bindings = string(m.c.bindings)
	}
	k := footerKey{width: w, active: m.active, overlay: m.overlay != nil, showHelp: m.showHelp,
		capturing: cur.Capturing(), speed: m.speedNow() > 0, bindings: bindings}
	_, selects := cur.(Selector)
	k.open = selects && m.e.openDetail != nil && m.overlay == nil
	if k == m.c.footerKey && m.c.footer != "" {
		return m.c.footer
	}
	g := *m.keys // a copy: the bindings are enabled for this footer
	speedOn := k.speed && !m.playsShared()
	g.Pause.SetEnabled(!m.playsShared())
	g.Refresh.SetEnabled(!m.playsShared())
	g.Faster.SetEnabled(speedOn)
	g.Slower.SetEnabled(speedOn)
	g.Speed.SetEnabled(speedOn)
	g.Open.SetEnabled(k.open)
	g.Back.SetEnabled(m.overlay != nil)
	var hm helpMap
	if k.capturing {
		hm.short = short
		hm.full = full
	} else {
		hm.short = append(append([]key.Binding{g.Tabs}, short...), g.Open, g.Back, g.Pause, g.Speed, g.Help, g.Quit)
		hm.full = append(full, []key.Binding{g.Tabs, g.Next, g.Prev, g.Open, g.Back},
			[]key.Binding{g.Pause, g.Refresh, g.Faster, g.Slower, g.Help, g.Quit})
	}
	hp := *m.help
	hp.Width = w
	hp.ShowAll = m.showHelp
	out := block(hp.View(hm), w, 12, false)
	m.c.footerKey, m.c.footer = k, out
	m.c.footerRows = strings.Count(out, "\n") + 1
	return out
}

// View implements tea.Model: a join of cached blocks.
func (m Model) View() string {
	w, h := m.size()
	if w < minWidth || h < minHeight {
		return m.tooSmall(w, h)
	}
	now := time.Time{}
	if m.snap != nil && !m.snap.Now.IsZero() {
		now = m.snap.Now.Add(m.elapsed)
	}
	header := m.header(w, now, staleSources(m.snap, now, false))
	bar := m.tabBar(w)
	footer := m.footer(w)
	m.e.stale = staleFigures(m.snap, now)
	m.e.stalePages = stalePageNames(m.snap, now)
	// A body drawn now leaves room for the header, the bar and the footer
	// around itself (framedBody).
	room := frameRoom{pre: len(header) + 1 + len(bar) + 1, post: 1 + len(footer)}
	m.e.room, m.e.framed = room, nil
	body := m.current().View()
	m.e.room = frameRoom{}
	if len(staleData(m.snap, now)) > 0 {
		body = m.dim(body)
	}
	// The parts come from caches, so an unchanged frame compares as the
	// same strings and is not joined again (a 30 KB copy at 200x60 for every
	// message that changed nothing on screen).
	if parts := [4]string{header, bar, body, footer}; parts != m.c.frameParts || m.c.frame == "" {
		m.c.frameParts, m.c.frame = parts, m.frame(header, bar, body, footer, room)
	}
	return m.c.frame
}

// frame joins the parts of a frame: in place around a body just drawn with
// room for them (framedBody), else into a string of its own. A new body was
// copied into the frame, 19 KB at 200x60, and its bytes collected soon
// after; in place the frame costs no copy.
func (m *Model) frame(header, bar, body, footer string, room frameRoom) string {
	f := m.e.framed
	m.e.framed = nil
	if f == nil || f.used || f.room != room || len(body) != len(f.body) || unsafe.StringData(body) != unsafe.StringData(f.body) {
		return header + "\n" + bar + "\n" + body + "\n" + footer
	}
	f.used = true
	b := append(append(append(f.base[:0], header...), '\n'), bar...)
	b = append(b, '\n')
	b = append(append(b[:room.pre+len(body)], '\n'), footer...)
	return bytesString(b)
}

func (m *Model) header(w int, now time.Time, stale []string) string {
	k := headerKey{m.snap, w, m.paused, m.refreshing, m.speedNow(), m.elapsed}
	if k == m.c.headerKey && m.c.header != "" {
		return m.c.header
	}
	hs := headerState{paused: m.paused, refreshing: m.refreshing, speed: k.speed, dayEvery: m.e.opts.DayEvery, now: now,
		shared: m.e.opts.Shared}
	m.c.headerKey = k
	m.c.header = headerLine(m.snap, hs, stale, w, m.e.st) + "\n" +
		block(stripLine(m.snap, now, w, m.e.st), w, 1, false)
	return m.c.header
}

// tabBar shows the tabs, the active one bracketed (and highlighted when
// there is colour).
func (m *Model) tabBar(w int) string {
	titles := make([]string, len(m.tabs))
	for i, t := range m.tabs {
		titles[i] = safe(t.Title())
	}
	k := barKey{w, m.active, m.overlay != nil, strings.Join(titles, "\x00")}
	if k == m.c.barKey && m.c.bar != "" {
		return m.c.bar
	}
	st := m.e.st
	var b strings.Builder
	for i, t := range titles {
		label := strconv.Itoa(i+1) + " " + t
		if i == m.active && m.overlay == nil {
			b.WriteString(st.tabOn.s("[" + label + "]"))
		} else {
			b.WriteString(st.tabOff.s(" " + label + " "))
		}
		b.WriteString(" ")
	}
	if m.overlay != nil {
		// A long listing name gives way before "esc back" does.
		room := max(w-textWidth(b.String())-len("[]  esc back"), 8)
		b.WriteString(st.tabOn.s("["+truncate(safe(m.overlay.Title()), room)+"]") + st.dim.s("  esc back"))
	}
	m.c.barKey = k
	m.c.bar = block(b.String(), w, 1, false)
	return m.c.bar
}

// dim fades a body whose data is stale (the header says STALE in words,
// which is what remains under NO_COLOR). The last input is cached.
func (m *Model) dim(body string) string {
	if body == m.c.dimIn && m.c.dimOut != "" {
		return m.c.dimOut
	}
	st := m.e.st
	if st.dim.pre == "" {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		// Re-assert faint after every reset inside the line.
		lines[i] = st.dim.pre + strings.ReplaceAll(l, "\x1b[0m", "\x1b[0m"+st.dim.pre) + st.dim.post
	}
	m.c.dimIn, m.c.dimOut = body, strings.Join(lines, "\n")
	return m.c.dimOut
}

// tooSmall explains the minimum size, wrapped into whatever room there is.
func (m *Model) tooSmall(w, h int) string {
	if m.c.smallKey == [2]int{w, h} && m.c.small != "" {
		return m.c.small
	}
	msg := "terminal too small (need " + strconv.Itoa(minWidth) + "x" + strconv.Itoa(minHeight) +
		", have " + strconv.Itoa(w) + "x" + strconv.Itoa(h) + ") · q quits"
	wrapped := strings.Join(wrapWords(msg, max(w, 1)), "\n")
	m.c.smallKey, m.c.small = [2]int{w, h}, block(wrapped, max(w, 1), max(h, 1), false)
	return m.c.small
}
