package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// Tab is one screen of the TUI behind a number key (soft-serve's component
// contract, cut down to what a market view needs). A tab is a pointer type in
// its own file; the root model routes to it:
//
//   - every SnapshotMsg to every tab's SetSnapshot (cheap: keep the pointer,
//     render lazily in View);
//   - the body size to SetSize;
//   - keys the root does not handle, and every other message, to the active
//     tab's Update.
//
// View must return exactly the body height in lines, none wider than the body
// width, and should return a cached string until the snapshot, the size or
// the tab's own state changes. A tab must never mutate a Snapshot.
type Tab interface {
	// Title names the tab in the tab bar; it may carry a count, as the
	// Alerts tab will ("Alerts 3").
	Title() string
	// SetSnapshot hands the tab the newest market (nil before the first).
	SetSnapshot(s *model.Snapshot)
	// SetSize gives the tab its body area in cells.
	SetSize(width, height int)
	// Update handles a key or other message routed to the active tab.
	Update(msg tea.Msg) tea.Cmd
	// View renders the body.
	View() string
	// Help returns the tab's own bindings: short for the one-line footer,
	// full for the ? screen (one column per group).
	Help() (short []key.Binding, full [][]key.Binding)
	// Capturing reports whether a text field has focus, so that printable
	// keys (q, 1, p...) go to the tab instead of the root.
	Capturing() bool
}

// Selector is implemented by tabs whose rows are listings. enter on such a
// tab opens the selected listing's detail view (see env.openDetail).
type Selector interface {
	Selected() (id string, ok bool)
}

// env is what every tab shares: the options and the palette.
type env struct {
	opts Options
	st   *styles
	// workload is the planner's current workload: the Prices tab's planner
	// edits it, the listing detail prices it.
	workload model.Workload
	// openDetail builds the view that enter pushes over the tabs for one
	// listing (newDetail); esc pops it, and the tab underneath keeps its
	// selection, so the user returns to the same row. While it is nil (a
	// test may clear it) enter does nothing and is left out of the help.
	openDetail func(e *env, id string) Tab
	// stale says which kinds of figures come from a stale source at the
	// moment the frame is drawn; the root sets it before each body View.
	stale staleGroups
	// stalePages names the status pages stale at that moment
	// (stalePageNames), for their rows on the Health tab.
	stalePages string
	// room is what the root asks the body it is about to draw to leave
	// around itself, and framed the body drawn so (see framedBody).
	room   frameRoom
	framed *framedBody
}

// newTabs lists the tabs in key order: tab i opens with key i+1. Adding a
// tab is a new file with its type and one line here; the number keys, the
// tab bar, tab/shift+tab and the help follow.
//
// A new tab's file, in the shape of share.go (or board.go for a list):
//
//	type news struct{ tabBase[newsState]; list listCtl; rows []*model.ListingView }
//	func newNews(e *env) *news { return &news{tabBase: tabBase[newsState]{e: e}, list: newListCtl(1)} }
//	// Title, Update, View (t.frame(state, t.render)) and Help; SetSnapshot
//	// when rows follow the market (recompute them there and in Update, never
//	// in View); Capturing when a field takes keys; Selected when rows are
//	// listings, so that enter opens their detail.
//
// newsState holds every input of the frame besides the snapshot and the
// size (selection, sort, filters, focused fields), so the cache needs no
// manual invalidation.
//
// Shared pieces: tabBase and frameCache (base.go, cache.go), listCtl
// (selection, scrolling, sort, o origin and / filter keys),
// column/layoutColumns/tableRow and rcol/rrow (width-aware tables),
// groupedTable (a listing table in groups), cells.go (glyph cells: moveCell,
// healthCell, priceCell, sparkline, bar), lineChart, and e.st (the palette;
// paint every state with a glyph or word as well). An action that must reach
// the engine (acknowledging an alert) goes through a func in Options
// (Options.Ack), so Control itself stays small.
func newTabs(e *env) []Tab {
	return []Tab{
		newBoard(e),
		newShare(e),
		newPrices(e),
		newHealth(e),
		newAlerts(e),
	}
}
