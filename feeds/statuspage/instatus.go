package statuspage

import (
	"strings"

	"github.com/tokentape/tokentape/model"
)

// Instatus (status.perplexity.com/summary.json) and Checkly's status pages
// (Mistral) answer with the same outline: {"page": {name, url, status},
// "activeIncidents": [...], "activeMaintenances": [...]}. A healthy Instatus
// page answers only {"page": {..., "status": "UP"}}. Checkly's
// unresolved-incidents endpoint answers {"incidents": [...]} alone.

// isInstatusLike recognises the {"page": {"status": WORD}} outline with none
// of Statuspage's top-level members.
func isInstatusLike(o obj) bool {
	p := o.obj("page")
	return p != nil && p.str("status") != "" && !o.has("status") && !o.has("components") &&
		!o.has("incidents") && !o.has("scheduled_maintenances")
}

// isCheckly tells a Checkly page from an Instatus one: its address, or the
// members only its incidents carry.
func isCheckly(o obj) bool {
	if strings.Contains(strings.ToLower(o.obj("page").str("url")), "checkly") {
		return true
	}
	for _, in := range objects(o.list("activeIncidents")) {
		if in.has("affectedServices") || in.has("startedAt") || in.has("severity") {
			return true
		}
	}
	return false
}

// isChecklyIncidents recognises Checkly's unresolved-incidents answer: a lone
// "incidents" list whose items carry Checkly's members.
func isChecklyIncidents(o obj) bool {
	if len(o) != 1 {
		return false
	}
	l, ok := o["incidents"].([]any)
	if !ok {
		return false
	}
	for _, in := range objects(l) {
		if !in.has("incidentUpdates") && !in.has("lastUpdateStatus") && !in.has("severity") {
			return false
		}
	}
	return true
}

// decodeInstatus reads an Instatus or Checkly summary.
func decodeInstatus(o obj) model.StatusPage {
	page := o.obj("page")
	p := pageHead(page)
	p.Status = Level(page.str("status"))
	p.Incidents = collect(p.Incidents, o.list("activeIncidents"), false, notClosed)
	p.Incidents = collect(p.Incidents, o.list("activeMaintenances"), true, notClosed)
	return p
}

// decodeChecklyIncidents reads Checkly's unresolved incidents: every one
// listed is open, and none listed means nothing to report (operational).
func decodeChecklyIncidents(o obj) model.StatusPage {
	p := model.StatusPage{Status: model.StatusOperational}
	p.Incidents = collect(p.Incidents, o.list("incidents"), false, notClosed)
	return p
}
