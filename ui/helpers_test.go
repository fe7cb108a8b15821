package ui

import (
	"os"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// Tests render without colour unless they say otherwise, so screens compare
// as plain text and every state must read by glyph or word.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// keyMsg builds the KeyMsg Bubble Tea sends for a key name.
func keyMsg(k string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"esc": tea.KeyEsc, "enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace,
	}
	if t, ok := special[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// send applies messages to a model as the program would, dropping commands.
func send(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

// press sends keys by name.
func press(m Model, keys ...string) Model {
	for _, k := range keys {
		m = send(m, keyMsg(k))
	}
	return m
}

// sized returns a model of the given size showing snap.
func sized(opts Options, snap *model.Snapshot, w, h int) Model {
	m := New(opts)
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	if snap != nil {
		m = send(m, SnapshotMsg{Snapshot: snap})
	}
	return m
}

// fakeControl records what the UI asked of the poller or player.
type fakeControl struct {
	paused    bool
	speed     float64 // 0: live
	refreshes int
	sets      []float64
}

func (c *fakeControl) SetPaused(p bool)   { c.paused = p }
func (c *fakeControl) Paused() bool       { return c.paused }
func (c *fakeControl) Refresh()           { c.refreshes++ }
func (c *fakeControl) SetSpeed(x float64) { c.sets = append(c.sets, x); c.speed = x }
func (c *fakeControl) Speed() float64     { return c.speed }

// run presses keys as the program would, and also runs the commands they
// return (a batch's too), feeding each command's message back to the model:
// what happens when Bubble Tea executes an action a key started, such as
// saving the workload or acknowledging an alert.
func run(m Model, keys ...string) Model {
	for _, k := range keys {
		next, cmd := m.Update(keyMsg(k))
		m = next.(Model)
		m = runCmd(m, cmd)
	}
	return m
}

// pressCmd presses one key and returns the command it started, unrun.
func pressCmd(m Model, k string) (Model, tea.Cmd) {
	next, cmd := m.Update(keyMsg(k))
	return next.(Model), cmd
}

// tabOf returns the model's tab of type T with its rows up to date.
func tabOf[T interface {
	Tab
	sync()
}](t testing.TB, m Model) T {
	t.Helper()
	for _, tab := range m.tabs {
		if x, ok := tab.(T); ok {
			x.sync()
			return x
		}
	}
	var none T
	t.Fatalf("no %T tab", none)
	return none
}

// answers runs cmd as the program would, batches included, and returns
// the answers of type M it gave (the work it did in the background).
func answers[M tea.Msg](cmd tea.Cmd) []M {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case M:
		return []M{msg}
	case tea.BatchMsg:
		var out []M
		for _, c := range msg {
			out = append(out, answers[M](c)...)
		}
		return out
	}
	return nil
}

// runCmd runs a command as Bubble Tea would and feeds its message back.
func runCmd(m Model, cmd tea.Cmd) Model {
	if cmd == nil {
		return m
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			m = runCmd(m, c)
		}
	default:
		m = send(m, msg)
	}
	return m
}
