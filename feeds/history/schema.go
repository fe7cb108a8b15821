package history

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the numbered schema steps; the database's user_version is
// how many have run. Append only: a released step is never edited, because a
// file written by it must keep opening.
//
// Times are Unix milliseconds (UTC). Figures that may be unknown are NULL.
// Uptimes are kept as hundredths of a percent and latencies as whole
// milliseconds, so that a year of samples stays small.
var migrations = []string{
	// 1: the catalogue, its prices, token volumes and source health.
	`
CREATE TABLE listings (
	id             INTEGER PRIMARY KEY,
	listing        TEXT NOT NULL UNIQUE,
	slug           TEXT NOT NULL,
	name           TEXT NOT NULL,
	author         TEXT NOT NULL,
	context_length INTEGER NOT NULL DEFAULT 0,
	description    TEXT NOT NULL DEFAULT '',
	created        INTEGER,
	expires        INTEGER,
	alias_of       TEXT NOT NULL DEFAULT '',
	overrides      TEXT NOT NULL DEFAULT '',
	first_seen     INTEGER NOT NULL,
	last_seen      INTEGER NOT NULL
);
CREATE TABLE prices (
	listing    INTEGER NOT NULL REFERENCES listings(id),
	at         INTEGER NOT NULL,
	kind       INTEGER NOT NULL,
	price_in   REAL,
	price_out  REAL,
	cache_read REAL,
	PRIMARY KEY (listing, at)
) WITHOUT ROWID;
CREATE TABLE usage (
	slug    TEXT NOT NULL,
	day     INTEGER NOT NULL,
	tokens  INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (slug, day)
) WITHOUT ROWID;
CREATE INDEX usage_day ON usage (day);
CREATE TABLE sources (
	name         TEXT PRIMARY KEY,
	ok           INTEGER NOT NULL,
	last_success INTEGER,
	last_attempt INTEGER,
	last_error   TEXT NOT NULL DEFAULT '',
	interval_ms  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE latest (
	kind TEXT PRIMARY KEY,
	at   INTEGER NOT NULL,
	data TEXT NOT NULL
) WITHOUT ROWID;
`,
	// 2: serving health, status pages and alerts.
	`
CREATE TABLE providers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE endpoint_samples (
	listing    INTEGER NOT NULL REFERENCES listings(id),
	at         INTEGER NOT NULL,
	provider   INTEGER NOT NULL REFERENCES providers(id),
	quant      TEXT NOT NULL DEFAULT '',
	status     INTEGER NOT NULL,
	up_5m      INTEGER,
	up_30m     INTEGER,
	up_1d      INTEGER,
	latency_ms INTEGER,
	throughput INTEGER,
	PRIMARY KEY (listing, at, provider, quant)
) WITHOUT ROWID;
CREATE TABLE listing_health (
	listing INTEGER NOT NULL REFERENCES listings(id),
	at      INTEGER NOT NULL,
	health  INTEGER NOT NULL,
	PRIMARY KEY (listing, at)
) WITHOUT ROWID;
CREATE TABLE health_days (
	listing INTEGER NOT NULL REFERENCES listings(id),
	day     INTEGER NOT NULL,
	worst   INTEGER NOT NULL,
	PRIMARY KEY (listing, day)
) WITHOUT ROWID;
CREATE TABLE pages (
	name    TEXT PRIMARY KEY,
	at      INTEGER NOT NULL,
	data    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE page_states (
	page   TEXT NOT NULL,
	at     INTEGER NOT NULL,
	status INTEGER NOT NULL,
	PRIMARY KEY (page, at)
) WITHOUT ROWID;
CREATE TABLE incidents (
	page     TEXT NOT NULL,
	id       TEXT NOT NULL,
	title    TEXT NOT NULL,
	impact   INTEGER NOT NULL,
	status   TEXT NOT NULL,
	started  INTEGER,
	opened   INTEGER NOT NULL,
	resolved INTEGER,
	PRIMARY KEY (page, id)
) WITHOUT ROWID;
CREATE TABLE alerts (
	key       TEXT NOT NULL,
	since     INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	severity  INTEGER NOT NULL,
	subject   TEXT NOT NULL,
	message   TEXT NOT NULL,
	last_seen INTEGER NOT NULL,
	state     INTEGER NOT NULL,
	resolved  INTEGER,
	acked     INTEGER NOT NULL,
	event     INTEGER NOT NULL,
	PRIMARY KEY (key, since)
) WITHOUT ROWID;
CREATE TABLE alert_transitions (
	key   TEXT NOT NULL,
	since INTEGER NOT NULL,
	at    INTEGER NOT NULL,
	what  TEXT NOT NULL,
	PRIMARY KEY (key, since, at, what)
) WITHOUT ROWID;
`,
	// 3: the order alerts were raised in. Alerts raised at the same moment
	// (a poll that moved several prices, a day that brought several
	// listings into the top 10) came back ordered by key, not as they
	// were raised. Rows from before this step keep 0 and their key order.
	`
ALTER TABLE alerts ADD COLUMN raised INTEGER NOT NULL DEFAULT 0;
`,
}

// SchemaVersion is the schema this build writes.
var SchemaVersion = len(migrations)

// migrate runs the steps the file has not seen, each in its own
// transaction, and refuses a file from a newer schema.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	var v int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return badFile(path, err)
	}
	if v > len(migrations) {
		return &FileError{Path: path, Reason: fmt.Sprintf("it was written by a newer tokentape (schema %d, this one knows %d)", v, len(migrations)),
			Advice: "run a newer tokentape, or use --db PATH for another file or --no-history"}
	}
	for i := v; i < len(migrations); i++ {
		if err := runStep(ctx, db, i+1, migrations[i]); err != nil {
			return badFile(path, fmt.Errorf("schema step %d: %w", i+1, err))
		}
	}
	return nil
}

func runStep(ctx context.Context, db *sql.DB, n int, ddl string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, ddl); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, n)); err != nil {
		return err
	}
	return tx.Commit()
}
