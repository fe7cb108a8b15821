package history

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func fixedClock(at time.Time) func() time.Time { return func() time.Time { return at } }

// end is the moment after the simulated session.
var end = t0.Add(48 * time.Hour)

func TestRoundTripGivesTheSameSnapshot(t *testing.T) {
	s, path := openTemp(t, Options{Clock: fixedClock(end)})
	want := live(t, s, session(t), fixedClock(end)).Snapshot()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{Clock: fixedClock(end)})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got := restore(t, s2, LoadOptions{}, fixedClock(end)).Snapshot()
	if a, b := describe(want), describe(got); a != b {
		t.Errorf("the reopened market differs from the live one:\n%s", firstDiff(a, b))
	}
	// The session's own story is all there.
	v, ok := got.Listing(realCatalogue(t)[5].ID)
	if !ok || len(v.PriceHistory()) != 2 {
		t.Fatalf("cut listing: ok=%v history=%v", ok, v.PriceHistory())
	}
	if _, ok := got.Listing("newco/fresh-1"); !ok {
		t.Error("the listing that appeared mid-session is missing")
	}
	acked := 0
	for _, a := range got.Alerts {
		if a.Acked {
			acked++
		}
	}
	if acked == 0 {
		t.Error("no acknowledged alert survived the restart")
	}
	w, _ := got.Listing(watched[0])
	if len(w.HealthDays()) != 2 || w.HealthDays()[0].Worst != model.HealthDown {
		t.Errorf("health days of %s = %v, want two days, the first DOWN", watched[0], w.HealthDays())
	}
}

// firstDiff shows the first line where two descriptions differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return "line " + itoa(i+1) + ":\n live:     " + la[i] + "\n restored: " + lb[i]
		}
	}
	return "lengths " + itoa(len(la)) + " and " + itoa(len(lb))
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + jsonInt(n)) }

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestAtReplaysTheMarketAsItWas(t *testing.T) {
	batches := session(t)
	s, _ := openTemp(t, Options{Clock: fixedClock(end)})
	live(t, s, batches, fixedClock(end))
	// The market as it was after step 40 (the incident resolved, the cut
	// made, the rise not yet).
	at := t0.Add(40 * 10 * time.Minute)
	got := restore(t, s, LoadOptions{Until: at}, fixedClock(at)).Snapshot()
	cat := realCatalogue(t)
	if got.AsOf.After(at) {
		t.Errorf("as of %s is after %s", got.AsOf, at)
	}
	v, _ := got.Listing(cat[5].ID)
	if !v.Price.Equal(scaledPrice(cat[5].Price, 0.8)) || len(v.PriceHistory()) != 2 {
		t.Errorf("cut listing at %s: %v history %v", at, v.Price, v.PriceHistory())
	}
	v, _ = got.Listing(cat[10].ID)
	if !v.Price.Equal(cat[10].Price) {
		t.Errorf("listing raised later already shows %v at %s", v.Price, at)
	}
	if _, ok := got.Listing("newco/fresh-1"); ok {
		t.Error("a listing first seen later is in the market of an earlier time")
	}
	during := restore(t, s, LoadOptions{Until: t0.Add(20 * 10 * time.Minute)}, fixedClock(at)).Snapshot()
	if len(during.StatusPages) != 1 || during.StatusPages[0].Status != model.StatusPartialOutage || len(during.StatusPages[0].Incidents) != 1 {
		t.Errorf("during the incident the page shows %+v", during.StatusPages)
	}
	if len(got.StatusPages) != 1 || got.StatusPages[0].Status != model.StatusOperational || len(got.StatusPages[0].Incidents) != 0 {
		t.Errorf("after the incident the page shows %+v", got.StatusPages)
	}
	if len(got.Sources) != 0 {
		t.Errorf("a market as of a time carries today's source health: %v", got.Sources)
	}
}

func TestUnchangedPollWritesNothing(t *testing.T) {
	s, _ := openTemp(t, Options{})
	cat := realCatalogue(t)
	if err := s.w.writeBatch([]model.Update{model.CatalogueUpdate{At: t0, Listings: cat}}); err != nil {
		t.Fatal(err)
	}
	if s.w.changes([]model.Update{model.CatalogueUpdate{At: t0.Add(10 * time.Minute), Listings: cat}}) {
		t.Error("an unchanged poll 10 minutes later would open a transaction")
	}
	cat[3].Price = scaledPrice(cat[3].Price, 2)
	if !s.w.changes([]model.Update{model.CatalogueUpdate{At: t0.Add(20 * time.Minute), Listings: cat}}) {
		t.Error("a changed price is not seen as a change")
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM prices`).Scan(&n); err != nil || n != 414 {
		t.Errorf("prices rows = %d (%v), want one per listing", n, err)
	}
}

// openMigrated opens the store at path, which must migrate it to the
// current schema; the test closes it.
func openMigrated(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if v := userVersion(t, s.db); v != SchemaVersion {
		t.Errorf("user_version %d, want %d", v, SchemaVersion)
	}
	return s
}

func TestMigrations(t *testing.T) {
	t.Run("from an empty file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "h.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		openMigrated(t, path)
	})
	for step := 1; step < SchemaVersion; step++ {
		t.Run("from schema "+itoa(step), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "h.db")
			db, err := sql.Open("sqlite", dsn(path, false))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < step; i++ {
				if err := runStep(context.Background(), db, i+1, migrations[i]); err != nil {
					t.Fatal(err)
				}
			}
			// A listing and its price written by that schema.
			if _, err := db.Exec(`INSERT INTO listings (listing, slug, name, author, first_seen, last_seen) VALUES ('a/b', 'a/b-1', 'A: B', 'a', 1, 1);
				INSERT INTO prices (listing, at, kind, price_in, price_out) VALUES (1, 1, 1, 2.5, 10)`); err != nil {
				t.Fatal(err)
			}
			if step == 2 { // the step before alerts had their raise order
				if _, err := db.Exec(`INSERT INTO alerts (key, since, kind, severity, subject, message, last_seen, state, acked, event)
					VALUES ('price:a/b', 1, 'price', 1, 'a/b', 'A: B price cut', 1, 1, 0, 0)`); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			s := openMigrated(t, path)
			_, prices, err := s.Prices(t.Context(), "a/b")
			if err != nil || len(prices) != 1 || prices[0].Price.In != 2.5 {
				t.Errorf("prices after migration: %v %v", prices, err)
			}
			// An alert written by that schema comes back.
			if step == 2 {
				us, err := s.Load(t.Context(), LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, u := range us {
					if a, ok := u.(model.AlertsUpdate); ok {
						n += len(a.Alerts)
					}
				}
				if n != 1 {
					t.Errorf("%d alerts after migration, want the 1 written before", n)
				}
			}
			// The new tables work.
			s.Record([]model.Update{model.EndpointsUpdate{At: t0, ListingID: "a/b", Endpoints: []model.Endpoint{{Provider: "P", Uptime5m: 99}}}})
			s.Flush()
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func userVersion(t *testing.T, db *sql.DB) int {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBadFilesAreNamedAndKept(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s, err := Open(good, Options{})
	if err != nil {
		t.Fatal(err)
	}
	live(t, s, session(t)[:20], fixedClock(end))
	s.Close()
	content, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	corrupt := filepath.Join(dir, "corrupt.db")
	bad := append([]byte(nil), content...)
	for i := 4096; i < len(bad); i += 7 { // every page after the first: scrambled
		bad[i] ^= 0x5a
	}
	newer := filepath.Join(dir, "newer.db")
	if err := os.WriteFile(newer, content, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cases := []struct {
		name, path string
		content    []byte
		want       string
	}{
		{"not sqlite", filepath.Join(dir, "notes.txt"), []byte(strings.Repeat("my shopping list\n", 400)), "is not a SQLite database"},
		{"corrupt", corrupt, bad, "is corrupt"},
		{"newer schema", newer, nil, "newer tokentape (schema 99"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.content != nil {
				if err := os.WriteFile(c.path, c.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			before, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			err = openAndLoad(c.path)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FileError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.path) || !strings.Contains(msg, c.want) || !strings.Contains(msg, "--no-history") {
				t.Errorf("message %q should name the file, say %q and what to do", msg, c.want)
			}
			after, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatalf("the file is gone: %v", err)
			}
			if !bytes.Equal(before, after) {
				t.Error("the file was modified")
			}
		})
	}
}

// openAndLoad opens a file and replays it, as the program does at start.
func openAndLoad(path string) error {
	s, err := Open(path, Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.Load(context.Background(), LoadOptions{})
	return err
}

func TestFullDiskWarnsAndWritesResume(t *testing.T) {
	var warnings []error
	s, _ := openTemp(t, Options{OnError: func(err error) { warnings = append(warnings, err) }})
	cat := realCatalogue(t)
	s.Record([]model.Update{model.CatalogueUpdate{At: t0, Listings: cat[:10]}})
	s.Flush()
	var pages int
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`PRAGMA max_page_count = ` + itoa(pages)); err != nil { // the disk is full
		t.Fatal(err)
	}
	s.Record([]model.Update{model.CatalogueUpdate{At: t0.Add(time.Minute), Listings: cat}})
	s.Flush()
	if s.Err() == nil || len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "running from memory") {
		t.Fatalf("err %v, warnings %v: want one warning about the full disk", s.Err(), warnings)
	}
	if _, err := s.db.Exec(`PRAGMA max_page_count = 1000000`); err != nil { // space again
		t.Fatal(err)
	}
	s.Record([]model.Update{model.CatalogueUpdate{At: t0.Add(2 * time.Minute), Listings: cat}})
	s.Flush()
	if err := s.Err(); err != nil {
		t.Fatalf("writes did not resume: %v", err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM listings`).Scan(&n); err != nil || n != 414 {
		t.Errorf("listings after the disk freed up: %d (%v), want 414", n, err)
	}
}

func TestSecondInstanceReadsAndStaysReadOnly(t *testing.T) {
	first, path := openTemp(t, Options{})
	live(t, first, session(t)[:10], fixedClock(end))
	second, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if first.ReadOnly() || !second.ReadOnly() {
		t.Fatalf("read-only: first %v, second %v; want the second only", first.ReadOnly(), second.ReadOnly())
	}
	us, err := second.Load(t.Context(), LoadOptions{})
	if err != nil || len(us) == 0 {
		t.Fatalf("the second instance cannot read the history: %d updates, %v", len(us), err)
	}
	// Both keep working at once: the writer writes, the reader reads.
	for i := 0; i < 20; i++ {
		first.Record([]model.Update{model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: t0.Add(time.Duration(i) * time.Second)}}})
		second.Record([]model.Update{model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true}}})
		if _, err := second.Load(t.Context(), LoadOptions{}); err != nil {
			t.Fatalf("reader: %v", err)
		}
	}
	first.Flush()
	if err := first.Err(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	first.Close()
	// The writer gone, a new instance writes.
	third, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if third.ReadOnly() {
		t.Error("the lock outlived the writer")
	}
}

func TestQueries(t *testing.T) {
	s, _ := openTemp(t, Options{})
	live(t, s, session(t), fixedClock(end))
	cat := realCatalogue(t)

	id, prices, err := s.Prices(t.Context(), cat[5].Slug)
	if err != nil || id != cat[5].ID || len(prices) != 2 {
		t.Fatalf("Prices by slug: %s %v %v", id, prices, err)
	}
	if r := prices[1].Price.In / prices[0].Price.In; math.Abs(r-0.8) > 1e-6 || !prices[1].At.Equal(t0.Add(300*time.Minute)) {
		t.Errorf("the cut: ratio %g at %s", r, prices[1].At)
	}
	if _, _, err := s.Prices(t.Context(), "no/such"); !errors.Is(err, ErrNoListing) {
		t.Errorf("unknown listing: %v", err)
	}

	_, days, err := s.Uptime(t.Context(), watched[0], 30)
	if err != nil || len(days) != 2 {
		t.Fatalf("Uptime: %v %v", days, err)
	}
	if days[0].Worst != model.HealthDown || days[1].Worst != model.HealthOK || days[0].Samples != 2*144 {
		t.Errorf("days %+v", days)
	}

	var csvOut, jsonOut bytes.Buffer
	if err := s.Export(t.Context(), t0.Add(24*time.Hour), &csvOut, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csvOut.String(), "table,subject,time,measure,value\n") || !strings.Contains(csvOut.String(), "price,"+cat[0].ID+",2026-11-21T01:00:00Z,in,") {
		t.Errorf("csv export lacks the header or the rise of %s:\n%.400s", cat[0].ID, csvOut.String())
	}
	if err := s.Export(t.Context(), time.Time{}, &jsonOut, false); err != nil {
		t.Fatal(err)
	}
	var rows []ExportRow
	if err := json.Unmarshal(jsonOut.Bytes(), &rows); err != nil {
		t.Fatalf("json export does not parse: %v", err)
	}
	tables := map[string]int{}
	for _, r := range rows {
		tables[r.Table]++
	}
	for _, want := range []string{"price", "usage", "health", "page", "incident", "alert"} {
		if tables[want] == 0 {
			t.Errorf("json export has no %s rows (%v)", want, tables)
		}
	}
}

func TestRetentionThinsHealthSamples(t *testing.T) {
	now := t0.Add(20 * 24 * time.Hour)
	s, _ := openTemp(t, Options{Clock: fixedClock(now)})
	// 20 days of 10-minute samples for one listing.
	s.Record([]model.Update{model.CatalogueUpdate{At: t0, Listings: []model.Listing{{ID: "a/b", Price: model.Price{Kind: model.PriceFree}}}}})
	for at := t0; at.Before(now); at = at.Add(10 * time.Minute) {
		if at.Minute() == 0 {
			s.Flush()
		}
		s.Record([]model.Update{model.EndpointsUpdate{At: at, ListingID: "a/b", Endpoints: []model.Endpoint{{Provider: "P", Uptime5m: 99}}}})
	}
	s.Flush()
	// The next start thins what has aged.
	path := s.Path()
	s.Close()
	s, err := Open(path, Options{Clock: fixedClock(now)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Record([]model.Update{model.SourceUpdate{Health: model.SourceHealth{Name: "x", OK: true}}})
	s.Flush()
	var old, recent int
	cut := ms(now.Add(-14 * 24 * time.Hour))
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM endpoint_samples WHERE at < ?`, cut).Scan(&old); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM endpoint_samples WHERE at >= ?`, cut).Scan(&recent); err != nil {
		t.Fatal(err)
	}
	if old != 6*24 || recent != 14*24*6 {
		t.Errorf("samples older than 14 days: %d (want hourly: %d); newer: %d (want all: %d)", old, 6*24, recent, 14*24*6)
	}
}
