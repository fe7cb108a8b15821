package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/tokentape/tokentape/model"
)

// LoadOptions says how much of the history to replay.
type LoadOptions struct {
	// Until replays the market as it was at that time (--at); zero means
	// everything kept. Source health is replayed only without Until (the
	// ages it carries are those of the latest run).
	Until time.Time
	// UsageDays is how many days of token volumes to replay, counted back
	// from the newest; 0 means model.DefaultRetention.
	UsageDays int
	// MaxAlerts bounds the alerts replayed (newest kept); 0 means 500.
	MaxAlerts int
}

// Load reads what the store kept as Updates, oldest first, ready to be
// applied to an empty Market: the catalogue as a sequence of price changes
// (so each listing's price history and first-seen time come back), token
// volumes, the latest ranking and apps, each watched listing's latest
// endpoints and its serving history, status pages, source health and the
// alert log with its acknowledgements.
func (s *Store) Load(ctx context.Context, opts LoadOptions) ([]model.Update, error) {
	until := int64(1<<63 - 1)
	if !opts.Until.IsZero() {
		until = ms(opts.Until)
	}
	l := loader{db: s.db, ctx: ctx, until: until, at: !opts.Until.IsZero()}
	steps := []func() error{
		l.catalogue,
		func() error { return l.usage(opts.UsageDays) },
		l.latest,
		l.endpoints,
		l.pages,
		l.sources,
		func() error { return l.alerts(opts.MaxAlerts) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, badFile(s.path, err)
		}
	}
	return l.out, nil
}

type loader struct {
	db    *sql.DB
	ctx   context.Context
	until int64
	at    bool // replaying as of a time
	out   []model.Update
	names map[int64]string // listing row id → listing id
}

func (l *loader) each(query string, scan func(*sql.Rows) error, args ...any) error {
	return eachRow(l.ctx, l.db, query, scan, args...)
}

func (l *loader) catalogue() error {
	type kept struct {
		l         model.Listing
		firstSeen int64
	}
	byID := map[int64]*kept{}
	l.names = map[int64]string{}
	err := l.each(`SELECT id, listing, slug, name, author, context_length, description, COALESCE(created,0), COALESCE(expires,0), alias_of, overrides, first_seen
		FROM listings WHERE first_seen <= ?`, func(r *sql.Rows) error {
		var id, created, expires, first int64
		var k kept
		var overrides string
		if err := r.Scan(&id, &k.l.ID, &k.l.Slug, &k.l.Name, &k.l.Author, &k.l.ContextLength, &k.l.Description,
			&created, &expires, &k.l.AliasOf, &overrides, &first); err != nil {
			return err
		}
		k.l.Created, k.l.Expires, k.firstSeen = fromMS(created), fromMS(expires), first
		if overrides != "" {
			_ = json.Unmarshal([]byte(overrides), &k.l.Overrides) // unreadable overrides: the listing without them
		}
		k.l.Price = normalise(model.Price{Kind: model.PriceUnknown})
		byID[id] = &k
		l.names[id] = k.l.ID
		return nil
	}, l.until)
	if err != nil {
		return err
	}
	type change struct {
		id int64
		at int64
		p  model.Price
	}
	var changes []change
	err = l.each(`SELECT listing, at, kind, price_in, price_out, cache_read FROM prices WHERE at <= ? ORDER BY at, listing`, func(r *sql.Rows) error {
		var c change
		var in, out, cr sql.NullFloat64
		if err := r.Scan(&c.id, &c.at, &c.p.Kind, &in, &out, &cr); err != nil {
			return err
		}
		c.p.In, c.p.Out, c.p.CacheRead = orNaN(in), orNaN(out), orNaN(cr)
		if _, ok := byID[c.id]; ok {
			changes = append(changes, c)
		}
		return nil
	}, l.until)
	if err != nil {
		return err
	}
	// Each listing first appears at its first-seen time, with its earliest
	// kept price; each later price row is a catalogue of the listings whose
	// price changed then.
	groups := map[int64][]model.Listing{}
	seen := map[int64]bool{}
	for _, c := range changes {
		k := byID[c.id]
		at := c.at
		if !seen[c.id] {
			seen[c.id] = true
			at = min(at, k.firstSeen)
		}
		li := k.l
		li.Price = c.p
		groups[at] = append(groups[at], li)
	}
	rowIDs := make([]int64, 0, len(byID))
	for id := range byID {
		rowIDs = append(rowIDs, id)
	}
	sort.Slice(rowIDs, func(i, j int) bool { return rowIDs[i] < rowIDs[j] })
	for _, id := range rowIDs {
		if k := byID[id]; !seen[id] {
			groups[k.firstSeen] = append(groups[k.firstSeen], k.l)
		}
	}
	times := make([]int64, 0, len(groups))
	for at := range groups {
		times = append(times, at)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	for _, at := range times {
		// In the order the feed first listed them (row ids), as the live
		// market saw them: alerts raised together keep their order.
		l.out = append(l.out, model.CatalogueUpdate{At: fromMS(at), Source: "history", Listings: groups[at]})
	}
	return nil
}

func (l *loader) usage(days int) error {
	if days <= 0 {
		days = model.DefaultRetention
	}
	lastDay := l.until
	if !l.at {
		if err := l.db.QueryRowContext(l.ctx, `SELECT COALESCE(MAX(day), 0) FROM usage`).Scan(&lastDay); err != nil {
			return err
		}
	} else {
		lastDay = dayMS(fromMS(l.until))
	}
	var newest, oldest int64 = 0, 1<<63 - 1
	var newestRow model.UsageRow
	// The rows are read in the table's own order (slug, day): "+day" keeps
	// SQLite off the usage_day index, which would look each of the ~45,000
	// rows of 90 days × 500 listings up again in the table for its tokens
	// (a B-tree search per row: five times slower than the scan). Each slug
	// is one string for all its days, not one per row, and the rows are
	// gathered by day (each day's in slug order) rather than sorted.
	slugs := map[string]string{}
	byDay := map[int64][]model.UsageRow{}
	n := 0
	var slug sql.RawBytes
	var day, tokens, seen int64
	err := l.each(`SELECT slug, day, tokens, seen_at FROM usage WHERE +day <= ? AND +day > ?`, func(r *sql.Rows) error {
		if err := r.Scan(&slug, &day, &tokens, &seen); err != nil {
			return err
		}
		name, ok := slugs[string(slug)]
		if !ok {
			name = string(slug)
			slugs[name] = name
		}
		row := model.UsageRow{Date: fromMS(day), Slug: name, Tokens: uint64(tokens)}
		byDay[day] = append(byDay[day], row)
		n++
		if seen >= newest {
			newestRow = row
		}
		newest = max(newest, min(seen, l.until))
		oldest = min(oldest, seen)
		return nil
	}, lastDay, lastDay-int64(days)*86400000)
	if err != nil || n == 0 {
		return err
	}
	// Volumes come first, dated when they were first fetched, so that a
	// slug the catalogue never named is first seen when it really was; the
	// newest row again, dated when it was last fetched, brings the as-of time.
	// Oldest day first, as a backfill grows the market's window forward.
	dayKeys := make([]int64, 0, len(byDay))
	for d := range byDay {
		dayKeys = append(dayKeys, d)
	}
	slices.Sort(dayKeys)
	u := model.UsageUpdate{At: fromMS(oldest), Source: "history", Rows: make([]model.UsageRow, 0, n)}
	for _, d := range dayKeys {
		u.Rows = append(u.Rows, byDay[d]...)
	}
	last := model.UsageUpdate{At: fromMS(newest), Source: "history", Rows: []model.UsageRow{newestRow}}
	l.out = append([]model.Update{u}, l.out...)
	l.out = append(l.out, last)
	return nil
}

func (l *loader) latest() error {
	return l.each(`SELECT kind, at, data FROM latest WHERE kind IN ('ranking', 'apps') AND at <= ?`, func(r *sql.Rows) error {
		var kind, data string
		var at int64
		if err := r.Scan(&kind, &at, &data); err != nil {
			return err
		}
		switch kind {
		case model.RankingUpdate{}.Kind():
			u := model.RankingUpdate{At: fromMS(at), Source: "history"}
			if json.Unmarshal([]byte(data), &u.IDs) == nil {
				l.out = append(l.out, u)
			}
		case model.AppsUpdate{}.Kind():
			u := model.AppsUpdate{At: fromMS(at), Source: "history"}
			if json.Unmarshal([]byte(data), &u.Apps) == nil {
				l.out = append(l.out, u)
			}
		}
		return nil
	}, l.until)
}

// endpoints replays, per watched listing, its serving history (30 daily
// worst states, the last 24 hours of changes) and then its latest poll.
func (l *loader) endpoints() error {
	// Watched listings have a daily health row; the newest sample of each is
	// found through the primary key, without scanning the samples.
	last := map[int64]int64{}
	err := l.each(`SELECT d.listing, (SELECT MAX(e.at) FROM endpoint_samples e WHERE e.listing = d.listing AND e.at <= ?)
		FROM (SELECT DISTINCT listing FROM health_days) d`, func(r *sql.Rows) error {
		var id int64
		var at sql.NullInt64
		if err := r.Scan(&id, &at); err != nil {
			return err
		}
		if at.Valid {
			last[id] = at.Int64
		}
		return nil
	}, l.until)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(last))
	for id := range last {
		if _, ok := l.names[id]; ok {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return l.names[ids[i]] < l.names[ids[j]] })
	for _, id := range ids {
		at := last[id]
		hh := model.HealthHistoryUpdate{ListingID: l.names[id]}
		err := l.each(`SELECT day, worst FROM health_days WHERE listing = ? AND day <= ? ORDER BY day DESC LIMIT ?`, func(r *sql.Rows) error {
			var d model.HealthDay
			var day int64
			if err := r.Scan(&day, &d.Worst); err != nil {
				return err
			}
			d.Day = fromMS(day)
			hh.Days = append(hh.Days, d)
			return nil
		}, id, at, model.HealthDaysKept)
		if err != nil {
			return err
		}
		from := at - model.HealthTimelineOf.Milliseconds()
		// The state held when the window opened, then every change in it.
		err = l.each(`SELECT at, health FROM (SELECT at, health FROM listing_health WHERE listing = ? AND at <= ? ORDER BY at DESC LIMIT 1)
			UNION SELECT at, health FROM listing_health WHERE listing = ? AND at > ? AND at <= ? ORDER BY at`, func(r *sql.Rows) error {
			var s model.HealthSample
			var t int64
			if err := r.Scan(&t, &s.Health); err != nil {
				return err
			}
			s.At = fromMS(max(t, from+1))
			hh.Timeline = append(hh.Timeline, s)
			return nil
		}, id, from, id, from, at)
		if err != nil {
			return err
		}
		l.out = append(l.out, hh)
		eu := model.EndpointsUpdate{At: fromMS(at), Source: "history", ListingID: l.names[id]}
		err = l.each(`SELECT p.name, e.quant, e.status, e.up_5m, e.up_30m, e.up_1d, e.latency_ms, e.throughput
			FROM endpoint_samples e JOIN providers p ON p.id = e.provider WHERE e.listing = ? AND e.at = ? ORDER BY p.name, e.quant`, func(r *sql.Rows) error {
			var e model.Endpoint
			var u5, u30, u1d, lat, thr sql.NullInt64
			if err := r.Scan(&e.Provider, &e.Quantization, &e.Status, &u5, &u30, &u1d, &lat, &thr); err != nil {
				return err
			}
			e.Uptime5m, e.Uptime30m, e.Uptime1d = unscaled(u5, 100), unscaled(u30, 100), unscaled(u1d, 100)
			e.LatencyP50, e.ThroughputP50 = unscaled(lat, 1), unscaled(thr, 10)
			eu.Endpoints = append(eu.Endpoints, e)
			return nil
		}, id, at)
		if err != nil {
			return err
		}
		l.out = append(l.out, eu)
	}
	return nil
}

func (l *loader) pages() error {
	var us []model.StatusUpdate
	err := l.each(`SELECT name, at, data FROM pages`, func(r *sql.Rows) error {
		var name, data string
		var at int64
		if err := r.Scan(&name, &at, &data); err != nil {
			return err
		}
		var p model.StatusPage
		if json.Unmarshal([]byte(data), &p) != nil || p.Name == "" {
			return nil
		}
		us = append(us, model.StatusUpdate{At: fromMS(at), Page: p})
		return nil
	})
	if err != nil {
		return err
	}
	for i := range us {
		u := &us[i]
		if !l.at {
			continue
		}
		// As of a time: the state it had then and the incidents open then.
		var status, at int64
		err := l.db.QueryRowContext(l.ctx, `SELECT status, at FROM page_states WHERE page = ? AND at <= ? ORDER BY at DESC LIMIT 1`, u.Page.Name, l.until).Scan(&status, &at)
		if err == sql.ErrNoRows {
			us[i].Page.Name = "" // not seen yet then
			continue
		}
		if err != nil {
			return err
		}
		u.At, u.Page.Status, u.Page.Components, u.Page.Incidents, u.Page.Updated = fromMS(at), model.PageStatus(status), nil, nil, fromMS(at)
		err = l.each(`SELECT id, title, impact, status, COALESCE(started, opened) FROM incidents WHERE page = ? AND opened <= ? AND (resolved IS NULL OR resolved > ?) ORDER BY opened DESC`,
			func(r *sql.Rows) error {
				var inc model.Incident
				var started int64
				if err := r.Scan(&inc.ID, &inc.Title, &inc.Impact, &inc.Status, &started); err != nil {
					return err
				}
				inc.Started = fromMS(started)
				u.Page.Incidents = append(u.Page.Incidents, inc)
				return nil
			}, u.Page.Name, l.until, l.until)
		if err != nil {
			return err
		}
	}
	for _, u := range us {
		if u.Page.Name != "" {
			l.out = append(l.out, u)
		}
	}
	return nil
}

func (l *loader) sources() error {
	if l.at {
		return nil
	}
	return l.each(`SELECT name, ok, COALESCE(last_success,0), COALESCE(last_attempt,0), last_error, interval_ms FROM sources ORDER BY name`, func(r *sql.Rows) error {
		var h model.SourceHealth
		var ls, la, iv int64
		if err := r.Scan(&h.Name, &h.OK, &ls, &la, &h.LastError, &iv); err != nil {
			return err
		}
		h.LastSuccess, h.LastAttempt, h.Interval = fromMS(ls), fromMS(la), time.Duration(iv)*time.Millisecond
		l.out = append(l.out, model.SourceUpdate{Health: h})
		return nil
	})
}

func (l *loader) alerts(limit int) error {
	if limit <= 0 {
		limit = 500
	}
	var u model.AlertsUpdate
	err := l.each(`SELECT a.key, a.since, a.kind, a.severity, a.subject, a.message, a.last_seen, a.state, COALESCE(a.resolved,0), a.acked, a.event,
			EXISTS (SELECT 1 FROM alert_transitions t WHERE t.key = a.key AND t.since = a.since AND t.what = 'acked' AND t.at <= ?)
		FROM alerts a WHERE a.since <= ? ORDER BY a.since DESC, a.raised, a.key LIMIT ?`, func(r *sql.Rows) error {
		var k model.KeptAlert
		var since, lastSeen, resolved int64
		var kind string
		var ackedThen bool
		a := &k.Alert
		if err := r.Scan(&a.Key, &since, &kind, &a.Severity, &a.Subject, &a.Message, &lastSeen, &a.State, &resolved, &a.Acked, &k.Event, &ackedThen); err != nil {
			return err
		}
		a.Kind, a.Since, a.LastSeen, a.Resolved = model.AlertKind(kind), fromMS(since), fromMS(lastSeen), fromMS(resolved)
		if l.at {
			a.Acked = ackedThen
			if a.State == model.AlertResolved && resolved > l.until {
				a.State, a.Resolved = model.AlertFiring, time.Time{}
			}
			if lastSeen > l.until {
				a.LastSeen = fromMS(l.until)
			}
		}
		u.Alerts = append(u.Alerts, k)
		return nil
	}, l.until, l.until, limit)
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	if len(u.Alerts) > 0 {
		l.out = append(l.out, u)
	}
	return nil
}
