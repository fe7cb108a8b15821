package replay

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Limits of a replay.
const (
	// MaxGap is the longest wait between two batches: a recording left
	// running overnight with nothing happening does not replay as a night
	// of nothing.
	MaxGap = 10 * time.Second
	// MaxLine is the longest line read; a longer one is skipped as
	// malformed without being held in memory.
	MaxLine = 64 << 20
	// maxBadLines is how many malformed lines are remembered for messages.
	maxBadLines = 20
)

// Name is the name a replay stream reports.
const Name = "replay"

// BadLine is a line of a recording that could not be read.
type BadLine struct {
	Line int    // 1-based line number
	Err  string // why, short
}

// String formats the line for a message: "line 12: unknown update kind "x"".
func (b BadLine) String() string { return fmt.Sprintf("line %d: %s", b.Line, b.Err) }

// Stream plays a recording as a feeds.Stream. It reads lazily, one batch
// ahead, so memory is bounded by the largest batch, not the file. Records
// that share a time form one batch (the updates one sink call received);
// wait is the gap to the previous batch, clamped to [0, MaxGap]. Malformed
// lines are skipped and counted, never fatal; the stream ends at EOF or at a
// read error (see Err).
//
// Next must be called from one goroutine; the counters may be read from
// any.
type Stream struct {
	ctx     context.Context // reading stops when it ends
	r       *bufio.Reader
	closer  io.Closer
	stop    func() bool // unregisters the close on ctx's end
	maxLine int         // MaxLine; smaller in tests

	line    int           // lines read
	peek    *model.Record // the first record of the next batch
	prev    time.Time     // time of the last batch returned
	started bool
	done    bool

	mu      sync.Mutex
	current time.Time
	skipped int
	bad     []BadLine
	err     error
}

var _ feeds.Stream = (*Stream)(nil)

// Open opens a recording for replay. Close it when done.
func Open(path string) (*Stream, error) { return OpenContext(context.Background(), path) }

// OpenContext opens a recording for replay that stops reading when ctx ends.
// Only a regular file is accepted: /dev/zero would be read for ever and a
// FIFO would block until someone writes to it.
func OpenContext(ctx context.Context, path string) (*Stream, error) {
	f, err := feeds.OpenRegular(path)
	if err != nil {
		var nr *feeds.NotRegularError
		if errors.As(err, &nr) {
			return nil, fmt.Errorf("replay: %v; a recording is a file written by --record", err)
		}
		return nil, fmt.Errorf("replay: %w", err)
	}
	return NewStreamContext(ctx, f), nil
}

// NewStream plays the recording read from r.
func NewStream(r io.Reader) *Stream { return NewStreamContext(context.Background(), r) }

// NewStreamContext plays the recording read from r until ctx ends: a read
// in progress stops within one buffer of input, and when r is an io.Closer
// (a file, standard input) it is closed, so even a read blocked on a pipe
// returns. Close closes r too.
func NewStreamContext(ctx context.Context, r io.Reader) *Stream {
	s := &Stream{ctx: ctx, r: bufio.NewReaderSize(r, 256<<10), maxLine: MaxLine}
	if c, ok := r.(io.Closer); ok {
		s.closer = &onceCloser{c: c}
		if ctx.Done() != nil {
			stop := context.AfterFunc(ctx, func() { s.closer.Close() })
			s.stop = stop
		}
	}
	return s
}

// onceCloser closes once: the context and the owner may both close.
type onceCloser struct {
	once sync.Once
	c    io.Closer
	err  error
}

func (o *onceCloser) Close() error {
	o.once.Do(func() { o.err = o.c.Close() })
	return o.err
}

// Name implements feeds.Stream.
func (s *Stream) Name() string { return Name }

// Next implements feeds.Stream: the next batch and the wait before it.
func (s *Stream) Next() ([]model.Update, time.Duration, bool) {
	if s.done {
		return nil, 0, false
	}
	first := s.peek
	s.peek = nil
	if first == nil {
		first = s.read()
		if first == nil {
			s.done = true
			return nil, 0, false
		}
	}
	batch := []model.Update{first.Update}
	for {
		rec := s.read()
		if rec == nil {
			break
		}
		if !rec.Time.Equal(first.Time) {
			s.peek = rec
			break
		}
		batch = append(batch, rec.Update)
	}
	var wait time.Duration
	if s.started {
		wait = min(max(first.Time.Sub(s.prev), 0), MaxGap)
	}
	s.started, s.prev = true, first.Time
	s.mu.Lock()
	s.current = first.Time
	s.mu.Unlock()
	return batch, wait, true
}

// read returns the next well-formed record, or nil at the end.
func (s *Stream) read() *model.Record {
	for {
		line, tooLong, err := s.readLine()
		if len(line) > 0 || tooLong {
			s.line++
			if tooLong {
				s.skip(fmt.Sprintf("line longer than %d bytes", s.maxLine))
			} else if rec, derr := model.UnmarshalRecord(line); derr != nil {
				s.skip(sanitize.String(derr.Error(), 120))
			} else {
				rec.Update = clean(rec.Update)
				return &rec
			}
		} else if err == nil {
			s.line++ // an empty line: not an error
		}
		if err != nil {
			if cerr := s.ctx.Err(); cerr != nil {
				s.mu.Lock()
				s.err = fmt.Errorf("replay: stopped at line %d: %w", s.line+1, cerr)
				s.mu.Unlock()
			} else if !errors.Is(err, io.EOF) {
				s.mu.Lock()
				s.err = fmt.Errorf("replay: line %d: %w", s.line+1, err)
				s.mu.Unlock()
			}
			return nil
		}
	}
}

// readLine reads one line without its newline. A line longer than MaxLine
// is drained and reported as tooLong. At EOF a final unterminated line is
// returned with err == io.EOF.
func (s *Stream) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, false, err
		}
		chunk, err := s.r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > s.maxLine+1 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, tooLong, err
	}
}

func (s *Stream) skip(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skipped++
	if len(s.bad) < maxBadLines {
		s.bad = append(s.bad, BadLine{Line: s.line, Err: why})
	}
}

// clean sanitises every string in an update. A recording is a file anyone
// can edit or share: its strings are as untrusted as a feed's, so they are
// cleaned once here, where they are decoded. Strings the recorder wrote were
// already clean and come out unchanged.
func clean(u model.Update) model.Update { return Clean(u) }

// Clean returns u with every string in it sanitised (sanitize.Text): for
// updates decoded from anything outside this process, a recording or a
// server's stream, whose strings are as untrusted as a feed's.
func Clean(u model.Update) model.Update {
	rv := reflect.New(reflect.TypeOf(u)).Elem()
	rv.Set(reflect.ValueOf(u))
	cleanValue(rv)
	out, ok := rv.Interface().(model.Update)
	if !ok {
		return u
	}
	return out
}

func cleanValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); s != "" {
				if c := sanitize.Text(s); c != s {
					v.SetString(c)
				}
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				cleanValue(f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			cleanValue(v.Index(i))
		}
	}
}

// Time is the recorded time of the last batch returned by Next (zero before
// the first), so a replay can show when its data was live.
func (s *Stream) Time() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// Skipped counts the malformed lines skipped so far.
func (s *Stream) Skipped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped
}

// BadLines returns the first malformed lines (at most 20), for a message
// such as "replay: skipped 3 malformed lines (line 12: ...)".
func (s *Stream) BadLines() []BadLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BadLine(nil), s.bad...)
}

// Err returns the read error that ended the stream early, or nil (EOF is
// not an error).
func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close closes the file opened by Open (or the reader given, when it is an
// io.Closer).
func (s *Stream) Close() error {
	if s.stop != nil {
		s.stop()
	}
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}
