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
		cells, worst := timelineCells(&model.ListingView{HealthTimeline: c.tl}, now, 6)
		if cells != c.cells || worst != c.worst {
			t.Errorf("%s: %q %v, want %q %v", c.name, cells, worst, c.cells, c.worst)
		}
	}
}
