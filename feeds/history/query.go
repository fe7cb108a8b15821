package history

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/tokentape/tokentape/model"
)

// ErrNoListing is returned when the store has never seen a listing.
var ErrNoListing = errors.New("the history has no such listing")

// PriceChange is one stored price of a listing, from At on.
type PriceChange struct {
	At    time.Time
	Price model.Price
}

// resolveListing finds a listing's row by id or canonical slug.
func (s *Store) resolveListing(ctx context.Context, listing string) (int64, string, error) {
	var id int64
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT id, listing FROM listings WHERE listing = ? OR slug = ? ORDER BY listing = ? DESC LIMIT 1`,
		listing, listing, listing).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("%q: %w", listing, ErrNoListing)
	}
	if err != nil {
		return 0, "", badFile(s.path, err)
	}
	return id, name, nil
}

// Prices returns every price kept for a listing (by id or slug), oldest
// first, and the listing's id.
func (s *Store) Prices(ctx context.Context, listing string) (string, []PriceChange, error) {
	id, name, err := s.resolveListing(ctx, listing)
	if err != nil {
		return "", nil, err
	}
	var out []PriceChange
	err = eachRow(ctx, s.db, `SELECT at, kind, price_in, price_out, cache_read FROM prices WHERE listing = ? ORDER BY at`, func(rows *sql.Rows) error {
		var at int64
		var c PriceChange
		var in, o, cr sql.NullFloat64
		if err := rows.Scan(&at, &c.Price.Kind, &in, &o, &cr); err != nil {
			return err
		}
		c.At, c.Price.In, c.Price.Out, c.Price.CacheRead = fromMS(at), orNaN(in), orNaN(o), orNaN(cr)
		out = append(out, c)
		return nil
	}, id)
	if err != nil {
		return "", nil, badFile(s.path, err)
	}
	return name, out, nil
}

// UptimeDay is one UTC day of a listing's serving history.
type UptimeDay struct {
	Day      time.Time
	Worst    model.Health // the worst state seen that day
	Samples  int          // endpoint samples kept for the day (hourly after the full-resolution days)
	Uptime5m float64      // mean 5-minute uptime over the day's samples, percent; NaN without samples
}

// Uptime returns a listing's serving history for the last days days with
// any data, oldest first.
func (s *Store) Uptime(ctx context.Context, listing string, days int) (string, []UptimeDay, error) {
	id, name, err := s.resolveListing(ctx, listing)
	if err != nil {
		return "", nil, err
	}
	if days <= 0 {
		days = 30
	}
	var out []UptimeDay
	err = eachRow(ctx, s.db, `SELECT d.day, d.worst,
			(SELECT COUNT(*) FROM endpoint_samples e WHERE e.listing = d.listing AND e.at >= d.day AND e.at < d.day + 86400000),
			(SELECT AVG(e.up_5m) FROM endpoint_samples e WHERE e.listing = d.listing AND e.at >= d.day AND e.at < d.day + 86400000)
		FROM health_days d WHERE d.listing = ? ORDER BY d.day DESC LIMIT ?`, func(rows *sql.Rows) error {
		var day int64
		var d UptimeDay
		var mean sql.NullFloat64
		if err := rows.Scan(&day, &d.Worst, &d.Samples, &mean); err != nil {
			return err
		}
		d.Day, d.Uptime5m = fromMS(day), math.NaN()
		if mean.Valid {
			d.Uptime5m = mean.Float64 / 100
		}
		out = append(out, d)
		return nil
	}, id, days)
	if err != nil {
		return "", nil, badFile(s.path, err)
	}
	slices.Reverse(out) // newest first to fit LIMIT; the caller wants oldest first
	return name, out, nil
}

// ExportRow is one fact of the history in a long, uniform shape:
// prices (in/out/cache_read), usage (tokens), health (worst), page
// (status), incident (opened/resolved) and alert (fired/resolved/acked).
type ExportRow struct {
	Table   string    `json:"table"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"time"`
	Measure string    `json:"measure"`
	Value   string    `json:"value"`
}

// Export writes every fact kept since a time, as CSV (with a header) or as
// a JSON array, ordered by table and time.
func (s *Store) Export(ctx context.Context, since time.Time, w io.Writer, asCSV bool) error {
	from := ms(since)
	queries := []struct {
		table, query string
	}{
		{"price", `SELECT l.listing, p.at, 'in', p.price_in FROM prices p JOIN listings l ON l.id = p.listing WHERE p.at >= ?1 AND p.kind = 1
			UNION ALL SELECT l.listing, p.at, 'out', p.price_out FROM prices p JOIN listings l ON l.id = p.listing WHERE p.at >= ?1 AND p.kind = 1
			UNION ALL SELECT l.listing, p.at, 'kind', CASE p.kind WHEN 2 THEN 'free' WHEN 3 THEN 'variable' ELSE 'paid' END FROM prices p JOIN listings l ON l.id = p.listing WHERE p.at >= ?1
			ORDER BY 2, 1, 3`},
		{"usage", `SELECT slug, day, 'tokens', tokens FROM usage WHERE day >= ?1 ORDER BY day, slug`},
		{"health", `SELECT l.listing, d.day, 'worst', d.worst FROM health_days d JOIN listings l ON l.id = d.listing WHERE d.day >= ?1 ORDER BY d.day, l.listing`},
		{"page", `SELECT page, at, 'status', status FROM page_states WHERE at >= ?1 ORDER BY at, page`},
		{"incident", `SELECT page || ' ' || title, opened, 'opened', id FROM incidents WHERE opened >= ?1
			UNION ALL SELECT page || ' ' || title, resolved, 'resolved', id FROM incidents WHERE resolved >= ?1 ORDER BY 2, 1`},
		{"alert", `SELECT a.subject || ': ' || a.message, t.at, t.what, a.kind FROM alert_transitions t JOIN alerts a ON a.key = t.key AND a.since = t.since
			WHERE t.at >= ?1 ORDER BY t.at`},
	}
	var cw *csv.Writer
	var enc *json.Encoder
	if asCSV {
		cw = csv.NewWriter(w)
		if err := cw.Write([]string{"table", "subject", "time", "measure", "value"}); err != nil {
			return err
		}
	} else {
		enc = json.NewEncoder(w)
		if _, err := io.WriteString(w, "[\n"); err != nil {
			return err
		}
	}
	first := true
	for _, q := range queries {
		rows, err := s.db.QueryContext(ctx, q.query, from)
		if err != nil {
			return badFile(s.path, err)
		}
		for rows.Next() {
			var r ExportRow
			var at int64
			var v any
			if err := rows.Scan(&r.Subject, &at, &r.Measure, &v); err != nil {
				rows.Close()
				return badFile(s.path, err)
			}
			r.Table, r.Time, r.Value = q.table, fromMS(at), exportValue(q.table, r.Measure, v)
			if asCSV {
				err = cw.Write([]string{r.Table, r.Subject, r.Time.Format(time.RFC3339), r.Measure, r.Value})
			} else {
				if !first {
					_, err = io.WriteString(w, ",")
				}
				if err == nil {
					err = enc.Encode(r)
				}
			}
			first = false
			if err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return badFile(s.path, err)
		}
	}
	if asCSV {
		cw.Flush()
		return cw.Error()
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// exportValue spells a stored value as the export shows it: health and
// page states by name, prices in USD per million tokens.
func exportValue(table, measure string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		switch table {
		case "health":
			return model.Health(x).String()
		case "page":
			return model.PageStatus(x).String()
		}
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}
