package history

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

// childEnv makes the test binary a writing child (see TestMain).
const childEnv = "TOKENTAPE_HISTORY_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		if err := writeUntilKilled(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// killBase is the simulated time of sequence number 0 in the kill test.
var killBase = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// killBatch is batch n of the kill test: 50 listings (a tenth repriced
// every batch, the first priced at n), a usage row of n tokens and
// endpoints, so that the stored state says which batch it holds and whether
// a batch was kept whole.
func killBatch(n int) []model.Update {
	at := killBase.Add(time.Duration(n) * time.Second)
	ls := make([]model.Listing, 50)
	for i := range ls {
		in := float64(i + 1)
		if i%10 == n%10 {
			in += float64(n)
		}
		ls[i] = model.Listing{ID: fmt.Sprintf("kill/l%02d", i), Name: fmt.Sprintf("Kill %d", i), Author: "kill",
			Price: model.Price{Kind: model.PricePaid, In: in, Out: 2 * in, CacheRead: math.NaN()}}
	}
	ls[0].Price.In = float64(n)
	return []model.Update{
		model.CatalogueUpdate{At: at, Source: "catalogue", Listings: ls},
		model.UsageUpdate{At: at, Source: "usage", Rows: []model.UsageRow{{Date: killBase, Slug: "kill/l00", Tokens: uint64(n)}}},
		model.EndpointsUpdate{At: at, Source: "endpoints", ListingID: "kill/l01", Endpoints: []model.Endpoint{{Provider: "P", Uptime5m: float64(n % 100)}}},
		model.SourceUpdate{Health: model.SourceHealth{Name: "catalogue", OK: true, LastSuccess: at, LastAttempt: at, Interval: time.Second}},
	}
}

// storedSeq reads which batch a kill-test store holds, checking that the
// batch was kept whole (the price and the usage row agree).
func storedSeq(s *Store) (int, error) {
	var price float64
	var tokens int64
	err := s.db.QueryRow(`SELECT COALESCE((SELECT price_in FROM prices p JOIN listings l ON l.id = p.listing WHERE l.listing = 'kill/l00' ORDER BY at DESC LIMIT 1), 0)`).Scan(&price)
	if err != nil {
		return 0, err
	}
	if err := s.db.QueryRow(`SELECT COALESCE((SELECT tokens FROM usage WHERE slug = 'kill/l00'), 0)`).Scan(&tokens); err != nil {
		return 0, err
	}
	if int64(price) != tokens {
		return 0, fmt.Errorf("a batch was kept in part: price says batch %v, usage says %d", price, tokens)
	}
	return int(tokens), nil
}

// writeUntilKilled is the child: it reopens the store, carries on from
// the batch it holds, records a batch every 5 ms as the program does
// (queued, written by the store's goroutine) and prints each number with
// the time it was queued.
func writeUntilKilled(path string) error {
	s, err := Open(path, Options{})
	if err != nil {
		return err
	}
	if _, err := s.Load(context.Background(), LoadOptions{}); err != nil {
		return err
	}
	n, err := storedSeq(s)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	for {
		n++
		// Say the number before queueing it: a kill between the two
		// must leave the parent knowing of every batch the store may
		// hold (the other order let the store be one batch ahead).
		fmt.Fprintf(out, "%d %d\n", n, time.Now().UnixNano())
		out.Flush()
		s.Record(killBatch(n))
		time.Sleep(5 * time.Millisecond)
	}
}

func TestKill9NeverCorruptsAndLosesAtMostTwoSeconds(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "history.db")
	rng := rand.New(rand.NewPCG(10, uint64(time.Now().UnixNano())))
	kills := 50
	if raceEnabled {
		// Under the race detector each child starts and writes ten times
		// slower; the full 50 run in the ordinary go test.
		kills = 15
	}
	for k := 0; k < kills; k++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		type queued struct {
			n  int
			at time.Time
		}
		lines := make(chan queued, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				n, _ := strconv.Atoi(f[0])
				ns, _ := strconv.ParseInt(f[1], 10, 64)
				lines <- queued{n, time.Unix(0, ns)}
			}
			close(lines)
		}()
		// Wait for the child to be writing, then kill it at a random point.
		var seen []queued
		first, ok := <-lines
		if !ok {
			cmd.Wait() //nolint:errcheck // reporting stderr instead
			t.Fatalf("kill %d: the child did not start: %s", k, stderr.String())
		}
		seen = append(seen, first)
		wait := 400
		if raceEnabled {
			wait = 150
		}
		time.Sleep(time.Duration(rng.IntN(wait)) * time.Millisecond)
		killedAt := time.Now()
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		for q := range lines {
			seen = append(seen, q)
		}
		cmd.Wait() //nolint:errcheck // killed on purpose

		s, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", k, err)
		}
		var check string
		if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("kill %d: integrity_check = %q, %v", k, check, err)
		}
		got, err := storedSeq(s)
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		if _, err := s.Load(t.Context(), LoadOptions{}); err != nil {
			t.Fatalf("kill %d: load: %v", k, err)
		}
		s.Close()
		// Everything queued more than 2 s before the kill is kept, and
		// nothing that was never queued.
		mustHave, last := 0, seen[len(seen)-1].n
		for _, q := range seen {
			if killedAt.Sub(q.at) > 2*time.Second {
				mustHave = q.n
			}
		}
		if got < mustHave || got > last {
			t.Fatalf("kill %d: the store holds batch %d; queued up to %d, of which up to %d more than 2 s before the kill", k, got, last, mustHave)
		}
		t.Logf("kill %d after %d batches: kept %d (lost %d, %s)", k, last-seen[0].n+1, got, last-got, killedAt.Sub(seen[min(max(got-seen[0].n, 0), len(seen)-1)].at).Round(time.Millisecond))
	}
}
