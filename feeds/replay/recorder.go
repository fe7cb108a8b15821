// Package replay records the market's updates as NDJSON (--record FILE) and
// plays a recording back as a feeds.Stream (--source replay --replay FILE).
//
// A recording is one line per Update in the format of model.MarshalRecord:
// {"t": <wall clock when received>, "kind": "...", "data": {...}}. The updates
// a sink received in one call share one time, so a replay delivers them in
// one batch again, with the original gaps between batches (clamped).
//
// Updates carry market data and source health, never request headers, so a
// recording never holds the API key.
package replay

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// FlushEvery is how long a recorded line may sit in the buffer.
const FlushEvery = time.Second

// RecorderOptions configures a Recorder.
type RecorderOptions struct {
	// Clock stamps each record; nil means time.Now.
	Clock func() time.Time
	// OnError is called with the first write error, after which the
	// recorder stops writing (the program goes on without a recording), and
	// with each update that could not be encoded (skipped, recording goes
	// on). It is called without the recorder's lock held, from the goroutine
	// that recorded or from the flush timer. nil means errors are only kept
	// for Err.
	OnError func(error)
	// FlushEvery overrides the flush delay; 0 means FlushEvery.
	FlushEvery time.Duration
}

// Recorder appends every update it sees to a writer as NDJSON. Writes are
// buffered and flushed within FlushEvery of the first unflushed line, and on
// Close. It is safe for concurrent use.
type Recorder struct {
	clock      func() time.Time
	onError    func(error)
	flushEvery time.Duration

	mu      sync.Mutex
	w       io.Writer
	bw      *bufio.Writer
	closer  io.Closer // the file, when the recorder opened it
	timer   *time.Timer
	pending bool // unflushed lines
	err     error
	closed  bool
	lines   int64
}

// NewRecorder records into w. Close flushes (and closes w if it is an
// io.Closer opened by Create; a writer passed here is not closed).
func NewRecorder(w io.Writer, opts RecorderOptions) *Recorder {
	r := &Recorder{clock: opts.Clock, onError: opts.OnError, flushEvery: opts.FlushEvery,
		w: w, bw: bufio.NewWriterSize(w, 64<<10)}
	if r.clock == nil {
		r.clock = time.Now
	}
	if r.flushEvery <= 0 {
		r.flushEvery = FlushEvery
	}
	return r
}

// Create opens path for appending (creating it with mode 0600: a recording
// is the user's market history) and returns a recorder writing to it.
//
// A recording whose last line was torn by a crash gets a newline first, so
// the new lines start on a line of their own and only the torn one is lost
// (a replay skips it). A named pipe or socket is refused: opening one could
// block, and a recording is a file.
func Create(path string, opts RecorderOptions) (*Recorder, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, os.ErrPermission) {
		// Writable but not readable: append without the torn-line check.
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Mode()&(os.ModeNamedPipe|os.ModeSocket|os.ModeDir) != 0 {
		err = &feeds.NotRegularError{Path: path, Mode: fi.Mode()}
	}
	if err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, rerr := f.ReadAt(last, fi.Size()-1); rerr == nil && last[0] != '\n' {
			_, err = f.Write([]byte{'\n'})
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("record: %w", err)
	}
	r := NewRecorder(f, opts)
	r.closer = f
	return r, nil
}

// Wrap returns a sink that records every batch and then passes it to next
// (which may be nil).
func (r *Recorder) Wrap(next feeds.Sink) feeds.Sink {
	return func(us []model.Update) {
		r.Record(us)
		if next != nil {
			next(us)
		}
	}
}

// Record writes one batch, every update stamped with the same time. Nil
// updates are skipped; an update that cannot be encoded is skipped and
// reported like a write error would be, without stopping the recording.
func (r *Recorder) Record(us []model.Update) {
	if len(us) == 0 {
		return
	}
	at := r.clock()
	lines := make([][]byte, 0, len(us))
	var encErr error
	for _, u := range us {
		if u == nil {
			continue
		}
		b, err := model.MarshalRecord(model.Record{Time: at, Update: u})
		if err != nil {
			encErr = err
			continue
		}
		lines = append(lines, b)
	}

	var report []error
	defer func() { r.report(report) }() // outside the lock: the callback may call Err
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.err != nil {
		return
	}
	if encErr != nil {
		report = append(report, fmt.Errorf("record: %w", encErr))
	}
	for _, b := range lines {
		_, err := r.bw.Write(b)
		if err == nil {
			err = r.bw.WriteByte('\n')
		}
		if err != nil {
			report = append(report, r.failLocked(err)...)
			return
		}
		r.lines++
	}
	if len(lines) > 0 && !r.pending {
		r.pending = true
		if r.timer == nil {
			r.timer = time.AfterFunc(r.flushEvery, r.flushFromTimer)
		} else {
			r.timer.Reset(r.flushEvery)
		}
	}
}

// report hands errors to the OnError callback.
func (r *Recorder) report(errs []error) {
	if r.onError == nil {
		return
	}
	for _, err := range errs {
		r.onError(err)
	}
}

func (r *Recorder) flushFromTimer() {
	var report []error
	r.mu.Lock()
	if !r.closed {
		report = r.flushLocked()
	}
	r.mu.Unlock()
	r.report(report)
}

func (r *Recorder) flushLocked() []error {
	r.pending = false
	if r.err != nil {
		return nil
	}
	if err := r.bw.Flush(); err != nil {
		return r.failLocked(err)
	}
	return nil
}

// failLocked keeps the first write error and returns it for reporting; later
// ones are dropped (the recording has stopped).
func (r *Recorder) failLocked(err error) []error {
	if r.err != nil {
		return nil
	}
	r.err = fmt.Errorf("record: %w", err)
	return []error{r.err}
}

// Flush writes buffered lines now.
func (r *Recorder) Flush() error {
	var report []error
	r.mu.Lock()
	if !r.closed {
		report = r.flushLocked()
	}
	err := r.err
	r.mu.Unlock()
	r.report(report)
	return err
}

// Lines counts the lines written so far (buffered ones included).
func (r *Recorder) Lines() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lines
}

// Err returns the first write error, or nil.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Close flushes and, for a recorder from Create, syncs and closes the file.
// Records after Close are dropped. It returns the first error seen.
func (r *Recorder) Close() error {
	var report []error
	defer func() { r.report(report) }()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	report = r.flushLocked()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	if r.closer != nil {
		if f, ok := r.closer.(*os.File); ok && r.err == nil {
			if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
				report = append(report, r.failLocked(err)...)
			}
		}
		if err := r.closer.Close(); err != nil {
			report = append(report, r.failLocked(err)...)
		}
	}
	return r.err
}
