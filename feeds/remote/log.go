// Package remote attaches a tokentape to another one's market. The server
// side (Log) keeps the market's state as a compact batch of Updates and
// streams every new batch to its clients; the client side (Client) applies
// that state and then the stream, so a laptop watching a server spends no
// upstream quota. The wire format is the recordings' NDJSON (one
// model.Record per line), with an empty line after each batch.
package remote

import (
	"bufio"
	"errors"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/model"
)

// Path is where a server serves its update stream.
const Path = "/api/v1/updates"

// ErrFull is returned when a log already streams to its maximum of clients.
var ErrFull = errors.New("too many attached clients")

// Log records the updates a server applies, compacted so that its size
// follows the market (one catalogue per source, one endpoints list per
// listing, usage rows by day and listing) and not the uptime, and fans new
// batches out to attached clients. A client that falls a full buffer behind
// is cut off; it reconnects and gets the whole state again.
type Log struct {
	mu      sync.Mutex
	market  string // this market's generation, sent as MarketHeader; new on Reset
	state   state
	clients map[*client]struct{}
	max     int
	now     func() time.Time
}

type client struct {
	ch   chan []byte // encoded batches
	done chan struct{}
	gone bool
}

// clientBuffer is how many batches a client may fall behind before it is cut off.
const clientBuffer = 64

// NewLog returns an empty log serving at most maxClients (default 256).
func NewLog(maxClients int) *Log {
	if maxClients <= 0 {
		maxClients = 256
	}
	return &Log{market: newGeneration(), state: newState(), clients: make(map[*client]struct{}), max: maxClients, now: time.Now}
}

// MarketHeader names the market a stream carries. It changes when the
// server replaces its market (Reset: the demo giving way to the live
// market) and when the server restarts, and tells a client whose data
// came from another market to start afresh (Client.OnNewMarket), rather
// than lay the new market over the old.
const MarketHeader = "Tokentape-Market"

// newGeneration is a market's name on the wire: random, so that a restarted
// server's market differs from the one it had before.
func newGeneration() string { return strconv.FormatUint(rand.Uint64(), 36) }

// Reset forgets the state and cuts every client off: the server's market
// was replaced by another (the demo or the kept history by the live
// market), and nothing of the old one may reach a client. Clients reconnect,
// see a new MarketHeader and rebuild from the new market's state.
func (l *Log) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.market = newGeneration()
	l.state = newState()
	for c := range l.clients {
		l.dropLocked(c)
	}
}

// Wrap returns a sink that records each batch and then passes it to next.
func (l *Log) Wrap(next feeds.Sink) feeds.Sink {
	return func(batch []model.Update) {
		l.Record(batch)
		next(batch)
	}
}

// Record keeps a batch and sends it to every attached client without blocking.
func (l *Log) Record(batch []model.Update) {
	if len(batch) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range batch {
		l.state.add(u)
	}
	if len(l.clients) == 0 {
		return
	}
	b, err := encodeBatch(l.now(), batch)
	if err != nil {
		return
	}
	for c := range l.clients {
		select {
		case c.ch <- b:
		default:
			l.dropLocked(c)
		}
	}
}

func (l *Log) dropLocked(c *client) {
	if c.gone {
		return
	}
	c.gone = true
	delete(l.clients, c)
	close(c.done)
}

// Clients reports how many clients are attached.
func (l *Log) Clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// attach registers a client and returns the current state, encoded as one
// batch, and the market's generation; from then on every recorded batch
// reaches the client's channel.
func (l *Log) attach() (*client, []byte, string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.clients) >= l.max {
		return nil, nil, "", ErrFull
	}
	b, err := encodeBatch(l.now(), l.state.updates())
	if err != nil {
		return nil, nil, "", err
	}
	c := &client{ch: make(chan []byte, clientBuffer), done: make(chan struct{})}
	l.clients[c] = struct{}{}
	return c, b, l.market, nil
}

func (l *Log) detach(c *client) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dropLocked(c)
}

// Heartbeat is how often a quiet stream sends an empty batch, so clients
// can tell a quiet server from a dead one.
var Heartbeat = 20 * time.Second

// ServeHTTP streams the state, then every new batch, until the client
// leaves, falls behind or the request's context ends.
func (l *Log) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, first, market, err := l.attach()
	if errors.Is(err, ErrFull) {
		w.Header().Set("Retry-After", "10")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		http.Error(w, "encoding the state failed", http.StatusInternalServerError)
		return
	}
	defer l.detach(c)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(MarketHeader, market)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	send := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := bw.Write(b); err != nil {
			return false
		}
		if bw.Flush() != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(first) {
		return
	}
	beat := time.NewTicker(Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case b := <-c.ch:
			if !send(b) {
				return
			}
		case <-beat.C:
			if !send([]byte("\n")) {
				return
			}
		}
	}
}

// encodeBatch writes a batch as NDJSON records followed by an empty line.
func encodeBatch(t time.Time, batch []model.Update) ([]byte, error) {
	var out []byte
	for _, u := range batch {
		line, err := model.MarshalRecord(model.Record{Time: t, Update: u})
		if err != nil {
			continue // an update the codec cannot write is not worth the stream
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return append(out, '\n'), nil
}

// state is the compacted market: what a client needs to rebuild it.
type state struct {
	catalogues map[string]*catalogue            // by source
	usage      map[string]map[usageKey]uint64   // by source
	usageAt    map[string]time.Time             // newest At by source
	rankings   map[string]model.RankingUpdate   // by source
	endpoints  map[string]model.EndpointsUpdate // by listing id
	pages      map[string]model.StatusUpdate    // by page name
	sources    map[string]model.SourceUpdate    // by source name
	apps       map[string]model.AppsUpdate      // by source
	acks       []model.Update                   // in order, the last maxKept
	other      []model.Update                   // kinds this package does not know, the last maxKept
}

type catalogue struct {
	at       time.Time
	listings map[string]model.Listing
	order    []string
}

type usageKey struct {
	day  time.Time
	slug string
}

// Bounds on what the state keeps.
const (
	maxKept        = 256
	usageRetention = (model.DefaultRetention + 14) * 24 * time.Hour
)

func newState() state {
	return state{
		catalogues: map[string]*catalogue{}, usage: map[string]map[usageKey]uint64{}, usageAt: map[string]time.Time{},
		rankings: map[string]model.RankingUpdate{}, endpoints: map[string]model.EndpointsUpdate{},
		pages: map[string]model.StatusUpdate{}, sources: map[string]model.SourceUpdate{}, apps: map[string]model.AppsUpdate{},
	}
}

func keepLast(s []model.Update, u model.Update) []model.Update {
	if len(s) >= maxKept {
		s = append(s[:0], s[len(s)-maxKept+1:]...)
	}
	return append(s, u)
}

func (s *state) add(u model.Update) {
	switch v := u.(type) {
	case model.CatalogueUpdate:
		c := s.catalogues[v.Source]
		if c == nil {
			c = &catalogue{listings: map[string]model.Listing{}}
			s.catalogues[v.Source] = c
		}
		if v.At.After(c.at) {
			c.at = v.At
		}
		for _, l := range v.Listings {
			if _, ok := c.listings[l.ID]; !ok {
				c.order = append(c.order, l.ID)
			}
			c.listings[l.ID] = l
		}
	case model.UsageUpdate:
		m := s.usage[v.Source]
		if m == nil {
			m = map[usageKey]uint64{}
			s.usage[v.Source] = m
		}
		newest := s.usageAt[v.Source]
		for _, r := range v.Rows {
			m[usageKey{r.Date, r.Slug}] = r.Tokens
			if r.Date.After(newest) {
				newest = r.Date
			}
		}
		if v.At.After(newest) {
			newest = v.At
		}
		s.usageAt[v.Source] = newest
		for k := range m { // the market keeps its retention; so does the log
			if newest.Sub(k.day) > usageRetention {
				delete(m, k)
			}
		}
	case model.RankingUpdate:
		s.rankings[v.Source] = v
	case model.EndpointsUpdate:
		s.endpoints[v.ListingID] = v
	case model.StatusUpdate:
		s.pages[v.Page.Name] = v
	case model.SourceUpdate:
		s.sources[v.Health.Name] = v
	case model.AppsUpdate:
		s.apps[v.Source] = v
	case model.AckUpdate:
		s.acks = keepLast(s.acks, v)
	default:
		s.other = keepLast(s.other, u)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// updates returns the state as updates in an order the market can apply:
// catalogues first (listings before what refers to them), then usage,
// rankings, endpoints, pages, apps, other kinds, acknowledgements (after
// the data that makes their alerts) and source health last.
func (s *state) updates() []model.Update {
	var out []model.Update
	for _, src := range sortedKeys(s.catalogues) {
		c := s.catalogues[src]
		ls := make([]model.Listing, 0, len(c.order))
		for _, id := range c.order {
			ls = append(ls, c.listings[id])
		}
		out = append(out, model.CatalogueUpdate{At: c.at, Source: src, Listings: ls})
	}
	for _, src := range sortedKeys(s.usage) {
		rows := make([]model.UsageRow, 0, len(s.usage[src]))
		for k, n := range s.usage[src] {
			rows = append(rows, model.UsageRow{Date: k.day, Slug: k.slug, Tokens: n})
		}
		sort.Slice(rows, func(i, j int) bool {
			if !rows[i].Date.Equal(rows[j].Date) {
				return rows[i].Date.Before(rows[j].Date)
			}
			return rows[i].Slug < rows[j].Slug
		})
		out = append(out, model.UsageUpdate{At: s.usageAt[src], Source: src, Rows: rows})
	}
	for _, k := range sortedKeys(s.rankings) {
		out = append(out, s.rankings[k])
	}
	for _, k := range sortedKeys(s.endpoints) {
		out = append(out, s.endpoints[k])
	}
	for _, k := range sortedKeys(s.pages) {
		out = append(out, s.pages[k])
	}
	for _, k := range sortedKeys(s.apps) {
		out = append(out, s.apps[k])
	}
	out = append(out, s.other...)
	out = append(out, s.acks...)
	for _, k := range sortedKeys(s.sources) {
		out = append(out, s.sources[k])
	}
	return out
}
