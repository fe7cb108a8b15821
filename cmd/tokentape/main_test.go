package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

type countingSource struct{ n int }

func (c *countingSource) Name() string            { return "usage" }
func (c *countingSource) Interval() time.Duration { return time.Hour }
func (c *countingSource) Fetch(context.Context, feeds.Env) ([]model.Update, error) {
	c.n++
	return []model.Update{model.AppsUpdate{}}, nil
}

func TestQuotaGuardKeepsKeyedDatasetsUnderTheDailyQuota(t *testing.T) {
	src := &countingSource{}
	q := &quotaGuard{Source: src, minGap: datasetMinGap}
	now := time.Date(2026, 2, 16, 0, 0, 0, 0, time.UTC)
	env := feeds.Env{Now: func() time.Time { return now }}
	for i := 0; i < 86400; i++ { // a day of --interval 1s
		ups, err := q.Fetch(context.Background(), env)
		var skip *feeds.SkipError
		if err != nil && !errors.As(err, &skip) {
			t.Fatal(err)
		}
		if skip != nil && !skip.Until.After(now) {
			t.Fatalf("a skip until %v at %v", skip.Until, now)
		}
		if err == nil && len(ups) != 1 {
			t.Fatal("a real fetch lost its updates")
		}
		now = now.Add(time.Second)
	}
	if src.n != 144 {
		t.Fatalf("%d dataset requests in a day, want 144 (one per 10 min)", src.n)
	}
}

type failingSource struct{ n int }

func (f *failingSource) Name() string            { return "apps" }
func (f *failingSource) Interval() time.Duration { return time.Hour }
func (f *failingSource) Fetch(context.Context, feeds.Env) ([]model.Update, error) {
	f.n++
	return nil, &feeds.HTTPError{Status: 500}
}

// Pressing r during a dataset outage sends no more requests than the quota
// guard allows: 200 presses sent 30 requests before, because only a success
// started the guard's clock.
func TestQuotaGuardHoldsDuringFailures(t *testing.T) {
	src := &failingSource{}
	q := &quotaGuard{Source: src, minGap: datasetMinGap}
	now := time.Date(2026, 2, 16, 0, 0, 0, 0, time.UTC)
	env := feeds.Env{Now: func() time.Time { return now }}
	skipped := 0
	for i := 0; i < 200; i++ { // 200 presses, 3 s apart: 10 minutes
		_, err := q.Fetch(context.Background(), env)
		var skip *feeds.SkipError
		if errors.As(err, &skip) {
			skipped++
		}
		now = now.Add(3 * time.Second)
	}
	if src.n != 1 || skipped != 199 {
		t.Fatalf("%d dataset requests (%d skipped) in 10 minutes of presses, want 1", src.n, skipped)
	}
	now = now.Add(datasetMinGap)
	q.Fetch(context.Background(), env)
	if src.n != 2 {
		t.Fatalf("no retry once the guard's gap had passed")
	}
}
