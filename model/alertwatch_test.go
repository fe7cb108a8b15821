package model

import (
	"testing"
	"time"
)

func TestAlertWatcherChanges(t *testing.T) {
	t0 := time.Date(2026, 8, 19, 12, 0, 0, 0, time.UTC)
	alert := func(key string, since time.Time, st AlertState) Alert {
		return Alert{Key: key, Kind: AlertCapacity, Since: since, State: st}
	}
	var w AlertWatcher
	steps := []struct {
		name   string
		alerts []Alert // newest first, as a Snapshot holds them
		want   []string
	}{
		{"history: firing is news, resolved is not", []Alert{alert("b", t0.Add(time.Hour), AlertFiring), alert("a", t0, AlertResolved)},
			[]string{"fired b"}},
		{"nothing new", []Alert{alert("b", t0.Add(time.Hour), AlertFiring), alert("a", t0, AlertResolved)}, nil},
		{"b resolves, c fires: oldest first", []Alert{alert("c", t0.Add(2*time.Hour), AlertFiring), alert("b", t0.Add(time.Hour), AlertResolved)},
			[]string{"resolved b", "fired c"}},
		{"b fires again: a new alert (new since)", []Alert{alert("b", t0.Add(3*time.Hour), AlertFiring), alert("c", t0.Add(2*time.Hour), AlertFiring)},
			[]string{"fired b"}},
	}
	for _, st := range steps {
		var got []string
		for _, c := range w.Changes(&Snapshot{Alerts: st.alerts}) {
			verb := "fired "
			if c.Resolved {
				verb = "resolved "
			}
			got = append(got, verb+c.Alert.Key)
		}
		if len(got) != len(st.want) {
			t.Errorf("%s: %v, want %v", st.name, got, st.want)
			continue
		}
		for i := range got {
			if got[i] != st.want[i] {
				t.Errorf("%s: %v, want %v", st.name, got, st.want)
				break
			}
		}
	}
	if len(w.seen) != 2 {
		t.Errorf("the watcher remembers %d alerts, want the 2 of the last snapshot", len(w.seen))
	}
	if w.Changes(nil) != nil {
		t.Error("a nil snapshot has changes")
	}
}
