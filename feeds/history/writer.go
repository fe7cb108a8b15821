package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/tokentape/tokentape/model"
)

// lastSeenEvery is how coarsely a listing's last-seen time is kept: moving
// it at every poll would rewrite 414 rows every 10 minutes for nothing.
const lastSeenEvery = time.Hour

// usageCacheDays bounds the usage rows remembered to skip rewriting
// unchanged volumes (the backfill re-sends 60 days every hour).
const usageCacheDays = 70

// writer turns applied updates into the rows that changed. It remembers
// what the file holds so that an unchanged poll writes (almost) nothing.
// Its caches change only after a commit: a failed write (a full disk) leaves
// them as they were, so the next poll writes the same changes again.
type writer struct {
	db  *sql.DB
	ret Retention

	listingIDs map[string]int64 // listing id (and slug) → row id
	listings   map[int64]listingRow
	prices     map[int64]model.Price
	usage      map[usageKey]uint64
	providers  map[string]int64
	health     map[int64]model.Health
	days       map[int64]dayWorst
	pages      map[string]pageRow
	sources    map[string]model.SourceHealth
	latest     map[string]string
	alerts     map[alertKey]alertRow
	raised     int64 // the highest alerts.raised kept
	compacted  bool  // compact has run once in this process

	stmts map[string]*sql.Stmt // writeStatements, prepared

	// Filled while a transaction runs: after is applied when it commits,
	// undo when it fails (ids the rest of the batch already used).
	after, undo []func()
}

type listingRow struct {
	slug, name, author, desc, aliasOf, overrides string
	context                                      int
	created, expires                             int64
	lastSeen                                     int64
}

type usageKey struct {
	slug string
	day  int64
}

type dayWorst struct {
	day   int64
	worst model.Health
}

type pageRow struct {
	data      string
	status    model.PageStatus
	incidents map[string]string // open incident id → its stored row, to update on change
}

type alertKey struct {
	key   string
	since int64
}

type alertRow struct {
	state    model.AlertState
	acked    bool
	severity model.Severity
	message  string
	lastSeen int64
	raised   int64 // the order the alert was raised in (schema step 3)
}

// The statements of the write path, prepared once when the store opens:
// parsing SQL again at every poll would cost more than the writes.
const (
	qTouchListings = `UPDATE listings SET last_seen = MAX(last_seen, ?) WHERE id IN (SELECT value FROM json_each(?))`
	qInsertListing = `INSERT INTO listings (listing, slug, name, author, context_length, description, created, expires, alias_of, overrides, first_seen, last_seen)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`
	qUpdateListing = `UPDATE listings SET slug=?, name=?, author=?, context_length=?, description=?, created=?, expires=?, alias_of=?, overrides=?, last_seen=? WHERE id=?`
	qInsertPrice   = `INSERT OR REPLACE INTO prices (listing, at, kind, price_in, price_out, cache_read) VALUES (?,?,?,?,?,?)`
	qUpsertUsage   = `INSERT INTO usage (slug, day, tokens, seen_at) VALUES (?,?,?,?)
				ON CONFLICT (slug, day) DO UPDATE SET tokens = excluded.tokens, seen_at = excluded.seen_at WHERE tokens != excluded.tokens`
	qInsertProvider = `INSERT INTO providers (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`
	qInsertSample   = `INSERT OR REPLACE INTO endpoint_samples (listing, at, provider, quant, status, up_5m, up_30m, up_1d, latency_ms, throughput) VALUES (?,?,?,?,?,?,?,?,?,?)`
	qInsertHealth   = `INSERT OR REPLACE INTO listing_health (listing, at, health) VALUES (?,?,?)`
	qUpsertDay      = `INSERT INTO health_days (listing, day, worst) VALUES (?,?,?)
			ON CONFLICT (listing, day) DO UPDATE SET worst = MAX(worst, excluded.worst)`
	qUpsertPage      = `INSERT OR REPLACE INTO pages (name, at, data) VALUES (?,?,?)`
	qInsertPageState = `INSERT OR REPLACE INTO page_states (page, at, status) VALUES (?,?,?)`
	qUpsertIncident  = `INSERT INTO incidents (page, id, title, impact, status, started, opened, resolved) VALUES (?,?,?,?,?,?,?,NULL)
				ON CONFLICT (page, id) DO UPDATE SET title=excluded.title, impact=excluded.impact, status=excluded.status, resolved=NULL`
	qUpdateIncident   = `UPDATE incidents SET title=?, impact=?, status=? WHERE page=? AND id=?`
	qResolveIncident  = `UPDATE incidents SET resolved=? WHERE page=? AND id=?`
	qUpsertSource     = `INSERT OR REPLACE INTO sources (name, ok, last_success, last_attempt, last_error, interval_ms) VALUES (?,?,?,?,?,?)`
	qUpsertLatest     = `INSERT OR REPLACE INTO latest (kind, at, data) VALUES (?,?,?)`
	qUpsertAlert      = `INSERT OR REPLACE INTO alerts (key, since, kind, severity, subject, message, last_seen, state, resolved, acked, event, raised) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`
	qInsertTransition = `INSERT OR IGNORE INTO alert_transitions (key, since, at, what) VALUES (?,?,?,?)`
)

var writeStatements = []string{qTouchListings, qInsertListing, qUpdateListing, qInsertPrice, qUpsertUsage, qInsertProvider, qInsertSample, qInsertHealth, qUpsertDay, qUpsertPage, qInsertPageState, qUpsertIncident, qUpdateIncident, qResolveIncident, qUpsertSource, qUpsertLatest, qUpsertAlert, qInsertTransition}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// scaled keeps an unknown figure as NULL and a known one as an integer in
// the given unit (100: hundredths).
func scaled(v float64, unit float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return int64(math.Round(v * unit))
}

func unscaled(v sql.NullInt64, unit float64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return float64(v.Int64) / unit
}

func nullFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func newWriter(ctx context.Context, db *sql.DB, ret Retention) (*writer, error) {
	w := &writer{db: db, ret: ret,
		listingIDs: map[string]int64{}, listings: map[int64]listingRow{}, prices: map[int64]model.Price{},
		usage: map[usageKey]uint64{}, providers: map[string]int64{}, health: map[int64]model.Health{},
		days: map[int64]dayWorst{}, pages: map[string]pageRow{}, sources: map[string]model.SourceHealth{},
		latest: map[string]string{}, alerts: map[alertKey]alertRow{}}
	if err := w.warm(ctx); err != nil {
		return nil, err
	}
	w.stmts = make(map[string]*sql.Stmt, len(writeStatements))
	for _, q := range writeStatements {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		w.stmts[q] = st
	}
	return w, nil
}

// wtx is a write transaction that runs the prepared statements.
type wtx struct {
	*sql.Tx
	w *writer
}

// Exec runs a query, through its prepared statement when it has one.
func (t wtx) Exec(q string, args ...any) (sql.Result, error) {
	if st := t.w.stmts[q]; st != nil {
		return t.Tx.Stmt(st).Exec(args...)
	}
	return t.Tx.Exec(q, args...)
}

// QueryRow runs a query returning one row, prepared when it can be.
func (t wtx) QueryRow(q string, args ...any) *sql.Row {
	if st := t.w.stmts[q]; st != nil {
		return t.Tx.Stmt(st).QueryRow(args...)
	}
	return t.Tx.QueryRow(q, args...)
}

// Prepare returns the transaction's handle on a prepared statement.
func (t wtx) Prepare(q string) (*sql.Stmt, error) {
	if st := t.w.stmts[q]; st != nil {
		return t.Tx.Stmt(st), nil
	}
	return t.Tx.Prepare(q)
}

// warm loads what the file holds into the caches.
func (w *writer) warm(ctx context.Context) error {
	q := func(query string, scan func(*sql.Rows) error, args ...any) error {
		return eachRow(ctx, w.db, query, scan, args...)
	}
	err := q(`SELECT id, listing, slug, name, author, context_length, description, COALESCE(created,0), COALESCE(expires,0), alias_of, overrides, last_seen FROM listings`,
		func(r *sql.Rows) error {
			var id int64
			var lid string
			var l listingRow
			if err := r.Scan(&id, &lid, &l.slug, &l.name, &l.author, &l.context, &l.desc, &l.created, &l.expires, &l.aliasOf, &l.overrides, &l.lastSeen); err != nil {
				return err
			}
			w.listingIDs[lid] = id
			w.listings[id] = l
			return nil
		})
	if err != nil {
		return err
	}
	for id, l := range w.listings {
		if _, taken := w.listingIDs[l.slug]; !taken {
			w.listingIDs[l.slug] = id
		}
	}
	err = q(`SELECT p.listing, p.kind, p.price_in, p.price_out, p.cache_read FROM prices p
		JOIN (SELECT listing, MAX(at) AS at FROM prices GROUP BY listing) m ON m.listing = p.listing AND m.at = p.at`,
		func(r *sql.Rows) error {
			var id int64
			var p model.Price
			var in, out, cr sql.NullFloat64
			if err := r.Scan(&id, &p.Kind, &in, &out, &cr); err != nil {
				return err
			}
			p.In, p.Out, p.CacheRead = orNaN(in), orNaN(out), orNaN(cr)
			w.prices[id] = p
			return nil
		})
	if err != nil {
		return err
	}
	var maxDay int64
	if err := w.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(day),0) FROM usage`).Scan(&maxDay); err != nil {
		return err
	}
	err = q(`SELECT slug, day, tokens FROM usage WHERE day >= ?`, func(r *sql.Rows) error {
		var k usageKey
		var v int64
		if err := r.Scan(&k.slug, &k.day, &v); err != nil {
			return err
		}
		w.usage[k] = uint64(v)
		return nil
	}, maxDay-usageCacheDays*86400000)
	if err != nil {
		return err
	}
	err = q(`SELECT id, name FROM providers`, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		w.providers[name] = id
		return nil
	})
	if err != nil {
		return err
	}
	err = q(`SELECT h.listing, h.health FROM listing_health h
		JOIN (SELECT listing, MAX(at) AS at FROM listing_health GROUP BY listing) m ON m.listing = h.listing AND m.at = h.at`,
		func(r *sql.Rows) error {
			var id int64
			var h model.Health
			if err := r.Scan(&id, &h); err != nil {
				return err
			}
			w.health[id] = h
			return nil
		})
	if err != nil {
		return err
	}
	err = q(`SELECT d.listing, d.day, d.worst FROM health_days d
		JOIN (SELECT listing, MAX(day) AS day FROM health_days GROUP BY listing) m ON m.listing = d.listing AND m.day = d.day`,
		func(r *sql.Rows) error {
			var id int64
			var d dayWorst
			if err := r.Scan(&id, &d.day, &d.worst); err != nil {
				return err
			}
			w.days[id] = d
			return nil
		})
	if err != nil {
		return err
	}
	err = q(`SELECT name, data FROM pages`, func(r *sql.Rows) error {
		var name, data string
		if err := r.Scan(&name, &data); err != nil {
			return err
		}
		var p model.StatusPage
		_ = json.Unmarshal([]byte(data), &p) // a row this build cannot read is rewritten at the next poll
		w.pages[name] = pageRow{data: data, status: p.Status, incidents: map[string]string{}}
		return nil
	})
	if err != nil {
		return err
	}
	err = q(`SELECT page, id, title || '|' || impact || '|' || status FROM incidents WHERE resolved IS NULL`, func(r *sql.Rows) error {
		var page, id, row string
		if err := r.Scan(&page, &id, &row); err != nil {
			return err
		}
		p, ok := w.pages[page]
		if !ok {
			p = pageRow{incidents: map[string]string{}}
			w.pages[page] = p
		}
		p.incidents[id] = row
		return nil
	})
	if err != nil {
		return err
	}
	err = q(`SELECT name, ok, COALESCE(last_success,0), COALESCE(last_attempt,0), last_error, interval_ms FROM sources`, func(r *sql.Rows) error {
		var h model.SourceHealth
		var ls, la, iv int64
		if err := r.Scan(&h.Name, &h.OK, &ls, &la, &h.LastError, &iv); err != nil {
			return err
		}
		h.LastSuccess, h.LastAttempt, h.Interval = fromMS(ls), fromMS(la), time.Duration(iv)*time.Millisecond
		w.sources[h.Name] = h
		return nil
	})
	if err != nil {
		return err
	}
	err = q(`SELECT kind, data FROM latest`, func(r *sql.Rows) error {
		var k, d string
		if err := r.Scan(&k, &d); err != nil {
			return err
		}
		w.latest[k] = d
		return nil
	})
	if err != nil {
		return err
	}
	return q(`SELECT key, since, state, acked, severity, message, last_seen, raised FROM alerts`, func(r *sql.Rows) error {
		var k alertKey
		var a alertRow
		if err := r.Scan(&k.key, &k.since, &a.state, &a.acked, &a.severity, &a.message, &a.lastSeen, &a.raised); err != nil {
			return err
		}
		w.alerts[k] = a
		w.raised = max(w.raised, a.raised)
		return nil
	})
}

func orNaN(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// tx runs fn in one transaction and applies the cache changes it queued
// only when the transaction commits.
func (w *writer) tx(fn func(wtx) error) error {
	w.after, w.undo = w.after[:0], w.undo[:0]
	tx, err := w.db.Begin()
	if err != nil {
		return err
	}
	err = fn(wtx{tx, w})
	if err == nil {
		err = tx.Commit()
	} else {
		tx.Rollback() //nolint:errcheck // the write error is the one to report
	}
	if err != nil {
		for _, f := range w.undo {
			f()
		}
		return err
	}
	for _, f := range w.after {
		f()
	}
	return nil
}

// writeBatch keeps what one applied batch changed, in one transaction. A
// batch that changes nothing opens no transaction.
func (w *writer) writeBatch(batch []model.Update) error {
	if !w.changes(batch) {
		return nil
	}
	return w.tx(func(tx wtx) error {
		for _, u := range batch {
			var err error
			switch u := u.(type) {
			case model.CatalogueUpdate:
				err = w.catalogue(tx, u)
			case model.UsageUpdate:
				err = w.usageRows(tx, u)
			case model.EndpointsUpdate:
				err = w.endpoints(tx, u)
			case model.StatusUpdate:
				err = w.status(tx, u)
			case model.SourceUpdate:
				err = w.source(tx, u.Health)
			case model.RankingUpdate:
				err = w.keepLatest(tx, u.Kind(), u.At, u.IDs)
			case model.AppsUpdate:
				err = w.keepLatest(tx, u.Kind(), u.At, u.Apps)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", u.Kind(), err)
			}
		}
		return nil
	})
}

// changes reports cheaply whether a batch may hold anything to write, so
// that an unchanged catalogue poll costs no transaction at all.
func (w *writer) changes(batch []model.Update) bool {
	for _, u := range batch {
		switch u := u.(type) {
		case model.CatalogueUpdate:
			for _, l := range u.Listings {
				if w.listingChanged(l, u.At) {
					return true
				}
			}
		case model.SourceUpdate:
			if w.sourceChanged(u.Health) {
				return true
			}
		case model.EndpointsUpdate, model.StatusUpdate, model.UsageUpdate, model.RankingUpdate, model.AppsUpdate:
			return true
		}
	}
	return false
}

func (w *writer) listingChanged(l model.Listing, at time.Time) bool {
	return w.diffListing(l, at).any()
}

// listingDiff says what a catalogue entry changes in the file.
type listingDiff struct {
	meta  bool // new, or its name, slug, context... changed
	seen  bool // its last-seen time is due to move
	price bool // a new price to keep
	row   listingRow
	p     model.Price
}

func (d listingDiff) any() bool { return d.meta || d.seen || d.price }

func (w *writer) diffListing(l model.Listing, at time.Time) listingDiff {
	if l.ID == "" {
		return listingDiff{}
	}
	var d listingDiff
	d.row = rowOf(l)
	d.p = normalise(l.Price)
	id, ok := w.listingIDs[l.ID]
	if !ok {
		d.meta, d.price = true, d.p.Kind != model.PriceUnknown
		return d
	}
	row, old := d.row, w.listings[id]
	d.meta = row.slug != old.slug || row.name != old.name || row.author != old.author || row.desc != old.desc ||
		row.aliasOf != old.aliasOf || row.overrides != old.overrides || row.context != old.context ||
		row.created != old.created || row.expires != old.expires
	d.seen = ms(at)-old.lastSeen >= lastSeenEvery.Milliseconds()
	held, has := w.prices[id]
	d.price = d.p.Kind != model.PriceUnknown && (!has || !held.Equal(d.p))
	if !d.meta && !d.seen && !d.price {
		return listingDiff{}
	}
	return d
}

func rowOf(l model.Listing) listingRow {
	slug := l.Slug
	if slug == "" {
		slug = l.ID
	}
	r := listingRow{slug: slug, name: l.Name, author: l.Author, desc: l.Description, aliasOf: l.AliasOf,
		context: l.ContextLength, created: ms(l.Created), expires: ms(l.Expires)}
	if len(l.Overrides) > 0 {
		if b, err := json.Marshal(l.Overrides); err == nil {
			r.overrides = string(b)
		}
	}
	return r
}

// normalise mirrors the market: a paid price with a bad rate is unknown,
// and free or variable prices carry no rates.
func normalise(p model.Price) model.Price {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }
	if p.Kind != model.PricePaid {
		return model.Price{Kind: p.Kind, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}
	}
	if !ok(p.In) || !ok(p.Out) {
		return model.Price{Kind: model.PriceUnknown, In: math.NaN(), Out: math.NaN(), CacheRead: math.NaN()}
	}
	if !ok(p.CacheRead) {
		p.CacheRead = math.NaN()
	}
	return p
}

func (w *writer) catalogue(tx wtx, u model.CatalogueUpdate) error {
	at := ms(u.At)
	var seen []int64 // listings whose only change is being seen again
	for _, l := range u.Listings {
		d := w.diffListing(l, u.At)
		if !d.any() {
			continue
		}
		row := d.row
		row.lastSeen = at
		id, known := w.listingIDs[l.ID]
		switch {
		case !known:
			err := tx.QueryRow(qInsertListing,
				l.ID, row.slug, row.name, row.author, row.context, row.desc, nullMS(l.Created), nullMS(l.Expires), row.aliasOf, row.overrides, at, at).Scan(&id)
			if err != nil {
				return err
			}
			lid := l.ID
			w.after = append(w.after, func() {
				w.listingIDs[lid] = id
				if _, taken := w.listingIDs[row.slug]; !taken {
					w.listingIDs[row.slug] = id
				}
			})
			w.listingIDs[lid] = id // the rest of the batch (endpoints) needs it now
			w.undo = append(w.undo, func() { delete(w.listingIDs, lid) })
			w.after = append(w.after, func() { w.listings[id] = row })
		case d.meta:
			row.lastSeen = max(row.lastSeen, w.listings[id].lastSeen)
			_, err := tx.Exec(qUpdateListing,
				row.slug, row.name, row.author, row.context, row.desc, nullMS(l.Created), nullMS(l.Expires), row.aliasOf, row.overrides, row.lastSeen, id)
			if err != nil {
				return err
			}
			w.after = append(w.after, func() { w.listings[id] = row })
		case d.seen:
			seen = append(seen, id)
		}
		if !d.price {
			continue
		}
		p := d.p
		if _, err := tx.Exec(qInsertPrice,
			id, at, p.Kind, nullFloat(p.In), nullFloat(p.Out), nullFloat(p.CacheRead)); err != nil {
			return err
		}
		w.after = append(w.after, func() { w.prices[id] = p })
	}
	if len(seen) > 0 {
		ids, err := json.Marshal(seen)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(qTouchListings, at, string(ids)); err != nil {
			return err
		}
		w.after = append(w.after, func() {
			for _, id := range seen {
				r := w.listings[id]
				r.lastSeen = max(r.lastSeen, at)
				w.listings[id] = r
			}
		})
	}
	return nil
}

func dayMS(t time.Time) int64 {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMilli()
}

func (w *writer) usageRows(tx wtx, u model.UsageUpdate) error {
	var stmt *sql.Stmt
	for _, r := range u.Rows {
		if r.Slug == "" || r.Date.IsZero() {
			continue
		}
		k := usageKey{r.Slug, dayMS(r.Date)}
		if v, ok := w.usage[k]; ok && v == r.Tokens {
			continue
		}
		if stmt == nil {
			var err error
			stmt, err = tx.Prepare(qUpsertUsage)
			if err != nil {
				return err
			}
			defer stmt.Close()
		}
		if r.Tokens > math.MaxInt64 {
			continue // beyond SQLite's integers; no real volume comes near
		}
		if _, err := stmt.Exec(k.slug, k.day, int64(r.Tokens), ms(u.At)); err != nil {
			return err
		}
		tokens := r.Tokens
		w.after = append(w.after, func() { w.usage[k] = tokens })
	}
	return nil
}

func (w *writer) provider(tx wtx, name string) (int64, error) {
	if id, ok := w.providers[name]; ok {
		return id, nil
	}
	var id int64
	if err := tx.QueryRow(qInsertProvider, name).Scan(&id); err != nil {
		return 0, err
	}
	w.providers[name] = id
	w.undo = append(w.undo, func() { delete(w.providers, name) })
	return id, nil
}

func (w *writer) endpoints(tx wtx, u model.EndpointsUpdate) error {
	id, ok := w.listingIDs[u.ListingID]
	if !ok || u.At.IsZero() {
		return nil // a listing the catalogue has not named: the market ignores it too
	}
	at := ms(u.At)
	stmt, err := tx.Prepare(qInsertSample)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, e := range u.Endpoints {
		pid, err := w.provider(tx, e.Provider)
		if err != nil {
			return err
		}
		if _, err := stmt.Exec(id, at, pid, e.Quantization, int(e.Status), scaled(e.Uptime5m, 100), scaled(e.Uptime30m, 100),
			scaled(e.Uptime1d, 100), scaled(e.LatencyP50, 1), scaled(e.ThroughputP50, 10)); err != nil {
			return err
		}
	}
	h := model.DeriveHealth(u.Endpoints)
	if held, has := w.health[id]; !has || held != h {
		if _, err := tx.Exec(qInsertHealth, id, at, h); err != nil {
			return err
		}
		w.after = append(w.after, func() { w.health[id] = h })
	}
	day := dayMS(u.At)
	if d, has := w.days[id]; !has || d.day != day || h > d.worst {
		worst := h
		if has && d.day == day && d.worst > worst {
			worst = d.worst
		}
		if _, err := tx.Exec(qUpsertDay, id, day, worst); err != nil {
			return err
		}
		if !has || day >= d.day {
			w.after = append(w.after, func() { w.days[id] = dayWorst{day, worst} })
		}
	}
	return nil
}

func (w *writer) status(tx wtx, u model.StatusUpdate) error {
	p := u.Page
	if p.Name == "" {
		return nil
	}
	at := u.At
	if at.IsZero() {
		at = p.Updated
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	held, has := w.pages[p.Name]
	if !has {
		held = pageRow{incidents: map[string]string{}}
	}
	next := pageRow{data: string(b), status: p.Status, incidents: map[string]string{}}
	if !has || held.data != next.data {
		if _, err := tx.Exec(qUpsertPage, p.Name, ms(at), next.data); err != nil {
			return err
		}
	}
	if !has || held.status != p.Status {
		if _, err := tx.Exec(qInsertPageState, p.Name, ms(at), p.Status); err != nil {
			return err
		}
	}
	for _, inc := range p.Incidents {
		if inc.ID == "" {
			continue
		}
		row := fmt.Sprintf("%s|%d|%s", inc.Title, inc.Impact, inc.Status)
		next.incidents[inc.ID] = row
		old, open := held.incidents[inc.ID]
		switch {
		case !open:
			opened := at
			if !inc.Started.IsZero() && inc.Started.Before(at) {
				opened = inc.Started
			}
			if _, err := tx.Exec(qUpsertIncident,
				p.Name, inc.ID, inc.Title, inc.Impact, inc.Status, nullMS(inc.Started), ms(opened)); err != nil {
				return err
			}
		case old != row:
			if _, err := tx.Exec(qUpdateIncident,
				inc.Title, inc.Impact, inc.Status, p.Name, inc.ID); err != nil {
				return err
			}
		}
	}
	for id := range held.incidents {
		if _, still := next.incidents[id]; !still {
			if _, err := tx.Exec(qResolveIncident, ms(at), p.Name, id); err != nil {
				return err
			}
		}
	}
	w.after = append(w.after, func() { w.pages[p.Name] = next })
	return nil
}

func (w *writer) sourceChanged(h model.SourceHealth) bool {
	if h.Name == "" {
		return false
	}
	held, has := w.sources[h.Name]
	return !has || held.OK != h.OK || !held.LastSuccess.Equal(h.LastSuccess) || held.LastError != h.LastError ||
		held.Interval != h.Interval
}

func (w *writer) source(tx wtx, h model.SourceHealth) error {
	if !w.sourceChanged(h) {
		return nil
	}
	if _, err := tx.Exec(qUpsertSource,
		h.Name, h.OK, nullMS(h.LastSuccess), nullMS(h.LastAttempt), h.LastError, h.Interval.Milliseconds()); err != nil {
		return err
	}
	w.after = append(w.after, func() { w.sources[h.Name] = h })
	return nil
}

func (w *writer) keepLatest(tx wtx, kind string, at time.Time, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if w.latest[kind] == string(b) {
		return nil
	}
	if _, err := tx.Exec(qUpsertLatest, kind, ms(at), string(b)); err != nil {
		return err
	}
	w.after = append(w.after, func() { w.latest[kind] = string(b) })
	return nil
}

// alertTouchEvery is how coarsely a firing alert's last-seen time is kept.
const alertTouchEvery = 10 * time.Minute

// writeAlerts keeps new alerts and every change of state, severity,
// message or acknowledgement, with a transition row for each firing,
// resolution and acknowledgement.
func (w *writer) writeAlerts(alerts []model.Alert) error {
	type change struct {
		a   model.Alert
		k   alertKey
		old alertRow
		has bool
	}
	var todo []change
	for _, a := range alerts {
		if a.Key == "" || a.Since.IsZero() {
			continue
		}
		k := alertKey{a.Key, ms(a.Since)}
		old, has := w.alerts[k]
		if has && old.state == a.State && old.acked == a.Acked && old.severity == a.Severity && old.message == a.Message &&
			ms(a.LastSeen)-old.lastSeen < alertTouchEvery.Milliseconds() {
			continue
		}
		todo = append(todo, change{a, k, old, has})
	}
	if len(todo) == 0 {
		return nil
	}
	// The market lists its alerts newest first, so the new ones are
	// numbered from the end: the first raised gets the lowest number.
	raised := w.raised
	for i := len(todo) - 1; i >= 0; i-- {
		if !todo[i].has {
			raised++
			todo[i].old.raised = raised
		}
	}
	return w.tx(func(tx wtx) error {
		w.after = append(w.after, func() { w.raised = raised })
		for _, c := range todo {
			a := c.a
			if _, err := tx.Exec(qUpsertAlert,
				a.Key, c.k.since, string(a.Kind), a.Severity, a.Subject, a.Message, ms(a.LastSeen), a.State, nullMS(a.Resolved), a.Acked, a.IsEvent(), c.old.raised); err != nil {
				return err
			}
			trans := func(at int64, what string) error {
				_, err := tx.Exec(qInsertTransition, a.Key, c.k.since, at, what)
				return err
			}
			if !c.has {
				if err := trans(c.k.since, "fired"); err != nil {
					return err
				}
			}
			if a.State == model.AlertResolved && (!c.has || c.old.state != model.AlertResolved) {
				if err := trans(ms(a.Resolved), "resolved"); err != nil {
					return err
				}
			}
			if a.Acked && (!c.has || !c.old.acked) {
				if err := trans(max(ms(a.LastSeen), c.k.since), "acked"); err != nil {
					return err
				}
			}
			row := alertRow{a.State, a.Acked, a.Severity, a.Message, ms(a.LastSeen), c.old.raised}
			k := c.k
			w.after = append(w.after, func() { w.alerts[k] = row })
		}
		return nil
	})
}

// compact applies the retention: endpoint samples older than HealthFull
// days thinned to the first of each hour, samples older than HealthFull +
// HealthHours days dropped, and usage and price rows past their retention
// dropped (a listing's current price is always kept).
func (w *writer) compact(now time.Time) error {
	day := int64(86400000)
	nowMS := ms(now)
	return w.tx(func(tx wtx) error {
		if w.ret.HealthFull > 0 {
			full := nowMS - int64(w.ret.HealthFull)*day
			from := int64(0) // the first run of a process thins everything (it may have been off for weeks)
			if w.compacted {
				from = full - 2*day
			}
			if _, err := tx.Exec(`DELETE FROM endpoint_samples AS e WHERE e.at >= ? AND e.at < ? AND EXISTS (
				SELECT 1 FROM endpoint_samples AS f WHERE f.listing = e.listing AND f.at >= (e.at / 3600000) * 3600000 AND f.at < e.at
				AND f.provider = e.provider AND f.quant = e.quant)`, from, full); err != nil {
				return err
			}
			w.after = append(w.after, func() { w.compacted = true })
			if w.ret.HealthHours > 0 {
				drop := full - int64(w.ret.HealthHours)*day
				for _, q := range []string{`DELETE FROM endpoint_samples WHERE at < ?`, `DELETE FROM listing_health WHERE at < ?`, `DELETE FROM health_days WHERE day < ?`} {
					if _, err := tx.Exec(q, drop); err != nil {
						return err
					}
				}
			}
		}
		if w.ret.UsageDays > 0 {
			if _, err := tx.Exec(`DELETE FROM usage WHERE day < ?`, nowMS-int64(w.ret.UsageDays)*day); err != nil {
				return err
			}
		}
		if w.ret.PriceDays > 0 {
			if _, err := tx.Exec(`DELETE FROM prices AS p WHERE p.at < ? AND p.at < (SELECT MAX(at) FROM prices AS q WHERE q.listing = p.listing)`,
				nowMS-int64(w.ret.PriceDays)*day); err != nil {
				return err
			}
		}
		return nil
	})
}
