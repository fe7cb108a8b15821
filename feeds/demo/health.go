package demo

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tokentape/tokentape/model"
)

// watchTop is how many listings get endpoint health every day, the busiest
// first, like the live feed's watched listings (the top 15 by usage). A
// listing in a capacity episode is watched whatever its rank.
const watchTop = 15

// glm5ID is the listing of the scripted capacity episode.
const glm5ID = "z-ai/glm-5"

// firstParty are providers that serve only their own closed models; their
// quantization is not published.
var firstParty = map[string]bool{
	"Anthropic": true, "Google Vertex": true, "Google AI Studio": true, "Amazon Bedrock": true,
	"OpenAI": true, "Azure": true, "xAI": true, "Xiaomi": true, "Alibaba": true, "Mistral": true,
}

// quantizations of open-weight hosts, by hash.
var quantizations = []string{"fp8", "fp8", "bf16", "fp8", "fp4", "bf16", "int4", "unknown"}

// severity is how badly a listing's endpoints suffer on day d (0 healthy, 1
// worst): GLM-5's scripted episode, or a continuation launch's episode.
func (s *Sim) severity(x *lst, d int) float64 {
	if x.l.ID == glm5ID {
		return s.sc.glm5[d]
	}
	if x.epTo == 0 {
		return 0
	}
	switch {
	case d == x.epFrom-1 || d == x.epTo+1:
		return 0.15
	case d == x.epTo+2:
		return 0.05
	case d == x.epFrom || d == x.epTo:
		return 0.7
	case d > x.epFrom && d < x.epTo:
		return 1
	}
	return 0
}

// pinned reports whether a listing is watched whatever its rank: GLM-5, the
// capacity story, and a launch around its episode.
func (s *Sim) pinned(x *lst, d int) bool {
	return x.l.ID == glm5ID || (x.epTo > 0 && d <= x.epTo+7)
}

// appendEndpoints appends the endpoints of the day's watched listings.
func (s *Sim) appendEndpoints(batch []model.Update, d int) []model.Update {
	type cand struct {
		x *lst
		r float64
	}
	var cs []cand
	for _, x := range s.list {
		if len(x.hosts) == 0 {
			continue
		}
		if r := s.rate(x, d); r > 0 {
			cs = append(cs, cand{x, r})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].r != cs[j].r {
			return cs[i].r > cs[j].r
		}
		return cs[i].x.key < cs[j].x.key
	})
	var watched []*lst
	for i, c := range cs {
		if i < watchTop || s.pinned(c.x, d) {
			watched = append(watched, c.x)
		}
	}
	// Table order, so that the batch reads the same whatever the ranks.
	sort.Slice(watched, func(i, j int) bool { return watched[i].key < watched[j].key })
	at := endOfDay(d)
	for _, x := range watched {
		batch = append(batch, model.EndpointsUpdate{At: at, Source: SourceName, ListingID: x.l.ID, Endpoints: s.endpoints(x, d)})
	}
	return batch
}

// endpoints returns one listing's endpoints on day d. Healthy endpoints
// wander as real ones do (5-minute uptime up to about 3 points under the
// 1-day figure, latency and throughput ±8%, now and then one endpoint
// deranked for a moment); in an episode, uptime falls, endpoints are
// deranked, latency rises and throughput drops with the severity.
func (s *Sim) endpoints(x *lst, d int) []model.Endpoint {
	n := len(x.hosts)
	sev := s.severity(x, d)
	day := uint64(d)
	// Which endpoints go first in an episode: a fixed order per listing.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		return mix(s.seed, x.key, tagEndpoint, uint64(order[a]), 11) < mix(s.seed, x.key, tagEndpoint, uint64(order[b]), 11)
	})
	deranked := int(math.Round(sev * 0.55 * float64(n)))
	// A healthy day may see one endpoint deranked for a moment, never
	// enough to look like a capacity problem (listings with four or more).
	blip := -1
	if sev == 0 && n >= 4 && unit(mix(s.seed, x.key, tagEndpoint, day, 99)) < 0.06 {
		blip = int(mix(s.seed, x.key, tagEndpoint, day, 98) % uint64(n))
	}
	eps := make([]model.Endpoint, n)
	for rank, j := range order {
		h := mix(s.seed, x.key, tagEndpoint, uint64(j))
		hd := mix(h, day)
		host := x.hosts[j]
		quant := "unknown"
		if !firstParty[host] {
			quant = quantizations[mix(h, 3)%uint64(len(quantizations))]
		}
		baseLat := 350 + 1500*unit(mix(h, 1))
		baseThr := 25 + 120*unit(mix(h, 2))
		u1d := 99.0 + 0.9*unit(mix(hd, 3))
		u30 := u1d - 1.2*unit(mix(hd, 4))
		u5 := u1d - 2.8*unit(mix(hd, 5))
		lat := baseLat * (0.92 + 0.16*unit(mix(hd, 6)))
		thr := baseThr * (0.92 + 0.16*unit(mix(hd, 7)))
		status := model.EndpointStatus(0)
		if j == blip {
			status = -1
			u5 -= 8 + 12*unit(mix(hd, 8))
		}
		if sev > 0 {
			u5 -= sev * (9 + 6*unit(mix(hd, 9)))
			u30 -= sev * (5 + 5*unit(mix(hd, 10)))
			u1d -= sev * (1 + 2*unit(mix(hd, 11)))
			lat *= 1 + 1.6*sev*(0.9+0.2*unit(mix(hd, 12)))
			thr /= 1 + 1.5*sev*(0.9+0.2*unit(mix(hd, 13)))
			if rank < deranked {
				status = model.EndpointStatus(-1 - int(2*sev*unit(mix(hd, 14))))
			}
		}
		eps[j] = model.Endpoint{
			Provider: host, Quantization: quant, Status: status,
			Uptime5m: clampPct(u5), Uptime30m: clampPct(u30), Uptime1d: clampPct(u1d),
			LatencyP50: math.Round(lat), ThroughputP50: math.Round(thr*10) / 10,
		}
	}
	return eps
}

func clampPct(v float64) float64 { return math.Round(min(max(v, 0), 100)*100) / 100 }

// appendStatus appends every status page's state on day d.
func (s *Sim) appendStatus(batch []model.Update, d int) []model.Update {
	at := endOfDay(d)
	for _, p := range pages {
		page := model.StatusPage{
			Name: p.name, URL: p.url, Authors: slices.Clone(p.authors),
			Status: model.StatusOperational, Updated: at,
		}
		for _, c := range p.components {
			page.Components = append(page.Components, model.Component{Name: c, Status: model.StatusOperational})
		}
		add := func(id, title string, impact model.PageStatus, component, note string, from int) {
			word, text, _ := strings.Cut(note, ": ")
			page.Incidents = append(page.Incidents, model.Incident{
				ID: id, Title: title, Impact: impact, Status: word,
				Started:  dateOf(from).Add(14*time.Hour + 5*time.Minute),
				Updated:  dateOf(d).Add(15*time.Hour + 40*time.Minute),
				LastNote: text,
			})
			page.Status = page.Status.Worse(impact)
			for i := range page.Components {
				if page.Components[i].Name == component {
					page.Components[i].Status = page.Components[i].Status.Worse(impact)
				}
			}
		}
		for _, in := range s.sc.incidents {
			if in.page == p.name && d >= in.from && d <= in.to {
				note := in.notes[min(d-in.from, len(in.notes)-1)]
				add(incidentID(p.name, in.from), in.title, in.impact, in.component, note, in.from)
			}
		}
		if li := s.open[p.name]; li != nil && d >= li.from && d <= li.to {
			note := "investigating: We are investigating reports of " + strings.ToLower(li.impact.String()) + "."
			if d > li.from {
				note = "monitoring: A fix has been implemented and we are monitoring the results."
			}
			add(li.id, li.title, li.impact, li.component, note, li.from)
		}
		batch = append(batch, model.StatusUpdate{At: at, Page: page})
	}
	return batch
}

func incidentID(page string, from int) string {
	return "demo-" + page + "-" + dateOf(from).Format("20060102")
}
