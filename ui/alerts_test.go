package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// alertsOf returns the model's Alerts tab with its rows up to date.
func alertsOf(t testing.TB, m Model) *alertsTab {
	t.Helper()
	return tabOf[*alertsTab](t, m)
}

// ackRecorder records what the UI asked the engine to acknowledge.
type ackRecorder struct {
	calls []ackCall
}

type ackCall struct {
	keys []string
	all  bool
}

func (r *ackRecorder) ack(keys []string, all bool) {
	r.calls = append(r.calls, ackCall{append([]string(nil), keys...), all})
}

// firingUnacked counts what the title and the header must show, straight
// from the alerts (not through alertCounts).
func firingUnacked(s *model.Snapshot) (n int, crit bool) {
	for _, a := range s.Alerts {
		if a.State == model.AlertFiring && !a.Acked {
			n++
			crit = crit || a.Severity == model.SeverityCrit
		}
	}
	return n, crit
}

func TestFixtureHasEveryAlertKind(t *testing.T) {
	s := fixture()
	seen := map[model.AlertKind]bool{}
	var firing, resolved, acked bool
	for _, a := range s.Alerts {
		seen[a.Kind] = true
		firing = firing || a.State == model.AlertFiring
		resolved = resolved || a.State == model.AlertResolved
		acked = acked || a.Acked
	}
	for _, k := range model.AlertKinds {
		if !seen[k] {
			t.Errorf("the fixture has no %s alert", k)
		}
	}
	if !firing || !resolved || !acked {
		t.Errorf("the fixture should have firing (%v), resolved (%v) and acknowledged (%v) alerts", firing, resolved, acked)
	}
}

func TestAlertsNewestFirstWithEveryColumn(t *testing.T) {
	s := fixture()
	m := press(sized(Options{}, s, 160, 48), "5")
	tab := alertsOf(t, m)
	if len(tab.rows) != len(s.Alerts) {
		t.Fatalf("%d rows, want every alert (%d)", len(tab.rows), len(s.Alerts))
	}
	for i := 1; i < len(tab.rows); i++ {
		if tab.rows[i].Since.After(tab.rows[i-1].Since) {
			t.Fatalf("row %d (%s) is newer than row %d", i, tab.rows[i].Since, i-1)
		}
	}
	out := m.View()
	for _, want := range []string{"!! CRIT", "!  WARN", "·  INFO", "FIRING", "RESOLVED", "✓ ack", "capacity", "outage",
		"price", "surge", "rank", "crossover", "listing", "2026-02-20 11:58", "not acknowledged"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Alerts tab lacks %q", want)
		}
	}
}

func TestAckKeysCallTheEngine(t *testing.T) {
	s := fixture()
	tests := []struct {
		name string
		keys []string
		want func(tab *alertsTab) ackCall
	}{
		{"a acks the selected alert", []string{"j", "a"}, func(tab *alertsTab) ackCall {
			return ackCall{[]string{tab.rows[1].Key}, false}
		}},
		{"A acks all", []string{"A"}, func(*alertsTab) ackCall { return ackCall{nil, true} }},
		{"A under a kind filter acks the shown", []string{"f", "f", "A"}, func(tab *alertsTab) ackCall {
			var keys []string
			for _, a := range s.Alerts {
				if a.Kind == model.AlertOutage && !a.Acked && !slices.Contains(keys, a.Key) {
					keys = append(keys, a.Key)
				}
			}
			return ackCall{keys, false}
		}},
		{"A with resolved hidden acks the firing unacked", []string{"x", "A"}, func(tab *alertsTab) ackCall {
			var keys []string
			for _, a := range s.Alerts {
				if a.State == model.AlertFiring && !a.Acked && !slices.Contains(keys, a.Key) {
					keys = append(keys, a.Key)
				}
			}
			return ackCall{keys, false}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &ackRecorder{}
			m0 := press(sized(Options{Ack: rec.ack}, s, 120, 40), append([]string{"5"}, tt.keys[:len(tt.keys)-1]...)...)
			before := m0.View()
			m, cmd := pressCmd(m0, tt.keys[len(tt.keys)-1])
			if len(rec.calls) != 0 {
				t.Fatalf("Update called Ack itself: %v", rec.calls)
			}
			m = runCmd(m, cmd)
			tab := alertsOf(t, m)
			want := tt.want(tab)
			if len(rec.calls) != 1 {
				t.Fatalf("%d calls to Ack, want 1: %v", len(rec.calls), rec.calls)
			}
			got := rec.calls[0]
			if got.all != want.all || !slices.Equal(got.keys, want.keys) {
				t.Errorf("Ack(%q, %v), want Ack(%q, %v)", got.keys, got.all, want.keys, want.all)
			}
			if len(want.keys) == 0 && !want.all {
				t.Fatal("the test expects no keys: the filter shows nothing to acknowledge")
			}
			// The UI never fakes the acknowledgement: no new ✓ until the
			// engine's snapshot says so.
			if n, was := strings.Count(m.View(), "✓ ack"), strings.Count(before, "✓ ack"); n != was {
				t.Errorf("the view shows %d ✓ ack (had %d) before the engine answered", n, was)
			}
			if !strings.Contains(m.View(), "acknowledging") {
				t.Error("no feedback that the acknowledgement is on its way")
			}
		})
	}
}

func TestAckOnAnAcknowledgedAlertSendsNothing(t *testing.T) {
	s := fixture()
	rec := &ackRecorder{}
	m := press(sized(Options{Ack: rec.ack}, s, 120, 40), "5")
	tab := alertsOf(t, m)
	i := slices.IndexFunc(tab.rows, func(a *model.Alert) bool { return a.Acked })
	if i < 0 {
		t.Fatal("the fixture has no acknowledged alert")
	}
	for j := 0; j < i; j++ {
		m = press(m, "j")
	}
	m = press(m, "a")
	if len(rec.calls) != 0 || !strings.Contains(m.View(), "already acknowledged") {
		t.Errorf("a on an acknowledged alert: calls %v, view says already acknowledged: %v", rec.calls, strings.Contains(m.View(), "already acknowledged"))
	}
}

func TestAckWithoutEngineSaysSo(t *testing.T) {
	s := fixture()
	m := press(sized(Options{}, s, 80, 24), "5")
	before := m.View()
	if strings.Contains(before, noEngineNote) {
		t.Fatal("the note shows before any key")
	}
	for _, k := range []string{"a", "A"} {
		m = press(m, k)
		out := m.View()
		if !strings.Contains(out, noEngineNote) {
			t.Errorf("%s without an engine does not say %q", k, noEngineNote)
		}
		if strings.Count(out, "✓ ack") != strings.Count(before, "✓ ack") {
			t.Errorf("%s without an engine marked alerts acknowledged", k)
		}
		m = press(m, "j")
		if strings.Contains(m.View(), noEngineNote) {
			t.Errorf("the note outlives the next key")
		}
	}
}

// TestAckRoundTrip wires Ack to a real market, as cmd does: the ✓ and the
// counts change when the next snapshot arrives, not before.
func TestAckRoundTrip(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	var pending []model.Update
	ack := func(keys []string, all bool) { pending = append(pending, model.AckUpdate{Keys: keys, All: all}) }
	m := press(sized(Options{Ack: ack}, mk.Snapshot(), 120, 40), "5")
	n0, _ := firingUnacked(mk.Snapshot())
	if n0 < 2 {
		t.Fatalf("the fixture has %d firing unacknowledged alerts; the test needs 2", n0)
	}
	m = run(m, "a")
	tab := alertsOf(t, m)
	sel := tab.rows[tab.list.sel]
	if sel.Acked {
		t.Fatal("the acknowledgement was faked before the engine answered")
	}
	for _, u := range pending {
		mk.Apply(u)
	}
	pending = nil
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	tab = alertsOf(t, m)
	if got := tab.rows[tab.list.sel]; !got.Acked || got.Key != sel.Key {
		t.Fatalf("after the engine's snapshot the selected alert is %s acked %v, want %s acked", got.Key, got.Acked, sel.Key)
	}
	if want := fmt.Sprintf("5 Alerts %d", n0-1); !strings.Contains(m.View(), want) {
		t.Errorf("the tab bar does not say %q:\n%s", want, strings.Split(m.View(), "\n")[2])
	}
	m = run(m, "A")
	for _, u := range pending {
		mk.Apply(u)
	}
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if head := strings.Split(m.View(), "\n")[0]; strings.Contains(head, "alert") {
		t.Errorf("after A the header still counts alerts: %q", head)
	}
	if tab := alertsOf(t, m); tab.Title() != "Alerts" {
		t.Errorf("title %q after acknowledging all, want Alerts", tab.Title())
	}
}

func TestKindFilterCycles(t *testing.T) {
	s := fixture()
	m := press(sized(Options{}, s, 120, 40), "5")
	for i := 0; i <= len(model.AlertKinds)+1; i++ {
		want := alertKindFilters[i%len(alertKindFilters)]
		tab := alertsOf(t, m)
		if got := alertKindFilters[tab.kind]; got != want {
			t.Fatalf("after %d × f the kind is %q, want %q", i, got, want)
		}
		n := 0
		for _, a := range s.Alerts {
			if want == "" || a.Kind == want {
				n++
			}
		}
		if len(tab.rows) != n || n == 0 {
			t.Errorf("kind %q: %d rows, want %d (and some)", want, len(tab.rows), n)
		}
		for _, a := range tab.rows {
			if want != "" && a.Kind != want {
				t.Errorf("kind %q shows a %s alert", want, a.Kind)
			}
		}
		name := string(want)
		if want == "" {
			name = "all"
		}
		if !strings.Contains(m.View(), "kind "+name) {
			t.Errorf("the status line does not say kind %s", name)
		}
		m = press(m, "f")
	}
}

func TestHideResolvedAndEsc(t *testing.T) {
	s := fixture()
	m := press(sized(Options{}, s, 120, 40), "5", "x")
	tab := alertsOf(t, m)
	for _, a := range tab.rows {
		if a.State == model.AlertResolved {
			t.Fatalf("x left resolved alert %s", a.Key)
		}
	}
	n, _ := firingUnacked(s)
	if len(tab.rows) < n || len(tab.rows) == len(s.Alerts) {
		t.Errorf("x shows %d rows of %d", len(tab.rows), len(s.Alerts))
	}
	// A kind with only resolved alerts, hidden: the empty state says why.
	m = press(m, "f", "f", "f", "f") // surge
	if out := m.View(); !strings.Contains(out, "no surge alerts firing") {
		t.Errorf("an empty filter does not say what it hides:\n%s", out)
	}
	m = press(m, "esc")
	tab = alertsOf(t, m)
	if tab.kind != 0 || tab.hideResolved || len(tab.rows) != len(s.Alerts) {
		t.Errorf("esc left kind %d hideResolved %v rows %d", tab.kind, tab.hideResolved, len(tab.rows))
	}
}

func TestAlertSelectionBounds(t *testing.T) {
	s := fixture()
	n := len(s.Alerts)
	page := alertsOf(t, press(sized(Options{}, s, 80, 24), "5")).pageRows()
	if page >= n {
		t.Fatalf("the fixture's %d alerts fit one page of %d at 80x24; the test needs scrolling", n, page)
	}
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"k"}, 0},
		{[]string{"j", "j"}, 2},
		{[]string{"G"}, n - 1},
		{[]string{"G", "j"}, n - 1},
		{[]string{"G", "g"}, 0},
		{[]string{"pgdown"}, page},
		{[]string{"pgdown", "pgdown", "pgdown"}, n - 1},
		{[]string{"G", "pgup"}, n - 1 - page},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m := press(sized(Options{}, s, 80, 24), append([]string{"5"}, tt.keys...)...)
			tab := alertsOf(t, m)
			if tab.list.sel != tt.want {
				t.Fatalf("selection %d, want %d", tab.list.sel, tt.want)
			}
			var marked string
			for _, l := range strings.Split(m.View(), "\n") {
				if strings.HasPrefix(l, "›") {
					marked = l
				}
			}
			a := tab.rows[tt.want]
			if !strings.Contains(marked, units.When(a.Since, 11)) || !strings.Contains(marked, string(a.Kind)) {
				t.Errorf("the marked line %q is not the alert %s", marked, a.Key)
			}
		})
	}
}

func TestAlertSelectionFollowsItsAlert(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	m := press(sized(Options{}, mk.Snapshot(), 120, 40), "5", "j", "j")
	tab := alertsOf(t, m)
	want := tab.rows[tab.list.sel].ID()
	// A new alert arrives on top: a price hike.
	mk.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "openai/gpt-5.2", Name: "GPT-5.2", Price: paidPrice(3.5, 28, 0.35)}}})
	s := mk.Snapshot()
	if s.Alerts[0].Kind != model.AlertPrice {
		t.Fatalf("the newest alert is %s, want the price hike", s.Alerts[0].Kind)
	}
	m = send(m, SnapshotMsg{Snapshot: s})
	tab = alertsOf(t, m)
	if got := tab.rows[tab.list.sel].ID(); got != want || tab.list.sel != 3 {
		t.Errorf("selection is %q at %d, want %q at 3", got, tab.list.sel, want)
	}
	// Followed past the page, it says that newer alerts are above.
	small := press(sized(Options{}, mk.Snapshot(), 80, 24), "5")
	page := alertsOf(t, small).pageRows()
	for i := 0; i < page-1; i++ {
		small = press(small, "j") // to the last row on screen
	}
	if strings.Contains(small.View(), "newer") {
		t.Fatal("says newer alerts are above while the top is on screen")
	}
	for i := 0; i < 3; i++ {
		mk.Apply(model.CatalogueUpdate{At: fixNow.Add(time.Duration(i+1) * time.Minute), Listings: []model.Listing{
			{ID: "openai/gpt-5.2", Name: "GPT-5.2", Price: paidPrice(3.5*float64(2+i), 28*float64(2+i), nan)}}})
	}
	small = send(small, SnapshotMsg{Snapshot: mk.Snapshot()})
	if status := strings.Split(small.View(), "\n")[3]; !strings.Contains(status, "↑ 3 newer (g)") {
		t.Errorf("status %q does not say 3 newer alerts are above", status)
	}
}

func TestTitleAndHeaderCountFiringUnacked(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	s := mk.Snapshot()
	n, crit := firingUnacked(s)
	m := sized(Options{}, s, 120, 40)
	lines := strings.Split(m.View(), "\n")
	if want := fmt.Sprintf("5 Alerts %d", n); !strings.Contains(lines[2], want) {
		t.Errorf("tab bar %q lacks %q", lines[2], want)
	}
	mark := "! "
	if crit {
		mark = "!! "
	}
	if want := fmt.Sprintf("%s%d alerts", mark, n); !strings.Contains(lines[0], want) {
		t.Errorf("header %q lacks %q", lines[0], want)
	}
	// Acknowledge the crit ones: the marker goes, the count drops.
	var keys []string
	for _, a := range s.Alerts {
		if a.Severity == model.SeverityCrit {
			keys = append(keys, a.Key)
		}
	}
	mk.Apply(model.AckUpdate{Keys: keys})
	s2 := mk.Snapshot()
	n2, crit2 := firingUnacked(s2)
	if crit2 || n2 >= n {
		t.Fatalf("acking the crit alerts left %d (crit %v) of %d", n2, crit2, n)
	}
	m = send(m, SnapshotMsg{Snapshot: s2})
	lines = strings.Split(m.View(), "\n")
	if want := fmt.Sprintf("! %d alerts", n2); !strings.Contains(lines[0], want) || strings.Contains(lines[0], "!!") {
		t.Errorf("header %q, want %q without the crit marker", lines[0], want)
	}
	if want := fmt.Sprintf("5 Alerts %d", n2); !strings.Contains(lines[2], want) {
		t.Errorf("tab bar %q lacks %q", lines[2], want)
	}
	// The header keeps the count at 80 columns.
	if head := strings.Split(sized(Options{}, s, 80, 24).View(), "\n")[0]; !strings.Contains(head, fmt.Sprintf("%d alerts", n)) {
		t.Errorf("80-column header %q drops the alert count", head)
	}
}

func TestAlertBadge(t *testing.T) {
	at := fixNow
	mk := func(as ...model.Alert) *model.Snapshot { return &model.Snapshot{Alerts: as} }
	tests := []struct {
		name string
		s    *model.Snapshot
		want string
		crit bool
	}{
		{"nil", nil, "", false},
		{"none", mk(), "", false},
		{"resolved only", mk(model.Alert{State: model.AlertResolved, Since: at}), "", false},
		{"acked only", mk(model.Alert{Acked: true, Since: at}), "", false},
		{"one warn", mk(model.Alert{Severity: model.SeverityWarn, Since: at}), "! 1 alert", false},
		{"crit among", mk(model.Alert{Severity: model.SeverityCrit}, model.Alert{Severity: model.SeverityInfo},
			model.Alert{Severity: model.SeverityCrit, Acked: true}), "!! 2 alerts", true},
		{"acked crit does not mark", mk(model.Alert{Severity: model.SeverityCrit, Acked: true}, model.Alert{}), "! 1 alert", false},
	}
	for _, tt := range tests {
		got, crit := alertBadge(tt.s)
		if got != tt.want || crit != tt.crit {
			t.Errorf("%s: %q crit %v, want %q %v", tt.name, got, crit, tt.want, tt.crit)
		}
	}
}

func TestAlertsEmptyStates(t *testing.T) {
	empty := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return fixNow }})
	empty.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "a/b", Name: "B", Price: paidPrice(1, 2, nan)}}})
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		m := press(sized(Options{}, empty.Snapshot(), size[0], size[1]), "5")
		out := m.View()
		checkFrame(t, out, size[0], size[1])
		flat := strings.Join(strings.Fields(out), " ")
		if !strings.Contains(flat, "no alerts yet — the rules watch capacity, outages, prices, surges, ranks, crossovers, listings") {
			t.Errorf("%v: the empty log does not say what is watched:\n%s", size, out)
		}
		if !strings.Contains(out, "[5 Alerts]") {
			t.Errorf("%v: the title of an empty log is not plain Alerts", size)
		}
		m = press(m, "a", "A", "j", "G", "f", "x")
		checkFrame(t, m.View(), size[0], size[1])
	}
	if out := press(sized(Options{}, nil, 80, 24), "5").View(); !strings.Contains(out, "waiting for data") {
		t.Errorf("no snapshot yet:\n%s", out)
	}
}

func TestEnterOnAlertOpensItsListing(t *testing.T) {
	s := fixture()
	m := press(withStubDetail(sized(Options{}, s, 120, 40)), "5")
	tab := alertsOf(t, m)
	first := tab.rows[0]
	if _, ok := s.Listing(first.Subject); !ok {
		t.Fatalf("the newest alert's subject %q is not a listing", first.Subject)
	}
	m = press(m, "enter")
	if !strings.Contains(m.View(), "detail of "+first.Subject) {
		t.Errorf("enter on a %s alert did not open %s", first.Kind, first.Subject)
	}
	// An outage is about a status page: enter does nothing.
	m = press(withStubDetail(sized(Options{}, s, 120, 40)), "5", "f", "f", "enter")
	if m.overlay != nil {
		t.Errorf("enter on an outage alert opened %q", m.overlay.Title())
	}
}

func TestPaneShowsTheWholeMessage(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	long := strings.Repeat("very long incident title ", 12) + "END"
	mk.Apply(model.StatusUpdate{At: fixNow.Add(-time.Minute), Page: model.StatusPage{Name: "longpage", Status: model.StatusMajorOutage,
		Incidents: []model.Incident{{ID: "x", Title: "Short (-17%) title", Impact: model.StatusMajorOutage, Status: "identified", Started: fixNow.Add(-time.Hour)},
			{ID: "y", Title: long, Impact: model.StatusMajorOutage, Started: fixNow.Add(-2 * time.Hour)}}}})
	s := mk.Snapshot()
	m := press(sized(Options{}, s, 80, 24), "5")
	// The pane: the lines from its rule down.
	pane := func(m Model) string {
		out := m.View()
		i := strings.Index(out, "\n──")
		if i < 0 {
			t.Fatalf("no pane:\n%s", out)
		}
		return out[i+1:]
	}
	// The newest alerts are the two incidents (same time): find each in the pane.
	tab := alertsOf(t, m)
	for i := 0; i < 2; i++ {
		a := tab.rows[tab.list.sel]
		out := pane(m)
		flat := strings.Join(strings.Fields(out), " ")
		switch {
		case strings.Contains(a.Message, "END"):
			if !strings.Contains(out, "…") || strings.Contains(flat, "END") {
				t.Errorf("a message longer than the pane is not cut with …:\n%s", out)
			}
		default:
			if !strings.Contains(flat, "(-17%) title") {
				t.Errorf("the pane splits or loses the message %q:\n%s", a.Message, out)
			}
		}
		if !strings.Contains(out, "!! CRIT · outage · longpage") {
			t.Errorf("the pane's rule does not name the alert:\n%s", out)
		}
		m = press(m, "j")
	}
}

func TestWrapWords(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want []string
	}{
		{"", 10, []string{""}},
		{"one two three", 7, []string{"one two", "three"}},
		{"out $3.00 → $2.50 (-17%) per M", 12, []string{"out $3.00 →", "$2.50 (-17%)", "per M"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"built for long-running agentic work", 14, []string{"built for", "long-running", "agentic work"}},
		{"a abcdefghij b", 4, []string{"a", "abcd", "efgh", "ij b"}},
		{"通义千问 长上下文", 5, []string{"通义", "千问", "长上", "下文"}},
	}
	for _, tt := range tests {
		got := wrapWords(tt.in, tt.w)
		if !slices.Equal(got, tt.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		for _, l := range got {
			if textWidth(l) > tt.w {
				t.Errorf("wrapWords(%q, %d): line %q is wider", tt.in, tt.w, l)
			}
		}
	}
}

func TestHostileAlertTextNeverReachesTheScreen(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	mk.Apply(model.StatusUpdate{At: fixNow.Add(-time.Minute), Page: model.StatusPage{Name: "evil\x1b[31m", Status: model.StatusMajorOutage,
		Authors:   []string{"anth\x1b]0;x\x07ropic"},
		Incidents: []model.Incident{{ID: "e", Title: "Bad\x1b[2J \u202etitle\r\b", Impact: model.StatusMajorOutage, Status: "inv\x1bestigating", Started: fixNow}}}})
	for _, tab := range []string{"4", "5"} {
		out := press(sized(Options{}, mk.Snapshot(), 160, 48), tab).View()
		if strings.ContainsAny(out, "\x1b\r\b\x07\u202e") {
			t.Errorf("tab %s lets a control through: %q", tab, out)
		}
		if !strings.Contains(out, "Bad title") {
			t.Errorf("tab %s does not show the cleaned incident title:\n%s", tab, out)
		}
	}
}

func TestAlertsAndHealthInColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	s := fixture()
	for _, tab := range []string{"4", "5"} {
		for _, size := range [][2]int{{80, 24}, {200, 60}} {
			out := press(sized(Options{}, s, size[0], size[1]), tab).View()
			checkFrame(t, out, size[0], size[1])
			if !strings.Contains(out, "\x1b[") {
				t.Errorf("tab %s: no colour with a colour profile", tab)
			}
		}
	}
}

// benchAlertSnapshot is the 400-listing market with endpoints on every
// listing and a full alert log of 500, raised by the real rules: two rounds
// of price changes on every listing.
func benchAlertSnapshot(b *testing.B) *model.Snapshot {
	b.Helper()
	return benchAlertMarket(b).Snapshot()
}

// benchAlertMarket is the market of benchAlertSnapshot.
func benchAlertMarket(b *testing.B) *model.Market {
	b.Helper()
	mk := buildMarket(fixtureOptions{extra: 400 - len(fixListings())})
	s := mk.Snapshot()
	for round := 1; round <= 2; round++ {
		u := model.CatalogueUpdate{At: fixNow.Add(time.Duration(round) * time.Minute), Source: "catalogue"}
		for _, v := range s.Listings {
			l := *v.Listing()
			if l.Price.Kind == model.PricePaid {
				l.Price.In *= 1 + 0.2*float64(round)
				l.Price.Out *= 1 + 0.2*float64(round)
			}
			u.Listings = append(u.Listings, l)
		}
		mk.Apply(u)
	}
	for i, v := range s.Listings {
		eps := make([]model.Endpoint, 1+i%9)
		for j := range eps {
			eps[j] = model.Endpoint{Provider: fmt.Sprint("p", j), Status: model.EndpointStatus(-(i + j) % 3 / 2),
				Uptime5m: 100 - float64((i+j)%13), Uptime30m: 100 - float64((i+j)%7), Uptime1d: 100 - float64((i+j)%3),
				LatencyP50: float64(300 + (i*j)%4000), ThroughputP50: float64(10 + (i+j)%90)}
		}
		mk.Apply(model.EndpointsUpdate{At: fixNow.Add(3 * time.Minute), ListingID: v.ID, Endpoints: eps})
	}
	out := mk.Snapshot()
	if len(out.Listings) != 400 || len(out.Alerts) != 500 {
		b.Fatalf("%d listings and %d alerts, want 400 and 500", len(out.Listings), len(out.Alerts))
	}
	return mk
}

// BenchmarkViewAlerts is an Alerts frame at 200x60 with 400 listings and
// 500 alerts.
func BenchmarkViewAlerts(b *testing.B) { benchTabView(b, "5") }

// BenchmarkRebuildAlerts is a price poll's snapshot (it raises alerts)
// plus an Alerts frame: filter, reselect, layout and every visible row
// rebuilt.
func BenchmarkRebuildAlerts(b *testing.B) { benchTabRebuild(b, "5", pricePoll) }

// BenchmarkRebuildAlertsSameContent is the same-content snapshot plus an
// Alerts frame.
func BenchmarkRebuildAlertsSameContent(b *testing.B) {
	benchRebuildSame(b, benchAlertSnapshot(b), "5")
}

func benchTabView(b *testing.B, tab string) {
	benchFrames(b, press(sized(Options{}, benchAlertSnapshot(b), 200, 60), tab))
}

// benchTabRebuild is benchRebuild on the market of benchAlertSnapshot.
func benchTabRebuild(b *testing.B, tab string, poll benchPoll) {
	build := func() *model.Market { return benchAlertMarket(b) }
	benchRebuildOn(b, benchPair(b, fmt.Sprintf("alerts %p", poll), build, poll), tab)
}

func TestAlertMessageDropsTheVendorPrefix(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	mk.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "z-ai/glm-5", Name: "Z.ai: GLM 5", Price: paidPrice(2, 6, nan)}}})
	out := press(sized(Options{}, mk.Snapshot(), 160, 48), "5").View()
	if !strings.Contains(out, "GLM 5 price hike") || strings.Contains(out, "Z.ai: GLM 5 price") {
		t.Errorf("the message keeps the vendor prefix:\n%s", out)
	}
}

func TestAlertsFooterFollowsTheFilters(t *testing.T) {
	m := press(sized(Options{}, fixture(), 160, 48), "5")
	footer := func(m Model) string { l := strings.Split(m.View(), "\n"); return l[len(l)-1] }
	if f := footer(m); !strings.Contains(f, "A ack all") || !strings.Contains(f, "x hide resolved") {
		t.Errorf("footer without filters: %q", f)
	}
	m = press(m, "x")
	if f := footer(m); !strings.Contains(f, "A ack shown") || !strings.Contains(f, "x show resolved") {
		t.Errorf("footer with resolved hidden: %q", f)
	}
	m = press(m, "x", "f")
	if f := footer(m); !strings.Contains(f, "A ack shown") || !strings.Contains(f, "x hide resolved") {
		t.Errorf("footer with a kind filter: %q", f)
	}
	if full := press(m, "?").View(); !strings.Contains(full, "clear filters") {
		t.Errorf("the full help does not offer esc to clear the filters:\n%s", full)
	}
}

// TestNewestRowStaysOnTheNewest: a selection on the newest row (where the
// tab opens, or where g takes it) stays on the newest as alerts arrive; one
// the user moved down follows its alert (TestAlertSelectionFollowsItsAlert).
func TestNewestRowStaysOnTheNewest(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	hike := func(i int) {
		mk.Apply(model.CatalogueUpdate{At: fixNow.Add(time.Duration(i) * time.Minute), Listings: []model.Listing{
			{ID: "openai/gpt-5.2", Name: "GPT-5.2", Price: paidPrice(3.5*float64(1+i), 28*float64(1+i), nan)}}})
	}
	m := press(sized(Options{}, mk.Snapshot(), 120, 40), "5")
	hike(1)
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	tab := alertsOf(t, m)
	if tab.list.sel != 0 || tab.rows[0].Since != fixNow.Add(time.Minute) {
		t.Fatalf("an untouched selection moved to row %d instead of the new newest alert", tab.list.sel)
	}
	// Down and back to the top with g: pinned to the newest again.
	m = press(m, "j", "j", "g")
	hike(2)
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if tab := alertsOf(t, m); tab.list.sel != 0 || tab.rows[0].Since != fixNow.Add(2*time.Minute) {
		t.Errorf("after g the selection is on row %d, want the newest", tab.list.sel)
	}
	// Down one: follows its alert.
	m = press(m, "j")
	want := alertsOf(t, m).rows[1].ID()
	hike(3)
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if tab := alertsOf(t, m); tab.list.sel != 2 || tab.rows[2].ID() != want {
		t.Errorf("a moved selection is on row %d, want its alert on row 2", tab.list.sel)
	}
}
