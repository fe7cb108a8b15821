package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/log"

	"github.com/tokentape/tokentape/model"
)

// HTTPOptions configure the HTTP API.
type HTTPOptions struct {
	// Token, when set, is required as "Authorization: Bearer TOKEN" on every
	// path but /healthz.
	Token string
	// Latest returns the newest snapshot (nil before the first).
	Latest func() *model.Snapshot
	// Report builds the body of /api/v1/snapshot: the same object as
	// `tokentape snapshot --json`.
	Report func(*model.Snapshot) any
	// Metrics serves /metrics.
	Metrics *Metrics
	// Events serves /api/v1/events.
	Events *Events
	// Extra handlers by path (the wiring mounts the update stream of
	// --remote clients here); they sit behind the same token and limits.
	Extra map[string]http.Handler
	// Heartbeat is the SSE comment interval that keeps proxies from closing
	// a quiet stream (default 25s).
	Heartbeat time.Duration
	// Log receives refusals worth knowing about; nil discards.
	Log *log.Logger
}

// Limits of the HTTP server: a client that sends a huge body, a million
// headers or nothing at all costs a bounded amount.
const (
	maxHeaderBytes    = 16 << 10
	readHeaderTimeout = 5 * time.Second
	writeTimeout      = 30 * time.Second // per response, and per event on a stream
	idleTimeout       = 60 * time.Second
	maxHTTPConns      = 2048
	sseRetry          = 3 * time.Second
)

// NewHTTPHandler returns the API's routes behind the token and method checks.
func NewHTTPHandler(o HTTPOptions) http.Handler {
	if o.Heartbeat <= 0 {
		o.Heartbeat = 25 * time.Second
	}
	if o.Log == nil {
		o.Log = log.New(discard{})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	api := http.NewServeMux()
	if o.Metrics != nil {
		api.Handle("/metrics", o.Metrics)
	}
	api.HandleFunc("/api/v1/snapshot", o.snapshot)
	if o.Events != nil {
		api.HandleFunc("/api/v1/events", o.events)
	}
	for path, h := range o.Extra {
		api.Handle(path, h)
	}
	mux.Handle("/", o.authorize(api))
	return readOnly(mux)
}

// NewHTTPServer returns a server with timeouts and size limits for h. Its
// listener should come from LimitListener.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// LimitListener caps the open connections of l at n (maxHTTPConns when n is
// 0); connections beyond the cap are closed at once.
func LimitListener(l net.Listener, n int) net.Listener {
	if n <= 0 {
		n = maxHTTPConns
	}
	return &limitListener{Listener: l, sem: make(chan struct{}, n)}
}

// readOnly admits GET and HEAD only, and never reads a body: net/http then
// discards at most a small unread body and closes the connection.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 0)
		// Each response must be written within writeTimeout; streams extend
		// it event by event.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(writeTimeout))
		next.ServeHTTP(w, r)
	})
}

func (o HTTPOptions) authorize(next http.Handler) http.Handler {
	if o.Token == "" {
		return next
	}
	want := []byte("Bearer " + o.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tokentape"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <the server's --http-token>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (o HTTPOptions) snapshot(w http.ResponseWriter, r *http.Request) {
	s := o.Latest()
	if s == nil || o.Report == nil {
		w.Header().Set("Retry-After", "2")
		http.Error(w, "no snapshot yet", http.StatusServiceUnavailable)
		return
	}
	b, err := json.MarshalIndent(o.Report(s), "", "  ")
	if err != nil {
		http.Error(w, "encoding the snapshot failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(b, '\n'))
}

// events streams alerts and snapshot notices as Server-Sent Events. A
// client that reconnects with Last-Event-ID first gets the kept events it
// missed.
func (o HTTPOptions) events(w http.ResponseWriter, r *http.Request) {
	var lastID uint64
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		lastID, _ = strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	}
	st, backlog, err := o.Events.Subscribe(lastID)
	if errors.Is(err, ErrFull) {
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many event streams", http.StatusServiceUnavailable)
		o.Log.Warn("event stream refused: at capacity", "remote", r.RemoteAddr)
		return
	}
	defer st.Close()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(chunk string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := fmt.Fprint(w, chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(fmt.Sprintf("retry: %d\n\n", sseRetry.Milliseconds())) {
		return
	}
	for _, ev := range backlog {
		if !send(formatEvent(ev)) {
			return
		}
	}
	beat := time.NewTicker(o.Heartbeat)
	defer beat.Stop()
	ctx := r.Context()
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.Done():
			return // fell behind: the client reconnects and catches up from the ring
		case ev := <-st.C():
			if !send(formatEvent(ev)) {
				return
			}
		case <-beat.C:
			if !send(": keep-alive\n\n") {
				return
			}
		}
	}
}

func formatEvent(ev Event) string {
	return "id: " + strconv.FormatUint(ev.ID, 10) + "\nevent: " + ev.Type + "\ndata: " + string(ev.Data) + "\n\n"
}

// ServeHTTP runs srv on l until ctx ends, then shuts it down (streams are
// cut: their clients reconnect to the next server).
func ServeHTTP(ctx context.Context, srv *http.Server, l net.Listener) error {
	// Requests live in ctx, so streams end when the server stops.
	srv.BaseContext = func(net.Listener) context.Context { return ctx }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	_ = srv.Close()
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
