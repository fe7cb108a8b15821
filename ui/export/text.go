package export

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/units"
)

// SourceLabel is how a source is named to people: DEMO, LIVE or REPLAY.
func SourceLabel(source string) string {
	switch source {
	case "demo":
		return "DEMO"
	case "openrouter":
		return "LIVE"
	case "replay":
		return "REPLAY"
	}
	return strings.ToUpper(source)
}

// label is SourceLabel, saying DEMO too when a replay replays the demo.
func label(s *model.Snapshot) string {
	l := SourceLabel(s.Source)
	if s.Source != model.DemoSource && s.Simulated() {
		l += " of DEMO data"
	}
	if reason, ok := s.Offline(); ok {
		l = "OFFLINE · " + l + " (" + reason + ")"
	}
	return l
}

func asOfText(s *model.Snapshot) string {
	if s.AsOf.IsZero() {
		return "no data yet"
	}
	if s.Source == "demo" {
		return "as of " + s.AsOf.UTC().Format("2006-01-02") + " (simulated)"
	}
	return "as of " + s.AsOf.UTC().Format(time.RFC3339)
}

// WriteText prints the board as plain text for a terminal or a pipe:
// `tokentape snapshot` without --json or --csv.
func WriteText(w io.Writer, s *model.Snapshot, limit int) error {
	fmt.Fprintf(w, "tokentape %s · %s · %d listings\n", label(s), asOfText(s), len(s.Listings))
	if !s.HasVolumes {
		fmt.Fprintln(w, s.VolumesNote()+": ranked by weekly popularity, no volumes or shares")
	} else {
		var parts []string
		for _, o := range s.Origins {
			if o.Share >= 0.05 {
				parts = append(parts, fmt.Sprintf("%s %s", o.Origin, units.Percent(o.Share)))
			}
		}
		fmt.Fprintf(w, "share by origin (%dd): %s\n", s.Window, strings.Join(parts, " · "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "#\tMODEL\tAUTHOR\tORIGIN\tTOKENS %dd\tSHARE\tW/W\t$IN/M\t$OUT/M\tHEALTH\t\n", s.Window)
	for i := range s.Listings {
		if limit > 0 && i >= limit {
			break
		}
		v := &s.Listings[i]
		rank, tok, share, growth := "—", "—", "—", "—"
		if v.Rank > 0 {
			rank = fmt.Sprint(v.Rank)
		}
		if s.HasVolumes {
			tok, share, growth = units.Tokens(v.Tokens), units.Percent(v.Share), units.Growth(v.Growth)
		}
		in, out := priceText(v.Price)
		health := "—" // no endpoint data
		if v.Health != model.HealthUnknown {
			health = v.Health.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rank, v.Name, v.Author, v.Origin, tok, share, growth, in, out, health)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if limit > 0 && len(s.Listings) > limit {
		fmt.Fprintf(w, "… %d more (use --json or --csv for all)\n", len(s.Listings)-limit)
	}
	return nil
}

func priceText(p model.Price) (in, out string) {
	if w, ok := p.Kind.Word(); ok {
		return w, w
	}
	return units.USD(p.In), units.USD(p.Out)
}

// WriteCostText prints the cost planner's table for a workload.
func WriteCostText(w io.Writer, s *model.Snapshot, wl model.Workload, reference string, rows []CostRow) error {
	in, cached, out := wl.Split()
	fmt.Fprintf(w, "tokentape %s · %s · workload %s tokens/day: %s input (%s cached), %s output\n",
		label(s), asOfText(s), model.FormatTokenCount(wl.TokensPerDay),
		model.FormatTokenCount(in+cached), model.FormatTokenCount(cached), model.FormatTokenCount(out))
	fmt.Fprintf(w, "list prices; multiples against %s\n\n", reference)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tID\t$/DAY\t$/MONTH\tVS REF\tWINDOWS $/DAY\t")
	for _, r := range rows {
		mult := ""
		if r.Multiple != nil {
			mult = multipleText(*r.Multiple)
		}
		if r.ID == reference {
			mult = "reference"
		}
		win := ""
		if r.MinPerDay != nil {
			win = units.USD(*r.MinPerDay) + "–" + units.USD(*r.MaxPerDay)
		}
		day, month := units.USD(r.PerDay), units.USD(r.PerMonth)
		if r.Free {
			day, month = "free", "free"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, r.ID, day, month, mult, win)
	}
	return tw.Flush()
}

// multipleText says how a cost compares with the reference's: "12.5× cheaper",
// "2.0× dearer", "same".
func multipleText(m float64) string {
	switch {
	case m >= 1.05:
		return fmt.Sprintf("%.1f× cheaper", m)
	case m <= 1/1.05:
		return fmt.Sprintf("%.1f× dearer", 1/m)
	}
	return "same"
}
