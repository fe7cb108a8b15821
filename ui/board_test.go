package ui

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// TestBoardSparklinesFollowARevisedDay: the Board keeps the last frame's
// rows, each with its series (lineMemo); after a usage poll that revised one
// listing's last day, that listing's trend is drawn anew and the screen is
// that of a Board that saw only the new snapshot, and so on going back.
func TestBoardSparklinesFollowARevisedDay(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	a := mk.Snapshot()
	v, ok := a.Listing("deepseek/deepseek-v3.2")
	if !ok {
		t.Fatal("no deepseek/deepseek-v3.2")
	}
	last := a.Days[len(a.Days)-1]
	mk.Apply(model.UsageUpdate{At: last.Add(23 * time.Hour), Source: "usage", Rows: []model.UsageRow{
		{Date: last, Slug: v.Listing().Slug, Tokens: v.Series[len(v.Series)-1] / 10}}})
	b := mk.Snapshot()
	m := sized(Options{}, a, 200, 60)
	before := rowLine(t, m.View(), "DeepSeek V3.2")
	for i, s := range []*model.Snapshot{b, a, b} {
		m = send(m, SnapshotMsg{Snapshot: s})
		out := m.View()
		if want := sized(Options{}, s, 200, 60).View(); out != want {
			t.Fatalf("snapshot %d: the screen differs from a fresh Board's:\n%s\nwant:\n%s", i, out, want)
		}
		for _, id := range []string{"deepseek/deepseek-v3.2", "anthropic/claude-sonnet-4.5", "z-ai/glm-5"} {
			v, _ := s.Listing(id)
			if l := rowLine(t, out, v.Name); !showsSparkline(l, v.Series) {
				t.Errorf("snapshot %d: %s's line %q lacks its own trend", i, id, l)
			}
		}
	}
	if after := rowLine(t, m.View(), "DeepSeek V3.2"); after == before {
		t.Errorf("the revised day left the row as it was: %q", after)
	}
}

// showsSparkline reports whether line holds series' sparkline in one of
// the widths the Board's trend column takes.
func showsSparkline(line string, series []uint64) bool {
	for w := 12; w <= 60; w++ {
		if strings.Contains(line, sparkline(series, w)) {
			return true
		}
	}
	return false
}

// TestTokenMemoIsUnitsTokens: the memo gives units.Tokens' text for every
// count, counts that share a slot included, asked in any order.
func TestTokenMemoIsUnitsTokens(t *testing.T) {
	var m tokenMemo
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		n := uint64(rnd.IntN(4000)) * []uint64{1, 1e3, 1e6, 1e9}[rnd.IntN(4)]
		if got, want := m.tokens(n), units.Tokens(n); got != want {
			t.Fatalf("tokens(%d) = %q, want %q", n, got, want)
		}
	}
}

// mutations returns copies of v, each with one field changed (every field
// of the view, of its structs and of the detail it points to, one at a
// time; a slice is replaced by a new one with its last value changed, by
// one with a value more, and by ones with each field of its last value
// changed; a pointer by one to a changed copy), named by the field. v
// itself, and what it points to, stay as they are.
func mutations(v model.ListingView) map[string]model.ListingView {
	out := map[string]model.ListingView{}
	// A reach finds a field in u, a fresh copy of v, copying what it
	// points through; it is invalid behind a nil pointer.
	type reach func(u reflect.Value) reflect.Value
	var walk func(path string, t reflect.Type, at reach)
	walk = func(path string, t reflect.Type, at reach) {
		change := func(path string, set func(f reflect.Value)) {
			u := v
			if f := at(reflect.ValueOf(&u).Elem()); f.IsValid() {
				set(f)
				out[path] = u
			}
		}
		switch {
		case t == reflect.TypeFor[time.Time]():
			change(path, func(f reflect.Value) {
				f.Set(reflect.ValueOf(f.Interface().(time.Time).Add(36 * time.Hour)))
			})
		case t.Kind() == reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				if !t.Field(i).IsExported() {
					continue
				}
				walk(path+"."+t.Field(i).Name, t.Field(i).Type, func(u reflect.Value) reflect.Value {
					if f := at(u); f.IsValid() {
						return f.Field(i)
					}
					return reflect.Value{}
				})
			}
		case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
			walk(path, t.Elem(), func(u reflect.Value) reflect.Value {
				f := at(u)
				if !f.IsValid() || f.IsNil() {
					return reflect.Value{}
				}
				c := reflect.New(t.Elem())
				c.Elem().Set(f.Elem())
				f.Set(c)
				return c.Elem()
			})
		case t.Kind() == reflect.Slice:
			fresh := func(more int) func(f reflect.Value) {
				return func(f reflect.Value) {
					n := reflect.MakeSlice(t, f.Len(), f.Len()+more)
					reflect.Copy(n, f)
					if f.Len() > 0 && t.Elem().Kind() == reflect.Uint64 {
						n.Index(f.Len() - 1).SetUint(n.Index(f.Len()-1).Uint()*3 + 7)
					}
					for range more {
						n = reflect.Append(n, reflect.Zero(t.Elem()))
					}
					f.Set(n)
				}
			}
			change(path, fresh(0))
			change(path+"+1", fresh(1))
			// Each field of the last value, in a new slice.
			walk(path+"[last]", t.Elem(), func(u reflect.Value) reflect.Value {
				f := at(u)
				if !f.IsValid() || f.Len() == 0 {
					return reflect.Value{}
				}
				n := reflect.MakeSlice(t, f.Len(), f.Len())
				reflect.Copy(n, f)
				f.Set(n)
				return n.Index(n.Len() - 1)
			})
		default:
			change(path, func(f reflect.Value) {
				switch f.Kind() {
				case reflect.String:
					f.SetString(f.String() + "x")
				case reflect.Int, reflect.Int64:
					f.SetInt(f.Int() + 1)
				case reflect.Uint8, reflect.Uint64:
					f.SetUint(f.Uint() + 1)
				case reflect.Float64:
					x := 2*f.Float() + 1.5 // a figure shown rounded moves too
					if math.IsNaN(x) {
						x = 1.5
					}
					f.SetFloat(x)
				case reflect.Bool:
					f.SetBool(!f.Bool())
				default:
					panic(path + ": no mutation for " + f.Kind().String())
				}
			})
		}
	}
	walk("", reflect.TypeFor[model.ListingView](), func(u reflect.Value) reflect.Value { return u })
	return out
}

// TestBoardRowKeyCoversTheRow: the Board copies a row from its last frame
// while the row's key is the same, so every field that changes the row
// must change the key. Each field of several listings is changed in turn.
func TestBoardRowKeyCoversTheRow(t *testing.T) {
	m := sized(Options{}, fixture(), 200, 60)
	m.View()
	b := boardOf(t, m)
	cols := b.columns()
	widths, gap := layoutColumns(cols, b.w-1)
	for _, id := range []string{"anthropic/claude-sonnet-4.5", "z-ai/glm-5", "deepseek/deepseek-v3.2", "openai/gpt-5.2", "openai/gpt-oss-20b:free", "openrouter/auto"} {
		p, ok := b.snap.Listing(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		v := *p
		for _, sel := range []bool{false, true} {
			row := tableRow(cols, widths, gap, &v, sel, false, b.e.st)
			key := b.rowKey(&v, sel)
			changed := 0
			for field, u := range mutations(v) {
				if tableRow(cols, widths, gap, &u, sel, false, b.e.st) == row {
					continue
				}
				changed++
				if b.rowKey(&u, sel) == key {
					t.Errorf("%s: changing %s changes the row but not its key", id, field)
				}
			}
			if changed < 10 {
				t.Errorf("%s: only %d fields change the row: the mutations miss the columns", id, changed)
			}
		}
	}
}

// TestRebuiltFramesAreFresh: a tab that keeps rows from its last frame
// (lineMemo) shows, after each poll, the screen of a tab that saw only the
// new snapshot: the price, usage and endpoints polls of the benchmarks,
// one after another and back, with the selection on a row that changes.
func TestRebuiltFramesAreFresh(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 60})
	snaps := []*model.Snapshot{mk.Snapshot()}
	for _, poll := range []benchPoll{pricePoll, usagePoll, endpointsPoll, pricePoll} {
		poll(mk, snaps[len(snaps)-1])
		snaps = append(snaps, mk.Snapshot())
	}
	order := []int{1, 0, 1, 2, 3, 4, 3, 0, 4}
	for _, keys := range [][]string{{"1"}, {"1", "j", "j"}, {"1", "G"}, {"3"}, {"3", "j"}, {"3", "c"}, {"4"}, {"5"}} {
		t.Run(strings.Join(keys, " "), func(t *testing.T) {
			for _, size := range [][2]int{{200, 60}, {80, 24}} {
				m := press(sized(Options{}, snaps[0], size[0], size[1]), keys...)
				m.View()
				for _, i := range order {
					m = send(m, SnapshotMsg{Snapshot: snaps[i]})
					got := m.View()
					if want := press(sized(Options{}, snaps[i], size[0], size[1]), keys...).View(); got != want {
						t.Fatalf("%dx%d, snapshot %d: the screen differs from a fresh one:\n%s\nwant:\n%s", size[0], size[1], i, got, want)
					}
				}
			}
		})
	}
}

// TestFramedBodiesKeepEarlierFrames: the root writes its header and footer
// in place around a body just drawn (framedBody), once; a frame shown
// before keeps its text when the next ones are made, around a new body or
// around the same body with a new header.
func TestFramedBodiesKeepEarlierFrames(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	a := mk.Snapshot()
	pricePoll(mk, a)
	b := mk.Snapshot()
	wall := fixNow
	m := sized(Options{Now: func() time.Time { return wall }}, a, 160, 48)
	var frames, copies []string
	keep := func(f string) { frames, copies = append(frames, f), append(copies, strings.Clone(f)) }
	keep(m.View())
	for i, msg := range []tea.Msg{SnapshotMsg{Snapshot: b}, tickMsg(wall.Add(time.Second)), SnapshotMsg{Snapshot: a}, keyMsg("4"), SnapshotMsg{Snapshot: b}} {
		m = send(m, msg)
		f := m.View()
		keep(f)
		if i == 0 {
			if want := sized(Options{Now: func() time.Time { return wall }}, b, 160, 48).View(); f != want {
				t.Fatalf("the frame after the poll differs from a fresh one:\n%s\nwant:\n%s", f, want)
			}
		}
	}
	for i := range frames {
		if frames[i] != copies[i] {
			t.Errorf("frame %d changed after it was shown:\n%s\nwas:\n%s", i, frames[i], copies[i])
		}
	}
}
