package openrouter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// marketOf is a catalogue of n listings made of the real payload's
// listings, repeated under new ids: the shape of a market 25 times today's.
func marketOf(t testing.TB, n int) []byte {
	t.Helper()
	var env struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(feedtest.ReadTestdata(t, catalogueFile), &env); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(`{"data":[`)
	for i := 0; i < n; i++ {
		l := env.Data[i%len(env.Data)]
		copy := make(map[string]any, len(l))
		for k, v := range l {
			copy[k] = v
		}
		copy["id"] = fmt.Sprintf("%v-%d", l["id"], i)
		copy["canonical_slug"] = fmt.Sprintf("%v-%d", l["canonical_slug"], i)
		if i > 0 {
			b.WriteByte(',')
		}
		raw, err := json.Marshal(copy)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// fetchCatalogue fetches body through the real fetcher, with its default
// cap, and decodes it as the catalogue source does.
func fetchCatalogue(t testing.TB, body []byte) []model.Listing {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	h := feeds.NewHTTP(feeds.HTTPOptions{})
	defer h.CloseIdleConnections()
	env := feeds.Env{HTTP: h, Latest: func() *model.Snapshot { return &model.Snapshot{} }, Now: func() time.Time { return t0 }}
	ups, err := NewCatalogue(Config{BaseURL: srv.URL}).Fetch(context.Background(), env)
	if err != nil {
		t.Fatalf("a %d MB catalogue: %v", len(body)>>20, err)
	}
	return ups[0].(model.CatalogueUpdate).Listings
}

// TestBigMarketLoads: a catalogue of 11,000 listings (18 MB), over the
// fetcher's usual 16 MiB, loads whole (the catalogue has its own cap).
func TestBigMarketLoads(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("an 18 MB catalogue is slow under -race and -short")
	}
	body := marketOf(t, 11000)
	if len(body) <= 16<<20 || len(body) > CatalogueMaxBody {
		t.Fatalf("the body is %d bytes; the test needs one between 16 MiB and the catalogue's cap", len(body))
	}
	if ls := fetchCatalogue(t, body); len(ls) != 11000 {
		t.Errorf("%d listings, want 11000", len(ls))
	}
}

// BenchmarkLoad10kCatalogue fetches and decodes a 10,000-listing
// catalogue (16.6 MB) and reports the process's peak resident memory,
// which includes the test's own building of the body from the real
// payload (an upper bound of what tokentape needs).
func BenchmarkLoad10kCatalogue(b *testing.B) {
	body := marketOf(b, 10000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	runtime.GC()
	for b.Loop() {
		if ls := fetchCatalogue(b, body); len(ls) != 10000 {
			b.Fatalf("%d listings", len(ls))
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}

// peakRSSURL names the server a child process of
// BenchmarkLoad10kCataloguePeakRSS loads its catalogue from.
const peakRSSURL = "TOKENTAPE_TEST_PEAK_RSS_URL"

// TestPeakRSSChild is the child process of BenchmarkLoad10kCataloguePeakRSS:
// it fetches and decodes the catalogue at $TOKENTAPE_TEST_PEAK_RSS_URL
// through the real fetcher and nothing else, so that its peak resident
// memory is the load's alone. It does nothing when run as a test.
func TestPeakRSSChild(t *testing.T) {
	url := os.Getenv(peakRSSURL)
	if url == "" {
		t.Skip("the child process of BenchmarkLoad10kCataloguePeakRSS")
	}
	h := feeds.NewHTTP(feeds.HTTPOptions{})
	env := feeds.Env{HTTP: h, Latest: func() *model.Snapshot { return &model.Snapshot{} }, Now: func() time.Time { return t0 }}
	ups, err := NewCatalogue(Config{BaseURL: url}).Fetch(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ups[0].(model.CatalogueUpdate).Listings); n != 11000 {
		t.Fatalf("%d listings, want 11000", n)
	}
	// The high-water mark of this process's memory since its exec, for the
	// parent to read: the rusage the parent gets counts the parent's own
	// memory, which the child shared until its exec.
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status to read the peak from")
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println(line)
		}
	}
}

// BenchmarkLoad10kCataloguePeakRSS loads an 11,000-listing catalogue (18 MB)
// in a process of its own and reports that process's peak resident memory
// (the goal is at most 80 MB), which BenchmarkLoad10kCatalogue cannot: its
// process also builds the body. The body comes chunked (its length unknown
// until the end, as a compressed answer is) and with a Content-Length.
func BenchmarkLoad10kCataloguePeakRSS(b *testing.B) {
	body := marketOf(b, 11000)
	for _, tt := range []struct {
		name   string
		length bool
	}{{"chunked", false}, {"content-length", true}} {
		b.Run(tt.name, func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.length {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.Write(body)
			}))
			defer srv.Close()
			peak := 0.0
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run", "^TestPeakRSSChild$", "-test.count", "1")
				cmd.Env = append(os.Environ(), peakRSSURL+"="+srv.URL)
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("the child: %v\n%s", err, out)
				}
				var kb float64
				for _, line := range strings.Split(string(out), "\n") {
					if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
						kb, _ = strconv.ParseFloat(f[1], 64)
					}
				}
				if kb == 0 {
					b.Skipf("the child did not say its peak memory:\n%s", out)
				}
				peak = max(peak, kb/1024)
			}
			b.ReportMetric(float64(len(body))/1e6, "body-MB")
			b.ReportMetric(peak, "peak-RSS-MB")
		})
	}
}
