package openrouter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// source is what every OpenRouter source shares: its client, the name the
// poller and the screens know it by, and how often it is polled. Each
// source embeds it and adds only its own Fetch.
type source struct {
	c        client
	name     string
	interval time.Duration
	// optional: a 404 means the dataset is not offered, not that it is
	// down (see optional).
	optional bool
}

func newSource(cfg Config, name string, interval time.Duration) source {
	return source{c: newClient(cfg), name: name, interval: interval}
}

// Name is the source's name in the poller and on screen.
func (s *source) Name() string { return s.name }

// String names the source and its base URL, never the key.
func (s *source) String() string { return "openrouter." + s.name + "(" + s.c.base + ")" }

// GoString is String, so %#v does not print the client and its key either.
func (s *source) GoString() string { return s.String() }

// Interval is how often the poller asks.
func (s *source) Interval() time.Duration { return s.interval }

// read performs GET path once and returns the body. A 304 is
// feeds.ErrNotModified; a failure is named after the source.
func (s *source) read(ctx context.Context, env feeds.Env, path string, withKey bool) ([]byte, error) {
	resp, err := s.c.get(ctx, env, path, withKey)
	switch {
	case err != nil && s.optional:
		return nil, optional(s.name, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", s.name, err)
	case resp.NotModified:
		return nil, feeds.ErrNotModified
	}
	return resp.Body, nil
}

// dataset is a keyed source: it cannot run without the API key, and it
// shares the dataset limiter with the other keyed sources so that together
// they keep to OpenRouter's request rate.
type dataset struct {
	source
	lim   *Limiter
	noKey error // what a fetch without a key says
}

// newDataset returns a keyed source sharing lim (nil: a limiter of its own).
// need says what the key is for, as the error without one reads it.
func newDataset(cfg Config, name string, interval time.Duration, lim *Limiter, need string) dataset {
	if lim == nil {
		lim = NewLimiter(DatasetRequests, DatasetPer)
	}
	return dataset{source: newSource(cfg, name, interval), lim: lim,
		noKey: errors.New(name + ": " + need + " OPENROUTER_API_KEY")}
}

// reserve says whether a fetch may ask, and when it asks: not without a
// key, nor before the shared limiter has a slot (a *RateLimitError saying
// when).
func (d *dataset) reserve(env feeds.Env) (now time.Time, err error) {
	if d.c.key == "" {
		return time.Time{}, d.noKey
	}
	now = env.Now()
	if wait := d.lim.Reserve(now); wait > 0 {
		return now, &RateLimitError{Source: d.name, RetryAfter: wait}
	}
	return now, nil
}

// readUpdate is a fetch whose whole answer is one update: it reads path
// (with the key when withKey) and makes the update of the body with
// decode. An error from either is the fetch's.
func (s *source) readUpdate(ctx context.Context, env feeds.Env, path string, withKey bool, decode func(body []byte) (model.Update, error)) ([]model.Update, error) {
	body, err := s.read(ctx, env, path, withKey)
	if err != nil {
		return nil, err
	}
	u, err := decode(body)
	if err != nil {
		return nil, err
	}
	return []model.Update{u}, nil
}

// fetch is a keyed readUpdate: it reserves a slot first, and hands decode
// the time the fetch asked at. An error from any step is the fetch's.
func (d *dataset) fetch(ctx context.Context, env feeds.Env, path string, decode func(body []byte, now time.Time) (model.Update, error)) ([]model.Update, error) {
	now, err := d.reserve(env)
	if err != nil {
		return nil, err
	}
	return d.readUpdate(ctx, env, path, true, func(body []byte) (model.Update, error) { return decode(body, now) })
}
