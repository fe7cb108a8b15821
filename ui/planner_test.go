package ui

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/tokentape/tokentape/model"
)

// plannerOf returns the Prices tab's planner with its rows up to date.
func plannerOf(t *testing.T, m Model) *planner {
	t.Helper()
	p := pricesOf(t, m).plan
	p.sync()
	return p
}

// openPlanner shows the planner on the Prices tab.
func openPlanner(opts Options, snap *model.Snapshot, w, h int) Model {
	return press(sized(opts, snap, w, h), "3", "c")
}

// typeInto replaces the focused field's text: ctrl+u clears it, then the
// text arrives as runes (as a paste would).
func typeInto(m Model, text string) Model {
	m = send(m, tea.KeyMsg{Type: tea.KeyCtrlU})
	if text != "" {
		m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)})
	}
	return m
}

// selectRow moves the planner's selection to a listing.
func selectRow(t *testing.T, m Model, id string) Model {
	t.Helper()
	p := plannerOf(t, m)
	m = press(m, "g")
	for i, v := range p.rows {
		if v.ID == id {
			for j := 0; j < i; j++ {
				m = press(m, "j")
			}
			if got, _ := plannerOf(t, m).selected(); got != id {
				t.Fatalf("selected %s, want %s", got, id)
			}
			return m
		}
	}
	t.Fatalf("%s is not a planner row", id)
	return m
}

// planRow returns the planner line showing a listing's row (not the title
// or the mix line, which may name it too).
func planRow(t *testing.T, screen, name string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+name+" ") && !strings.Contains(l, "Cost planner") && !strings.HasPrefix(l, " mix") {
			return l
		}
	}
	t.Fatalf("no row shows %q:\n%s", name, screen)
	return ""
}

// perDay is the hand formula of the issue: input tokens at the input price,
// output tokens at the output price, per million.
func perDay(tokens, inShare float64, p model.Price) float64 {
	return (tokens*inShare*p.In + tokens*(1-inShare)*p.Out) / 1e6
}

func TestPlannerDoneWhenFigures(t *testing.T) {
	m := openPlanner(Options{}, fixture(), 160, 60)
	screen := m.View()
	for name, want := range map[string][]string{
		"Claude Sonnet 4.5": {"$120.00", "$3,600.00", "reference"},  // 15M × $3 + 5M × $15
		"MiniMax M2.5":      {"$10.50", "$315.00", "11.4× cheaper"}, // 15M × $0.30 + 5M × $1.20
	} {
		l := planRow(t, screen, name)
		for _, w := range want {
			if !strings.Contains(l, w) {
				t.Errorf("%s: %q lacks %q", name, l, w)
			}
		}
	}
	if !strings.Contains(screen, "vs Claude Sonnet 4.5 $120.00/day") {
		t.Errorf("the title does not name the reference's cost:\n%s", screen)
	}

	// 50M a day: every figure moves at once.
	m = press(m, "e")
	m = typeInto(m, "50M")
	m = press(m, "enter")
	screen = m.View()
	if l := planRow(t, screen, "Claude Sonnet 4.5"); !strings.Contains(l, "$300.00") || !strings.Contains(l, "$9,000.00") {
		t.Errorf("Sonnet at 50M: %q, want $300.00/day and $9,000.00/month", l)
	}
	if l := planRow(t, screen, "MiniMax M2.5"); !strings.Contains(l, "$26.25") { // 37.5 × 0.30 + 12.5 × 1.20
		t.Errorf("MiniMax at 50M: %q, want $26.25", l)
	}
	p := plannerOf(t, m)
	if p.e.workload.TokensPerDay != 50e6 {
		t.Fatalf("workload %+v, want 50M tokens a day", p.e.workload)
	}
	paid := 0
	for i, v := range p.rows {
		if v.Price.Kind != model.PricePaid {
			continue
		}
		paid++
		want := perDay(50e6, 0.75, v.Price)
		if math.Abs(p.cost[i].PerDay-want) > 1e-6 || math.Abs(p.cost[i].PerMonth-30*want) > 1e-6 {
			t.Errorf("%s: %v/day %v/month, want %v and %v", v.ID, p.cost[i].PerDay, p.cost[i].PerMonth, want, 30*want)
		}
		if i > 0 && p.rows[i-1].Price.Kind == model.PricePaid && p.cost[i-1].PerDay > p.cost[i].PerDay {
			t.Errorf("%s before %s: not cheapest first", p.rows[i-1].ID, v.ID)
		}
		if p.rank[i] != paid {
			t.Errorf("%s ranked %d, want %d", v.ID, p.rank[i], paid)
		}
	}
	if paid != 38 {
		t.Errorf("%d paid listings costed, want the fixture's 38", paid)
	}
}

func TestPlannerGroupsAndOverrides(t *testing.T) {
	m := openPlanner(Options{}, fixture(), 160, 60)
	p := plannerOf(t, m)
	// Scroll to the end so the groups shown apart are on screen.
	screen := press(m, "G").View()
	for _, want := range []string{
		"── free · $0.00 a day",
		"── variable price (routers pick the model) · can't be costed",
		"── no price yet · can't be costed",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if p.counts[groupFree] != 2 || p.counts[groupVariable] != 1 || p.counts[groupUnknown] != 1 {
		t.Errorf("groups %v, want 2 free, 1 variable, 1 unknown", p.counts)
	}
	for _, v := range p.rows {
		if v.Listing().AliasOf != "" {
			t.Errorf("alias %s is costed", v.ID)
		}
	}
	screen = m.View()
	// Overrides: the cheapest and the dearest window, and what they are.
	tests := map[string]string{
		"Claude Sonnet 4.5": "$120.00–$202.50 long context >200K", // 15×6 + 5×22.50 for long prompts
		"MiniMax M2.5":      "$5.25–$10.50 time of day",           // off-peak at half price
	}
	for name, want := range tests {
		if l := planRow(t, screen, name); !strings.Contains(l, want) {
			t.Errorf("%s: %q lacks %q", name, l, want)
		}
	}
	if l := planRow(t, screen, "GPT-5.2"); strings.Contains(l, "–$") {
		t.Errorf("a listing without overrides shows a range: %q", l)
	}
}

func TestPlannerCacheHits(t *testing.T) {
	m := openPlanner(Options{Workload: model.Workload{TokensPerDay: 20e6, InputShare: 0.75, CacheHit: 0.5}}, fixture(), 160, 60)
	screen := m.View()
	// Sonnet: 7.5M × $3 + 7.5M cached × $0.30 + 5M × $15.
	if l := planRow(t, screen, "Claude Sonnet 4.5"); !strings.Contains(l, "$99.75") {
		t.Errorf("Sonnet with half the input cached: %q, want $99.75", l)
	}
	// gpt-oss-120b has no cache-read price: all input at the input price.
	if l := planRow(t, screen, "gpt-oss-120b"); !strings.Contains(l, "$1.55") || !strings.Contains(l, "no cache price") {
		t.Errorf("gpt-oss-120b: %q, want $1.55 and no cache price", l)
	}
	if !strings.Contains(screen, "cache hits 50%") {
		t.Errorf("the workload line does not show the cache-hit rate:\n%s", screen)
	}
}

func TestPlannerWorkloadValidation(t *testing.T) {
	def := model.DefaultWorkload()
	tests := []struct {
		field int
		input string
		want  model.Workload // the workload after enter
		err   string         // in the notice when the input is refused
	}{
		{fieldTokens, "50M", model.Workload{TokensPerDay: 50e6, InputShare: 0.75}, ""},
		{fieldTokens, "1.5B", model.Workload{TokensPerDay: 1.5e9, InputShare: 0.75}, ""},
		{fieldTokens, " 750k ", model.Workload{TokensPerDay: 750e3, InputShare: 0.75}, ""},
		{fieldTokens, "20,000,000", def, ""},
		{fieldTokens, "abc", def, "is not a token count"},
		{fieldTokens, "0", def, "is not a token count"},
		{fieldTokens, "-5M", def, "is not a token count"},
		{fieldTokens, "", def, "is not a token count"},
		{fieldTokens, "2000T", def, "more than 1P"},
		{fieldTokens, "NaN", def, "is not a token count"},
		{fieldInput, "3:1", def, ""},
		{fieldInput, "1:1", model.Workload{TokensPerDay: 20e6, InputShare: 0.5}, ""},
		{fieldInput, "50%", model.Workload{TokensPerDay: 20e6, InputShare: 0.5}, ""},
		{fieldInput, "90", model.Workload{TokensPerDay: 20e6, InputShare: 0.9}, ""},
		{fieldInput, "4:0", model.Workload{TokensPerDay: 20e6, InputShare: 1}, ""},
		{fieldInput, "0:0", def, "not an input:output ratio"},
		{fieldInput, "3:-1", def, "not an input:output ratio"},
		{fieldInput, "150%", def, "not between 0% and 100%"},
		{fieldInput, "lots", def, "not a percentage"},
		{fieldCache, "30%", model.Workload{TokensPerDay: 20e6, InputShare: 0.75, CacheHit: 0.3}, ""},
		{fieldCache, "0", def, ""},
		{fieldCache, "101%", def, "not between 0% and 100%"},
		{fieldCache, "-1%", def, "not between 0% and 100%"},
		{fieldCache, "", def, "not a percentage"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%q", fieldLabels[tt.field], tt.input), func(t *testing.T) {
			m := press(openPlanner(Options{}, fixture(), 120, 40), "e")
			for i := 0; i < tt.field; i++ {
				m = press(m, "tab")
			}
			m = typeInto(m, tt.input)
			m = press(m, "enter")
			p := plannerOf(t, m)
			if got := p.e.workload; math.Abs(got.TokensPerDay-tt.want.TokensPerDay) > 1e-6 ||
				math.Abs(got.InputShare-tt.want.InputShare) > 1e-12 || math.Abs(got.CacheHit-tt.want.CacheHit) > 1e-12 {
				t.Errorf("workload %+v, want %+v", got, tt.want)
			}
			screen := m.View()
			if tt.err == "" {
				if p.editing || p.bad {
					t.Errorf("a good input left the editor open (%v) or an error: %q", p.editing, p.notice)
				}
				return
			}
			// Refused: the message is inline, the last good value is kept,
			// and the bad field keeps the focus so it can be fixed.
			if !p.editing || p.focus != tt.field || !m.tabs[2].Capturing() {
				t.Errorf("after a bad input: editing %v focus %d capturing %v", p.editing, p.focus, m.tabs[2].Capturing())
			}
			flat := strings.Join(strings.Fields(screen), " ")
			if !strings.Contains(flat, tt.err) || !strings.Contains(flat, "kept "+fieldText(def, tt.field)) {
				t.Errorf("no inline %q and \"kept …\" message:\n%s", tt.err, screen)
			}
			// esc gives up the edit and keeps the last good workload.
			m = press(m, "esc")
			if p := plannerOf(t, m); p.editing || p.e.workload != def {
				t.Errorf("esc: editing %v workload %+v", p.editing, p.e.workload)
			}
		})
	}
}

func TestPlannerFieldsCaptureKeys(t *testing.T) {
	m := press(openPlanner(Options{}, fixture(), 120, 40), "e")
	p := plannerOf(t, m)
	// Moving between fields: tab and down forward, shift+tab and up back.
	for _, step := range []struct {
		key   string
		focus int
	}{{"tab", fieldInput}, {"down", fieldCache}, {"tab", fieldTokens}, {"shift+tab", fieldCache}, {"up", fieldInput}, {"up", fieldTokens}} {
		m = press(m, step.key)
		if p.focus != step.focus {
			t.Fatalf("after %s the focus is on %s, want %s", step.key, fieldLabels[p.focus], fieldLabels[step.focus])
		}
	}
	// q, 1 and p go to the field, not to the root.
	m = typeInto(m, "")
	m = press(m, "q", "1", "p")
	if m.active != 2 || m.paused || p.fields[fieldTokens].Value() != "q1p" {
		t.Errorf("keys escaped the field: tab %d paused %v field %q", m.active, m.paused, p.fields[fieldTokens].Value())
	}
	if !strings.Contains(m.View(), "[q1p") {
		t.Errorf("the focused field is not bracketed:\n%s", m.View())
	}
	if _, cmd := m.Update(keyMsg("q")); isQuit(cmd) {
		t.Error("q quit while a field had focus")
	}
	// The footer names the field keys while editing.
	if v := m.View(); !strings.Contains(v, "next field") || !strings.Contains(v, "apply") {
		t.Errorf("the footer does not show the field keys:\n%s", v)
	}
	m = press(m, "esc", "c")
	if pricesOf(t, m).planOn {
		t.Error("c did not close the planner")
	}
	if v := m.View(); strings.Contains(v, "Cost planner") || !strings.Contains(v, "blend 3:1") {
		t.Errorf("the price list is not back:\n%s", v)
	}
	// esc with nothing to clear closes the planner too.
	m = press(m, "c", "esc")
	if pricesOf(t, m).planOn {
		t.Error("esc did not close the planner")
	}
}

func TestPlannerSaveWorkload(t *testing.T) {
	tests := []struct {
		name    string
		save    func(model.Workload) error
		notice  string
		calls   int
		nilSave bool
	}{
		{name: "saved", save: func(model.Workload) error { return nil }, notice: "workload 50M:75:25 saved", calls: 1},
		{name: "error", save: func(model.Workload) error { return errors.New("config.toml: permission denied") },
			notice: "workload not saved: config.toml: permission denied", calls: 1},
		{name: "panic", save: func(model.Workload) error { panic("boom") }, notice: "workload not saved: boom", calls: 1},
		{name: "nil", nilSave: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []model.Workload
			opts := Options{}
			if !tt.nilSave {
				opts.SaveWorkload = func(w model.Workload) error { got = append(got, w); return tt.save(w) }
			}
			m := press(openPlanner(opts, fixture(), 160, 60), "e")
			m = typeInto(m, "50M")
			m, cmd := pressCmd(m, "enter")
			if len(got) != 0 {
				t.Fatal("Update saved the workload itself")
			} else if tt.calls > 0 && !strings.Contains(m.View(), "saving workload 50M:75:25…") {
				t.Errorf("no word that the workload is being saved:\n%s", m.View())
			}
			m = runCmd(m, cmd)
			if len(got) != tt.calls {
				t.Fatalf("SaveWorkload called %d times, want %d", len(got), tt.calls)
			}
			if tt.calls > 0 && got[0] != (model.Workload{TokensPerDay: 50e6, InputShare: 0.75}) {
				t.Errorf("saved %+v, want the edited workload", got[0])
			}
			screen := m.View()
			if tt.notice != "" && !strings.Contains(screen, tt.notice) {
				t.Errorf("screen lacks %q:\n%s", tt.notice, screen)
			}
			// The edit stands either way.
			if l := planRow(t, screen, "Claude Sonnet 4.5"); !strings.Contains(l, "$300.00") {
				t.Errorf("the edit did not apply: %q", l)
			}
			// An unchanged workload is not saved again.
			press(m, "e", "enter")
			if len(got) != tt.calls {
				t.Errorf("an unchanged workload was saved again (%d calls)", len(got))
			}
		})
	}
}

func TestPlannerInitialWorkload(t *testing.T) {
	tests := []struct {
		in   model.Workload
		want model.Workload
	}{
		{model.Workload{}, model.DefaultWorkload()},
		{model.Workload{TokensPerDay: 5e6, InputShare: 0.5}, model.Workload{TokensPerDay: 5e6, InputShare: 0.5}},
		{model.Workload{TokensPerDay: math.NaN(), InputShare: 0.5}, model.DefaultWorkload()},
		{model.Workload{TokensPerDay: 5e6, InputShare: 2}, model.DefaultWorkload()},
	}
	for _, tt := range tests {
		m := openPlanner(Options{Workload: tt.in}, fixture(), 120, 40)
		if got := plannerOf(t, m).e.workload; got != tt.want {
			t.Errorf("Options.Workload %+v: planner starts at %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// mixMarket is the mix example: Kimi K2.5 at $0.45/$2.20 and Claude
// Sonnet 4.5 at $3/$15, plus a router that cannot be costed.
func mixMarket() *model.Snapshot {
	m := model.NewMarket(model.Config{Source: "demo", Clock: func() time.Time { return fixNow }})
	m.Apply(model.CatalogueUpdate{At: fixNow, Source: "catalogue", Listings: []model.Listing{
		{ID: "moonshotai/kimi-k2.5", Name: "Kimi K2.5", Price: paidPrice(0.45, 2.20, nan)},
		{ID: "anthropic/claude-sonnet-4.5", Name: "Claude Sonnet 4.5", Price: paidPrice(3, 15, 0.30)},
		{ID: "openai/gpt-5.2", Name: "GPT-5.2", Price: paidPrice(1.75, 14, 0.175)},
		{ID: "openrouter/auto", Name: "Auto Router", Price: model.Price{Kind: model.PriceVariable}},
	}})
	return m.Snapshot()
}

func TestPlannerMix(t *testing.T) {
	const kimi, sonnet = "moonshotai/kimi-k2.5", "anthropic/claude-sonnet-4.5"
	tests := []struct {
		name string
		snap *model.Snapshot
		want []string
	}{
		// 0.8 × (15×0.45 + 5×2.20) + 0.2 × 120 = 0.8 × 17.75 + 24 = 38.20;
		// 38.20/120 − 1 = −68%, 38.20/17.75 − 1 = +115%.
		{"issue", mixMarket(), []string{"mix 80% Kimi K2.5 + 20% Claude Sonnet 4.5 = $38.20/day ($1,146.00/month)",
			"all on Kimi K2.5 $17.75 (+115%)", "all on Claude Sonnet 4.5 $120.00 (−68%)"}},
		// The fixture's Kimi is $0.60/$3.00: 0.8 × 24 + 24 = 43.20;
		// 43.20/120 − 1 = −64%, 43.20/24 − 1 = +80%.
		{"fixture", fixture(), []string{"= $43.20/day ($1,296.00/month)", "all on Kimi K2.5 $24.00 (+80%)",
			"all on Claude Sonnet 4.5 $120.00 (−64%)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := openPlanner(Options{}, tt.snap, 200, 40)
			m = press(selectRow(t, m, kimi), "m")                 // Kimi takes 100%
			m = press(selectRow(t, m, sonnet), "m")               // Sonnet the 0% left
			m = press(selectRow(t, m, sonnet), "%")               // the share field opens
			m = press(typeInto(m, "20%"), "enter")                // Sonnet 20%, so Kimi 80%
			screen := strings.Join(strings.Fields(m.View()), " ") // the mix line may wrap
			for _, w := range tt.want {
				if !strings.Contains(screen, w) {
					t.Errorf("mix lacks %q:\n%s", w, m.View())
				}
			}
			p := plannerOf(t, m)
			if len(p.mix) != 2 || p.mix[0].share != 80 || p.mix[1].share != 20 {
				t.Errorf("mix %+v, want Kimi 80 and Sonnet 20", p.mix)
			}
			if l := planRow(t, m.View(), "Kimi K2.5"); !strings.Contains(l, "80%") {
				t.Errorf("the Kimi row does not show its share: %q", l)
			}
		})
	}
}

func TestPlannerMixShares(t *testing.T) {
	const kimi, sonnet, gpt = "moonshotai/kimi-k2.5", "anthropic/claude-sonnet-4.5", "openai/gpt-5.2"
	m := openPlanner(Options{}, mixMarket(), 160, 40)
	m = press(selectRow(t, m, kimi), "m")
	if v := m.View(); !strings.Contains(v, "mix 100% Kimi K2.5 = $17.75/day") {
		t.Errorf("a mix of one at 100%% is that listing's cost:\n%s", v)
	}
	m = press(selectRow(t, m, sonnet), "%")
	m = press(typeInto(m, "50"), "enter")
	m = press(selectRow(t, m, gpt), "m")
	p := plannerOf(t, m)
	if len(p.mix) != 3 || p.mix[2].share != 0 {
		t.Fatalf("mix %+v, want a third listing with the 0%% left", p.mix)
	}
	m = press(selectRow(t, m, gpt), "%")
	m = press(typeInto(m, "25"), "enter")
	// Three listings: the others keep their shares, and the mix says the
	// shares do not add up.
	flat := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(flat, "shares add up to 125%, not 100%") {
		t.Errorf("no message while the shares add up to 125%%:\n%s", m.View())
	}
	if strings.Contains(flat, "/day ·") && strings.Contains(flat, "all on") {
		t.Errorf("a mix that does not add up is costed:\n%s", m.View())
	}
	// Fix it: Kimi 25% → 25 + 50 + 25.
	m = press(selectRow(t, m, kimi), "%")
	m = press(typeInto(m, "25"), "enter")
	// 0.25×17.75 + 0.5×120 + 0.25×(15×1.75 + 5×14 = 96.25) = 4.4375 + 60 + 24.0625 = 88.50
	if flat := strings.Join(strings.Fields(m.View()), " "); !strings.Contains(flat, "= $88.50/day") {
		t.Errorf("the fixed mix is not $88.50/day:\n%s", m.View())
	}
	// A bad share is refused inline.
	m = press(selectRow(t, m, kimi), "%")
	m = press(typeInto(m, "lots"), "enter")
	if p := plannerOf(t, m); !p.sharing || !strings.Contains(p.notice, "not a percentage") {
		t.Errorf("a bad share: sharing %v notice %q", p.sharing, p.notice)
	}
	m = press(m, "esc")
	// m takes a listing out; a router cannot join.
	m = press(selectRow(t, m, gpt), "m")
	if p := plannerOf(t, m); len(p.mix) != 2 || p.mixIndex(gpt) >= 0 {
		t.Errorf("m did not take GPT-5.2 out: %+v", p.mix)
	}
	m = press(selectRow(t, m, "openrouter/auto"), "m")
	if p := plannerOf(t, m); len(p.mix) != 2 || !strings.Contains(p.notice, "can't be costed") {
		t.Errorf("a variable-priced router joined the mix (%+v) or no message (%q)", p.mix, p.notice)
	}
	// The mix is costed under a new workload too.
	m = press(m, "e")
	m = press(typeInto(m, "40M"), "enter")
	// Kimi 25% and Sonnet 50% of 40M: 0.25×35.50 + 0.5×240 = 128.875, but the
	// shares add up to 75% now that GPT-5.2 left.
	if flat := strings.Join(strings.Fields(m.View()), " "); !strings.Contains(flat, "shares add up to 75%") {
		t.Errorf("after removing a listing the mix does not say 75%%:\n%s", m.View())
	}
}

func TestPlannerEnterOpensDetailAndComesBack(t *testing.T) {
	m := openPlanner(Options{}, fixture(), 120, 40)
	m = press(m, "j", "j", "j")
	want, _ := plannerOf(t, m).selected()
	m = press(m, "enter")
	if m.overlay == nil {
		t.Fatal("enter on a planner row did not open its detail")
	}
	if d := m.overlay.(*detail); d.id != want {
		t.Errorf("detail of %s, want %s", d.id, want)
	}
	m = press(m, "esc")
	if got, _ := plannerOf(t, m).selected(); m.overlay != nil || got != want || !pricesOf(t, m).planOn {
		t.Errorf("back on %s (planner open %v), want %s in the planner", got, pricesOf(t, m).planOn, want)
	}
}

// TestGoldenPlanner pins the planner at 80x24 and 160x48 without colour:
// as it opens, and with an 80/20 mix while the workload is being edited.
func TestGoldenPlanner(t *testing.T) {
	snap := fixture()
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("open_%dx%d", w, h), func(t *testing.T) {
			out := openPlanner(Options{}, snap, w, h).View()
			checkFrame(t, out, w, h)
			golden.RequireEqual(t, []byte(out))
		})
		t.Run(fmt.Sprintf("mix_%dx%d", w, h), func(t *testing.T) {
			m := openPlanner(Options{}, snap, w, h)
			m = press(selectRow(t, m, "moonshotai/kimi-k2.5"), "m")
			m = press(selectRow(t, m, "anthropic/claude-sonnet-4.5"), "%")
			m = press(typeInto(m, "20"), "enter", "e", "tab")
			out := m.View()
			checkFrame(t, out, w, h)
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// BenchmarkViewPlanner is a planner frame at 200x60 with 400 listings.
func BenchmarkViewPlanner(b *testing.B) {
	benchFrames(b, openPlanner(Options{}, benchSnapshot(b), 200, 60))
}

// BenchmarkRebuildPlanner is a price poll's snapshot plus a planner frame:
// the listings the poll repriced costed again, every listing sorted and the
// table laid out.
func BenchmarkRebuildPlanner(b *testing.B) { benchRebuild(b, "3", pricePoll, "c") }

// BenchmarkRebuildPlannerSameContent is the same-content snapshot plus a
// planner frame.
func BenchmarkRebuildPlannerSameContent(b *testing.B) {
	benchRebuildSame(b, benchSnapshot(b), "3", "c")
}

// FuzzWorkloadFields: whatever is typed into the three fields, parsing never
// panics, and what it accepts is a workload the model accepts.
func FuzzWorkloadFields(f *testing.F) {
	for _, s := range [][3]string{{"20M", "75%", "0%"}, {"1.5B", "3:1", "30"}, {"abc", ":", "%"}, {"1e400", "1e308:1e308", "NaN"}, {"-0", "0:0", "-0"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, tokens, input, cache string) {
		w, field, err := parseWorkloadFields(tokens, input, cache)
		if err != nil {
			if field < 0 || field >= nFields {
				t.Fatalf("error %v names field %d", err, field)
			}
			return
		}
		if verr := w.Validate(); verr != nil {
			t.Fatalf("accepted %q %q %q as %+v, which the model refuses: %v", tokens, input, cache, w, verr)
		}
	})
}

// TestPlannerHearsTheSaveAfterLeavingTheTab: the save runs as a command;
// its answer reaches the planner even when the user went to another tab
// before it came back.
func TestPlannerHearsTheSaveAfterLeavingTheTab(t *testing.T) {
	opts := Options{SaveWorkload: func(model.Workload) error { return errors.New("disk full") }}
	m := typeInto(press(openPlanner(opts, fixture(), 160, 60), "e"), "50M")
	m, cmd := pressCmd(m, "enter")
	m = press(m, "1")
	m = runCmd(m, cmd)
	if v := press(m, "3").View(); !strings.Contains(v, "workload not saved: disk full") {
		t.Errorf("the planner never heard how the save went:\n%s", v)
	}
}

// TestPlannerCostsFollowTheMarket: the cost table is priced again when a
// listing's price changes, and kept, with the same figures, across a
// snapshot that changed no listing.
func TestPlannerCostsFollowTheMarket(t *testing.T) {
	mk := buildMarket(fixtureOptions{})
	m := openPlanner(Options{}, mk.Snapshot(), 160, 48)
	if l := planRow(t, m.View(), "MiniMax M2.5"); !strings.Contains(l, "$10.50") { // 15M × 0.30 + 5M × 1.20
		t.Fatalf("MiniMax at 20M: %q, want $10.50", l)
	}
	mk.Apply(model.StatusUpdate{At: fixNow, Page: model.StatusPage{Name: "elsewhere", Status: model.StatusDegraded}})
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if l := planRow(t, m.View(), "MiniMax M2.5"); !strings.Contains(l, "$10.50") {
		t.Errorf("MiniMax after a status update: %q, want $10.50", l)
	}
	mk.Apply(model.CatalogueUpdate{At: fixNow, Listings: []model.Listing{{ID: "minimax/minimax-m2.5", Name: "MiniMax: MiniMax M2.5",
		Price: paidPrice(0.6, 2.4, 0.03)}}})
	m = send(m, SnapshotMsg{Snapshot: mk.Snapshot()})
	if l := planRow(t, m.View(), "MiniMax M2.5"); !strings.Contains(l, "$21.00") {
		t.Errorf("MiniMax after its price doubled: %q, want $21.00", l)
	}
}

// TestPlannerAfterARepriceMatchesAFreshPlanner: the planner's cost table
// keeps its order across snapshots (export.CostOrder); after a poll that
// made the cheapest listing dear and a middle one the cheapest, the screen
// is that of a planner that saw only the new snapshot, and the repriced
// listing shows its new cost.
func TestPlannerAfterARepriceMatchesAFreshPlanner(t *testing.T) {
	mk := buildMarket(fixtureOptions{extra: 400 - len(fixListings())})
	a := mk.Snapshot()
	m := openPlanner(Options{}, a, 200, 60)
	_ = m.View()
	cheap, ok := a.Listing("openai/gpt-oss-120b")
	if !ok {
		t.Fatal("no openai/gpt-oss-120b")
	}
	mid, _ := a.Listing("deepseek/bench-model-200")
	up, down := *cheap.Listing(), *mid.Listing()
	up.Price.In, up.Price.Out = 40, 90
	down.Price.In, down.Price.Out = 0.001, 0.001
	mk.Apply(model.CatalogueUpdate{At: fixNow.Add(time.Minute), Source: "catalogue", Listings: []model.Listing{up, down}})
	b := mk.Snapshot()
	for i, s := range []*model.Snapshot{b, a, b} {
		m = send(m, SnapshotMsg{Snapshot: s})
		if got, want := m.View(), openPlanner(Options{}, s, 200, 60).View(); got != want {
			t.Fatalf("snapshot %d: the screen differs from a fresh planner's:\n%s\nwant:\n%s", i, got, want)
		}
	}
	if l := rowLine(t, m.View(), displayName(down.Name)); !strings.Contains(l, "$0.020") {
		t.Errorf("the repriced listing's line %q lacks its new daily cost", l)
	}
}
