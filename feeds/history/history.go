// Package history is tokentape's memory: an embedded SQLite file of what
// live runs saw. To the market it is a source and a recorder, like
// feeds/replay but compact and queryable. At start Load replays what it kept
// as Updates; while running Record keeps every batch the market applies, as
// changes (a price row only when the price moves, a listing's health only
// when it changes), one transaction per batch, on its own goroutine, so a
// slow disk never holds up the engine or the screen.
//
// The file is a plain SQLite database (WAL journal, one writer connection).
// A file this build cannot use (not SQLite, corrupt, from a newer schema) is
// reported with its path and never deleted or overwritten. A second process
// on the same file reads it and stays read-only.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tokentape/tokentape/model"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Retention says how long each kind of history is kept. Zero means for
// ever.
type Retention struct {
	UsageDays   int // daily token volumes
	PriceDays   int // price rows (the current price of a listing is always kept)
	HealthFull  int // days of endpoint samples at full resolution
	HealthHours int // days of endpoint samples kept hourly after that
}

// DefaultRetention keeps usage and prices for ever, endpoint samples at
// full resolution for 14 days and hourly for 400.
func DefaultRetention() Retention { return Retention{HealthFull: 14, HealthHours: 400} }

// Options configures Open.
type Options struct {
	// ReadOnly opens the file for reading only (Record drops everything).
	ReadOnly bool
	// Retention; the zero value means DefaultRetention.
	Retention *Retention
	// OnError receives write failures (a full or read-only disk) and the
	// first dropped batch; the store keeps running and writes again when it
	// can. Called from the writer goroutine. nil drops them (Err keeps the
	// last).
	OnError func(error)
	// Clock stamps compaction; nil means time.Now.
	Clock func() time.Time
	// QueueLen is how many batches may wait for the writer; 0 means 4096.
	QueueLen int
}

// FileError says why a history file cannot be used, naming it and what to
// do. The file is left as it is.
type FileError struct {
	Path   string
	Reason string
	Advice string
	Err    error
}

func (e *FileError) Error() string {
	msg := fmt.Sprintf("history file %s: %s", e.Path, e.Reason)
	if e.Err != nil && !strings.Contains(e.Reason, e.Err.Error()) {
		msg += " (" + e.Err.Error() + ")"
	}
	if e.Advice != "" {
		msg += "; " + e.Advice
	}
	return msg + ". The file was left untouched."
}

func (e *FileError) Unwrap() error { return e.Err }

// badFile turns an SQLite error about the file itself into a FileError.
func badFile(path string, err error) error {
	var fe *FileError
	if errors.As(err, &fe) {
		return err
	}
	msg := err.Error()
	reason := "cannot be read"
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "NOTADB"):
		reason = "is not a SQLite database"
	case strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"), strings.Contains(msg, "CORRUPT"):
		reason = "is corrupt"
	}
	return &FileError{Path: path, Reason: reason, Err: err,
		Advice: "move it aside (or restore a backup), or use --db PATH for another file, or --no-history"}
}

// eachRow runs query and calls scan on every row it returns, stopping at the
// first error: the query's, a scan's, or the one that ended the rows.
func eachRow(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Store is an open history file.
type Store struct {
	path     string
	db       *sql.DB
	readOnly bool
	ret      Retention
	clock    func() time.Time
	onError  func(error)
	unlock   func()

	queue   chan job
	done    chan struct{}
	closeMu sync.Mutex
	closed  bool

	mu        sync.Mutex
	err       error // the last write error, nil once a write succeeds again
	dropped   int64
	lastWrite time.Time

	w *writer // owned by the writer goroutine
}

// job is one unit of work for the writer goroutine.
type job struct {
	batch  []model.Update
	alerts []model.Alert
	flush  chan struct{}
}

// DefaultPath is where the history lives when nothing says otherwise:
// $XDG_STATE_HOME/tokentape/history.db, or ~/.local/state/tokentape/history.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("history: no state directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "tokentape", "history.db"), nil
}

// Open opens (creating if needed) the history file at path and migrates it
// to SchemaVersion. When another process holds the file for writing, the
// store opens read-only (see ReadOnly). A file that cannot be used returns a
// *FileError.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("history: no file given")
	}
	s := &Store{path: path, readOnly: opts.ReadOnly, clock: opts.Clock, onError: opts.OnError,
		ret: DefaultRetention(), unlock: func() {}}
	if opts.Retention != nil {
		s.ret = *opts.Retention
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if !s.readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("history file %s: %w", path, err)
		}
		unlock, ok, err := lockFile(path + ".lock")
		switch {
		case err != nil:
			s.readOnly = true // cannot even create the lock: a read-only place
		case !ok:
			s.readOnly = true // another tokentape writes it
		default:
			s.unlock = unlock
		}
	}
	if s.readOnly {
		if _, err := os.Stat(path); err != nil {
			s.unlock()
			return nil, fmt.Errorf("history file %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", dsn(path, s.readOnly))
	if err != nil {
		s.unlock()
		return nil, badFile(path, err)
	}
	db.SetMaxOpenConns(1) // one connection: SQLite has one writer, and pooled writers desync the WAL
	s.db = db
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		s.closeDB()
		return nil, badFile(path, err)
	}
	if s.readOnly {
		var v int
		if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			s.closeDB()
			return nil, badFile(path, err)
		}
		if v != len(migrations) {
			s.closeDB()
			return nil, &FileError{Path: path, Reason: fmt.Sprintf("is at schema %d and is open read-only (this tokentape needs %d)", v, len(migrations)),
				Advice: "quit the other tokentape using it, or use --db PATH or --no-history"}
		}
	} else if err := migrate(ctx, db, path); err != nil {
		s.closeDB()
		return nil, err
	}
	w, err := newWriter(ctx, db, s.ret)
	if err != nil {
		s.closeDB()
		return nil, badFile(path, err)
	}
	s.w = w
	n := opts.QueueLen
	if n <= 0 {
		n = 4096
	}
	s.queue = make(chan job, n)
	s.done = make(chan struct{})
	go s.run()
	return s, nil
}

// dsn builds the driver's connection string: WAL so readers never block the
// writer, a busy timeout so a second process waits instead of failing,
// immediate transactions so a writer takes its lock at BEGIN, and NORMAL
// sync (a killed process loses nothing committed; WAL keeps the file whole).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (s *Store) closeDB() {
	if s.db != nil {
		s.db.Close() //nolint:errcheck // closing after a failed open
	}
	s.unlock()
}

// Path is the file the store uses.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store only reads: asked for, or another
// tokentape is writing the file.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Err returns the last write error, or nil when the last write succeeded.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Record queues one applied batch for writing and returns at once. When the
// writer is far behind (a very slow disk) the batch is dropped and
// reported; later polls bring the same state again, and the store writes
// what changed since what it last wrote, so nothing but intermediate samples
// is lost. A read-only store drops everything.
func (s *Store) Record(batch []model.Update) {
	if len(batch) == 0 {
		return
	}
	s.enqueue(job{batch: batch})
}

// RecordAlerts queues the alert log of a snapshot; the store keeps new
// alerts and each change of state or acknowledgement.
func (s *Store) RecordAlerts(alerts []model.Alert) {
	s.enqueue(job{alerts: alerts})
}

func (s *Store) enqueue(j job) {
	if s.readOnly {
		return
	}
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.queue <- j:
	default:
		s.mu.Lock()
		s.dropped++
		first := s.dropped == 1
		s.mu.Unlock()
		if first && s.onError != nil {
			go s.onError(fmt.Errorf("history: the disk is too slow, some updates were not kept"))
		}
	}
}

// Flush waits until everything queued so far is written.
func (s *Store) Flush() {
	if s.readOnly {
		return
	}
	ch := make(chan struct{})
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return
	}
	s.queue <- job{flush: ch}
	s.closeMu.Unlock()
	<-ch
}

// Close writes what is queued and closes the file.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.closeMu.Unlock()
	<-s.done
	err := s.db.Close()
	s.unlock()
	return err
}

// run is the writer goroutine: one transaction per batch.
func (s *Store) run() {
	defer close(s.done)
	compactEvery := time.Hour
	var lastCompact time.Time
	for j := range s.queue {
		if j.flush != nil {
			close(j.flush)
			continue
		}
		var err error
		if j.batch != nil {
			err = s.w.writeBatch(j.batch)
		} else {
			err = s.w.writeAlerts(j.alerts)
		}
		s.noteWrite(err)
		if now := s.clock(); err == nil && now.Sub(lastCompact) >= compactEvery {
			lastCompact = now
			s.noteWrite(s.w.compact(now))
		}
	}
}

func (s *Store) noteWrite(err error) {
	s.mu.Lock()
	prev := s.err
	s.err = err
	if err == nil {
		s.lastWrite = s.clock()
	}
	s.mu.Unlock()
	// Report a failure once, not at every batch, until writes work again.
	if err != nil && prev == nil && s.onError != nil {
		s.onError(fmt.Errorf("history file %s: not writing (%w); running from memory", s.path, err))
	}
}
