package model

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"time"
)

// IndexKind names one of the Artificial Analysis (AA) indexes a listing may
// carry.
type IndexKind uint8

// The AA indexes, each on a 0–100 scale.
const (
	IndexIntelligence IndexKind = iota
	IndexCoding
	IndexAgentic
)

// String names the index as exports and the UI show it.
func (k IndexKind) String() string {
	switch k {
	case IndexCoding:
		return "coding"
	case IndexAgentic:
		return "agentic"
	}
	return "intelligence"
}

// Indexes are a listing's benchmark indexes, with where and when they were
// read. The zero value (no Source) means the listing has none. A missing or
// rejected index inside a set is NaN.
type Indexes struct {
	Source       string    // "catalogue", "benchmarks", "demo"; "" when none
	AsOf         time.Time // when the figures were current
	Intelligence float64   // AA Intelligence Index, 0–100; NaN when missing
	Coding       float64   // AA Coding Index; NaN when missing
	Agentic      float64   // AA Agentic Index; NaN when missing
	// Note says how the figures were derived when they are not the
	// published value of AsOf (the demo's earlier weeks use the earliest
	// published value).
	Note string
	// Rejected says which figures the feed sent were left out and why
	// ("intelligence_index 140 is outside 0–100"); the market reports it
	// in the source's skip list. Empty when none were.
	Rejected string
}

// NoIndex is the value of a missing index.
var NoIndex = math.NaN()

// ValidIndex reports whether v is a usable index: finite and within 0–100.
func ValidIndex(v float64) bool { return !math.IsNaN(v) && v >= 0 && v <= 100 }

// Get returns one index and whether the listing has it.
func (ix Indexes) Get(k IndexKind) (float64, bool) {
	if ix.Source == "" {
		return math.NaN(), false
	}
	var v float64
	switch k {
	case IndexCoding:
		v = ix.Coding
	case IndexAgentic:
		v = ix.Agentic
	default:
		v = ix.Intelligence
	}
	if !ValidIndex(v) {
		return math.NaN(), false
	}
	return v, true
}

// Has reports whether any of the three indexes is known.
func (ix Indexes) Has() bool {
	// Get for each kind, unrolled: every snapshot asks it of every listing.
	return ix.Source != "" && (ValidIndex(ix.Intelligence) || ValidIndex(ix.Coding) || ValidIndex(ix.Agentic))
}

// Equal reports whether two sets carry the same figures (NaNs equal).
func (ix Indexes) Equal(o Indexes) bool {
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	return ix.Source == o.Source && same(ix.Intelligence, o.Intelligence) && same(ix.Coding, o.Coding) &&
		same(ix.Agentic, o.Agentic) && ix.Note == o.Note
}

// ScaleChange is the day Artificial Analysis re-scaled its intelligence
// (and agentic) index: from 2026-06-16 every model's index is lower (older
// models by 8–10 points), so values from either side of it must never be
// compared or drawn as one line.
var ScaleChange = time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC)

// CodingScaleChange is the day AA's coding index moved to a new, higher
// scale (GPT-5.5 59.1 → 74.9), three days after the intelligence index.
var CodingScaleChange = time.Date(2026, 6, 19, 0, 0, 0, 0, time.UTC)

// ScaleChangeOf is the day index k changed scale.
func ScaleChangeOf(k IndexKind) time.Time {
	if k == IndexCoding {
		return CodingScaleChange
	}
	return ScaleChange
}

// IndexScale names the AA scale of index k in force at t, as the UI labels
// it: "scale before 2026-06-16" or "scale from 2026-06-16".
func IndexScale(k IndexKind, t time.Time) string {
	c := ScaleChangeOf(k).Format(time.DateOnly)
	if t.Before(ScaleChangeOf(k)) {
		return "scale before " + c
	}
	return "scale from " + c
}

// IndexPoint is a listing's indexes from a moment on.
type IndexPoint struct {
	At      time.Time
	Indexes Indexes
}

// IndexSegments splits a history (oldest first) into runs on one AA scale
// of index k: a chart draws each run as its own line, never one across the
// scale change.
func IndexSegments(points []IndexPoint, k IndexKind) [][]IndexPoint {
	var out [][]IndexPoint
	for i, p := range points {
		if i == 0 || IndexScale(k, points[i-1].Indexes.AsOf) != IndexScale(k, p.Indexes.AsOf) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], p)
	}
	return out
}

type wireIndexes struct {
	Source       string    `json:"source"`
	AsOf         time.Time `json:"as_of"`
	Intelligence optFloat  `json:"intelligence"`
	Coding       optFloat  `json:"coding"`
	Agentic      optFloat  `json:"agentic"`
	Note         string    `json:"note,omitempty"`
	Rejected     string    `json:"rejected,omitempty"`
}

// MarshalJSON encodes the indexes with missing (NaN) figures as null.
func (ix Indexes) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireIndexes{ix.Source, ix.AsOf, optFloat(ix.Intelligence), optFloat(ix.Coding),
		optFloat(ix.Agentic), ix.Note, ix.Rejected})
}

// UnmarshalJSON decodes indexes written by MarshalJSON.
func (ix *Indexes) UnmarshalJSON(b []byte) error {
	nan := optFloat(math.NaN())
	w := wireIndexes{Intelligence: nan, Coding: nan, Agentic: nan}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*ix = Indexes{w.Source, w.AsOf, float64(w.Intelligence), float64(w.Coding), float64(w.Agentic), w.Note, w.Rejected}
	return nil
}

// ValueKind says whether a listing's value (index points per dollar) could
// be computed, and if not, why.
type ValueKind uint8

// The kinds of value. Free and variable-priced listings are shown apart:
// dividing by a zero or unknown cost would make a figure up.
const (
	ValueNoIndex  ValueKind = iota // the listing has no such index
	ValueNoPrice                   // no usable price
	ValueVariable                  // a router whose price depends on the model it picks
	ValueFree                      // costs nothing for this workload
	ValuePaid                      // Points is index ÷ $/day
)

// Value is what a listing's quality costs for a workload.
type Value struct {
	Kind   ValueKind
	Index  float64 // the index used; NaN when none
	PerDay float64 // USD a day of the workload; NaN when not costable
	Points float64 // index points per USD a day; NaN unless Kind is ValuePaid
}

// Value is the listing's index k per dollar a day of the workload.
func (w Workload) Value(l Listing, k IndexKind) Value { return w.ValueOf(&l, k) }

// ValueOf is Value without copying the listing, for sorts that compute it
// for every listing of a snapshot.
func (w Workload) ValueOf(l *Listing, k IndexKind) Value { return w.value(l.Price, &l.Indexes, k) }

// ValueOfView is ValueOf for a snapshot's view. It reads the view's Detail
// (where the indexes are) only when the listing has indexes, so that
// ordering 10,000 mostly unindexed listings by value does not visit each
// one's detail.
func (w Workload) ValueOfView(v *ListingView, k IndexKind) Value {
	if !v.Indexed {
		return w.value(v.Price, &Indexes{}, k)
	}
	return w.value(v.Price, &v.detail().Listing.Indexes, k)
}

// value is the value of a listing of price p and indexes ix.
func (w Workload) value(p Price, ix *Indexes, k IndexKind) Value {
	v := Value{Index: math.NaN(), PerDay: math.NaN(), Points: math.NaN()}
	if day, ok := w.DailyCost(p); ok {
		v.PerDay = day
	}
	idx, ok := ix.Get(k)
	if !ok {
		return v
	}
	v.Index = idx
	switch {
	case p.Kind == PriceVariable:
		v.Kind = ValueVariable
	case math.IsNaN(v.PerDay) || math.IsInf(v.PerDay, 0) || v.PerDay < 0:
		v.Kind = ValueNoPrice
	case v.PerDay == 0:
		v.Kind = ValueFree
	default:
		v.Kind, v.Points = ValuePaid, idx/v.PerDay
	}
	return v
}

// Better orders values for a "best value first" sort: paid listings by
// points per dollar (ties: the higher index), then free ones by index, then
// variable-priced, unpriced and unindexed ones. It reports whether a sorts
// strictly before b; equal values leave the order to the caller.
func (a Value) Better(b Value) bool {
	rank := func(v Value) int {
		switch v.Kind {
		case ValuePaid:
			return 0
		case ValueFree:
			return 1
		case ValueVariable:
			return 2
		case ValueNoPrice:
			return 3
		}
		return 4
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra < rb
	}
	if a.Kind == ValuePaid && a.Points != b.Points {
		return a.Points > b.Points
	}
	if a.Index != b.Index && !math.IsNaN(a.Index) && !math.IsNaN(b.Index) {
		return a.Index > b.Index
	}
	return false
}

// Compare says what a listing gives against a reference for one workload:
// its index as a percentage of the reference's and its daily cost as a
// percentage of the reference's ("76% of the reference's index for 2.5% of
// its cost"). ok is false unless both are paid listings with the index.
func (w Workload) Compare(ref, l Listing, k IndexKind) (indexPct, costPct float64, ok bool) {
	r, v := w.Value(ref, k), w.Value(l, k)
	if r.Kind != ValuePaid || v.Kind != ValuePaid || r.Index == 0 {
		return math.NaN(), math.NaN(), false
	}
	return v.Index / r.Index * 100, v.PerDay / r.PerDay * 100, true
}

// ComparePhrase writes Compare as the planner says it, or "" when the two
// cannot be compared.
func (w Workload) ComparePhrase(ref, l Listing, k IndexKind) string {
	ip, cp, ok := w.Compare(ref, l, k)
	if !ok {
		return ""
	}
	return pctWord(ip) + " of the reference's index for " + pctWord(cp) + " of its cost"
}

// pctWord writes a percentage with two significant figures below 10%
// ("2.5%"), whole numbers above ("76%").
func pctWord(p float64) string {
	switch {
	case p < 0.1:
		return "<0.1%"
	case p < 10:
		return strconv.FormatFloat(math.Round(p*10)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
}

// FrontierPoint is one paid listing placed by cost and index.
type FrontierPoint struct {
	ID     string
	PerDay float64
	Index  float64
}

// Frontier returns the ids of the cheapest listings at each level of
// quality: walking from the cheapest up, every listing with a higher index
// than all cheaper ones (the efficient frontier). Points with a NaN, an
// infinite or a non-positive cost are ignored. Ties in cost keep the higher
// index; ties in both keep the first id in order.
func Frontier(points []FrontierPoint) []string {
	ps := make([]FrontierPoint, 0, len(points))
	for _, p := range points {
		if p.PerDay > 0 && !math.IsInf(p.PerDay, 0) && ValidIndex(p.Index) {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].PerDay != ps[j].PerDay {
			return ps[i].PerDay < ps[j].PerDay
		}
		if ps[i].Index != ps[j].Index {
			return ps[i].Index > ps[j].Index
		}
		return ps[i].ID < ps[j].ID
	})
	var out []string
	best := math.Inf(-1)
	for _, p := range ps {
		if p.Index > best {
			out = append(out, p.ID)
			best = p.Index
		}
	}
	return out
}
