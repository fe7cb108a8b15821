package ui

import (
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func TestTimelineCellsCarryEachStateUntilTheNext(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		tl    []model.HealthSample
		cells string
		worst model.Health
	}{
		{"no samples", nil, "", model.HealthUnknown},
		{"ok before the window, all day", []model.HealthSample{{At: now.Add(-30 * time.Hour), Health: model.HealthOK}}, "●●●●●●", model.HealthOK},
		{"down for an hour inside a slot", []model.HealthSample{
			{At: now.Add(-30 * time.Hour), Health: model.HealthOK},
			{At: now.Add(-9 * time.Hour), Health: model.HealthDown},
			{At: now.Add(-8 * time.Hour), Health: model.HealthOK}}, "●●●○●●", model.HealthDown},
		{"data only lately", []model.HealthSample{{At: now.Add(-5 * time.Hour), Health: model.HealthDegraded}}, "····◐◐", model.HealthDegraded},
	}
	for _, c := range cases {
		cells, worst := timelineCells(&model.ListingView{Detail: &model.ListingDetail{HealthTimeline: c.tl}}, now, 6)
		if cells != c.cells || worst != c.worst {
			t.Errorf("%s: %q %v, want %q %v", c.name, cells, worst, c.cells, c.worst)
		}
	}
}

// TestTimelineCellsAgainstTheDefinition: on timelines with samples on
// slot bounds, several in one slot, before the window and after now, each
// cell is the state in effect at the slot's start, worsened by any sample
// inside it, as a direct reading of that definition computes it.
func TestTimelineCellsAgainstTheDefinition(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	from := now.Add(-model.HealthTimelineOf)
	const cells = 8
	slot := model.HealthTimelineOf / cells
	offsets := []time.Duration{-time.Hour, 0, time.Nanosecond, slot - 1, slot, slot + 1, 2*slot + slot/2, 2*slot + slot/2 + time.Minute,
		5 * slot, 7*slot + slot/3, 8 * slot, 8*slot + time.Hour}
	states := []model.Health{model.HealthOK, model.HealthDegraded, model.HealthDown}
	definition := func(tl []model.HealthSample) (string, model.Health) {
		out, overall := "", model.HealthUnknown
		for c := 0; c < cells; c++ {
			lo, hi := from.Add(time.Duration(c)*slot), from.Add(time.Duration(c+1)*slot)
			worst := model.HealthUnknown
			for _, s := range tl {
				if !s.At.After(lo) {
					worst = s.Health // the last one at or before lo is in effect
				}
			}
			for _, s := range tl {
				if s.At.After(lo) && s.At.Before(hi) {
					worst = max(worst, s.Health)
				}
			}
			overall = max(overall, worst)
			out += worst.Glyph()
		}
		return out, overall
	}
	// Every run of consecutive offsets, with the states cycling, so that
	// each bound meets each neighbour.
	for start := range offsets {
		for end := start + 1; end <= len(offsets); end++ {
			var tl []model.HealthSample
			for k, off := range offsets[start:end] {
				tl = append(tl, model.HealthSample{At: from.Add(off), Health: states[(start+k)%len(states)]})
			}
			got, gotWorst := timelineCells(&model.ListingView{Detail: &model.ListingDetail{HealthTimeline: tl}}, now, cells)
			want, wantWorst := definition(tl)
			if got != want || gotWorst != wantWorst {
				t.Errorf("samples at %v: %q %v, want %q %v", offsets[start:end], got, gotWorst, want, wantWorst)
			}
		}
	}
}
