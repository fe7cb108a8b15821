package statuspage

import (
	"time"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Better Stack pages (status.huggingface.co/index.json) answer in JSON:API:
// "data" is the status page with its aggregate_state, "included" holds its
// resources (components), status reports (incidents and maintenances) and
// status updates (their notes).

// isBetterStack recognises a JSON:API document whose data is a status_page.
func isBetterStack(o obj) bool {
	d := o.obj("data")
	return d != nil && d.str("type") == "status_page" && d.obj("attributes") != nil
}

// decodeBetterStack reads a Better Stack index.json. A status report is open
// while its aggregate state is not "resolved"; a maintenance report counts
// only between its start and end, judged at the page's own updated_at (so a
// maintenance scheduled for next week does not show as under way).
func decodeBetterStack(o obj) model.StatusPage {
	attrs := o.obj("data").obj("attributes")
	p := model.StatusPage{
		Name:    sanitize.Name(attrs.first("company_name", "subdomain")),
		URL:     sanitize.String(attrs.str("custom_domain"), maxURLWidth),
		Status:  Level(attrs.str("aggregate_state")),
		Updated: attrs.firstTime("updated_at"),
	}
	type update struct {
		at   time.Time
		text string
	}
	updates := map[string]update{} // status update id → its time and text
	var reports []obj
	for _, inc := range objects(o.list("included")) {
		a := inc.obj("attributes")
		switch inc.str("type") {
		case "status_page_resource":
			name := sanitize.Name(a.first("public_name", "name"))
			if name != "" && len(p.Components) < maxComponents {
				p.Components = append(p.Components, model.Component{Name: name, Status: Level(a.str("status"))})
			}
		case "status_report":
			reports = append(reports, inc)
		case "status_update":
			updates[idString(inc["id"])] = update{a.firstTime("published_at"), a.str("message")}
		}
	}
	for _, r := range reports {
		a := r.obj("attributes")
		state := a.str("aggregate_state")
		if state == "resolved" {
			continue
		}
		maint := a.str("report_type") == "maintenance" || state == "maintenance"
		start, end := a.firstTime("starts_at"), a.firstTime("ends_at")
		if maint && (p.Updated.IsZero() || start.After(p.Updated) || (!end.IsZero() && !end.After(p.Updated))) {
			continue
		}
		in := model.Incident{
			ID:      idString(r["id"]),
			Title:   sanitize.Name(a.str("title")),
			Status:  sanitize.Name(state),
			Started: start,
			Impact:  openImpact(state),
		}
		if maint {
			in.Impact = model.StatusMaintenance
		}
		if in.Title == "" {
			in.Title = "(untitled)"
		}
		// A report lists its updates in its relationships; the newest
		// one's text is the note.
		for _, ref := range objects(r.obj("relationships").obj("status_updates").list("data")) {
			if u, ok := updates[idString(ref["id"])]; ok && !u.at.Before(in.Updated) {
				in.Updated, in.LastNote = u.at, note(u.text)
			}
		}
		p.Incidents = append(p.Incidents, in)
	}
	return p
}
