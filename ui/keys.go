package ui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
)

// globalKeys are the keys the root model handles on every tab. Keys are
// defined once here (and in listKeys) and the help is generated from them.
type globalKeys struct {
	Tabs     key.Binding // 1..n
	Next     key.Binding
	Prev     key.Binding
	Pause    key.Binding
	Refresh  key.Binding
	Faster   key.Binding
	Slower   key.Binding
	Speed    key.Binding // + and - as one entry of the short help
	Open     key.Binding // enter: listing detail (issue 5); disabled until it exists
	Back     key.Binding // esc out of a pushed view
	Help     key.Binding
	Quit     key.Binding
	ForceQ   key.Binding // ctrl+c quits even while a text field has focus
	tabCount int
}

func newGlobalKeys(tabs int) globalKeys {
	nums := make([]string, tabs)
	for i := range nums {
		nums[i] = strconv.Itoa(i + 1)
	}
	rng := "1-" + strconv.Itoa(tabs)
	if tabs == 1 {
		rng = "1"
	}
	return globalKeys{
		Tabs:     key.NewBinding(key.WithKeys(nums...), key.WithHelp(rng, "tabs")),
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev tab")),
		Pause:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Faster:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "faster")),
		Slower:   key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "slower")),
		Speed:    key.NewBinding(key.WithKeys("+", "-"), key.WithHelp("+/-", "speed")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ForceQ:   key.NewBinding(key.WithKeys("ctrl+c")),
		tabCount: tabs,
	}
}

// listKeys move a selection through rows and change what a list shows; the
// Board and the Prices tab share them (and so will Health and Alerts).
type listKeys struct {
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Sort     key.Binding
	Filter   key.Binding
	Origin   key.Binding
	Clear    key.Binding
	// While the filter field has focus:
	Apply  key.Binding
	Cancel key.Binding
}

func newListKeys() listKeys {
	return listKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Origin:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "origin")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// helpMap adapts the root's bindings plus the active view's to help.KeyMap.
type helpMap struct {
	short []key.Binding
	full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (h helpMap) ShortHelp() []key.Binding { return h.short }

// FullHelp implements help.KeyMap.
func (h helpMap) FullHelp() [][]key.Binding { return h.full }
