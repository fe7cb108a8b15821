package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/demo"
	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/export"
)

// maxDemoDays bounds the demo's fast-forward, in case the simulation's
// calendar ever stopped advancing.
const maxDemoDays = 2000

// collect runs one update cycle and returns the market: the demo played to
// its last published week, a replay played to its end, or one fetch of every
// live source (the watched listings' endpoints after the rest, since they
// depend on the ranking).
func (a *app) collect(ctx context.Context, stderr io.Writer) (*model.Snapshot, error) {
	var mu sync.Mutex
	sink := feeds.Sink(func(batch []model.Update) {
		mu.Lock()
		defer mu.Unlock()
		for _, u := range batch {
			a.market.Apply(u)
		}
	})
	latest := func() *model.Snapshot {
		mu.Lock()
		defer mu.Unlock()
		return a.market.Snapshot()
	}
	sink, err := a.record(sink, nil)
	if err != nil {
		return nil, err
	}

	var first []model.Update
	if a.o.source == sourceAuto {
		var offline error
		first, offline = a.resolveAuto(ctx)
		if offline != nil {
			fmt.Fprintf(stderr, "tokentape: offline (%s): showing the DEMO market\n", offlineReason(offline))
		}
	}
	switch a.o.source {
	case sourceHistory: // --at: the market as the store knew it then
		h, err := a.openHistory(stderr)
		if err != nil {
			return nil, err
		}
		defer h.close(stderr)
		if h.store() == nil {
			return nil, errors.New("--at: no history store to read")
		}
		if err := h.loadInto(ctx, a.market, a.o.atTime); err != nil {
			return nil, err
		}
		if a.market.AsOf().IsZero() {
			return nil, fmt.Errorf("--at %s: the history in %s holds nothing that early", a.o.at, h.store().Path())
		}
	case sourceDemo, sourceReplay:
		st, closeStream, err := a.stream(ctx, true)
		if err != nil {
			return nil, err
		}
		defer closeStream()
		sim, isDemo := st.(*demo.Sim)
		for days := 0; ; days++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			batch, _, ok := st.Next()
			if !ok {
				break
			}
			sink(batch)
			if isDemo && (!sim.Day().Before(demo.LastPublished) || days > maxDemoDays) {
				break
			}
		}
		if rs := replayOf(st); rs != nil {
			if err := rs.Err(); err != nil {
				return nil, fmt.Errorf("replay %s: %v", a.o.replayFile, err)
			}
			if n := rs.Skipped(); n > 0 {
				fmt.Fprintf(stderr, "tokentape: replay %s: skipped %d malformed lines (%s)\n", a.o.replayFile, n, rs.BadLines()[0])
			}
			if err := noRecording(a.o.replayFile, rs); err != nil { // standard input: not read ahead
				return nil, err
			}
		}
	case sourceOpenRouter:
		marketSrcs, endpointSrcs, err := a.liveSources()
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(ctx, a.o.timeout)
		defer cancel()
		sink(first) // the catalogue the look for live brought back
		var failures []string
		for _, group := range [][]feeds.Source{marketSrcs, endpointSrcs} {
			p := feeds.NewPoller(group, sink, a.pollerOptions(latest))
			if err := p.RunOnce(ctx); err != nil {
				failures = append(failures, err.Error())
			}
		}
		for _, f := range failures {
			fmt.Fprintln(stderr, "tokentape: warning:", f)
		}
	}
	s := latest()
	printWarnings(stderr, s)
	if s.AsOf.IsZero() {
		return s, errors.New("no source returned any data (see the warnings above)")
	}
	return s, nil
}

// runSnapshot prints the market once: JSON, CSV or a text board.
func (a *app) runSnapshot(ctx context.Context, stdout, stderr io.Writer) error {
	s, err := a.collect(ctx, stderr)
	if err != nil {
		return err
	}
	switch {
	case a.o.json:
		return export.WriteJSON(stdout, a.snapshotReport(s))
	case a.o.csv:
		return export.WriteCSV(stdout, export.Build(s))
	}
	return export.WriteText(stdout, s, 40)
}

// snapshotReport is the object `snapshot --json` prints, and what serve's
// /api/v1/snapshot answers.
func (a *app) snapshotReport(s *model.Snapshot) export.Report {
	r := export.Build(s)
	r.SetValues(s, a.workload)
	r.Extra = map[string]any{
		"cost":  export.Costs(s, a.workload, a.reference()),
		"apps":  export.Apps(s),
		"tasks": export.Tasks(s),
	}
	return r
}

// runCost prints the cost planner's table for the workload.
func (a *app) runCost(ctx context.Context, stdout, stderr io.Writer) error {
	s, err := a.collect(ctx, stderr)
	if err != nil {
		return err
	}
	rows := export.Costs(s, a.workload, a.reference())
	if a.o.json {
		return export.WriteJSON(stdout, costReport{
			Source: s.Source, Simulated: s.Simulated(), AsOf: s.AsOf.UTC().Format("2006-01-02T15:04:05Z07:00"),
			Workload: a.workload.String(), Reference: a.reference(), Cost: rows,
		})
	}
	if err := export.WriteCostText(stdout, s, a.workload, a.reference(), rows); err != nil {
		return err
	}
	if skipped := countUncostable(s); skipped > 0 {
		fmt.Fprintf(stdout, "\n%d listings have variable or unknown prices and cannot be costed.\n", skipped)
	}
	return nil
}

// costReport is `tokentape cost --json`.
type costReport struct {
	Source    string           `json:"source"`
	Simulated bool             `json:"simulated"` // the demo, or a replay of a demo recording
	AsOf      string           `json:"as_of"`
	Workload  string           `json:"workload"`
	Reference string           `json:"reference"`
	Cost      []export.CostRow `json:"cost"`
}

func countUncostable(s *model.Snapshot) int {
	n := 0
	for i := range s.Listings {
		k := s.Listings[i].Price.Kind
		if (k == model.PriceVariable || k == model.PriceUnknown) && !strings.HasPrefix(s.Listings[i].ID, "~") {
			n++
		}
	}
	return n
}

// printWarnings tells the user which absurd numbers were dropped (the output
// goes on without them).
func printWarnings(stderr io.Writer, s *model.Snapshot) {
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "tokentape: warning:", w)
	}
	if more := s.WarningCount - len(s.Warnings); more > 0 {
		fmt.Fprintf(stderr, "tokentape: warning: and %d more dropped values\n", more)
	}
}
