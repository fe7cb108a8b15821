package ui

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/tokentape/tokentape/model"
)

// TestStateTones: every state of a listing, an alert and a status page
// reads as the tone its colour says, including values past the last named
// state (a page state from a newer or damaged source still reads red).
func TestStateTones(t *testing.T) {
	tests := []struct {
		name string
		got  tone
		want tone
	}{
		{"health unknown", healthTones.of(model.HealthUnknown), tonePlain},
		{"health OK", healthTones.of(model.HealthOK), toneGood},
		{"health degraded", healthTones.of(model.HealthDegraded), toneWarn},
		{"health down", healthTones.of(model.HealthDown), toneBad},
		{"health past down", healthTones.of(model.HealthDown + 1), tonePlain},
		{"severity info", severityTones.of(model.SeverityInfo), tonePlain},
		{"severity warn", severityTones.of(model.SeverityWarn), toneWarn},
		{"severity crit", severityTones.of(model.SeverityCrit), toneBad},
		{"severity past crit", severityTones.of(model.SeverityCrit + 1), tonePlain},
		{"page unknown", pageTones.of(model.StatusUnknown), tonePlain},
		{"page operational", pageTones.of(model.StatusOperational), toneGood},
		{"page maintenance", pageTones.of(model.StatusMaintenance), tonePlain},
		{"page degraded", pageTones.of(model.StatusDegraded), toneWarn},
		{"page partial outage", pageTones.of(model.StatusPartialOutage), toneBad},
		{"page major outage", pageTones.of(model.StatusMajorOutage), toneBad},
		{"page past major outage", pageTones.of(model.StatusMajorOutage + 1), toneBad},
		{"page 255", pageTones.of(model.PageStatus(255)), toneBad},
		{"impact unknown", impactTones.of(model.StatusUnknown), toneWarn},
		{"impact operational", impactTones.of(model.StatusOperational), toneWarn},
		{"impact maintenance", impactTones.of(model.StatusMaintenance), toneWarn},
		{"impact degraded", impactTones.of(model.StatusDegraded), toneWarn},
		{"impact partial outage", impactTones.of(model.StatusPartialOutage), toneBad},
		{"impact major outage", impactTones.of(model.StatusMajorOutage), toneBad},
		{"impact past major outage", impactTones.of(model.StatusMajorOutage + 1), toneBad},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: tone %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestTonesPaint: under colour, each tone paints as the palette's good,
// warn and bad, and plain paints nothing.
func TestTonesPaint(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	st := newStyles()
	tests := []struct {
		tone tone
		want paint
	}{
		{tonePlain, paint{}},
		{toneGood, st.good},
		{toneWarn, st.warn},
		{toneBad, st.bad},
	}
	for _, tt := range tests {
		if got := st.tones[tt.tone]; got != tt.want {
			t.Errorf("tone %d paints %q…%q, want %q…%q", tt.tone, got.pre, got.post, tt.want.pre, tt.want.post)
		}
		if tt.tone != tonePlain && tt.want.pre == "" {
			t.Errorf("tone %d has no colour under a colour profile", tt.tone)
		}
	}
	if st.health(model.HealthDown) != st.bad || st.page(model.StatusOperational) != st.good ||
		st.severity(model.SeverityWarn) != st.warn || st.impact(model.StatusDegraded) != st.warn {
		t.Error("a state's paint is not its tone's")
	}
}
