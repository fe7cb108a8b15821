package ui

import (
	"math/rand"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/tokentape/tokentape/model"
)

// TestRandomWalk drives the model with a long, seeded mix of keys, resizes,
// new snapshots (with and without volumes, empty, nil) and ticks, checking
// every frame fits. It is what a user mashing keys on a live feed does.
func TestRandomWalk(t *testing.T) {
	snaps := []*model.Snapshot{
		fixture(),
		buildMarket(fixtureOptions{source: "openrouter", noVolume: true}).Snapshot(),
		buildMarket(fixtureOptions{source: "replay", extra: 60}).Snapshot(),
		model.NewMarket(model.Config{Source: "openrouter"}).Snapshot(),
		nil,
	}
	keys := []string{"1", "2", "3", "4", "5", "A", "f", "tab", "shift+tab", "j", "k", "up", "down", "g", "G", "pgup", "pgdown",
		"s", "o", "/", "a", "x", "backspace", "enter", "esc", "?", "p", "+", "-", "r", "home", "end", " ",
		"c", "e", "m", "%", "5M", "3:1"}
	rng := rand.New(rand.NewSource(7))
	m := New(Options{Control: &fakeControl{speed: 1}})
	w, h := 80, 24
	for step := 0; step < 3000; step++ {
		var msg tea.Msg
		switch r := rng.Intn(20); {
		case r < 14:
			k := keys[rng.Intn(len(keys))]
			if k == "q" {
				continue
			}
			msg = keyMsg(k)
		case r < 17:
			w, h = 1+rng.Intn(300), 1+rng.Intn(100)
			msg = tea.WindowSizeMsg{Width: w, Height: h}
		case r < 19:
			msg = SnapshotMsg{Snapshot: snaps[rng.Intn(len(snaps))]}
		default:
			msg = tickMsg(fixNow)
		}
		next, _ := m.Update(msg)
		m = next.(Model)
		out := m.View()
		checkFrame(t, out, w, h)
		if t.Failed() {
			t.Fatalf("step %d after %#v", step, msg)
		}
	}
}
