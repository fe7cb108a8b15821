package model

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Record is one line of a recording: an Update and the wall-clock time it
// was applied, so that a replay can keep the original pacing.
type Record struct {
	Time   time.Time
	Update Update
}

type envelope struct {
	Time time.Time       `json:"t"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// MarshalRecord encodes a record as one line of JSON (no trailing newline).
func MarshalRecord(r Record) ([]byte, error) {
	if r.Update == nil {
		return nil, fmt.Errorf("record has no update")
	}
	data, err := json.Marshal(r.Update)
	if err != nil {
		return nil, fmt.Errorf("encode %s update: %w", r.Update.Kind(), err)
	}
	return json.Marshal(envelope{Time: r.Time, Kind: r.Update.Kind(), Data: data})
}

// UnmarshalRecord decodes one line written by MarshalRecord.
func UnmarshalRecord(line []byte) (Record, error) {
	var env envelope
	if err := json.Unmarshal(line, &env); err != nil {
		return Record{}, fmt.Errorf("not a recording line: %w", err)
	}
	var u Update
	var err error
	switch env.Kind {
	case CatalogueUpdate{}.Kind():
		var v CatalogueUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case UsageUpdate{}.Kind():
		var v UsageUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case RankingUpdate{}.Kind():
		var v RankingUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case EndpointsUpdate{}.Kind():
		var v EndpointsUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case StatusUpdate{}.Kind():
		var v StatusUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case SourceUpdate{}.Kind():
		var v SourceUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case AppsUpdate{}.Kind():
		var v AppsUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case TasksUpdate{}.Kind():
		var v TasksUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case ProvidersUpdate{}.Kind():
		var v ProvidersUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case BenchmarkUpdate{}.Kind():
		var v BenchmarkUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case AckUpdate{}.Kind():
		var v AckUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case HealthHistoryUpdate{}.Kind():
		var v HealthHistoryUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	case AlertsUpdate{}.Kind():
		var v AlertsUpdate
		err = json.Unmarshal(env.Data, &v)
		u = v
	default:
		return Record{}, fmt.Errorf("unknown update kind %q", env.Kind)
	}
	if err != nil {
		return Record{}, fmt.Errorf("decode %s update: %w", env.Kind, err)
	}
	return Record{Time: env.Time, Update: u}, nil
}

// optFloat is a float64 that encodes NaN and ±Inf as JSON null (JSON has no
// NaN) and decodes null back to NaN.
type optFloat float64

func (f optFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func (f *optFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = optFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = optFloat(v)
	return nil
}

type wirePrice struct {
	Kind      PriceKind `json:"kind"`
	In        optFloat  `json:"in"`
	Out       optFloat  `json:"out"`
	CacheRead optFloat  `json:"cache_read"`
}

// MarshalJSON encodes a price with NaN rates as null.
func (p Price) MarshalJSON() ([]byte, error) {
	return json.Marshal(wirePrice{p.Kind, optFloat(p.In), optFloat(p.Out), optFloat(p.CacheRead)})
}

// UnmarshalJSON decodes a price written by MarshalJSON.
func (p *Price) UnmarshalJSON(b []byte) error {
	w := wirePrice{In: optFloat(math.NaN()), Out: optFloat(math.NaN()), CacheRead: optFloat(math.NaN())}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Price{Kind: w.Kind, In: float64(w.In), Out: float64(w.Out), CacheRead: float64(w.CacheRead)}
	return nil
}

type wireOverride struct {
	MinPromptTokens float64  `json:"min_prompt_tokens"`
	UTCStart        int      `json:"utc_start"`
	UTCEnd          int      `json:"utc_end"`
	In              optFloat `json:"in"`
	Out             optFloat `json:"out"`
	CacheRead       optFloat `json:"cache_read"`
}

// MarshalJSON encodes an override with inherited (NaN) rates as null.
func (o PriceOverride) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireOverride{o.MinPromptTokens, o.UTCStart, o.UTCEnd,
		optFloat(o.In), optFloat(o.Out), optFloat(o.CacheRead)})
}

// UnmarshalJSON decodes an override written by MarshalJSON.
func (o *PriceOverride) UnmarshalJSON(b []byte) error {
	w := wireOverride{UTCStart: -1, UTCEnd: -1, In: optFloat(math.NaN()), Out: optFloat(math.NaN()), CacheRead: optFloat(math.NaN())}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*o = PriceOverride{w.MinPromptTokens, w.UTCStart, w.UTCEnd, float64(w.In), float64(w.Out), float64(w.CacheRead)}
	return nil
}

type wireEndpoint struct {
	Provider      string         `json:"provider"`
	Quantization  string         `json:"quantization,omitempty"`
	Status        EndpointStatus `json:"status"`
	Uptime5m      optFloat       `json:"uptime_5m"`
	Uptime30m     optFloat       `json:"uptime_30m"`
	Uptime1d      optFloat       `json:"uptime_1d"`
	LatencyP50    optFloat       `json:"latency_p50"`
	ThroughputP50 optFloat       `json:"throughput_p50"`
}

// MarshalJSON encodes an endpoint with unknown (NaN) figures as null.
func (e Endpoint) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireEndpoint{e.Provider, e.Quantization, e.Status, optFloat(e.Uptime5m),
		optFloat(e.Uptime30m), optFloat(e.Uptime1d), optFloat(e.LatencyP50), optFloat(e.ThroughputP50)})
}

// UnmarshalJSON decodes an endpoint written by MarshalJSON.
func (e *Endpoint) UnmarshalJSON(b []byte) error {
	nan := optFloat(math.NaN())
	w := wireEndpoint{Uptime5m: nan, Uptime30m: nan, Uptime1d: nan, LatencyP50: nan, ThroughputP50: nan}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Endpoint{w.Provider, w.Quantization, w.Status, float64(w.Uptime5m), float64(w.Uptime30m),
		float64(w.Uptime1d), float64(w.LatencyP50), float64(w.ThroughputP50)}
	return nil
}
