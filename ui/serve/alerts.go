package serve

import "github.com/tokentape/tokentape/model"

// Change is an alert that fired or resolved between two snapshots.
type Change struct {
	Alert    model.Alert
	Resolved bool // false: it fired
}

// alertTracker finds what changed in the alert log between snapshots. An
// alert already resolved when first seen (history) is not news.
type alertTracker struct {
	seen map[string]model.AlertState // alert identity → last state seen
}

// changes compares the snapshot's alerts with those seen before, oldest
// first so receivers see things in the order they happened.
func (t *alertTracker) changes(s *model.Snapshot) []Change {
	if t.seen == nil {
		t.seen = make(map[string]model.AlertState)
	}
	var out []Change
	current := make(map[string]bool, len(s.Alerts))
	for i := len(s.Alerts) - 1; i >= 0; i-- {
		a := s.Alerts[i]
		id := a.ID()
		current[id] = true
		prev, known := t.seen[id]
		t.seen[id] = a.State
		switch {
		case !known && a.State == model.AlertFiring:
			out = append(out, Change{Alert: a})
		case known && prev == model.AlertFiring && a.State == model.AlertResolved:
			out = append(out, Change{Alert: a, Resolved: true})
		}
	}
	for id := range t.seen { // the log is bounded; so is what we remember of it
		if !current[id] {
			delete(t.seen, id)
		}
	}
	return out
}
