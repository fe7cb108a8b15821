package export

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/internal/resort"
)

// CostRow is what a workload costs on one listing, at list price.
type CostRow struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	PerDay   float64  `json:"per_day"`   // USD
	PerMonth float64  `json:"per_month"` // USD, 30 days
	Free     bool     `json:"free,omitempty"`
	Multiple *float64 `json:"vs_reference,omitempty"` // reference's cost ÷ this one's; >1 is cheaper
	// Cheapest and dearest daily cost across time-of-day windows and
	// long-context rates, when the listing has overrides.
	MinPerDay *float64 `json:"min_per_day,omitempty"`
	MaxPerDay *float64 `json:"max_per_day,omitempty"`
}

// Costs prices a workload on every listing with a usable price, cheapest
// first (free ones first of all, by name). Variable-priced routers and
// listings without a price cannot be costed and are left out; aliases are
// left out because their target is listed.
func Costs(s *model.Snapshot, w model.Workload, reference string) []CostRow {
	var o CostOrder
	return o.Costs(s, w, reference)
}

// CostOrder is Costs that keeps the order of its last table: when the next
// snapshot has the same listings at the same places and the workload is
// the same, the listings whose cost did not move stay in the last order
// (still sorted among themselves) and only the moved ones (a poll that
// repriced a few) are sorted and merged in, instead of sorting every
// listing again. The rows are those Costs returns. The zero value is ready.
type CostOrder struct {
	work  model.Workload
	ids   []string  // per place in the last snapshot's listings
	byPos []costKey // per place: its key; ok false when it was not costed
	order []int32   // the places of the costed listings, in the table's order
	mark  []bool    // per place: its key moved; scratch
	moved []int32   // the places whose key moved; scratch
	kept  []int32   // the places in order whose key did not move; scratch
	next  []int32   // the next order; scratch
	// The last table's rows and the figures they point to, written over
	// by the next: a table of every listing each snapshot was a tenth of a
	// planner rebuild in allocating and collecting it.
	rows    []CostRow
	figures []float64
}

// costKey is a costed listing's sort key, kept by its place in the
// snapshot's listings: its daily cost, rounded as shown, and whether it is
// free. ok is false when the listing was not costed.
type costKey struct {
	day, perDay float64
	free        bool
	ok          bool
}

// Places are the places in the snapshot's listings of the last table's
// rows, in its order: a reader finds a row's listing without looking its
// id up.
func (o *CostOrder) Places() []int32 { return o.order }

// Costs is the package's Costs, reusing the last order where it holds.
// The rows it returns are valid until the next call, which writes over
// them.
func (o *CostOrder) Costs(s *model.Snapshot, w model.Workload, reference string) []CostRow {
	refCost := math.NaN()
	if ref, ok := s.Listing(reference); ok {
		if c, ok := w.DailyCost(ref.Price); ok && c > 0 {
			refCost = c
		}
	}
	// The listings are priced and ordered as small keys, then the rows are
	// built once in that order: sorting the rows themselves moved values
	// of a hundred bytes, pointers included, most of a planner rebuild.
	n := len(s.Listings)
	same := o.work == w && len(o.ids) == n && len(o.byPos) == n
	o.work = w
	if !same {
		o.ids = o.ids[:0]
		for i := range s.Listings {
			o.ids = append(o.ids, s.Listings[i].ID)
		}
	}
	if cap(o.mark) < n {
		o.mark = make([]bool, n)
	}
	mark := o.mark[:n]
	o.moved = o.moved[:0]
	for i := range s.Listings {
		v := &s.Listings[i]
		if same && o.ids[i] != v.ID {
			same = false
			o.ids[i] = v.ID
		}
		var k costKey
		if v.Listing().AliasOf == "" {
			// An export must never fail on a value: NaN and infinite costs
			// (the market's guards make them impossible) are left out.
			if day, ok := w.DailyCost(v.Price); ok && !math.IsNaN(day) && !math.IsInf(day, 0) {
				k = costKey{day, round6(day), v.Price.Kind == model.PriceFree, true}
			}
		}
		if i >= len(o.byPos) {
			o.byPos = append(o.byPos, k)
			continue
		}
		if o.byPos[i] != k {
			// Left out of the last order below (its place there is stale),
			// merged in again when it is costed.
			mark[i] = true
			o.byPos[i] = k
			if k.ok {
				o.moved = append(o.moved, int32(i))
			}
		}
	}
	o.byPos = o.byPos[:n]
	// Free first, then cheapest, then by id: a total order (ids are unique),
	// so no stable sort, and a merge gives what a sort would.
	byPos := o.byPos
	compare := func(i, j int32) int {
		a, b := &byPos[i], &byPos[j]
		if a.free != b.free {
			if a.free {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.perDay, b.perDay); c != 0 {
			return c
		}
		return strings.Compare(s.Listings[i].ID, s.Listings[j].ID)
	}
	order := o.next[:0]
	if same && len(o.moved) <= n/8 {
		o.kept = resort.Kept(o.kept[:0], o.order, mark)
		order = resort.Merge(order, o.kept, o.moved, compare)
	} else {
		for i, k := range byPos {
			if k.ok {
				order = append(order, int32(i))
			}
		}
		slices.SortFunc(order, compare)
	}
	clear(mark)
	o.order, o.next = order, o.order
	rows := slices.Grow(o.rows[:0], len(order))[:len(order)]
	// The optional figures point into one block rather than one allocation
	// each; it is sized for all of them, so it never moves.
	figures := slices.Grow(o.figures[:0], 3*len(order))
	fig := func(v float64) *float64 {
		x, ok := figure(v)
		if !ok {
			return nil
		}
		figures = append(figures, x)
		return &figures[len(figures)-1]
	}
	for k, i := range order {
		key := &byPos[i]
		v := &s.Listings[i]
		day := key.day
		r := &rows[k]
		*r = CostRow{ID: v.ID, Name: v.Name, PerDay: key.perDay, PerMonth: round6(day * model.DaysPerMonth), Free: key.free}
		if day > 0 && !math.IsNaN(refCost) {
			r.Multiple = fig(refCost / day)
		}
		if len(v.Listing().Overrides) > 0 {
			if lo, hi, ok := w.DailyCostRange(*v.Listing()); ok && (lo != day || hi != day) {
				r.MinPerDay, r.MaxPerDay = fig(lo), fig(hi)
			}
		}
	}
	o.rows, o.figures = rows, figures
	return rows
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// AppRow is one app of the app rankings.
type AppRow struct {
	Rank     int    `json:"rank"`
	Name     string `json:"name"`
	Tokens   uint64 `json:"tokens"`
	Requests uint64 `json:"requests"`
}

// Apps lists the apps burning the tokens, by rank.
func Apps(s *model.Snapshot) []AppRow {
	rows := make([]AppRow, 0, len(s.Apps))
	for _, a := range s.Apps {
		rows = append(rows, AppRow{Rank: a.Rank, Name: a.Name, Tokens: a.Tokens, Requests: a.Requests})
	}
	return rows
}

// TasksReport is the "tasks" section of `snapshot --json`: what the tokens
// are spent on, as fractions (0–1) of classified sampled traffic.
type TasksReport struct {
	AsOf       *time.Time      `json:"as_of"`
	WindowDays int             `json:"window_days"`
	Macros     []MacroShareRow `json:"macro_categories"`
	Tasks      []TaskShareRow  `json:"tasks"`
}

// MacroShareRow is one macro category (Code, Agent, Data, General).
type MacroShareRow struct {
	Key        string  `json:"key"`
	Label      string  `json:"label"`
	TokenShare float64 `json:"token_share"`
	UsageShare float64 `json:"usage_share"`
}

// TaskShareRow is one task with its top models.
type TaskShareRow struct {
	Tag        string         `json:"tag"`
	Name       string         `json:"name"`
	Macro      string         `json:"macro_category"`
	TokenShare float64        `json:"token_share"`
	UsageShare float64        `json:"usage_share"`
	Models     []TaskModelRow `json:"models"`
}

// TaskModelRow is one of a task's top models.
type TaskModelRow struct {
	ID         string  `json:"id"` // listing id when the market knows it, else the permaslug
	TokenShare float64 `json:"token_share"`
	UsageShare float64 `json:"usage_share"`
}

// Tasks returns the tasks section, or nil when no task shares are known
// (they need an API key).
func Tasks(s *model.Snapshot) *TasksReport {
	if s.Tasks.Source == "" {
		return nil
	}
	r := &TasksReport{AsOf: timePtr(s.Tasks.AsOf), WindowDays: s.Tasks.WindowDays,
		Macros: []MacroShareRow{}, Tasks: []TaskShareRow{}}
	for _, m := range s.Tasks.Macros {
		r.Macros = append(r.Macros, MacroShareRow{m.Key, m.Label, m.TokenShare, m.UsageShare})
	}
	for _, t := range s.Tasks.Tasks {
		row := TaskShareRow{Tag: t.Tag, Name: t.Name, Macro: t.Macro, TokenShare: t.TokenShare, UsageShare: t.UsageShare,
			Models: []TaskModelRow{}}
		for _, m := range t.Models {
			id := m.ListingID
			if id == "" {
				id = m.Slug
			}
			row.Models = append(row.Models, TaskModelRow{id, m.TokenShare, m.UsageShare})
		}
		r.Tasks = append(r.Tasks, row)
	}
	return r
}
