package serve

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/charmbracelet/log"

	"github.com/tokentape/tokentape/model"
	"github.com/tokentape/tokentape/ui/export"
)

// Server is what the engine publishes to: the viewers' hub, the metrics,
// the event stream and the webhooks. Publish is called from the engine's
// goroutine and never blocks on a reader.
type Server struct {
	Hub      *Hub
	Events   *Events
	Metrics  *Metrics
	Webhooks *Webhooks // may be nil
	Log      *log.Logger

	alerts model.AlertWatcher
}

// AlertEvent is the JSON of an alert that fired or resolved: the body of a
// webhook and the data of an "alert" Server-Sent Event. Text is a one-line
// summary that Slack (and Discord's Slack-compatible endpoint) show as is;
// Content repeats it for Discord's own webhooks.
type AlertEvent struct {
	Text      string          `json:"text"`
	Content   string          `json:"content"`
	Event     string          `json:"event"` // "fired" or "resolved"
	Source    string          `json:"source"`
	Simulated bool            `json:"simulated"`
	Alert     export.AlertRow `json:"alert"`
}

// SnapshotEvent is the data of a "snapshot" Server-Sent Event.
type SnapshotEvent struct {
	Version  uint64     `json:"version"`
	AsOf     *time.Time `json:"as_of"`
	Listings int        `json:"listings"`
	Firing   int        `json:"firing"`
}

// Publish hands a new snapshot to every reader.
func (s *Server) Publish(snap *model.Snapshot) {
	if snap == nil {
		return
	}
	s.Hub.Publish(snap)
	if s.Metrics != nil {
		s.Metrics.Observe(snap)
	}
	for _, c := range s.alerts.Changes(snap) {
		ev := NewAlertEvent(snap, c)
		b, err := json.Marshal(ev)
		if err != nil {
			continue
		}
		if s.Log != nil {
			s.Log.Info("alert "+ev.Event, "kind", ev.Alert.Kind, "severity", ev.Alert.Severity,
				"subject", ev.Alert.Subject, "message", ev.Alert.Message)
		}
		if s.Events != nil {
			s.Events.Publish("alert", b)
		}
		s.Webhooks.Enqueue(b)
	}
	if s.Events != nil {
		firing := 0
		for _, a := range snap.Alerts {
			if a.State == model.AlertFiring {
				firing++
			}
		}
		ev := SnapshotEvent{Version: snap.Version, Listings: len(snap.Listings), Firing: firing}
		if !snap.AsOf.IsZero() {
			t := snap.AsOf.UTC()
			ev.AsOf = &t
		}
		if b, err := json.Marshal(ev); err == nil {
			s.Events.Publish("snapshot", b)
		}
	}
}

// NewAlertEvent describes one alert change.
func NewAlertEvent(snap *model.Snapshot, c model.AlertChange) AlertEvent {
	row := export.Build(&model.Snapshot{Alerts: []model.Alert{c.Alert}}).Alerts[0]
	ev := AlertEvent{Event: "fired", Source: snap.Source, Simulated: snap.Simulated(), Alert: row}
	if c.Resolved {
		ev.Event = "resolved"
	}
	ev.Text = alertText(ev)
	ev.Content = ev.Text
	return ev
}

// alertText is "[DEMO] tokentape WARN capacity z-ai/glm-5: <message>" or
// "... RESOLVED ...", with the three characters Slack treats as markup
// escaped as Slack asks.
func alertText(ev AlertEvent) string {
	var b strings.Builder
	if ev.Simulated {
		b.WriteString("[DEMO] ")
	}
	b.WriteString("tokentape ")
	if ev.Event == "resolved" {
		b.WriteString("RESOLVED ")
	} else {
		b.WriteString(strings.ToUpper(ev.Alert.Severity) + " ")
	}
	b.WriteString(ev.Alert.Kind)
	if ev.Alert.Subject != "" {
		b.WriteString(" " + ev.Alert.Subject)
	}
	b.WriteString(": " + ev.Alert.Message)
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(b.String())
}
