package statuspage

import (
	"sort"
	"strings"
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// maxURLWidth caps a page's advertised address.
const maxURLWidth = 200

// decodeStatuspage reads an Atlassian Statuspage v2 summary.json, or the
// incident.io shim of it (where "incidents", "scheduled_maintenances" and
// even "status" may be absent: absence is read as "nothing to report").
func decodeStatuspage(o obj) model.StatusPage {
	page := o.obj("page")
	p := pageHead(page)
	p.Updated = page.firstTime("updated_at")
	if st := o.obj("status"); st != nil {
		p.Status = Level(st.str("indicator"))
	}
	p.Components = components(o.list("components"))
	p.Incidents = collect(p.Incidents, o.list("incidents"), false, notClosed)
	p.Incidents = collect(p.Incidents, o.list("scheduled_maintenances"), true, underWay)
	return p
}

// pageHead is a page's name and address as its "page" object gives them.
func pageHead(page obj) model.StatusPage {
	return model.StatusPage{Name: sanitize.Name(page.str("name")), URL: sanitize.String(page.str("url"), maxURLWidth)}
}

// collect appends the incidents of l that keep says are under way (as
// planned work when maintenance is set).
func collect(dst []model.Incident, l []any, maintenance bool, keep func(obj) bool) []model.Incident {
	for _, in := range objects(l) {
		if keep(in) {
			dst = append(dst, incident(in, maintenance))
		}
	}
	return dst
}

// What keeps an incident for collect: not closed; a maintenance whose status
// word says it is under way; anything listed (a list of ongoing ones only).
func notClosed(in obj) bool { return !closed(in) }
func underWay(m obj) bool   { return inProgress(m.str("status")) }
func listed(obj) bool       { return true }

// decodeFlashDuty reads DeepSeek's FlashDuty widget summary: an overall
// status, ongoing incidents and in-progress maintenances, no components. The
// widget's incident objects are not documented where this was written, so
// they are read with the widest set of usual key names.
func decodeFlashDuty(o obj) model.StatusPage {
	p := pageHead(o.obj("page"))
	p.Updated = o.firstTime("generated_at", "updated_at")
	if ov := o.obj("overall"); ov != nil {
		p.Status = Level(ov.first("status", "indicator"))
	}
	p.Components = components(o.list("components"))
	p.Incidents = collect(p.Incidents, o.list("ongoing_incidents"), false, notClosed)
	p.Incidents = collect(p.Incidents, o.list("in_progress_maintenances"), true, listed)
	return p
}

// decodeOnlineOrNot reads an OnlineOrNot page. From the public page's loader
// data: loaderData.root.result.{statusPage, components} and, from the index
// route, activeIncidents and the recent incidents by day (open while "ended"
// is null). From OnlineOrNot's REST shape: result.{name, status, components}.
func decodeOnlineOrNot(o obj) model.StatusPage {
	var rootRes, index obj
	if ld := o.obj("loaderData"); ld != nil {
		rootRes = ld.obj("root").obj("result")
		index = ld.obj("routes/_index").obj("result")
		if index == nil {
			keys := make([]string, 0, len(ld))
			for k := range ld {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if r := ld.obj(k).obj("result"); r != nil && (r.has("activeIncidents") || r.has("incidents")) {
					index = r
					break
				}
			}
		}
	} else {
		rootRes = o.obj("result")
		index = rootRes
	}
	sp := rootRes.obj("statusPage")
	if sp == nil {
		sp = rootRes
	}
	p := model.StatusPage{
		Name:   sanitize.Name(sp.str("name")),
		URL:    sanitize.String(sp.first("customDomain", "custom_domain"), maxURLWidth),
		Status: Level(sp.str("status")),
	}
	p.Components = components(rootRes.list("components"))

	seen := map[string]bool{}
	add := func(in obj) {
		if closed(in) {
			return
		}
		inc := incident(in, false)
		if inc.ID != "" {
			if seen[inc.ID] {
				return
			}
			seen[inc.ID] = true
		}
		p.Incidents = append(p.Incidents, inc)
	}
	for _, in := range objects(index.list("activeIncidents")) {
		add(in)
	}
	switch byDay := index["incidents"].(type) {
	case []any:
		for _, in := range objects(byDay) {
			add(in)
		}
	case map[string]any:
		days := make([]string, 0, len(byDay))
		for d := range byDay {
			days = append(days, d)
		}
		sort.Strings(days)
		for _, d := range days {
			l, _ := byDay[d].([]any)
			for _, in := range objects(l) {
				add(in)
			}
		}
	}
	for _, m := range objects(index.list("scheduledMaintenance")) {
		if inProgress(m.first("status", "state")) || inProgress(latestUpdate(m).str("status")) {
			p.Incidents = append(p.Incidents, incident(m, true))
		}
	}
	return p
}

// components reads a components list; group rows (Statuspage's aggregates of
// their children) and nameless rows are skipped.
func components(l []any) []model.Component {
	var out []model.Component
	for _, c := range objects(l) {
		if c.bool("group") {
			continue
		}
		name := sanitize.Name(c.str("name"))
		if name == "" {
			continue
		}
		out = append(out, model.Component{Name: name, Status: Level(c.first("status", "current_status"))})
		if len(out) == maxComponents {
			break
		}
	}
	return out
}

// closed reports whether an incident object is over: a final status word, or
// an end time.
func closed(in obj) bool {
	switch strings.ToLower(in.first("status", "state")) {
	case "resolved", "postmortem", "completed", "closed", "recovered":
		return true
	}
	return !in.firstTime("resolved_at", "ended", "ended_at", "end_time", "resolved_time", "close_time").IsZero()
}

// inProgress reports whether a maintenance status word means under way.
func inProgress(s string) bool {
	s = strings.ToLower(s)
	return s == "in_progress" || s == "verifying" || strings.Contains(s, "progress") || s == "ongoing"
}

// incident reads one incident or maintenance with the key names the page
// kinds use between them.
func incident(in obj, maintenance bool) model.Incident {
	up := latestUpdate(in)
	i := model.Incident{
		ID:      idString(firstPresent(in, "id", "incident_id")),
		Title:   sanitize.Name(in.first("name", "title")),
		Status:  sanitize.Name(strings.ToLower(in.first("status", "state", "progress"))),
		Started: in.firstTime("started_at", "started", "startedAt", "start_time", "start_at", "scheduled_for", "created_at", "createdAt", "published_at"),
		Updated: in.firstTime("updated_at", "updatedAt", "update_time", "last_update_at"),
	}
	if i.Title == "" {
		i.Title = "(untitled)"
	}
	if i.Status == "" {
		i.Status = sanitize.Name(strings.ToLower(up.first("status", "incident_status")))
	}
	if maintenance {
		i.Impact = model.StatusMaintenance
	} else {
		i.Impact = openImpact(in.first("impact", "severity", "level", "current_worst_impact"))
	}
	if t := updateTime(up); t.After(i.Updated) {
		i.Updated = t
	}
	if i.Started.IsZero() {
		i.Started = i.Updated
	}
	if body := up.first("body", "description", "message", "content", "text"); body != "" {
		i.LastNote = note(body)
	} else {
		i.LastNote = note(in.first("last_update_message", "description"))
	}
	return i
}

// latestUpdate returns the newest of an incident's updates (pages differ on
// whether they list them newest or oldest first), or its single
// latest_update object, or nil.
func latestUpdate(in obj) obj {
	var best obj
	var bestAt time.Time
	list := in.list("incident_updates")
	if list == nil {
		list = in.list("updates")
	}
	if list == nil {
		list = in.list("incidentUpdates") // Checkly
	}
	for i, u := range objects(list) {
		at := updateTime(u)
		if i == 0 || at.After(bestAt) {
			best, bestAt = u, at
		}
	}
	if best == nil {
		best = in.obj("latest_update")
		if best == nil {
			best = in.obj("last_update")
		}
	}
	return best
}

func updateTime(u obj) time.Time {
	return u.firstTime("display_at", "publicIncidentUpdateDate", "created_at", "createdAt", "dateHappened", "date_happened", "published_at", "updated_at", "updatedAt")
}

func firstPresent(o obj, keys ...string) any {
	for _, k := range keys {
		if v, ok := o[k]; ok && v != nil {
			return v
		}
	}
	return nil
}
