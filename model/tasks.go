package model

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// TaskModel is one of the top models of a task, with its share of the
// task's sampled tokens and requests (fractions 0–1).
type TaskModel struct {
	Slug       string // permaslug as the feed names it
	ListingID  string // the listing it joins to in a Snapshot; "" when none
	TokenShare float64
	UsageShare float64
}

// TaskShare is one task classification's share of classified traffic
// (fractions 0–1; the unclassified bucket is excluded).
type TaskShare struct {
	Tag        string // "code:general_impl"
	Name       string // "Code Generation"
	Macro      string // "code", "agent", "data", "general"
	TokenShare float64
	UsageShare float64
	Models     []TaskModel // top models by requests
}

// MacroShare is one macro category's share (Code, Agent, Data, General).
type MacroShare struct {
	Key        string
	Label      string
	TokenShare float64
	UsageShare float64
}

// TaskShares is what the tokens are spent on over a trailing window.
type TaskShares struct {
	Source     string    // "" when none has been read
	AsOf       time.Time // the window's last day
	WindowDays int
	Macros     []MacroShare // largest token share first
	Tasks      []TaskShare  // largest token share first
}

// TasksUpdate replaces the task classification shares.
type TasksUpdate struct {
	At     time.Time
	Source string
	Tasks  TaskShares
}

// Kind implements Update.
func (TasksUpdate) Kind() string { return "tasks" }

func (u TasksUpdate) apply(m *Market) {
	if u.Tasks.Source == "" && u.Source == "" {
		return
	}
	t := u.Tasks
	if t.Source == "" {
		t.Source = u.Source
	}
	t.Macros = append([]MacroShare(nil), t.Macros...)
	t.Tasks = append([]TaskShare(nil), t.Tasks...)
	for i := range t.Tasks {
		t.Tasks[i].Models = append([]TaskModel(nil), t.Tasks[i].Models...)
	}
	sort.SliceStable(t.Macros, func(i, j int) bool { return t.Macros[i].TokenShare > t.Macros[j].TokenShare })
	sort.SliceStable(t.Tasks, func(i, j int) bool { return t.Tasks[i].TokenShare > t.Tasks[j].TokenShare })
	m.tasks = t
	m.touch(u.At)
}

// Provider is one inference provider OpenRouter routes to.
type Provider struct {
	Slug          string // "deepinfra"
	Name          string // "DeepInfra", as endpoints name it
	Headquarters  string // ISO 3166-1 alpha-2 code; "" when unknown
	StatusPageURL string // the page a person reads; "" when none
}

// ProvidersUpdate replaces the list of providers.
type ProvidersUpdate struct {
	At        time.Time
	Source    string
	Providers []Provider
	Skipped   []string // why providers or their pages were left out
}

// Kind implements Update.
func (ProvidersUpdate) Kind() string { return "providers" }

func (u ProvidersUpdate) apply(m *Market) {
	m.setSkipped(u.Source, u.Skipped)
	if len(u.Providers) == 0 {
		return // an empty list keeps the last good one
	}
	ps := append([]Provider(nil), u.Providers...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Slug < ps[j].Slug })
	m.providers = ps
	m.touch(u.At)
}

// ProviderOf finds the provider an endpoint's provider name belongs to.
func (s *Snapshot) ProviderOf(name string) (Provider, bool) {
	for _, p := range s.Providers {
		if strings.EqualFold(p.Name, name) || strings.EqualFold(p.Slug, name) {
			return p, true
		}
	}
	return Provider{}, false
}

// BenchmarkRow is one listing's indexes from the benchmarks dataset, keyed
// by its permaslug.
type BenchmarkRow struct {
	Slug    string
	Indexes Indexes
}

// BenchmarkUpdate brings indexes from the keyed benchmarks dataset, for
// listings the catalogue carries none for. Rows naming a permaslug the
// market does not know are skipped, with the reason in the source's skip
// list; Skipped carries the reasons the decoder already found.
type BenchmarkUpdate struct {
	At      time.Time
	Source  string
	Rows    []BenchmarkRow
	Skipped []string
}

// Kind implements Update.
func (BenchmarkUpdate) Kind() string { return "benchmarks" }

// maxSkipped caps the reasons kept per source.
const maxSkipped = 20

func (u BenchmarkUpdate) apply(m *Market) {
	skipped := append([]string(nil), u.Skipped...)
	for _, r := range u.Rows {
		id, ok := m.joins[r.Slug]
		e := m.entries[id]
		if !ok || e == nil || e.stub {
			skipped = append(skipped, "unknown permaslug "+r.Slug)
			continue
		}
		ix := r.Indexes
		if ix.Source == "" {
			ix.Source = u.Source
		}
		if ix.AsOf.IsZero() {
			ix.AsOf = u.At
		}
		e.bench = ix
		e.detail = nil
		m.recordIndexes(e, u.At)
	}
	m.setSkipped(u.Source, skipped)
	m.touch(u.At)
}

// setSkipped replaces the reasons a source's last answer had rows skipped.
func (m *Market) setSkipped(source string, reasons []string) {
	if source == "" {
		return
	}
	if len(reasons) == 0 {
		delete(m.skipped, source)
		return
	}
	if len(reasons) > maxSkipped {
		n := len(reasons) - maxSkipped + 1
		reasons = append(reasons[:maxSkipped-1:maxSkipped-1], "and "+strconv.Itoa(n)+" more")
	}
	m.skipped[source] = reasons
}
