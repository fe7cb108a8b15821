package model

// AlertChange is an alert that fired or resolved between two snapshots.
type AlertChange struct {
	Alert    Alert
	Resolved bool // false: it fired
}

// AlertWatcher tells what changed in the alert log from one snapshot to the
// next: what alert deliveries (the bell, hooks, webhooks, event streams)
// announce. An alert already resolved when first seen (history) is not
// news. The zero value is ready; it is not safe for concurrent use.
type AlertWatcher struct {
	seen map[string]AlertState // alert identity → last state seen
}

// Changes compares the snapshot's alerts with those seen before, oldest
// first so that receivers hear of things in the order they happened.
func (w *AlertWatcher) Changes(s *Snapshot) []AlertChange {
	if s == nil {
		return nil
	}
	if w.seen == nil {
		w.seen = make(map[string]AlertState)
	}
	var out []AlertChange
	current := make(map[string]bool, len(s.Alerts))
	for i := len(s.Alerts) - 1; i >= 0; i-- {
		a := s.Alerts[i]
		id := a.ID()
		current[id] = true
		prev, known := w.seen[id]
		w.seen[id] = a.State
		switch {
		case !known && a.State == AlertFiring:
			out = append(out, AlertChange{Alert: a})
		case known && prev == AlertFiring && a.State == AlertResolved:
			out = append(out, AlertChange{Alert: a, Resolved: true})
		}
	}
	for id := range w.seen { // the log is bounded; so is what is remembered of it
		if !current[id] {
			delete(w.seen, id)
		}
	}
	return out
}
