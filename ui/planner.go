package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/export"
	"github.com/tokentape/tokentape/ui/units"
)

// The planner's workload fields, in tab order.
const (
	fieldTokens = iota
	fieldInput
	fieldCache
	nFields
)

var fieldLabels = [nFields]string{"tokens/day", "input share", "cache hits"}

// planKeys are the cost planner's own keys.
type planKeys struct {
	Edit  key.Binding // focus the workload fields
	Mix   key.Binding // add or remove the selected listing from the mix
	Share key.Binding // set the selected listing's share of the mix
	Close key.Binding // c (or esc with nothing to clear) closes the planner
	// While a field has focus:
	NextField key.Binding
	PrevField key.Binding
	Apply     key.Binding
	Cancel    key.Binding
}

func newPlanKeys() planKeys {
	return planKeys{
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit workload")),
		Mix:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mix in/out")),
		Share:     key.NewBinding(key.WithKeys("%"), key.WithHelp("%", "mix share")),
		Close:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "close planner")),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		Apply:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// mixPart is one listing's share of the planner's mix, in percent.
type mixPart struct {
	id    string
	share float64
}

// planner is the Prices tab's cost planner (c): what a workload costs a day
// and a 30-day month on every listing at list price, cheapest first, against
// the reference listing; and what a mix of listings costs against running
// everything on each of them alone. The arithmetic is model's (through
// export.Costs, the same table `tokentape cost` prints); the planner only
// lays it out and edits the workload.
type planner struct {
	tabBase[planState]
	list listCtl
	keys planKeys

	fields  [nFields]textinput.Model
	focus   int  // the focused field while editing
	editing bool // a workload field has focus
	notice  string
	bad     bool // the notice is an error

	mix     []mixPart // in the order added
	shareIn textinput.Model
	sharing bool   // the share field has focus
	shareID string // the listing whose share is being typed

	groupLayout                   // costed (cheapest first), then free, variable, unknown
	cost        []*export.CostRow // parallel to rows, into the cost table; nil for uncostable ones
	groups      [4][]planEntry    // sync's buffers, reused
	costs       costMemo          // the cost table sync works from
	cursor      int               // the row costed last (see costed)
	refDay      float64           // the reference's daily cost; NaN when it cannot be costed
	refName     string
	planKey     planKey
	// The texts of the costs a frame showed, by value: a poll reprices a
	// few listings, and formatting each cost took two allocations.
	perDay, perMonth figureMemo
	size             bodySize // the last body's, for the next one's room
}

// planState is what the planner's frame shows besides the snapshot: the
// list, the workload, the fields and their focus, the mix and the notice.
type planState struct {
	list        listState
	work        model.Workload
	ref         string
	editing     bool
	sharing     bool
	focus       int
	fields      [nFields]string
	cursors     [nFields]int
	share       string
	shareCursor int
	mix         string // the mix written out: ids and shares
	notice      string
	bad         bool
}

// state returns the planner's view state for its frame key.
func (p *planner) state() planState {
	s := planState{list: p.list.state(), work: p.e.workload, ref: p.reference(), editing: p.editing,
		sharing: p.sharing, focus: p.focus, notice: p.notice, bad: p.bad}
	if p.editing {
		for i := range p.fields {
			s.fields[i], s.cursors[i] = p.fields[i].Value(), p.fields[i].Position()
		}
	}
	if p.sharing {
		s.share, s.shareCursor = p.shareIn.Value(), p.shareIn.Position()
	}
	if len(p.mix) > 0 {
		var b strings.Builder
		for _, m := range p.mix {
			b.WriteString(m.id)
			b.WriteByte(0)
			b.WriteString(strconv.FormatFloat(m.share, 'g', -1, 64))
			b.WriteByte(0)
		}
		s.mix = b.String()
	}
	return s
}

// planKey is what the planner's rows depend on.
type planKey struct {
	rows rowsKey
	work model.Workload
	ref  string
}

func newPlanner(e *env) *planner {
	p := &planner{tabBase: tabBase[planState]{e: e}, list: newListCtl(1), keys: newPlanKeys()}
	for i := range p.fields {
		p.fields[i] = plannerInput("")
	}
	p.fields[fieldTokens].Placeholder = "20M"
	p.fields[fieldInput].Placeholder = "75% or 3:1"
	p.fields[fieldCache].Placeholder = "0%"
	p.shareIn = plannerInput("share ")
	p.shareIn.Placeholder = "80%"
	return p
}

// plannerInput is a short text field with a static cursor (a blinking one
// would tick the program twice a second).
func plannerInput(prompt string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = 16
	in.Width = 10
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

func (p *planner) reference() string {
	if r := p.e.opts.Reference; r != "" {
		return r
	}
	return model.DefaultReference
}

// capturing reports whether a text field of the planner has focus.
func (p *planner) capturing() bool { return p.editing || p.sharing || p.list.typing }

// selected is the listing under the cursor.
func (p *planner) selected() (string, bool) {
	if p.list.sel < len(p.rows) {
		return p.rows[p.list.sel].ID, true
	}
	return "", false
}

// help returns the planner's bindings for the footer and the ? screen.
func (p *planner) help() ([]key.Binding, [][]key.Binding) {
	k := p.keys
	switch {
	case p.editing:
		return []key.Binding{k.NextField, k.PrevField, k.Apply, k.Cancel},
			[][]key.Binding{{k.NextField, k.PrevField, k.Apply, k.Cancel}}
	case p.sharing:
		return []key.Binding{k.Apply, k.Cancel}, [][]key.Binding{{k.Apply, k.Cancel}}
	case p.list.typing:
		return p.list.help()
	}
	lk := p.list.keys
	return []key.Binding{k.Edit, k.Mix, k.Share, lk.Filter, k.Close},
		[][]key.Binding{
			{lk.Up, lk.Down, lk.Top, lk.Bottom, lk.PageUp, lk.PageDown},
			{k.Edit, k.Mix, k.Share, lk.Filter, lk.Origin, lk.Clear, k.Close},
		}
}

// update handles a message while the planner is open. closed is true when
// the key closes the planner.
func (p *planner) update(msg tea.Msg) (cmd tea.Cmd, closed bool) {
	if m, ok := msg.(workloadSavedMsg); ok {
		p.saved(m)
		return nil, false
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		// Cursor and other messages for whichever field has focus.
		switch {
		case p.editing:
			p.fields[p.focus], cmd = p.fields[p.focus].Update(msg)
		case p.sharing:
			p.shareIn, cmd = p.shareIn.Update(msg)
		default:
			cmd = p.list.other(msg)
		}
		return cmd, false
	}
	defer p.sync() // the workload or a filter may have changed
	switch {
	case p.editing:
		return p.updateFields(km), false
	case p.sharing:
		return p.updateShare(km), false
	}
	if !p.list.typing {
		k := p.keys
		switch {
		case key.Matches(km, k.Close):
			return nil, true
		case key.Matches(km, k.Edit):
			return p.startEditing(), false
		case key.Matches(km, k.Mix):
			p.toggleMix()
			return nil, false
		case key.Matches(km, k.Share):
			return p.startShare(), false
		}
	}
	u := p.list.update(km, len(p.rows), p.pageLines(), func(i int) string { return p.rows[i].ID })
	if !u.handled && key.Matches(km, p.list.keys.Clear) {
		return nil, true // esc with no filter to clear closes the planner
	}
	return u.cmd, false
}

// startEditing fills the fields with the current workload and focuses the
// first.
func (p *planner) startEditing() tea.Cmd {
	w := p.e.workload
	p.fields[fieldTokens].SetValue(model.FormatTokenCount(w.TokensPerDay))
	p.fields[fieldInput].SetValue(units.FractionPercent(w.InputShare))
	p.fields[fieldCache].SetValue(units.FractionPercent(w.CacheHit))
	for i := range p.fields {
		p.fields[i].CursorEnd()
		p.fields[i].Blur()
	}
	p.editing, p.focus = true, fieldTokens
	p.notice, p.bad = "", false
	return p.fields[p.focus].Focus()
}

func (p *planner) updateFields(km tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(km, k.Cancel):
		p.stopEditing()
		p.notice, p.bad = "", false
		return nil
	case key.Matches(km, k.NextField), key.Matches(km, k.PrevField):
		step := 1
		if key.Matches(km, k.PrevField) {
			step = nFields - 1
		}
		p.fields[p.focus].Blur()
		p.focus = (p.focus + step) % nFields
		p.fields[p.focus].CursorEnd()
		return p.fields[p.focus].Focus()
	case key.Matches(km, k.Apply):
		w, field, err := parseWorkloadFields(p.fields[fieldTokens].Value(), p.fields[fieldInput].Value(), p.fields[fieldCache].Value())
		if err != nil {
			// Keep the last good workload and the field open to fix it.
			p.notice, p.bad = fieldLabels[field]+": "+err.Error()+" · kept "+fieldText(p.e.workload, field), true
			p.fields[p.focus].Blur()
			p.focus = field
			return p.fields[p.focus].Focus()
		}
		p.stopEditing()
		p.notice, p.bad = "", false
		if w == p.e.workload {
			return nil
		}
		p.e.workload = w
		save := p.e.opts.SaveWorkload
		if save == nil {
			return nil
		}
		p.notice, p.bad = "saving workload "+w.String()+"…", false
		// The config file is read, rewritten and synced off the UI
		// goroutine; the planner hears back through workloadSavedMsg.
		return func() tea.Msg { return workloadSavedMsg{w: w, err: callSave(save, w)} }
	}
	var cmd tea.Cmd
	p.fields[p.focus], cmd = p.fields[p.focus].Update(km)
	return cmd
}

// workloadSavedMsg says how saving an edited workload went. Every tab gets
// it (see broadcast), so it reaches the planner even if the user has moved
// to another tab meanwhile.
type workloadSavedMsg struct {
	w   model.Workload
	err error
}

func (workloadSavedMsg) broadcast() {}

// saved shows how saving w went, unless a later edit has replaced w.
func (p *planner) saved(msg workloadSavedMsg) {
	if msg.w != p.e.workload {
		return // a newer save is on its way
	}
	if msg.err != nil {
		p.notice, p.bad = "workload not saved: "+safe(msg.err.Error()), true
		return
	}
	p.notice, p.bad = "workload "+msg.w.String()+" saved", false
}

// callSave calls the wiring's save function; a panic in it is reported like
// an error rather than taking the terminal down with it.
func callSave(save func(model.Workload) error, w model.Workload) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return save(w)
}

func (p *planner) stopEditing() {
	p.editing = false
	for i := range p.fields {
		p.fields[i].Blur()
	}
}

// parseWorkloadFields reads the three fields into a workload. On error,
// field says which one is wrong.
func parseWorkloadFields(tokens, input, cache string) (w model.Workload, field int, err error) {
	w.TokensPerDay, err = model.ParseTokenCount(tokens)
	if err != nil {
		return w, fieldTokens, err
	}
	if w.TokensPerDay > 1e15 {
		return w, fieldTokens, fmt.Errorf("%q is more than 1P tokens a day", strings.TrimSpace(tokens))
	}
	w.InputShare, err = model.ParseInputShare(input)
	if err != nil {
		return w, fieldInput, err
	}
	w.CacheHit, err = model.ParsePercent(cache)
	if err != nil {
		return w, fieldCache, err
	}
	return w, 0, nil
}

// fieldText is a workload field as shown outside the editor.
func fieldText(w model.Workload, field int) string {
	switch field {
	case fieldTokens:
		return model.FormatTokenCount(w.TokensPerDay)
	case fieldInput:
		s := units.FractionPercent(w.InputShare)
		if l := blendLabel(w.InputShare); strings.Contains(l, ":") {
			s += " (" + l + ")"
		}
		return s
	}
	return units.FractionPercent(w.CacheHit)
}

// mixIndex finds a listing in the mix.
func (p *planner) mixIndex(id string) int {
	for i, m := range p.mix {
		if m.id == id {
			return i
		}
	}
	return -1
}

// mixSum is the sum of the mix's shares in percent.
func (p *planner) mixSum() float64 {
	s := 0.0
	for _, m := range p.mix {
		s += m.share
	}
	return s
}

// toggleMix adds the selected listing to the mix with whatever share is left
// (all of it for the first), or takes it out.
func (p *planner) toggleMix() {
	id, ok := p.selected()
	if !ok {
		return
	}
	if i := p.mixIndex(id); i >= 0 {
		p.mix = append(p.mix[:i], p.mix[i+1:]...)
		p.notice, p.bad = "", false
		return
	}
	v, _ := p.snap.Listing(id)
	if _, ok := p.e.workload.DailyCost(v.Price); !ok {
		p.notice, p.bad = displayName(safe(v.Name))+" has a "+v.Price.Kind.String()+" price and can't be costed, so it can't join the mix", true
		return
	}
	p.mix = append(p.mix, mixPart{id: id, share: math.Max(100-p.mixSum(), 0)})
	p.notice, p.bad = "", false
}

// startShare opens the share field for the selected listing, adding it to
// the mix first when it is not in it.
func (p *planner) startShare() tea.Cmd {
	id, ok := p.selected()
	if !ok {
		return nil
	}
	if p.mixIndex(id) < 0 {
		p.toggleMix()
		if p.mixIndex(id) < 0 {
			return nil // it cannot be costed; toggleMix said why
		}
	}
	p.sharing, p.shareID = true, id
	p.shareIn.SetValue(strconv.FormatFloat(math.Round(p.mix[p.mixIndex(id)].share*100)/100, 'f', -1, 64) + "%")
	p.shareIn.CursorEnd()
	return p.shareIn.Focus()
}

func (p *planner) updateShare(km tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(km, k.Cancel):
		p.sharing = false
		p.shareIn.Blur()
		return nil
	case key.Matches(km, k.Apply):
		f, err := model.ParsePercent(p.shareIn.Value())
		if err != nil {
			p.notice, p.bad = "mix share: "+err.Error(), true
			return nil
		}
		p.sharing = false
		p.shareIn.Blur()
		p.notice, p.bad = "", false
		p.setShare(p.shareID, f*100)
		return nil
	}
	var cmd tea.Cmd
	p.shareIn, cmd = p.shareIn.Update(km)
	return cmd
}

// setShare sets one listing's share in percent. With exactly two listings
// in the mix the other takes the rest, so 80 on one makes an 80/20 mix in
// one step; with more, the others keep theirs and the mix line says what
// the shares add up to.
func (p *planner) setShare(id string, pct float64) {
	i := p.mixIndex(id)
	if i < 0 {
		return
	}
	p.mix[i].share = pct
	if len(p.mix) == 2 {
		p.mix[1-i].share = 100 - pct
	}
}

func (p *planner) pageLines() int { return max(p.h-len(p.headLines()), 0) }

// sync recomputes the rows when the snapshot, the workload, the reference
// or the filters changed.
func (p *planner) sync() {
	ref := p.reference()
	k := planKey{rowsKey{keyOf(p.snap), 0, p.list.origin, p.list.filter}, p.e.workload, ref}
	if k == p.planKey && p.rows != nil {
		return
	}
	p.planKey = k
	p.groupLayout.reset()
	p.cost = p.cost[:0]
	p.refDay, p.refName = math.NaN(), ""
	if p.snap == nil {
		return
	}
	w := p.e.workload
	if r, ok := p.snap.Listing(ref); ok {
		p.refName = displayName(safe(r.Name))
		if c, ok := w.DailyCost(r.Price); ok && c > 0 {
			p.refDay = c
		}
	}
	match := p.list.matcher()
	groups := &p.groups
	for g := range groups {
		groups[g] = groups[g][:0]
	}
	// export.Costs is the table `tokentape cost` prints: paid and free
	// listings, free first, then cheapest first.
	costs := p.costs.of(p.snap, w, ref)
	places := p.costs.order.Places()
	for i := range costs {
		v := &p.snap.Listings[places[i]]
		if !match(v) {
			continue
		}
		g := groupOf(v.Price)
		groups[g] = append(groups[g], planEntry{v, i})
	}
	for i := range p.snap.Listings {
		v := &p.snap.Listings[i]
		if g := groupOf(v.Price); !v.Alias && (g == groupVariable || g == groupUnknown) && match(v) {
			groups[g] = append(groups[g], planEntry{v, -1})
		}
	}
	for g := groupPaid; g <= groupUnknown; g++ {
		es := groups[g]
		p.place(g, len(es), g == groupPaid)
		for _, e := range es {
			p.rows = append(p.rows, e.v)
			var c *export.CostRow
			if e.cost >= 0 {
				c = &costs[e.cost]
			}
			p.cost = append(p.cost, c)
		}
	}
	p.list.reselect(len(p.rows), func(i int) string { return p.rows[i].ID })
}

// costMemo keeps the cost table (export.Costs) with what it was priced
// from: the snapshot's listings, by identity, the workload and the
// reference. A snapshot after an update that changed no listing (a status
// page, a source's health) shares the last one's listings, which the market
// never changes once a snapshot holds them, so their prices are the same.
type costMemo struct {
	first *model.ListingView
	n     int
	work  model.Workload
	ref   string
	rows  []export.CostRow
	order export.CostOrder // sorts again only the listings a new snapshot repriced
}

// of returns export.Costs(s, w, ref), priced again only when it may differ.
func (m *costMemo) of(s *model.Snapshot, w model.Workload, ref string) []export.CostRow {
	var first *model.ListingView
	if len(s.Listings) > 0 {
		first = &s.Listings[0]
	}
	if m.rows == nil || first != m.first || len(s.Listings) != m.n || w != m.work || ref != m.ref {
		m.rows = m.order.Costs(s, w, ref)
		m.first, m.n, m.work, m.ref = first, len(s.Listings), w, ref
	}
	return m.rows
}

// planEntry is a listing of the planner's table while sync groups them,
// with its index in the cost table (-1 when it cannot be costed).
type planEntry struct {
	v    *model.ListingView
	cost int
}

// rowOf finds v among the rows. A frame asks for its rows in order, each
// several times (one call per column), so the search starts at the row
// found last and usually ends there or on the next one.
func (p *planner) rowOf(v *model.ListingView) (int, bool) {
	n := len(p.rows)
	for k := 0; k < n; k++ {
		i := (p.cursor + k) % n
		if p.rows[i] == v {
			p.cursor = i
			return i, true
		}
	}
	return 0, false
}

// planGroupTitles name the planner's groups of listings shown apart.
var planGroupTitles = map[priceGroup]string{
	groupFree:     "free · $0.00 a day",
	groupVariable: "variable price (routers pick the model) · can't be costed",
	groupUnknown:  "no price yet · can't be costed",
}

func (p *planner) columns() []listingColumn {
	st := p.e.st
	refID := p.reference()
	w := p.e.workload
	costed := func(v *model.ListingView) (export.CostRow, int, bool) {
		i, ok := p.rowOf(v)
		if !ok {
			return export.CostRow{}, 0, false
		}
		g := groupOf(v.Price)
		c := p.cost[i]
		if c == nil {
			return export.CostRow{}, p.rank[i], false
		}
		return *c, p.rank[i], g == groupPaid || g == groupFree
	}
	cols := []listingColumn{
		{title: "#", min: 3, max: 3, right: true, prio: 1000, cell: func(v *model.ListingView, _ int) string {
			if _, r, _ := costed(v); r > 0 {
				return strconv.Itoa(r)
			}
			return ""
		}},
	}
	if len(p.mix) > 0 {
		cols = append(cols, listingColumn{title: "mix", min: 4, max: 4, right: true, prio: 95, cell: func(v *model.ListingView, _ int) string {
			if i := p.mixIndex(v.ID); i >= 0 {
				return units.ShortPercent(p.mix[i].share)
			}
			return ""
		}})
	}
	cols = append(cols,
		// The name widens less than on the other tabs, so that the spare room
		// goes to the cheapest–dearest column and what its range is.
		listingColumn{title: "name", min: 16, max: 28, prio: 1000, cell: func(v *model.ListingView, _ int) string { return nameCell(v) }},
		listingColumn{title: "author", min: 10, max: 14, prio: 20, cell: func(v *model.ListingView, _ int) string { return safe(v.Author) }},
		listingColumn{title: "$/day", min: 10, max: 10, right: true, prio: 100, cell: func(v *model.ListingView, _ int) string {
			if c, _, ok := costed(v); ok {
				return p.perDay.of(c.PerDay, units.Money)
			}
			return priceCell(v.Price, 0)
		}},
		listingColumn{title: "$/month", min: 11, max: 11, right: true, prio: 90, cell: func(v *model.ListingView, _ int) string {
			if c, _, ok := costed(v); ok {
				return p.perMonth.of(c.PerMonth, units.Money)
			}
			return ""
		}},
		listingColumn{title: "vs ref", min: 13, max: 13, right: true, prio: 70, cell: func(v *model.ListingView, _ int) string {
			c, _, ok := costed(v)
			switch {
			case v.ID == refID:
				return "reference"
			case !ok:
				return ""
			case c.Free:
				return "free"
			}
			m, _ := multiple(c.PerDay, p.refDay)
			return m
		}, paint: func(v *model.ListingView) paint {
			c, _, ok := costed(v)
			if v.ID == refID || !ok || c.Free || math.IsNaN(p.refDay) {
				return st.bold
			}
			if c.PerDay < p.refDay {
				return st.up
			}
			return st.down
		}},
		listingColumn{title: "cheapest–dearest/day", min: 16, max: 44, prio: 60, cell: func(v *model.ListingView, width int) string {
			c, _, ok := costed(v)
			if !ok {
				return ""
			}
			var notes []string
			if c.MinPerDay != nil && c.MaxPerDay != nil {
				r := units.Money(*c.MinPerDay) + "–" + units.Money(*c.MaxPerDay)
				// Say which overrides when there is room; the range first.
				if long := r + " " + overrideKinds(v.Listing().Overrides); textWidth(long) <= width {
					r = long
				}
				notes = append(notes, r)
			}
			if w.CacheHit > 0 && !c.Free && !v.Price.HasCacheRead() {
				notes = append(notes, "no cache price")
			}
			return strings.Join(notes, " · ")
		}},
	)
	return cols
}

// overrideKinds says which kinds of price override a listing has.
func overrideKinds(os []model.PriceOverride) string {
	var byTime, long bool
	minPrompt := math.Inf(1)
	for _, o := range os {
		if o.IsTimeWindow() {
			byTime = true
		} else if o.MinPromptTokens > 0 {
			long = true
			minPrompt = math.Min(minPrompt, o.MinPromptTokens)
		}
	}
	var parts []string
	if byTime {
		parts = append(parts, "time of day")
	}
	if long {
		parts = append(parts, "long context >"+units.Tokens(uint64(minPrompt)))
	}
	return strings.Join(parts, ", ")
}

// relChange writes how much dearer (+) or cheaper (−) a is than b: "+115%",
// "−68%", "+3.4%".
func relChange(a, b float64) string {
	if b <= 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "—"
	}
	return strings.Replace(units.Growth((a/b-1)*100), "-", "−", 1)
}

// headLines are the lines above the table: title (or the filter field),
// workload fields, a notice, and the mix.
func (p *planner) headLines() []string {
	st := p.e.st
	w := p.e.workload
	var lines []string
	if p.list.typing {
		lines = append(lines, p.list.inputView(p.w))
	} else {
		title := "Cost planner · "
		if !math.IsNaN(p.refDay) {
			title += "vs " + p.refName + " " + units.Money(p.refDay) + "/day · "
		} else {
			title += "reference " + safe(p.reference()) + " can't be costed · "
		}
		title += p.list.statusFilters() + " · list prices, 30-day month, cheapest first"
		lines = append(lines, st.bold.s(truncate(title, p.w)))
	}
	lines = append(lines, p.fieldsLine())
	if l := p.compareLine(); l != "" {
		lines = append(lines, l)
	}
	if p.sharing {
		v, _ := p.snap.Listing(p.shareID)
		name := p.shareID
		if v != nil {
			name = displayName(safe(v.Name))
		}
		p.shareIn.Width = 8
		lines = append(lines, truncate(" mix share of "+name+" ", max(p.w-12, 1))+p.shareIn.View())
	}
	if p.notice != "" {
		pt := st.dim
		if p.bad {
			pt = st.warn
		}
		for _, l := range wrapLines(p.notice, p.w-1, 2) {
			lines = append(lines, " "+pt.s(l))
		}
	}
	if w.CacheHit > 0 && p.notice == "" {
		lines = append(lines, st.dim.s(truncate(" cached input is charged at the cache-read price where there is one, else at the input price", p.w)))
	}
	lines = append(lines, p.mixLines()...)
	return lines
}

// compareLine tells the story of the selected listing against the
// reference, quality and cost together: "DeepSeek V4 Flash: 76% of the
// reference's index for 2.5% of its cost (AA intelligence 42.1 vs 55.3)".
// Empty unless both are paid listings with an intelligence index.
func (p *planner) compareLine() string {
	id, ok := p.selected()
	if !ok || id == p.reference() {
		return ""
	}
	v, ok1 := p.snap.Listing(id)
	ref, ok2 := p.snap.Listing(p.reference())
	if !ok1 || !ok2 {
		return ""
	}
	w := p.e.workload
	if w.Validate() != nil {
		w = model.DefaultWorkload()
	}
	phrase := w.ComparePhrase(*ref.Listing(), *v.Listing(), model.IndexIntelligence)
	if phrase == "" {
		return ""
	}
	a, _ := v.Indexes().Get(model.IndexIntelligence)
	b, _ := ref.Indexes().Get(model.IndexIntelligence)
	return truncate(" "+displayName(safe(v.Name))+": "+phrase+" (AA intelligence "+
		strconv.FormatFloat(a, 'f', 1, 64)+" vs "+strconv.FormatFloat(b, 'f', 1, 64)+")", p.w)
}

// fieldsLine shows the workload: plain values, or the text fields while
// editing, the focused one bracketed (brackets read without colour).
func (p *planner) fieldsLine() string {
	var b strings.Builder
	for i := range p.fields {
		b.WriteString(" " + fieldLabels[i] + " ")
		switch {
		case p.editing && i == p.focus:
			p.fields[i].Width = 10
			b.WriteString("[" + fitLeft(p.fields[i].View(), 11) + "]")
		case p.editing:
			b.WriteString(" " + fitLeft(p.fields[i].Value(), 11) + " ")
		default:
			b.WriteString(p.e.st.bold.s(fieldText(p.e.workload, i)))
		}
		if !p.editing && i < nFields-1 {
			b.WriteString(" ·")
		}
	}
	if !p.editing {
		b.WriteString(p.e.st.dim.s("  (e edits)"))
	}
	return truncate(b.String(), p.w)
}

// mixLines describe the mix: a hint while it is empty, what the shares add
// up to while that is not 100%, else the blended cost against running
// everything on each listing of the mix alone.
func (p *planner) mixLines() []string {
	st := p.e.st
	if len(p.mix) == 0 {
		return []string{st.dim.s(truncate(" mix: m adds the selected listing to a mix, % sets its share", p.w))}
	}
	w := p.e.workload
	names := make([]string, len(p.mix))
	parts := make([]model.MixPart, len(p.mix))
	for i, m := range p.mix {
		names[i] = units.ShortPercent(m.share) + " " + m.id
		if v, ok := p.snap.Listing(m.id); ok {
			names[i] = units.ShortPercent(m.share) + " " + displayName(safe(v.Name))
		}
		parts[i] = model.MixPart{ID: m.id, Share: m.share / 100}
	}
	find := func(id string) (model.Listing, bool) {
		v, ok := p.snap.Listing(id)
		if !ok {
			return model.Listing{}, false
		}
		return *v.Listing(), true
	}
	text := "mix " + strings.Join(names, " + ")
	pt := paint{}
	if sum := p.mixSum(); math.Abs(sum-100) > 1e-6 {
		text += " · shares add up to " + strconv.FormatFloat(math.Round(sum*100)/100, 'f', -1, 64) +
			"%, not 100%: % on a row sets its share"
		pt = st.warn
	} else if cost, err := w.MixCost(parts, find); err != nil {
		text += " · " + safe(err.Error())
		pt = st.warn
	} else {
		text += " = " + units.Money(cost) + "/day (" + units.Money(cost*model.DaysPerMonth) + "/month)"
		for i, m := range p.mix {
			v, ok := p.snap.Listing(m.id)
			if !ok {
				continue
			}
			alone, _ := w.DailyCost(v.Price)
			text += " · all on " + strings.TrimPrefix(names[i], units.ShortPercent(m.share)+" ") + " " + units.Money(alone)
			if alone > 0 {
				text += " (" + relChange(cost, alone) + ")"
			}
		}
	}
	var out []string
	for _, l := range wrapLines(text, p.w-1, 3) {
		out = append(out, " "+pt.s(l))
	}
	return out
}

// wrapLines word-wraps plain text to width and keeps at most n lines, the
// last ending in "…" when text was cut.
func wrapLines(s string, width, n int) []string {
	if width <= 0 || n <= 0 {
		return nil
	}
	lines := wrapWords(s, width)
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = truncate(lines[n-1]+" …", width)
		if !strings.HasSuffix(lines[n-1], "…") {
			lines[n-1] = truncate(lines[n-1], width-1) + "…"
		}
	}
	return lines
}

// view renders the planner into exactly w×h, cached.
func (p *planner) view() string { return p.fittedFrame(p.state(), p.render) }

// render draws the planner cut and padded to exactly w×h.
func (p *planner) render() string {
	st := p.e.st
	if p.snap == nil {
		return block("\n  waiting for data…", p.w, p.h, true)
	}
	lines := p.headLines()
	if len(p.snap.Listings) == 0 {
		return block(strings.Join(append(lines, "", "  no listings yet"), "\n"), p.w, p.h, true)
	}
	g := groupedTable{cols: p.columns(), rows: p.rows, lines: p.lines, rowLine: p.rowLine, titles: planGroupTitles, size: &p.size, e: p.e}
	page := p.h - len(lines) - 1
	out := g.render(lines, p.w, page, &p.list, st) // a body of the head, the column titles and page lines
	if page < 0 {
		return block(out, p.w, p.h, true) // the head alone is taller than the body
	}
	return out
}

// workloadText describes a workload in words: "20M tokens/day, 75% input
// (3:1), no cache hits".
func workloadText(w model.Workload) string {
	s := model.FormatTokenCount(w.TokensPerDay) + " tokens/day, " + fieldText(w, fieldInput) + " input, "
	if w.CacheHit == 0 {
		return s + "no cache hits"
	}
	return s + units.FractionPercent(w.CacheHit) + " cache hits"
}
