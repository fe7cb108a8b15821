package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// TestFittedBodiesAreExact: the tabs that draw their body already cut and
// padded to the frame (Share, Health, Alerts, the planner), which the frame
// cache keeps without fitting it again, give every line the same width and
// exactly the body's height, with colour and without: what block would have
// made of them.
func TestFittedBodiesAreExact(t *testing.T) {
	states := map[string][]string{"share": {"2"}, "health": {"4"}, "alerts": {"5"}, "planner": {"3", "c"}, "health-end": {"4", "G"}}
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		lipgloss.SetColorProfile(profile)
		for name, keys := range states {
			for _, size := range [][2]int{{80, 24}, {119, 30}, {120, 30}, {160, 48}, {200, 60}, {250, 14}} {
				m := press(sized(Options{}, fixture(), size[0], size[1]), keys...)
				body := m.current().View()
				lines := strings.Split(body, "\n")
				w, h := textWidth(lines[0]), len(lines)
				if w != size[0] {
					t.Errorf("%s at %dx%d (profile %v): the body is %d wide", name, size[0], size[1], profile, w)
				}
				if fitted := block(body, w, h, true); fitted != body {
					t.Errorf("%s at %dx%d (profile %v): the body is not fitted to %dx%d:\n%s", name, size[0], size[1], profile, w, h, body)
				}
			}
		}
	}
	lipgloss.SetColorProfile(termenv.Ascii)
}

// TestShareDrawsANewDaysChartInTheBackground checks that a new day's chart
// is drawn by a command, not in Update or View, and that once its answer
// is in, the screen is the one a Share tab opened on that day shows; an
// older draw answering late does not bring the older chart back.
func TestShareDrawsANewDaysChartInTheBackground(t *testing.T) {
	day1, day2, day3 := threeDays()
	for _, size := range [][2]int{{200, 60}, {120, 40}, {80, 24}} {
		w, h := size[0], size[1]
		want2 := press(sized(Options{}, day2, w, h), "2").View()
		want3 := press(sized(Options{}, day3, w, h), "2").View()

		// twoNewDays is a Share tab on day 1 that has been sent days 2 and
		// 3, with the draws the two started (tabs are pointers: every
		// check starts from its own).
		twoNewDays := func() (m Model, d2, d3 chartDrawn) {
			m = press(sized(Options{}, day1, w, h), "2")
			next, cmd2 := m.Update(SnapshotMsg{Snapshot: day2})
			m = next.(Model)
			if got := m.View(); got == want2 {
				t.Errorf("%dx%d: the new day's chart was drawn in Update", w, h)
			}
			next, cmd3 := m.Update(SnapshotMsg{Snapshot: day3})
			m = next.(Model)
			c2, c3 := answers[chartDrawn](cmd2), answers[chartDrawn](cmd3)
			if len(c2) != 1 || len(c3) != 1 {
				t.Fatalf("%dx%d: %d and %d charts drawn for two new days, want one each", w, h, len(c2), len(c3))
			}
			return m, c2[0], c3[0]
		}
		m, _, d3 := twoNewDays()
		if got := send(m, d3).View(); got != want3 {
			t.Errorf("%dx%d: with the chart in, the screen is not the one day 3 shows:\n%s\nwant\n%s", w, h, got, want3)
		}
		m, d2, d3 := twoNewDays()
		if got := send(m, d3, d2).View(); got != want3 {
			t.Errorf("%dx%d: day 2's chart answering late replaced day 3's:\n%s", w, h, got)
		}
		m, d2, _ = twoNewDays()
		if got := send(m, d2).View(); got == want3 || got == want2 {
			t.Errorf("%dx%d: day 2's chart arriving while day 3's is drawn shows a screen of one day:\n%s", w, h, got)
		}
		m, _, d3 = twoNewDays()
		if got := press(send(press(m, "1"), d3), "2").View(); got != want3 {
			t.Errorf("%dx%d: a chart answering on another tab was lost:\n%s", w, h, got)
		}
		// A snapshot with the same shares (a price poll's) while day 3's
		// chart is on its way, and a tick, start nothing.
		m, _, _ = twoNewDays()
		samePrices := *day3
		samePrices.Version++
		for _, msg := range []tea.Msg{SnapshotMsg{Snapshot: &samePrices}, tickMsg(fixNow)} {
			if _, again := m.Update(msg); len(answers[chartDrawn](again)) != 0 {
				t.Errorf("%dx%d: %T started a second draw of the chart on its way", w, h, msg)
			}
		}
	}
}

// TestShareDrawsAtOnceWhatHasNoChartYet checks the cases with no older
// chart that fits: a new size and the first frame draw the chart in
// Update, so no frame shows a chart of the wrong size or none.
func TestShareDrawsAtOnceWhatHasNoChartYet(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	snap := mk.Snapshot()
	m := press(sized(Options{}, snap, 120, 40), "2")
	for _, size := range [][2]int{{200, 60}, {80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		next, cmd := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		m = next.(Model)
		if n := len(answers[chartDrawn](cmd)); n != 0 {
			t.Errorf("%dx%d: a resize drew its chart in the background (%d)", w, h, n)
		}
		if got, want := m.View(), press(sized(Options{}, snap, w, h), "2").View(); got != want {
			t.Errorf("%dx%d: after a resize the screen is not a fresh one:\n%s\nwant\n%s", w, h, got, want)
		}
	}
}

// threeDays are three snapshots of the fixture market, a day of usage
// apart.
func threeDays() (day1, day2, day3 *model.Snapshot) {
	mk := buildMarket(fixtureOptions{})
	day1 = mk.Snapshot()
	usagePoll(mk, day1)
	day2 = mk.Snapshot()
	usagePoll(mk, day2)
	return day1, day2, mk.Snapshot()
}

// TestShareLateDrawAfterAResizeIsDropped: a chart drawn at once (a new
// size) is newer than every draw asked for before it, so one of those
// answering late does not put an older day's chart back on screen.
func TestShareLateDrawAfterAResizeIsDropped(t *testing.T) {
	day1, day2, day3 := threeDays()
	want := press(sized(Options{}, day3, 200, 60), "2").View()
	m := press(sized(Options{}, day1, 200, 60), "2")
	next, cmd2 := m.Update(SnapshotMsg{Snapshot: day2}) // day 2 drawn in the background
	m = next.(Model)
	m = send(m, tea.WindowSizeMsg{Width: 120, Height: 40}, SnapshotMsg{Snapshot: day3}, tea.WindowSizeMsg{Width: 200, Height: 60})
	late := answers[chartDrawn](cmd2)
	if len(late) != 1 {
		t.Fatalf("%d draws for day 2, want 1", len(late))
	}
	if got := send(m, late[0]).View(); got != want {
		t.Errorf("day 2's chart, answering after day 3's was drawn at once, replaced it:\n%s", got)
	}
}
