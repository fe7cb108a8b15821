package feeds

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// TestSourceAgeRules drives one source through a sequence of outcomes on an
// injected clock and checks what its health says afterwards: the age is the
// time since the last success of the data held, never since the last
// attempt; a quota skip is no success; a failure after a success is stale;
// a source that never succeeded has no data; a 404 of an optional dataset
// is unavailable and retried at the source's own slow interval.
func TestSourceAgeRules(t *testing.T) {
	const iv = 10 * time.Second // the --interval override
	ok := func() error { return nil }
	fail := func() error { return &HTTPError{Status: 500} }
	skip := func() error { return &SkipError{Until: epoch.Add(time.Hour), Reason: "dataset quota"} }
	gone := func() error { return fmt.Errorf("apps: %w (HTTP 404)", ErrUnavailable) }
	type step struct {
		at  time.Duration // since epoch
		out func() error
	}
	tests := []struct {
		name      string
		steps     []step
		check     time.Duration // when the state is judged
		state     model.SourceState
		age       time.Duration // -1: no age (never succeeded)
		err       string
		nextAfter time.Duration // the next attempt is at least this long after the last step
	}{
		{"waiting", nil, 0, model.SourceWaiting, -1, "", 0},
		{"success", []step{{0, ok}}, 5 * time.Second, model.SourceFresh, 5 * time.Second, "", 0},
		{"success then failure", []step{{0, ok}, {20 * time.Second, fail}}, 25 * time.Second,
			model.SourceStale, 25 * time.Second, "HTTP 500", 0},
		{"failure then recovery", []step{{0, fail}, {20 * time.Second, ok}}, 21 * time.Second,
			model.SourceFresh, time.Second, "", 0},
		{"never succeeded", []step{{0, fail}, {10 * time.Second, fail}}, 15 * time.Second,
			model.SourceNoData, -1, "HTTP 500", 0},
		{"quota skips are no success", []step{{0, ok}, {10 * time.Second, skip}, {20 * time.Second, skip}}, 20 * time.Second,
			model.SourceFresh, 20 * time.Second, "", 40 * time.Minute},
		{"skipped past three intervals", []step{{0, ok}, {10 * time.Second, skip}, {20 * time.Second, skip}, {31 * time.Second, skip}},
			31 * time.Second, model.SourceStale, 31 * time.Second, "", 40 * time.Minute},
		{"old without a failure", []step{{0, ok}}, 31 * time.Second, model.SourceStale, 31 * time.Second, "", 0},
		{"404 of an optional dataset", []step{{0, gone}}, time.Second, model.SourceUnavailable, -1, "unavailable (HTTP 404)", 50 * time.Minute},
		{"404 after data", []step{{0, ok}, {10 * time.Second, gone}}, 10 * time.Second, model.SourceStale, 10 * time.Second, "unavailable (HTTP 404)", 50 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeClock()
			var out func() error
			src := &fakeSource{name: "apps", interval: time.Hour, fn: func(context.Context, Env, int) ([]model.Update, error) {
				return nil, out()
			}}
			var log sinkLog
			p := NewPoller([]Source{src}, log.sink, PollerOptions{Interval: iv, Clock: fc, Jitter: -1})
			for _, s := range tt.steps {
				fc.set(epoch.Add(s.at))
				out = s.out
				_ = p.RunOnce(context.Background())
			}
			h := log.last("apps")
			if h.Name == "" {
				h = model.SourceHealth{Name: "apps", Interval: iv}
			}
			now := epoch.Add(tt.check)
			if got := h.State(now); got != tt.state {
				t.Errorf("state %v, want %v (health %+v)", got, tt.state, h)
			}
			age, has := h.Age(now)
			switch {
			case tt.age < 0 && has:
				t.Errorf("age %v of a source that never succeeded", age)
			case tt.age >= 0 && tt.state != model.SourceWaiting && (!has || age != tt.age):
				t.Errorf("age %v (known %v), want %v", age, has, tt.age)
			}
			if h.LastError != tt.err {
				t.Errorf("error %q, want %q", h.LastError, tt.err)
			}
			if len(tt.steps) > 0 {
				last := epoch.Add(tt.steps[len(tt.steps)-1].at)
				if d := h.NextAttempt.Sub(last); d < tt.nextAfter {
					t.Errorf("next attempt %v after the last step, want at least %v", d, tt.nextAfter)
				}
			}
		})
	}
}

type flooredSource struct{ fakeSource }

func (*flooredSource) MinInterval() time.Duration { return 10 * time.Minute }

// TestPollerMinIntervalFloorsTheOverride: --interval never polls a source
// with a floor (a quota-guarded dataset) faster than its floor, and its
// staleness is judged against the floor, not the override.
func TestPollerMinIntervalFloorsTheOverride(t *testing.T) {
	fl := &flooredSource{fakeSource{name: "usage", interval: time.Hour}}
	plain := &fakeSource{name: "catalogue", interval: time.Hour}
	p := NewPoller([]Source{fl, plain}, nil, PollerOptions{Interval: 2 * time.Second})
	if got := p.srcs[0].interval; got != 10*time.Minute {
		t.Errorf("floored source polled every %v, want 10m", got)
	}
	if got := p.srcs[1].interval; got != 2*time.Second {
		t.Errorf("plain source polled every %v, want the 2s override", got)
	}
}
