package remote

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/replay"
	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// SourceName is the client's row in the source strip.
const SourceName = "remote"

// Client attaches to a server's update stream and feeds what it reads to a
// sink: first the server's state, then each new batch. When the stream
// breaks it says so in its source row (the data already applied stays on
// screen, ageing) and reconnects with backoff.
type Client struct {
	url    string
	token  string
	client *http.Client
	sink   feeds.Sink
	now    func() time.Time

	// Backoff bounds the wait between reconnects (defaults 1s and 30s).
	MinBackoff, MaxBackoff time.Duration
	// Silence is how long a stream may stay quiet (no batch, no heartbeat)
	// before it counts as dead (default 3 heartbeats).
	Silence time.Duration
	// MaxLine caps one record's size (default 32 MiB: a full catalogue).
	MaxLine int
	// OnNewMarket, when set, is called (from Run's goroutine, before the
	// first batch of the connection) when a reconnect finds the server on
	// another market than the one streamed before (see MarketHeader): the
	// caller starts a fresh market, so nothing of the old one stays on
	// screen under the new one's name.
	OnNewMarket func()

	market string // the MarketHeader of the last stream; only Run's goroutine uses it
}

// NewClient returns a client of the server at base (e.g.
// http://host:9464). A token is sent only over https or to loopback, and
// never across a redirect to another origin.
func NewClient(base, token string, sink feeds.Sink) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(base), "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--remote %q: want the server's http(s) URL, e.g. http://host:9464", base)
	}
	if token != "" {
		if err := feeds.CheckSecretURL(u.String()); err != nil {
			return nil, fmt.Errorf("--remote with a token: %v", err)
		}
	}
	return &Client{
		url: u.String() + Path, token: token, sink: sink, now: time.Now,
		client:     &http.Client{CheckRedirect: feeds.SecretRedirectPolicy()},
		MinBackoff: time.Second, MaxBackoff: 30 * time.Second, Silence: 3 * Heartbeat, MaxLine: 32 << 20,
	}, nil
}

// Host is what the header shows: the server's host and port.
func (c *Client) Host() string {
	u, _ := url.Parse(c.url)
	return u.Host
}

// Run streams until ctx ends, reconnecting whenever the stream breaks.
func (c *Client) Run(ctx context.Context) error {
	var lastOK time.Time
	wait := c.MinBackoff
	for {
		got, err := c.stream(ctx, func() {
			lastOK = c.now()
			wait = c.MinBackoff
		})
		if ctx.Err() != nil {
			return nil
		}
		msg := "server gone: " + sanitize.String(err.Error(), 120)
		if got {
			msg = "server gone (" + sanitize.String(err.Error(), 120) + "); showing its last data"
		}
		c.report(model.SourceHealth{Name: SourceName, OK: false, LastSuccess: lastOK, LastAttempt: c.now(),
			LastError: msg, NextAttempt: c.now().Add(wait)})
		if !feeds.Sleep(ctx, wait) {
			return nil
		}
		wait = min(2*wait, c.MaxBackoff)
	}
}

func (c *Client) report(h model.SourceHealth) { c.sink([]model.Update{model.SourceUpdate{Health: h}}) }

// errSilent is a stream that stopped sending, heartbeats included.
var errSilent = errors.New("no data or heartbeat")

// stream reads one connection. got reports whether any batch arrived;
// onBatch is called after each one is applied.
func (c *Client) stream(ctx context.Context, onBatch func()) (got bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return false, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return false, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return false, errors.New("HTTP 401: the server wants a token (--http-token or TOKENTAPE_HTTP_TOKEN)")
	case resp.StatusCode != http.StatusOK:
		return false, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if m := resp.Header.Get(MarketHeader); m != "" { // an older server sends none: nothing to compare
		if c.market != "" && m != c.market && c.OnNewMarket != nil {
			c.OnNewMarket()
		}
		c.market = m
	}
	// A watchdog cuts a stream that goes quiet: a server that vanished
	// without closing the connection must not look alive for ever.
	alive := make(chan struct{}, 1)
	var silent atomic.Bool
	go func() {
		t := time.NewTimer(c.Silence)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-alive:
				t.Reset(c.Silence)
			case <-t.C:
				silent.Store(true)
				cancel()
				return
			}
		}
	}()
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	err = decodeStream(br, c.MaxLine, func() {
		select {
		case alive <- struct{}{}:
		default:
		}
	}, func(batch []model.Update) {
		c.sink(batch)
		got = true
		stamp := c.now()
		c.report(model.SourceHealth{Name: SourceName, OK: true, LastSuccess: stamp, LastAttempt: stamp})
		onBatch()
	})
	if silent.Load() {
		return got, errSilent
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("the server closed the stream")
	}
	return got, err
}

// decodeStream reads batches (records, then an empty line) until the
// reader fails, calling line for every line read (heartbeats included) and
// batch for every complete, non-empty batch. Records it cannot decode (a
// kind newer than this version) are skipped.
func decodeStream(br *bufio.Reader, maxLine int, line func(), batch func([]model.Update)) error {
	var cur []model.Update
	for {
		l, err := readLine(br, maxLine)
		if err != nil {
			return err
		}
		line()
		if len(l) == 0 { // end of a batch, or a heartbeat
			if len(cur) > 0 {
				batch(cur)
				cur = nil
			}
			continue
		}
		if r, derr := model.UnmarshalRecord(l); derr == nil && r.Update != nil {
			// A server's strings are remote strings: a hostile or
			// tampered-with server must not reach the terminal raw.
			cur = append(cur, replay.Clean(r.Update))
		}
	}
}

// readLine reads one line without its newline, refusing lines over max.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, chunk...)
		if len(line) > max {
			return nil, fmt.Errorf("a record longer than %d bytes", max)
		}
		if !isPrefix {
			return line, nil
		}
	}
}
