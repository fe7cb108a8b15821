package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

var t0 = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)

// stepClock returns t0, t0+step, t0+2·step, ... on successive calls.
func stepClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	n := 0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := t0.Add(time.Duration(n) * step)
		n++
		return t
	}
}

func paid(in, out float64) model.Price {
	return model.Price{Kind: model.PricePaid, In: in, Out: out, CacheRead: math.NaN()}
}

// marketBatches is a small market history touching every kind of update,
// NaN figures included (they must survive the JSON round trip).
func marketBatches() [][]model.Update {
	day := func(i int) time.Time { return t0.AddDate(0, 0, i) }
	usage := model.UsageUpdate{At: day(13), Source: "usage"}
	for d := 0; d < 14; d++ {
		usage.Rows = append(usage.Rows,
			model.UsageRow{Date: day(d), Slug: "minimax/minimax-m2.5-20260211", Tokens: uint64(100+d*40) * 1e9},
			model.UsageRow{Date: day(d), Slug: "anthropic/claude-4.5-sonnet-20250929", Tokens: uint64(500-d*5) * 1e9},
			model.UsageRow{Date: day(d), Slug: "z-ai/glm-5", Tokens: 1<<59 + uint64(d)}, // > 2^53: must stay exact
			model.UsageRow{Date: day(d), Slug: model.OtherSlug, Tokens: 900e9},
		)
	}
	cached := paid(0.3, 1.2)
	cached.CacheRead = 0.03
	return [][]model.Update{
		{model.CatalogueUpdate{At: day(0), Source: "catalogue", Listings: []model.Listing{
			{ID: "minimax/minimax-m2.5", Slug: "minimax/minimax-m2.5-20260211", Name: "MiniMax M2.5", Price: cached,
				ContextLength: 204800, Created: day(-30), Description: "agentic coding"},
			{ID: "anthropic/claude-sonnet-4.5", Slug: "anthropic/claude-4.5-sonnet-20250929", Name: "Claude Sonnet 4.5",
				Price: paid(3, 15), Overrides: []model.PriceOverride{{MinPromptTokens: 200000, UTCStart: -1, UTCEnd: -1, In: 6, Out: 22.5, CacheRead: math.NaN()}}},
			{ID: "z-ai/glm-5", Name: "GLM-5", Price: paid(1, 3.2), Expires: day(40)},
			{ID: "openrouter/auto", Name: "Auto Router", Price: model.Price{Kind: model.PriceVariable, CacheRead: math.NaN()}},
		}}, model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: day(0), LastAttempt: day(0), Interval: 10 * time.Minute}}},
		{usage},
		{model.RankingUpdate{At: day(13), Source: "rank", IDs: []string{"minimax/minimax-m2.5", "z-ai/glm-5"}}},
		{model.EndpointsUpdate{At: day(13), Source: "endpoints", ListingID: "z-ai/glm-5", Endpoints: []model.Endpoint{
			{Provider: "Z.AI", Status: -2, Uptime5m: 61, Uptime30m: 80, Uptime1d: 99.1, LatencyP50: math.NaN(), ThroughputP50: math.NaN()},
			{Provider: "DeepInfra", Quantization: "fp8", Status: 0, Uptime5m: 99, Uptime30m: 99.5, Uptime1d: 99.4, LatencyP50: 900, ThroughputP50: 45},
		}}},
		{model.StatusUpdate{At: day(13), Page: model.StatusPage{Name: "claude", URL: "https://status.claude.com", Authors: []string{"anthropic"},
			Status: model.StatusPartialOutage, Components: []model.Component{{Name: "API", Status: model.StatusDegraded}},
			Incidents: []model.Incident{{ID: "x1", Title: "Elevated errors", Impact: model.StatusDegraded, Status: "investigating", Started: day(13)}}}},
			model.SourceUpdate{Health: model.SourceHealth{Name: "status.claude", OK: false, LastAttempt: day(13), LastError: "HTTP 503", NextAttempt: day(13).Add(time.Minute), Interval: time.Minute}}},
		{model.AppsUpdate{At: day(13), Source: "apps", Apps: []model.App{{Rank: 2, Name: "Cline", Tokens: 5e9, Requests: 1e6}, {Rank: 1, Name: "Kilo Code", Tokens: 9e9}}}},
		{model.CatalogueUpdate{At: day(14), Source: "catalogue", Listings: []model.Listing{
			{ID: "z-ai/glm-5", Name: "GLM-5", Price: paid(1.2, 3.84)}, // a price hike
		}}},
	}
}

func snapshotText(s *model.Snapshot) string { return fmt.Sprintf("%+v", *s) }

func TestRecordReplayRoundTrip(t *testing.T) {
	now := func() time.Time { return t0.AddDate(0, 0, 15) }
	path := filepath.Join(t.TempDir(), "rec.ndjson")
	rec, err := Create(path, RecorderOptions{Clock: stepClock(1500 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	live := model.NewMarket(model.Config{Source: "openrouter", Clock: now, Retention: 30})
	sink := rec.Wrap(func(us []model.Update) {
		for _, u := range us {
			live.Apply(u)
		}
	})
	batches := marketBatches()
	for _, b := range batches {
		sink(b)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	replayed := model.NewMarket(model.Config{Source: "openrouter", Clock: now, Retention: 30})
	n := 0
	for {
		batch, wait, ok := st.Next()
		if !ok {
			break
		}
		wantWait := 1500 * time.Millisecond
		if n == 0 {
			wantWait = 0
		}
		if wait != wantWait {
			t.Errorf("batch %d wait %v, want %v", n, wait, wantWait)
		}
		if len(batch) != len(batches[n]) {
			t.Errorf("batch %d has %d updates, recorded %d", n, len(batch), len(batches[n]))
		}
		for _, u := range batch {
			replayed.Apply(u)
		}
		n++
	}
	if n != len(batches) || st.Skipped() != 0 || st.Err() != nil {
		t.Fatalf("replayed %d batches of %d, skipped %d, err %v", n, len(batches), st.Skipped(), st.Err())
	}
	if !st.Time().Equal(t0.Add(time.Duration(len(batches)-1) * 1500 * time.Millisecond)) {
		t.Errorf("Time() = %v", st.Time())
	}
	a, b := live.Snapshot(), replayed.Snapshot()
	if len(a.Listings) != 4 || !a.HasVolumes {
		t.Fatalf("the live market did not take the history: %d listings", len(a.Listings))
	}
	if ta, tb := snapshotText(a), snapshotText(b); ta != tb {
		t.Fatalf("snapshots differ\nlive:   %s\nreplay: %s", ta, tb)
	}
	// And a few figures checked directly, so the comparison cannot pass by
	// both sides losing the same data.
	glm, ok := b.Listing("z-ai/glm-5")
	if !ok || glm.Series[len(glm.Series)-1] != 1<<59+13 || len(glm.PriceHistory()) != 2 ||
		len(glm.Endpoints()) != 2 || !math.IsNaN(glm.Endpoints()[0].LatencyP50) {
		t.Errorf("glm-5 after replay: %+v", glm)
	}
	if len(b.Sources) != 2 || len(b.StatusPages) != 1 || len(b.Apps) != 2 {
		t.Errorf("sources %d pages %d apps %d", len(b.Sources), len(b.StatusPages), len(b.Apps))
	}
}

func TestRecorderWritesOneLinePerUpdate(t *testing.T) {
	var buf bytes.Buffer
	rec := NewRecorder(&buf, RecorderOptions{Clock: stepClock(time.Second)})
	rec.Record([]model.Update{
		model.RankingUpdate{At: t0, IDs: []string{"a/b"}},
		nil,
		model.SourceUpdate{Health: model.SourceHealth{Name: "x", OK: true}},
	})
	rec.Record(nil) // nothing, and no clock tick
	rec.Record([]model.Update{model.RankingUpdate{At: t0, IDs: []string{"c/d"}}})
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 || rec.Lines() != 3 {
		t.Fatalf("%d lines (%d counted): %q", len(lines), rec.Lines(), buf.String())
	}
	wantTimes := []time.Time{t0, t0, t0.Add(time.Second)}
	wantKinds := []string{"ranking", "source", "ranking"}
	for i, l := range lines {
		r, err := model.UnmarshalRecord([]byte(l))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !r.Time.Equal(wantTimes[i]) || r.Update.Kind() != wantKinds[i] {
			t.Errorf("line %d: %v %s, want %v %s", i+1, r.Time, r.Update.Kind(), wantTimes[i], wantKinds[i])
		}
	}
	// After Close, records are dropped, not panicking.
	rec.Record([]model.Update{model.RankingUpdate{At: t0, IDs: []string{"e/f"}}})
	if strings.Count(buf.String(), "\n") != 3 {
		t.Error("a record after Close was written")
	}
}

// syncBuffer is a bytes.Buffer safe for the flush timer's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func TestRecorderFlushesWithinFlushEvery(t *testing.T) {
	var out syncBuffer
	rec := NewRecorder(&out, RecorderOptions{FlushEvery: 30 * time.Millisecond})
	defer rec.Close()
	rec.Record([]model.Update{model.RankingUpdate{At: t0, IDs: []string{"a/b"}}})
	if out.Len() != 0 {
		t.Fatal("not buffered")
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.Len() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("not flushed by the timer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A second line, later, is flushed too (the timer re-arms).
	n := out.Len()
	rec.Record([]model.Update{model.RankingUpdate{At: t0, IDs: []string{"c/d"}}})
	for out.Len() == n {
		if time.Now().After(deadline) {
			t.Fatal("second line not flushed by the timer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
}

// failWriter accepts limit bytes, then fails.
type failWriter struct {
	n, limit int
}

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, errors.New("no space left on device")
	}
	w.n += len(p)
	return len(p), nil
}

func TestRecorderReportsWriteErrors(t *testing.T) {
	var reported []error
	var mu sync.Mutex
	var rec *Recorder
	rec = NewRecorder(&failWriter{limit: 10}, RecorderOptions{OnError: func(err error) {
		_ = rec.Err() // the callback may call back: no deadlock
		mu.Lock()
		reported = append(reported, err)
		mu.Unlock()
	}})
	big := model.RankingUpdate{At: t0, IDs: []string{strings.Repeat("x", 70<<10)}} // past the buffer
	rec.Record([]model.Update{big})
	rec.Record([]model.Update{big})
	err := rec.Close()
	if err == nil || !strings.Contains(err.Error(), "no space left") || rec.Err() == nil {
		t.Fatalf("Close = %v, Err = %v", err, rec.Err())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 {
		t.Fatalf("OnError called %d times, want once: %v", len(reported), reported)
	}

	// An update that cannot be encoded (a year JSON cannot hold) is skipped
	// and reported; the recording goes on.
	var buf bytes.Buffer
	var encErrs int
	rec2 := NewRecorder(&buf, RecorderOptions{OnError: func(error) { encErrs++ }})
	rec2.Record([]model.Update{
		model.RankingUpdate{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), IDs: []string{"a/b"}},
		model.RankingUpdate{At: t0, IDs: []string{"c/d"}},
	})
	if err := rec2.Close(); err != nil || encErrs != 1 || strings.Count(buf.String(), "\n") != 1 {
		t.Errorf("close %v, %d encode errors, %q", err, encErrs, buf.String())
	}
}

func TestCreateAppendsWithPrivateMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.ndjson")
	for i := 0; i < 2; i++ {
		rec, err := Create(path, RecorderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rec.Record([]model.Update{model.RankingUpdate{At: t0, IDs: []string{"a/b"}}})
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), "\n") != 2 {
		t.Errorf("second recorder did not append: %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := Create(filepath.Join(t.TempDir(), "no", "such", "dir"), RecorderOptions{}); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open of a missing file succeeded")
	}
}

// TestRecordingNeverHoldsTheKey runs a poller whose source sends the API key
// to a server (which also echoes it back in an error), records everything,
// and greps the recording.
func TestRecordingNeverHoldsTheKey(t *testing.T) {
	const key = "sk-or-v1-f00dfacecafe0123456789abcdef"
	var authed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer "+key {
			authed.Add(1)
		}
		if r.URL.Path == "/fail" {
			w.Header().Set("X-Echo", r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"bad key %s"}`, r.Header.Get("Authorization"))
			return
		}
		fmt.Fprint(w, `{"data":[{"id":"a/b"}]}`)
	}))
	defer srv.Close()

	path := filepath.Join(t.TempDir(), "rec.ndjson")
	rec, err := Create(path, RecorderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hdr := http.Header{"Authorization": {"Bearer " + key}}
	mk := func(name, url string) feeds.Source {
		return sourceFunc{name: name, fn: func(ctx context.Context, env feeds.Env) ([]model.Update, error) {
			resp, err := env.HTTP.Get(ctx, feeds.Request{URL: url, Header: hdr})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			return []model.Update{model.CatalogueUpdate{At: env.Now(), Source: name,
				Listings: []model.Listing{{ID: "a/b", Name: string(resp.Body[:20])}}}}, nil
		}}
	}
	p := feeds.NewPoller([]feeds.Source{mk("catalogue", srv.URL+"/ok"), mk("usage", srv.URL+"/fail")},
		rec.Wrap(nil), feeds.PollerOptions{Redact: []string{key}})
	_ = p.RunOnce(context.Background())
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if authed.Load() != 2 {
		t.Fatalf("the key was not sent (%d authorised requests): the test proves nothing", authed.Load())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"usage"`) || !strings.Contains(string(b), "HTTP 401") {
		t.Fatalf("recording lacks the failing source's health: %s", b)
	}
	for _, bad := range []string{key, "Bearer", "f00dface"} {
		if strings.Contains(string(b), bad) {
			t.Fatalf("recording contains %q:\n%s", bad, b)
		}
	}
}

type sourceFunc struct {
	name string
	fn   func(context.Context, feeds.Env) ([]model.Update, error)
}

func (s sourceFunc) Name() string            { return s.name }
func (s sourceFunc) Interval() time.Duration { return time.Minute }
func (s sourceFunc) Fetch(ctx context.Context, env feeds.Env) ([]model.Update, error) {
	return s.fn(ctx, env)
}

func line(at time.Time, ids ...string) string {
	b, err := model.MarshalRecord(model.Record{Time: at, Update: model.RankingUpdate{At: at, IDs: ids}})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestStreamBatchesWaitsAndBadLines(t *testing.T) {
	in := strings.Join([]string{
		line(t0, "a"),
		line(t0, "b"), // same time: same batch
		"",            // blank: ignored, not malformed
		`{"t":"2026-02-01T00:00:01Z","kind":"nope","data":{}}`, // line 4: unknown kind
		line(t0.Add(3*time.Second), "c"),
		"not json at all",                                                           // line 6
		line(t0.Add(time.Hour), "d"),                                                // a huge gap: clamped
		line(t0.Add(time.Second), "e"),                                              // backwards: no wait
		`{"t":"2026-02-01T00:00:01Z","kind":"ranking","data":{"IDs":"not a list"}}`, // line 9: wrong type
		line(t0.Add(2*time.Second), "f") + "\r",                                     // CRLF tolerated, no final newline
	}, "\n")
	st := NewStream(strings.NewReader(in))
	type got struct {
		ids  []string
		wait time.Duration
	}
	var all []got
	for {
		batch, wait, ok := st.Next()
		if !ok {
			break
		}
		var ids []string
		for _, u := range batch {
			ids = append(ids, u.(model.RankingUpdate).IDs...)
		}
		all = append(all, got{ids, wait})
	}
	want := []got{{[]string{"a", "b"}, 0}, {[]string{"c"}, 3 * time.Second}, {[]string{"d"}, MaxGap}, {[]string{"e"}, 0}, {[]string{"f"}, time.Second}}
	if fmt.Sprint(all) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", all, want)
	}
	if st.Skipped() != 3 {
		t.Errorf("skipped %d, want 3", st.Skipped())
	}
	bad := st.BadLines()
	if len(bad) != 3 || bad[0].Line != 4 || bad[1].Line != 6 || bad[2].Line != 9 {
		t.Fatalf("bad lines %v, want lines 4, 6, 9", bad)
	}
	if !strings.Contains(bad[0].String(), `line 4: unknown update kind "nope"`) {
		t.Errorf("message %q", bad[0].String())
	}
	if st.Err() != nil {
		t.Errorf("Err = %v at a clean EOF", st.Err())
	}
	if _, _, ok := st.Next(); ok {
		t.Error("Next after the end returned a batch")
	}
	if st.Name() != "replay" {
		t.Errorf("Name = %q", st.Name())
	}
}

func TestStreamSkipsOverlongLinesWithoutHoldingThem(t *testing.T) {
	in := line(t0, "a") + "\n" + strings.Repeat("x", 5000) + "\n" + line(t0.Add(time.Second), "b") + "\n"
	st := NewStream(strings.NewReader(in))
	st.maxLine = 1000
	var n int
	for {
		_, _, ok := st.Next()
		if !ok {
			break
		}
		n++
	}
	if n != 2 || st.Skipped() != 1 || st.BadLines()[0].Line != 2 {
		t.Fatalf("batches %d skipped %d bad %v", n, st.Skipped(), st.BadLines())
	}
}

// lazyReader generates an endless recording and counts what was read.
type lazyReader struct {
	read int64
	n    int
	buf  []byte
}

func (r *lazyReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		r.buf = []byte(line(t0.Add(time.Duration(r.n)*time.Second), "x/y") + "\n")
		r.n++
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	r.read += int64(k)
	return k, nil
}

func TestStreamReadsLazily(t *testing.T) {
	lr := &lazyReader{}
	st := NewStream(lr)
	for i := 0; i < 3; i++ {
		if _, _, ok := st.Next(); !ok {
			t.Fatal("endless stream ended")
		}
	}
	// Three batches of an endless file: only a buffer's worth was read.
	if lr.read > 512<<10 {
		t.Errorf("read %d bytes for three batches", lr.read)
	}
}

type errReader struct{ data io.Reader }

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestStreamReadErrorEndsIt(t *testing.T) {
	st := NewStream(&errReader{strings.NewReader(line(t0, "a") + "\n")})
	if _, _, ok := st.Next(); !ok {
		t.Fatal("first batch lost")
	}
	if _, _, ok := st.Next(); ok {
		t.Fatal("stream went on after a read error")
	}
	if st.Err() == nil || !strings.Contains(st.Err().Error(), "disk on fire") {
		t.Errorf("Err = %v", st.Err())
	}
}

func TestStreamCleansHostileStrings(t *testing.T) {
	hostile := model.CatalogueUpdate{At: t0, Listings: []model.Listing{{
		ID: "evil/model", Name: "Evil\x1b[2J\x1b]0;pwned\x07 Model\r\u202e", Description: "a\bb",
		Overrides: []model.PriceOverride{{UTCStart: -1, UTCEnd: -1}},
	}}}
	b, err := model.MarshalRecord(model.Record{Time: t0, Update: hostile})
	if err != nil {
		t.Fatal(err)
	}
	st := NewStream(bytes.NewReader(b))
	batch, _, ok := st.Next()
	if !ok {
		t.Fatal("no batch")
	}
	l := batch[0].(model.CatalogueUpdate).Listings[0]
	if l.Name != "Evil Model" || l.Description != "ab" || l.ID != "evil/model" {
		t.Errorf("cleaned to name %q description %q id %q", l.Name, l.Description, l.ID)
	}
}

// TestReplayThroughPlayer plays a recording through a feeds.Player into a
// market and gets the recorded market back.
func TestReplayThroughPlayer(t *testing.T) {
	var buf bytes.Buffer
	rec := NewRecorder(&buf, RecorderOptions{Clock: stepClock(time.Millisecond)})
	for _, b := range marketBatches() {
		rec.Record(b)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return t0.AddDate(0, 0, 15) }
	m := model.NewMarket(model.Config{Clock: now, Retention: 30})
	var mu sync.Mutex
	pl := feeds.NewPlayer(NewStream(&buf), func(us []model.Update) {
		mu.Lock()
		defer mu.Unlock()
		for _, u := range us {
			m.Apply(u)
		}
	}, feeds.PlayerOptions{Speed: feeds.MaxSpeed})
	if err := pl.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := model.NewMarket(model.Config{Clock: now, Retention: 30})
	for _, b := range marketBatches() {
		for _, u := range b {
			want.Apply(u)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if snapshotText(m.Snapshot()) != snapshotText(want.Snapshot()) {
		t.Error("market after playing the recording differs from the recorded one")
	}
}

func FuzzStream(f *testing.F) {
	f.Add([]byte(line(t0, "a") + "\n" + line(t0.Add(time.Second), "b")))
	f.Add([]byte("{}\n\n{\"t\":1}\n"))
	f.Add([]byte(`{"t":"2026-02-01T00:00:00Z","kind":"catalogue","data":{"Listings":[{"ID":"a","Price":{"kind":1,"in":null}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st := NewStream(bytes.NewReader(data))
		st.maxLine = 4096
		batches := 0
		for {
			batch, wait, ok := st.Next()
			if !ok {
				break
			}
			if len(batch) == 0 || wait < 0 || wait > MaxGap {
				t.Fatalf("batch of %d, wait %v", len(batch), wait)
			}
			batches++
			if batches > len(data)+1 {
				t.Fatal("more batches than bytes")
			}
		}
		if st.Skipped() > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("skipped %d lines of %d", st.Skipped(), bytes.Count(data, []byte("\n"))+1)
		}
	})
}

func BenchmarkStream(b *testing.B) {
	var buf bytes.Buffer
	rec := NewRecorder(&buf, RecorderOptions{Clock: stepClock(time.Second)})
	for i := 0; i < 100; i++ {
		for _, batch := range marketBatches() {
			rec.Record(batch)
		}
	}
	_ = rec.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		st := NewStream(bytes.NewReader(data))
		for {
			if _, _, ok := st.Next(); !ok {
				break
			}
		}
	}
}

// endless reads zeros for ever, like /dev/zero: no newline ever comes.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A replay of an endless reader stops within a second of its context ending
// (before, --replay /dev/zero spun at 100% CPU ignoring SIGTERM for 800 s),
// and so does one blocked on a pipe nobody writes to.
func TestReplayOfAnEndlessReaderStopsWithItsContext(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	for name, r := range map[string]io.Reader{"endless": endless{}, "silent pipe": pr} {
		ctx, cancel := context.WithCancel(context.Background())
		st := NewStreamContext(ctx, r)
		done := make(chan bool, 1)
		go func() { _, _, ok := st.Next(); done <- ok }()
		time.Sleep(100 * time.Millisecond)
		cancel()
		select {
		case ok := <-done:
			if ok {
				t.Errorf("%s: a batch from nothing", name)
			}
			if !errors.Is(st.Err(), context.Canceled) {
				t.Errorf("%s: Err() = %v, want the context's error", name, st.Err())
			}
		case <-time.After(time.Second):
			t.Fatalf("%s: still reading a second after cancel", name)
		}
		st.Close()
	}
}

// --replay refuses what is not a regular file, without blocking on a FIFO.
func TestOpenRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/dev/zero": "character device",
		fifo:        "named pipe",
		dir:         "directory",
	} {
		done := make(chan error, 1)
		go func() {
			st, err := OpenContext(context.Background(), path)
			if err == nil {
				st.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("Open(%s) = %v, want a refusal naming a %s", path, err, want)
			}
		case <-time.After(time.Second):
			t.Fatalf("Open(%s) blocked", path)
		}
	}
	good := filepath.Join(dir, "rec.ndjson")
	os.WriteFile(good, nil, 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(good, link)
	for _, p := range []string{good, link} {
		st, err := Open(p)
		if err != nil {
			t.Errorf("Open(%s): %v", p, err)
			continue
		}
		st.Close()
	}
}

// Appending to a recording whose last line a crash tore starts on a new
// line: only the torn line is lost, and the replay reads everything else.
func TestAppendToATornRecordingStartsOnANewLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.ndjson")
	clock := func() time.Time { return t0 }
	r, err := Create(path, RecorderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	r.Record([]model.Update{model.RankingUpdate{At: t0, Source: "ranking", IDs: []string{"a/one"}}})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"t":"2026-02-01T00:00:01Z","kind":"ranking","data":{"IDs":["a/tor`) // the crash
	f.Close()

	r, err = Create(path, RecorderOptions{Clock: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	r.Record([]model.Update{model.RankingUpdate{At: t0.Add(time.Hour), Source: "ranking", IDs: []string{"a/two"}}})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	for {
		batch, _, ok := st.Next()
		if !ok {
			break
		}
		for _, u := range batch {
			ids = append(ids, u.(model.RankingUpdate).IDs...)
		}
	}
	if strings.Join(ids, ",") != "a/one,a/two" || st.Skipped() != 1 {
		t.Fatalf("replayed %v with %d skipped (%v); want a/one,a/two and the torn line skipped", ids, st.Skipped(), st.BadLines())
	}
}
