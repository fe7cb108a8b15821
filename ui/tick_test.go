package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// TestNextChangeIsNeverLate: the tick comes when the header would next look
// different, and a figure that moves each minute costs one tick a minute.
// For every case the header, the strip and the stale marks are drawn at
// each whole second up to the answer: unchanged before it (no change is
// missed, so no age lies and no stale source looks fresh), changed at it
// (the tick is not spent early).
func TestNextChangeIsNeverLate(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	fresh := func(name string, age, interval time.Duration) model.SourceHealth {
		return model.SourceHealth{Name: name, OK: true, LastSuccess: ago(age), LastAttempt: ago(age), Interval: interval}
	}
	failing := func(name string, age, retryIn time.Duration) model.SourceHealth {
		h := model.SourceHealth{Name: name, LastError: "HTTP 500", LastAttempt: ago(time.Second), Interval: time.Minute}
		if age > 0 {
			h.LastSuccess = ago(age)
		}
		if retryIn != 0 {
			h.NextAttempt = now.Add(retryIn)
		}
		return h
	}
	tests := []struct {
		name    string
		sources []model.SourceHealth
		want    int64 // seconds; 0: no tick at all
	}{
		{"an age in seconds moves each second", []model.SourceHealth{fresh("catalogue", 12300*time.Millisecond, 10*time.Minute)}, 1},
		{"an age in minutes moves at the next minute", []model.SourceHealth{fresh("catalogue", 25*time.Minute+10500*time.Millisecond, 10*time.Minute)}, 50},
		{"an age in hours and minutes moves each minute", []model.SourceHealth{fresh("usage", 2*time.Hour+5*time.Minute+59*time.Second, time.Hour)}, 1},
		{"an age in days moves each hour", []model.SourceHealth{fresh("usage", 50*time.Hour+30*time.Minute, 0)}, 1800},
		{"the seconds of one source set the pace for all", []model.SourceHealth{
			fresh("catalogue", 25*time.Minute+10*time.Second, 10*time.Minute), fresh("status.claude", 30*time.Second, time.Minute)}, 1},
		{"a fresh source turns stale between two minutes", []model.SourceHealth{fresh("catalogue", 44*time.Minute+500*time.Millisecond, 14*time.Minute+50*time.Second)}, 30},
		{"ten minutes of age switch from seconds to minutes", []model.SourceHealth{fresh("catalogue", 9*time.Minute+59*time.Second, 10*time.Minute)}, 1},
		{"a retry countdown in seconds", []model.SourceHealth{failing("catalogue", 3*time.Hour, 6500*time.Millisecond)}, 1},
		{"a retry countdown in minutes", []model.SourceHealth{failing("usage", 0, 10*time.Minute+30*time.Second)}, 31},
		{"stale since a time that gains its date at 20 hours", []model.SourceHealth{failing("catalogue", 19*time.Hour+59*time.Minute+30*time.Second, -time.Second)}, 30},
		{"no data and retrying: nothing moves", []model.SourceHealth{failing("usage", 0, -time.Second)}, 0},
		{"waiting: nothing moves", []model.SourceHealth{{Name: "endpoints"}}, 0},
		{"no sources", nil, 0},
	}
	st := newStyles()
	show := func(s *model.Snapshot, at time.Time) string {
		return headerLine(s, headerState{now: at}, staleSources(s, at, false), 200, st) + "\n" +
			stripLine(s, at, 200, st) + "\n" + strconv.Itoa(int(staleFigures(s, at))) + " " + stalePageNames(s, at)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &model.Snapshot{Source: "openrouter", Now: now, AsOf: now, Sources: tt.sources}
			got, ok := nextChange(s, now)
			if !ok {
				got = 0
			}
			if got != tt.want {
				t.Errorf("next change in %ds, want %ds (ok %v)", got, tt.want, ok)
			}
			first := show(s, now)
			limit := got
			if !ok {
				limit = 4000 // nothing may move for an hour and more
			}
			for k := int64(1); k < limit; k++ {
				if later := show(s, now.Add(time.Duration(k)*time.Second)); later != first {
					t.Fatalf("the screen changed %ds on, before the tick at %ds:\n%s\nbecame\n%s", k, got, first, later)
				}
			}
			if ok {
				if later := show(s, now.Add(time.Duration(got)*time.Second)); later == first {
					t.Errorf("the tick at %ds changes nothing:\n%s", got, first)
				}
			}
		})
	}
}

// A live snapshot whose ages show minutes schedules its tick for the next
// minute; a snapshot with an age in seconds, arriving meanwhile, brings the
// tick forward; a late tick of the earlier schedule starts no second chain.
func TestTickComesWhenTheHeaderChanges(t *testing.T) {
	wall := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := wall
	m := sized(Options{Now: func() time.Time { return clock }}, nil, 120, 30)
	snap := func(age time.Duration) *model.Snapshot {
		return &model.Snapshot{Source: "openrouter", Now: wall, AsOf: wall, Sources: []model.SourceHealth{
			{Name: "catalogue", OK: true, LastSuccess: wall.Add(-age), LastAttempt: wall.Add(-age), Interval: time.Hour}}}
	}
	next, cmd := m.Update(SnapshotMsg{Snapshot: snap(25*time.Minute + 20*time.Second)})
	m = next.(Model)
	if cmd == nil || !m.tickAt.Equal(wall.Add(40*time.Second)) {
		t.Fatalf("an age of 25m20s: tick due %v (cmd %v), want in 40s", m.tickAt.Sub(wall), cmd != nil)
	}
	clock = wall.Add(10 * time.Second)
	next, cmd = m.Update(SnapshotMsg{Snapshot: snap(5 * time.Second)})
	m = next.(Model)
	if cmd == nil || !m.tickAt.Equal(clock.Add(time.Second)) {
		t.Fatalf("an age of 5s: tick due %v after it came (cmd %v), want 1s", m.tickAt.Sub(clock), cmd != nil)
	}
	clock = wall.Add(11 * time.Second)
	next, cmd = m.Update(tickMsg(clock))
	m = next.(Model)
	if cmd == nil || !strings.Contains(strings.Split(m.View(), "\n")[1], "catalogue 6s") {
		t.Fatalf("the due tick: next %v, strip %q", cmd != nil, strings.Split(m.View(), "\n")[1])
	}
	// A tick of the first schedule, still on its way, starts no second chain.
	if _, again := m.Update(tickMsg(wall.Add(11*time.Second + 500*time.Millisecond))); again != nil {
		t.Error("a tick of an earlier schedule started a second chain")
	}
}
