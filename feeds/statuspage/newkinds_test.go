package statuspage

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/feeds/internal/feedtest"
	"github.com/tokentape/tokentape/model"
)

// TestContractNewKindsDetails checks the fields of the newer kinds' real
// answers that the contract table (TestContractPages) does not.
func TestContractNewKindsDetails(t *testing.T) {
	p, _ := Decode(feedtest.ReadTestdata(t, "instatus_perplexity_summary_2026-07-23_major_outage.json"))
	if in := p.Incidents[0]; in.ID != "cmrxt1rlu000f0zlcv4dzmdlr" || in.Status != "monitoring" || in.Impact != model.StatusMajorOutage ||
		!in.Started.Equal(time.Date(2026, 7, 23, 17, 48, 28, 28e6, time.UTC)) || p.Name != "Perplexity" {
		t.Errorf("instatus incident = %+v on %q", in, p.Name)
	}
	p, _ = Decode(feedtest.ReadTestdata(t, "checkly_mistral_unresolved_incidents_2026-07-27_medium.json"))
	if in := p.Incidents[0]; in.Status != "investigating" || !strings.HasPrefix(in.LastNote, "Requests to the Audio API") ||
		!in.Started.Equal(time.Date(2026, 7, 27, 14, 32, 53, 607e6, time.UTC)) {
		t.Errorf("checkly incident = %+v", in)
	}
	p, _ = Decode(feedtest.ReadTestdata(t, "checkly_mistral_summary_2026-09-17_trimmed.json"))
	if in := p.Incidents[0]; !in.Started.Equal(time.Date(2026, 9, 4, 4, 4, 4, 0, time.UTC)) || in.Status != "identified" {
		t.Errorf("checkly summary incident = %+v", in)
	}
	p, _ = Decode(feedtest.ReadTestdata(t, "betterstack_huggingface_index_2026-07-19_downtime_trimmed.json"))
	var down []string
	for _, c := range p.Components {
		if c.Status != model.StatusOperational {
			down = append(down, c.Name+" "+c.Status.String())
		}
	}
	if p.Name != "Hugging Face" || strings.Join(down, ",") != "Spaces Proxy major outage" {
		t.Errorf("betterstack %q: not operational = %v", p.Name, down)
	}
}

// The same real answers, edited the way they would read while an incident is
// open, so the open paths run on the real shapes.
func TestNewKindsOpenIncidents(t *testing.T) {
	xml := strings.Replace(string(feedtest.ReadTestdata(t, "xai_status_feed_2026-07-07_resolved.xml")),
		"<h3>Status: RESOLVED</h3>", "<h3>Status: INVESTIGATING</h3>", 1)
	xml = strings.Replace(xml, "<category>resolved</category>", "<category>investigating</category>", 1)
	p, err := Decode([]byte(xml))
	if err != nil || len(p.Incidents) != 1 || p.Status != model.StatusDegraded ||
		!strings.HasPrefix(p.Incidents[0].Title, "[API (us-west-2.api.x.ai)]") || p.Incidents[0].Status != "investigating" ||
		!p.Incidents[0].Started.Equal(time.Date(2026, 7, 7, 15, 40, 26, 0, time.UTC)) {
		t.Fatalf("open xAI item: %v %+v", err, p)
	}

	g := strings.Replace(string(feedtest.ReadTestdata(t, "googlecloud_incidents_2023-03-10_bigquery_one_incident.json")),
		`"end": "2023-03-10T14:54:50+00:00",`, "", 1)
	p, err = Decode([]byte(g))
	if err != nil || len(p.Incidents) != 1 || p.Status != model.StatusDegraded ||
		p.Incidents[0].Title != "Retry errors for Google BigQuery in europe-north1" ||
		p.Incidents[0].LastNote != "Summary: Retry errors for Google BigQuery in europe-north1" {
		t.Fatalf("open Google incident: %v %+v", err, p)
	}
	// Filtered to Gemini, a BigQuery incident is none of its business.
	p, err = DecodeProduct([]byte(g), "Gemini")
	if err != nil || len(p.Incidents) != 0 || p.Status != model.StatusOperational {
		t.Fatalf("Gemini filter: %v %+v", err, p)
	}

	// A healthy Instatus page answers with the page alone.
	p, err = Decode([]byte(`{"page":{"name":"Perplexity","url":"https://status.perplexity.com","status":"UP"}}`))
	if k, _ := Detect([]byte(`{"page":{"status":"UP"}}`)); err != nil || p.Status != model.StatusOperational || k != KindInstatus {
		t.Fatalf("healthy instatus: %v %v %+v", k, err, p)
	}
	// Checkly with nothing unresolved is operational.
	if p, err := Decode([]byte(`{"incidents":[]}`)); err != nil || p.Status != model.StatusOperational {
		t.Fatalf("empty checkly: %v %+v", err, p)
	}
}

// A feed whose items never say whether they are over says nothing: it is
// not guessed to be operational.
func TestFeedWithoutStatusSaysNothing(t *testing.T) {
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Something happened</title><description>We are looking.</description><pubDate>Tue, 07 Jul 2026 15:40:26 GMT</pubDate></item>
</channel></rss>`
	p, err := Decode([]byte(feed))
	if err != nil || p.Status != model.StatusUnknown || len(p.Incidents) != 0 {
		t.Fatalf("feed without status = %v %+v", err, p)
	}
	atom := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>Elevated errors</title><id>e1</id><updated>2026-07-07T15:40:26Z</updated><category term="identified"/><category term="major_outage"/><summary>Looking</summary></entry></feed>`
	p, err = Decode([]byte(atom))
	if err != nil || p.Status != model.StatusMajorOutage || len(p.Incidents) != 1 || p.Incidents[0].ID != "e1" {
		t.Fatalf("atom = %v %+v", err, p)
	}
}

func TestBetterStackOpenReportCarriesItsNewestUpdate(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(feedtest.ReadTestdata(t, "betterstack_huggingface_index_2026-07-19_downtime_trimmed.json"), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, inc := range doc["included"].([]any) {
		a := inc.(map[string]any)["attributes"].(map[string]any)
		if a["title"] == "Hub unavailable" {
			a["aggregate_state"] = "downtime" // as it read on 2026-07-16 at 09:00
			found = true
		}
	}
	if !found {
		t.Fatal("payload changed: no Hub unavailable report")
	}
	body, _ := json.Marshal(doc)
	p, err := Decode(body)
	if err != nil || len(p.Incidents) != 1 {
		t.Fatalf("%v %+v", err, p.Incidents)
	}
	in := p.Incidents[0]
	if in.Title != "Hub unavailable" || in.Impact != model.StatusMajorOutage || !strings.HasPrefix(in.LastNote, "Services are back") ||
		!in.Started.Equal(time.Date(2026, 7, 16, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("incident = %+v", in)
	}
}
