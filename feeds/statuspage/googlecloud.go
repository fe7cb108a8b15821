package statuspage

import (
	"strings"

	"github.com/tokentape/tokentape/feeds/sanitize"
	"github.com/tokentape/tokentape/model"
)

// Google Cloud's status.cloud.google.com/incidents.json is a bare array of
// every incident of every product, open ones without an "end". It names no
// page-wide status: with no open incident the page is operational.

// isGoogleCloud recognises the incidents array by the members only Google's
// incidents carry.
func isGoogleCloud(l []any) bool {
	items := objects(l)
	if len(items) == 0 {
		return false
	}
	for _, in := range items {
		if !in.has("external_desc") && !in.has("service_name") {
			return false
		}
	}
	return true
}

// googleImpact maps Google's status_impact words; an open incident of a word
// not known is degraded, as on every page kind.
func googleImpact(in obj) model.PageStatus {
	switch strings.ToUpper(in.first("status_impact")) {
	case "SERVICE_OUTAGE":
		return model.StatusMajorOutage
	case "SERVICE_DISRUPTION":
		return model.StatusPartialOutage
	}
	return model.StatusDegraded
}

// decodeGoogleCloud reads incidents.json, keeping the open incidents whose
// product matches product (case-insensitive substring of the service name or
// an affected product's title; "" keeps all).
func decodeGoogleCloud(l []any, product string) model.StatusPage {
	p := model.StatusPage{Name: "Google Cloud", URL: "https://status.cloud.google.com", Status: model.StatusOperational}
	product = strings.ToLower(product)
	for _, in := range objects(l) {
		if in["end"] != nil && !in.firstTime("end").IsZero() {
			continue
		}
		if product != "" && !googleMatches(in, product) {
			continue
		}
		up := in.obj("most_recent_update")
		inc := model.Incident{
			ID:       idString(in["id"]),
			Title:    sanitize.Name(in.first("external_desc", "service_name")),
			Status:   sanitize.Name(strings.ToLower(up.first("status"))),
			Started:  in.firstTime("begin", "created"),
			Updated:  in.firstTime("modified"),
			Impact:   googleImpact(in),
			LastNote: note(firstLine(up.str("text"))),
		}
		if inc.Title == "" {
			inc.Title = "(untitled)"
		}
		p.Incidents = append(p.Incidents, inc)
	}
	return p
}

func googleMatches(in obj, product string) bool {
	if strings.Contains(strings.ToLower(in.str("service_name")), product) {
		return true
	}
	for _, ap := range objects(in.list("affected_products")) {
		if strings.Contains(strings.ToLower(ap.str("title")), product) {
			return true
		}
	}
	return false
}

// firstLine cuts s at its first newline (Google's texts are multi-line
// "Summary: ... Description: ..." blocks).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
