package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func pricesOf(t *testing.T, m Model) *prices {
	t.Helper()
	p, ok := m.tabs[2].(*prices)
	if !ok {
		t.Fatalf("tab 2 is %T", m.tabs[2])
	}
	p.sync()
	return p
}

// rowLine returns the screen line showing a listing's name.
func rowLine(t *testing.T, screen, name string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+name+" ") && !strings.HasPrefix(l, "sort ") {
			return l
		}
	}
	t.Fatalf("no line shows %q:\n%s", name, screen)
	return ""
}

func TestPricesRankOnlyPaidListings(t *testing.T) {
	m := press(sized(Options{}, fixture(), 160, 60), "3")
	p := pricesOf(t, m)
	seenUnpaid := false
	for _, v := range p.rows {
		paid := v.Price.Kind == model.PricePaid
		if paid && seenUnpaid {
			t.Fatalf("%s (paid) comes after an unpaid listing", v.ID)
		}
		seenUnpaid = seenUnpaid || !paid
		if v.Listing().AliasOf != "" {
			t.Errorf("alias %s is listed", v.ID)
		}
	}
	screen := m.View()
	if first := rowLine(t, screen, "LFM2 2.6B"); !strings.HasPrefix(first, "›  1 ") {
		t.Errorf("the cheapest blended paid listing is not #1: %q", first)
	}
	for _, name := range []string{"gpt-oss-20b (free)", "Qwen3 Coder (free)", "Auto Router"} {
		l := rowLine(t, screen, name)
		if strings.TrimSpace(l[:5]) != "" {
			t.Errorf("%s carries a rank: %q", name, l)
		}
	}
	for _, want := range []string{"── free · not ranked", "── variable price (routers pick the model) · not ranked", "1 alias hidden"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if strings.Contains(screen, "Claude Sonnet (latest)") {
		t.Error("an alias is shown on the Prices tab")
	}
}

func TestPricesMultiplesAgainstReference(t *testing.T) {
	screen := press(sized(Options{}, fixture(), 160, 60), "3").View()
	tests := map[string]string{
		"Claude Sonnet 4.5": "reference",
		"MiniMax M2.5":      "11.4× cheaper", // $6.00 / (0.75×0.30 + 0.25×1.20)
		"Claude Opus 4.6":   "1.7× dearer",   // $10.00 / $6.00
		"Sonar Pro":         "≈ same",
	}
	for name, want := range tests {
		if l := rowLine(t, screen, name); !strings.HasSuffix(strings.TrimRight(l, " "), want) {
			t.Errorf("%s: %q, want it to end in %q", name, l, want)
		}
	}
	// Another reference and input share.
	screen = press(sized(Options{Reference: "openai/gpt-5.2", InputShare: 0.5}, fixture(), 160, 60), "3").View()
	if l := rowLine(t, screen, "GPT-5.2"); !strings.Contains(l, "reference") {
		t.Errorf("GPT-5.2 is not the reference: %q", l)
	}
	if !strings.Contains(screen, "blend 1:1") || !strings.Contains(screen, "vs GPT-5.2 $7.88 blended") {
		t.Errorf("input share 0.5 not shown as blend 1:1 against GPT-5.2 at $7.88")
	}
	screen = press(sized(Options{Reference: "nobody/nothing"}, fixture(), 160, 60), "3").View()
	if !strings.Contains(screen, "reference nobody/nothing has no price") {
		t.Error("a missing reference is not explained")
	}
}

func TestPricesSortCycles(t *testing.T) {
	in := DefaultInputShare
	keys := map[string]func(v *model.ListingView) float64{
		"blended": func(v *model.ListingView) float64 { return v.Price.Blended(in) },
		"in":      func(v *model.ListingView) float64 { return v.Price.In },
		"out":     func(v *model.ListingView) float64 { return v.Price.Out },
	}
	m := press(sized(Options{}, fixture(), 160, 60), "3")
	for i, name := range append(priceSorts, priceSorts[0]) {
		if i > 0 {
			m = press(m, "s")
		}
		p := pricesOf(t, m)
		if priceSorts[p.list.sort] != name {
			t.Fatalf("sort %q, want %q", priceSorts[p.list.sort], name)
		}
		if name == "changed" && (len(p.rows) == 0 || p.rows[0].LastPriceChange().IsZero()) {
			t.Errorf("sorted by latest change, the first row never changed price")
		}
		var paid []*model.ListingView
		for _, v := range p.rows {
			if v.Price.Kind == model.PricePaid {
				paid = append(paid, v)
			}
		}
		for j := 1; j < len(paid); j++ {
			a, b := paid[j-1], paid[j]
			if k := keys[name]; k != nil && k(a) > k(b) {
				t.Errorf("%s: %s before %s", name, a.ID, b.ID)
			}
			if name == "name" && strings.ToLower(a.Name) > strings.ToLower(b.Name) {
				t.Errorf("name: %s before %s", a.Name, b.Name)
			}
			if name == "changed" && a.LastPriceChange().Before(b.LastPriceChange()) {
				t.Errorf("changed: %s (changed %s) before %s (changed %s)", a.ID, a.LastPriceChange(), b.ID, b.LastPriceChange())
			}
		}
	}
}

func TestPricesFilterAndSelection(t *testing.T) {
	m := press(sized(Options{}, fixture(), 120, 40), "3", "o", "o", "o") // EU
	p := pricesOf(t, m)
	if len(p.rows) != 4 {
		t.Errorf("EU shows %d listings, want 4", len(p.rows))
	}
	m = press(m, "esc", "/", "c", "l", "a", "u", "d", "e", "enter", "G")
	p = pricesOf(t, m)
	id, _ := p.Selected()
	if len(p.rows) != 3 || id != p.rows[2].ID {
		t.Errorf("filter claude: %d rows, selected %s", len(p.rows), id)
	}
}

// TestPricesAfterARepriceMatchFreshRows: after a poll that repriced a few
// listings (the kept order merges them in, see lastOrder), the rows and
// the screen are those of a Prices tab that saw only the new snapshot, in
// each price sort and the value sort, and the repriced listing shows its
// new price.
func TestPricesAfterARepriceMatchFreshRows(t *testing.T) {
	for sorts, name := range priceSorts[:5] {
		t.Run(name, func(t *testing.T) {
			mk := buildMarket(fixtureOptions{extra: 400 - len(fixListings())})
			if name == "value" {
				indexMost(mk)
			}
			a := mk.Snapshot()
			keys := append([]string{"3"}, slices.Repeat([]string{"s"}, sorts)...)
			m := press(sized(Options{}, a, 200, 60), keys...)
			first := pricesOf(t, m).rows[0]
			mid := pricesOf(t, m).rows[200]
			// The first row becomes dear, a middle one the cheapest, and a
			// third changes only its name.
			up, down, renamed := *first.Listing(), *mid.Listing(), *pricesOf(t, m).rows[100].Listing()
			up.Price.In, up.Price.Out = 40, 90
			down.Price.In, down.Price.Out = 0.001, 0.002
			renamed.Name = "Aaa Renamed"
			mk.Apply(model.CatalogueUpdate{At: fixNow.Add(time.Minute), Source: "catalogue", Listings: []model.Listing{up, down, renamed}})
			b := mk.Snapshot()
			m = send(m, SnapshotMsg{Snapshot: b})
			fresh := press(sized(Options{}, b, 200, 60), keys...)
			got, want := pricesOf(t, m).rows, pricesOf(t, fresh).rows
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("row %d is %s, want %s", i, got[i].ID, want[i].ID)
				}
			}
			if out := m.View(); out != fresh.View() {
				t.Errorf("the screen differs from a fresh tab's:\n%s\nwant:\n%s", out, fresh.View())
			}
			// Then a poll that only repriced: the kept orders merge.
			up.Price.In, up.Price.Out = 0.002, 0.002
			down.Price.In, down.Price.Out = 30, 60
			mk.Apply(model.CatalogueUpdate{At: fixNow.Add(2 * time.Minute), Source: "catalogue", Listings: []model.Listing{up, down}})
			c := mk.Snapshot()
			m = send(m, SnapshotMsg{Snapshot: c})
			fresh = press(sized(Options{}, c, 200, 60), keys...)
			got, want = pricesOf(t, m).rows, pricesOf(t, fresh).rows
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("after the second poll, row %d is %s, want %s", i, got[i].ID, want[i].ID)
				}
			}
			if out := m.View(); out != fresh.View() {
				t.Errorf("after the second poll, the screen differs from a fresh tab's:\n%s\nwant:\n%s", out, fresh.View())
			}
			if name == "blended" || name == "in" {
				if l := rowLine(t, m.View(), displayName(up.Name)); !strings.Contains(l, "0.002") {
					t.Errorf("the repriced listing's line %q lacks its new price", l)
				}
			}
		})
	}
}

// TestPricesByValueMergesManyReprices checks the value sort's merge of a
// poll that repriced a handful of rows (fewer than an eighth, so the last
// order is kept): some copy another row's price and so tie on value with
// it, one goes to the top and one to the bottom, and one is renamed into a
// tie; the rows and the screen must be a fresh tab's.
func TestPricesByValueMergesManyReprices(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 400 - len(fixListings())})
	indexMost(mk)
	keys := append([]string{"3"}, slices.Repeat([]string{"s"}, slices.Index(priceSorts, "value"))...)
	m := press(sized(Options{}, mk.Snapshot(), 200, 60), keys...)
	for poll := range 3 {
		rows := pricesOf(t, m).rows
		var ls []model.Listing
		for k := 0; k < 8; k++ {
			l := *rows[(k*37+poll*11)%150].Listing()
			src := *rows[(k*53+poll*7+60)%150].Listing()
			l.Price, l.Indexes = src.Price, src.Indexes // a tie with src
			ls = append(ls, l)
		}
		top, bottom := *rows[120+poll].Listing(), *rows[3+poll].Listing()
		top.Price.In, top.Price.Out = 0.0001, 0.0001
		bottom.Price.In, bottom.Price.Out = 500, 900
		// The renamed row ties with a row before it in the snapshot, and
		// the name, not its place, must put it first.
		place := map[string]int{}
		for i, v := range mk.Snapshot().Listings {
			place[v.ID] = i
		}
		byPlace := func(a, b *model.ListingView) int { return cmp.Compare(place[a.ID], place[b.ID]) }
		span := rows[150:300]
		renamed, partner := *slices.MaxFunc(span, byPlace).Listing(), *slices.MinFunc(span, byPlace).Listing()
		renamed.Name = fmt.Sprintf("Aa Renamed %d", poll)
		renamed.Price, renamed.Indexes = partner.Price, partner.Indexes
		ls = append(ls, top, bottom, renamed)
		mk.Apply(model.CatalogueUpdate{At: fixNow.Add(time.Duration(poll+1) * time.Minute), Source: "catalogue", Listings: ls})
		s := mk.Snapshot()
		m = send(m, SnapshotMsg{Snapshot: s})
		fresh := press(sized(Options{}, s, 200, 60), keys...)
		got, want := pricesOf(t, m).rows, pricesOf(t, fresh).rows
		if len(got) != len(want) {
			t.Fatalf("poll %d: %d rows, want %d", poll, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("poll %d: row %d is %s, want %s", poll, i, got[i].ID, want[i].ID)
			}
		}
		at := func(id string) int {
			return slices.IndexFunc(got, func(v *model.ListingView) bool { return v.ID == id })
		}
		if r, p := at(renamed.ID), at(partner.ID); r > p {
			t.Errorf("poll %d: the renamed row is at %d, after its tie %s at %d", poll, r, partner.ID, p)
		}
		if out := m.View(); out != fresh.View() {
			t.Errorf("poll %d: the screen differs from a fresh tab's:\n%s\nwant:\n%s", poll, out, fresh.View())
		}
	}
}

// indexMost gives four listings in five an intelligence index, with few
// distinct values, so that the value sort has many ties.
func indexMost(mk *model.Market) {
	u := model.CatalogueUpdate{At: fixNow.Add(30 * time.Second), Source: "catalogue"}
	for i, v := range mk.Snapshot().Listings {
		if i%5 != 0 {
			l := *v.Listing()
			l.Indexes = model.Indexes{Source: "catalogue", Intelligence: float64(20 + i%7*5), Coding: nan, Agentic: nan}
			u.Listings = append(u.Listings, l)
		}
	}
	mk.Apply(u)
}
