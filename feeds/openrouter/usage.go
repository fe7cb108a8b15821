package openrouter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// rawUsageRow is one rankings-daily row. total_tokens stays raw: it is a
// decimal string that jsonUint parses without a float in between.
type rawUsageRow struct {
	Date        string          `json:"date"`
	Permaslug   string          `json:"model_permaslug"`
	TotalTokens json.RawMessage `json:"total_tokens"`
}

// DecodeRankingsDaily decodes a GET /datasets/rankings-daily answer into
// usage rows (Slug = model_permaslug, including ":variant" suffixes and the
// reserved "other"). A row with a bad date, slug or token count (negative,
// fractional, overflowing uint64, not digits) is dropped and counted. A body
// that is not JSON or has no "data" array is an error.
func DecodeRankingsDaily(body []byte) (rows []model.UsageRow, dropped int, err error) {
	list, err := dataList(body)
	if err != nil {
		return nil, 0, fmt.Errorf("usage: %w", err)
	}
	rows = make([]model.UsageRow, 0, len(list))
	for _, raw := range list {
		var r rawUsageRow
		if json.Unmarshal(raw, &r) != nil {
			dropped++
			continue
		}
		day, err := time.Parse(time.DateOnly, strings.TrimSpace(r.Date))
		slug, okSlug := cleanID(r.Permaslug)
		tokens, okTokens := jsonUint(r.TotalTokens)
		if err != nil || !okSlug || !okTokens {
			dropped++
			continue
		}
		rows = append(rows, model.UsageRow{Date: day.UTC(), Slug: slug, Tokens: tokens})
	}
	return rows, dropped, nil
}

// usageSource polls the daily rankings. Its first successful fetch backfills
// BackfillDays days; later ones re-read the last few days, which the market
// applies idempotently (a row replaces the same listing and day).
type usageSource struct {
	dataset
	days     int
	mu       sync.Mutex
	backfill bool // the backfill has succeeded
}

// NewUsage returns the usage source ("usage", hourly), which needs
// cfg.APIKey. lim is shared with the other keyed sources; nil gives the
// source a limiter of its own.
func NewUsage(cfg Config, lim *Limiter) feeds.Source {
	return &usageSource{dataset: newDataset(cfg, "usage", UsageInterval, lim, "token volumes need"),
		days: cfg.normalised().BackfillDays}
}

// window returns the request's dates: the most recent completed UTC day and
// the first day to read. The current day is left out because it is partial,
// and a partial day would read as a collapse in volume.
func (s *usageSource) window(now time.Time, backfilled bool) (start, end time.Time) {
	end = utcDay(now).AddDate(0, 0, -1)
	n := s.days
	if backfilled {
		n = refreshDays
	}
	return end.AddDate(0, 0, -(n - 1)), end
}

// Fetch reads the daily rankings once.
func (s *usageSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	now, err := s.reserve(env)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	backfilled := s.backfill
	s.mu.Unlock()
	start, end := s.window(now, backfilled)
	q := url.Values{"period": {"day"}, "start_date": {dateParam(start)}, "end_date": {dateParam(end)}}
	body, err := s.read(ctx, env, "/datasets/rankings-daily?"+q.Encode(), true)
	if err != nil {
		return nil, err
	}
	rows, _, err := DecodeRankingsDaily(body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.backfill = true
	s.mu.Unlock()
	return []model.Update{model.UsageUpdate{At: now, Source: "usage", Rows: rows}}, nil
}

// rawApp is one app-rankings row.
type rawApp struct {
	Rank          json.RawMessage `json:"rank"`
	Name          *string         `json:"app_name"`
	TotalTokens   json.RawMessage `json:"total_tokens"`
	TotalRequests json.RawMessage `json:"total_requests"`
}

// DecodeAppRankings decodes a GET /datasets/app-rankings answer. A row with a
// missing or non-positive rank, a name that sanitises to nothing, or a bad
// token or request count is dropped and counted.
func DecodeAppRankings(body []byte) (apps []model.App, dropped int, err error) {
	list, err := dataList(body)
	if err != nil {
		return nil, 0, fmt.Errorf("apps: %w", err)
	}
	apps = make([]model.App, 0, len(list))
	for _, raw := range list {
		var r rawApp
		if json.Unmarshal(raw, &r) != nil || r.Name == nil {
			dropped++
			continue
		}
		rank, okRank := jsonInt(r.Rank)
		name := sanitize.Name(*r.Name)
		tokens, okTokens := jsonUint(r.TotalTokens)
		requests, okRequests := jsonUint(r.TotalRequests)
		if !okRank || rank < 1 || name == "" || !okTokens || !okRequests {
			dropped++
			continue
		}
		apps = append(apps, model.App{Rank: rank, Name: name, Tokens: tokens, Requests: requests})
	}
	return apps, dropped, nil
}

// appsSource polls the app rankings (the API's default window: 30 days).
type appsSource struct{ dataset }

// NewApps returns the app-rankings source ("apps", hourly), which needs
// cfg.APIKey. lim is shared with the other keyed sources; nil gives the
// source a limiter of its own.
func NewApps(cfg Config, lim *Limiter) feeds.Source {
	d := newDataset(cfg, "apps", AppsInterval, lim, "app rankings need")
	d.optional = true
	return &appsSource{d}
}

// Fetch reads the app rankings once.
func (s *appsSource) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.fetch(ctx, env, "/datasets/app-rankings", func(body []byte, now time.Time) (model.Update, error) {
		apps, _, err := DecodeAppRankings(body)
		return model.AppsUpdate{At: now, Source: "apps", Apps: apps}, err
	})
}

// optional names the error of an optional dataset (apps, benchmarks, task
// shares, providers): a 404 means the dataset is not offered (to this key,
// by this mirror, or any more), not that it is down, so it is
// feeds.ErrUnavailable, retried at the source's slow interval.
func optional(name string, err error) error {
	var he *feeds.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusNotFound {
		return fmt.Errorf("%s: %w (HTTP 404)", name, feeds.ErrUnavailable)
	}
	return fmt.Errorf("%s: %w", name, err)
}
