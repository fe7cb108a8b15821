package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

const validFile = `# my settings
openrouter_url = "http://127.0.0.1:8080/api/v1/"
watch = [
  "z-ai/glm-5",   # the one that melted
  "moonshotai/kimi-k2.5",
]
reference = "minimax/minimax-m2.5"

[intervals]
catalogue = "5m"
endpoints = "30s"
status = "1m30s"
usage = "2h"

[origins]
mistralai = "eu"
"new-lab" = "CN"

[[status_pages]]
name = "claude"
url = "https://status.claude.com/api/v2/summary.json"
authors = ["anthropic"]

[[status_pages]]
name = "local"
url = "http://127.0.0.1:9000/summary.json"

[workload]
tokens_per_day = "1.5B"
input_share = 0.8
cache_hit = 0.25

[alerts]
uptime_drop_points = 7.5
deranked_fraction = 0.5
fire_after = 3
cooldown = "1h"
`

func TestParseValidFile(t *testing.T) {
	cfg, err := Parse("config.toml", []byte(validFile))
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	want.OpenRouterURL = "http://127.0.0.1:8080/api/v1" // trailing slash trimmed
	want.Watch = []string{"z-ai/glm-5", "moonshotai/kimi-k2.5"}
	want.Reference = "minimax/minimax-m2.5"
	want.Intervals = Intervals{Duration{5 * time.Minute}, Duration{30 * time.Second}, Duration{90 * time.Second}, Duration{2 * time.Hour}}
	want.Origins = map[string]string{"mistralai": "EU", "new-lab": "CN"}
	want.StatusPages = []StatusPage{
		{Name: "claude", URL: "https://status.claude.com/api/v2/summary.json", Authors: []string{"anthropic"}},
		{Name: "local", URL: "http://127.0.0.1:9000/summary.json"},
	}
	want.Workload = Workload{TokensPerDay: 1.5e9, InputShare: 0.8, CacheHit: 0.25}
	want.Alerts.UptimeDropPoints = 7.5
	want.Alerts.DerankedFraction = 0.5
	want.Alerts.FireAfter = 3
	want.Alerts.Cooldown = Duration{time.Hour}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("got  %+v\nwant %+v", cfg, want)
	}
	// Conversions for the model.
	if w := cfg.ModelWorkload(); w != (model.Workload{TokensPerDay: 1.5e9, InputShare: 0.8, CacheHit: 0.25}) {
		t.Errorf("ModelWorkload = %+v", w)
	}
	ac := cfg.AlertConfig()
	if ac.UptimeDrop != 7.5 || ac.FireAfter != 3 || ac.Cooldown != time.Hour || ac.ResolveAfter != 2 || ac.MaxLog != 500 {
		t.Errorf("AlertConfig = %+v", ac)
	}
	if o := cfg.OriginOverrides(); !reflect.DeepEqual(o, map[string]model.Origin{"mistralai": model.OriginEU, "new-lab": model.OriginCN}) {
		t.Errorf("OriginOverrides = %v", o)
	}
}

func TestDefaultsMatchTheModel(t *testing.T) {
	d := Defaults()
	if d.ModelWorkload() != model.DefaultWorkload() {
		t.Errorf("workload %+v, model's %+v", d.ModelWorkload(), model.DefaultWorkload())
	}
	if d.AlertConfig() != model.DefaultAlertConfig() {
		t.Errorf("alerts %+v, model's %+v", d.AlertConfig(), model.DefaultAlertConfig())
	}
	if d.Intervals.Catalogue.Duration != 10*time.Minute || d.Intervals.Endpoints.Duration != 2*time.Minute ||
		d.Intervals.Status.Duration != time.Minute || d.Intervals.Usage.Duration != time.Hour {
		t.Errorf("intervals %+v", d.Intervals)
	}
	if d.OpenRouterURL != "https://openrouter.ai/api/v1" || d.Reference != "anthropic/claude-sonnet-4.5" {
		t.Errorf("url %q reference %q", d.OpenRouterURL, d.Reference)
	}
	if d.OriginOverrides() != nil || d.StatusPages != nil || d.Watch != nil {
		t.Errorf("lists not empty by default")
	}
	if len(d.validate()) != 0 {
		t.Errorf("defaults do not validate: %v", d.validate())
	}
	// An empty file, or one of comments, is the defaults.
	for _, in := range []string{"", "# nothing\n\n"} {
		cfg, err := Parse("c.toml", []byte(in))
		if err != nil || !reflect.DeepEqual(cfg, Defaults()) {
			t.Errorf("Parse(%q) = %+v, %v", in, cfg, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the exact error
	}{
		{"bad duration", "# c\n\n[intervals]\ncatalogue = \"10m\"\nendpoints = \"10x\"\n",
			`config.toml:5:13: intervals.endpoints: "10x" is not a duration (write e.g. "90s", "10m", "1h")`},
		{"duration without unit", "[alerts]\ncooldown = 30\n",
			`config.toml:2:12: alerts.cooldown: 30 is not a duration: give a unit, as in "30s"`},
		{"bad TOML syntax", "reference = \"a/b\"\nwatch = [\"x/y\"\n\n[workload]\n",
			`config.toml:4:2: watch: expected a comma (',') or array terminator (']'), but got '['`},
		{"unterminated string", "reference = \"a/b\n",
			`config.toml:1:17: reference: strings cannot contain newlines`},
		{"wrong type", "[workload]\ninput_share = \"75%\"\n",
			`config.toml:2:15: workload.input_share: expected a number, got a string`},
		{"wrong type in array", "watch = [\"a/b\", 7]\n",
			`config.toml:1:9: watch: expected a string, got an integer`},
		{"string for array", "watch = \"a/b\"\n",
			`config.toml:1:9: watch: expected an array, got a string`},
		{"value for table", "workload = 5\n",
			`config.toml:1:12: workload: expected a table ([workload]), got a value`},
		{"bad origin", "[origins]\nqwen = \"CN\"\nmistralai = \"France\"\n",
			`config.toml:3:13: origins.mistralai: "France" is not an origin (CN, US, EU, Other or Unknown)`},
		{"unknown key", "reference = \"a/b\"\n\n[intervals]\n  catalog = \"5m\"\n",
			`config.toml:4:3: intervals.catalog: unknown key (did you mean "catalogue"?)`},
		{"unknown table", "[colours]\nboard = \"red\"\nheader = \"blue\"\n",
			`config.toml:1:2: colours: unknown key`},
		{"unknown key in the second status page", "[[status_pages]]\nname = \"a\"\nurl = \"https://a.example/x\"\n\n[[status_pages]]\nname = \"b\"\nurl = \"https://b.example/x\"\nauthor = [\"b\"]\n",
			`config.toml:8:1: status_pages.author: unknown key (did you mean "authors"?)`},
		{"bad url in the second status page", "[[status_pages]]\nname = \"a\"\nurl = \"https://a.example/x\"\n[[status_pages]]\nname = \"b\"\nurl = \"status.b.example\"\n",
			`config.toml:6:7: status_pages[1].url: "status.b.example" is not an http(s) URL`},
		{"duplicate status page", "[[status_pages]]\nname = \"a\"\nurl = \"https://a.example/x\"\n[[status_pages]]\nname = \"a\"\nurl = \"https://b.example/x\"\n",
			`config.toml:5:8: status_pages[1].name: "a" appears twice`},
		{"bad watch id", "watch = [\n  \"z-ai/glm-5\",\n  \"glm5\",\n]\n",
			`config.toml:1:9: watch[1]: "glm5" is not a listing id (author/slug)`},
		{"bad token count", "[workload]\ntokens_per_day = \"lots\"\n",
			`config.toml:2:18: workload.tokens_per_day: "lots" is not a token count (write e.g. "20M", "1.5B" or 20000000)`},
		{"negative tokens", "[workload]\ntokens_per_day = -5\n",
			`config.toml:2:18: workload.tokens_per_day: -5 is not a token count above 0`},
		{"share out of range", "[workload]\ninput_share = 75\n",
			`config.toml:2:15: workload.input_share: 75 is not a fraction between 0 and 1 (0.75 = 75%)`},
		{"interval too short", "[intervals]\nstatus = \"10ms\"\n",
			`config.toml:2:10: intervals.status: 10ms is too short (at least 1s)`},
		{"alert threshold out of range", "[alerts]\nthroughput_factor = 2\n",
			`config.toml:2:21: alerts.throughput_factor: 2 must be between 0 and 1 (0.5 = half the baseline)`},
		{"inline table value", "workload = { input_share = 3 }\n",
			`config.toml:1:1: workload.input_share: 3 is not a fraction between 0 and 1 (0.75 = 75%)`},
		{"bad url", "openrouter_url = \"ftp://x\"\n",
			`config.toml:1:18: openrouter_url: "ftp://x" is not an http(s) URL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("config.toml", []byte(tc.in))
			if err == nil {
				t.Fatalf("no error; got %+v", cfg)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n  %s\nwant\n  %s", err, tc.want)
			}
			if !reflect.DeepEqual(cfg, Defaults()) {
				t.Errorf("a failed Parse returned a modified config")
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	in := "refrence = \"a/b\"\n[workload]\ncache_hit = 2\n[alerts]\nfire_after = 0\n"
	_, err := Parse("c.toml", []byte(in))
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		`c.toml:1:1: refrence: unknown key (did you mean "reference"?)`,
		`c.toml:3:13: workload.cache_hit: 2 is not a fraction between 0 and 1 (0.75 = 75%)`,
		`c.toml:5:14: alerts.fire_after: 0 must be at least 1`,
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if got, want := DefaultPath(), filepath.Join(dir, "tokentape", "config.toml"); got != want {
		t.Fatalf("DefaultPath = %q, want %q", got, want)
	}
	// No file at the default path: defaults, no error.
	cfg, err := Load("")
	if err != nil || !reflect.DeepEqual(cfg, Defaults()) {
		t.Fatalf("Load(default, missing) = %v", err)
	}
	// No file at an explicit path: an error naming it.
	missing := filepath.Join(dir, "nope.toml")
	if _, err := Load(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("Load(explicit, missing) = %v", err)
	}
	// A file at the default path is read.
	if err := os.MkdirAll(filepath.Join(dir, "tokentape"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(DefaultPath(), []byte("reference = \"x/y\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Load(""); err != nil || cfg.Reference != "x/y" {
		t.Fatalf("Load(default) = %+v, %v", cfg.Reference, err)
	}
	// A broken file at the default path is an error, naming the full path.
	if err := os.WriteFile(DefaultPath(), []byte("reference = 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(""); err == nil || !strings.HasPrefix(err.Error(), DefaultPath()+":1:13: reference:") {
		t.Fatalf("Load(broken default) = %v", err)
	}
	// A directory is not a config file.
	if _, err := Load(dir); err == nil {
		t.Error("Load(directory) succeeded")
	}
	// A relative XDG_CONFIG_HOME is ignored (XDG spec).
	t.Setenv("XDG_CONFIG_HOME", "relative/dir")
	t.Setenv("HOME", dir)
	if got, want := DefaultPath(), filepath.Join(dir, ".config", "tokentape", "config.toml"); got != want {
		t.Errorf("DefaultPath with relative XDG_CONFIG_HOME = %q, want %q", got, want)
	}
}

func TestLoadRefusesHugeFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(p, []byte(strings.Repeat("# padding\n", maxFileSize/10+10)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Load(huge) = %v", err)
	}
}

func TestExampleFile(t *testing.T) {
	data, err := os.ReadFile("config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("config.example.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Defaults()) {
		t.Errorf("the example's values are not the defaults:\n%+v\n%+v", cfg, Defaults())
	}
	// Its commented-out examples are valid too.
	example := regexp.MustCompile(`(?m)^# ((?:\[|[a-z_]+ = ).*)$`)
	uncommented := example.ReplaceAllString(string(data), "$1")
	uncommented = strings.Replace(uncommented, "watch = []\n", "", 1) // the example redefines it
	cfg, err = Parse("uncommented", []byte(uncommented))
	if err != nil {
		t.Fatalf("uncommented examples: %v\n%s", err, uncommented)
	}
	if len(cfg.Watch) != 2 || len(cfg.StatusPages) != 2 || cfg.Origins["mistralai"] != "EU" {
		t.Errorf("uncommented examples: %+v", cfg)
	}
	// Every key Config accepts is documented in the example and in the
	// package doc.
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range knownKeys() {
		leaf := k[strings.LastIndexByte(k, '.')+1:]
		if !strings.Contains(string(data), leaf+" =") && !strings.Contains(string(data), "["+leaf+"]") && !strings.Contains(string(data), "[["+leaf+"]]") {
			t.Errorf("key %s is not in config.example.toml", k)
		}
		if !strings.Contains(string(src), "//\t"+leaf) && !strings.Contains(string(src), "\t"+leaf+" ") && !strings.Contains(string(src), "["+leaf+"]") {
			t.Errorf("key %s is not in the package doc", k)
		}
	}
}

// TestKnownKeys: the keys read off the struct tags name nested tables and
// arrays of tables by their dotted path, and stop at values that decode
// themselves (a Duration is one key, not a table).
func TestKnownKeys(t *testing.T) {
	keys := knownKeys()
	for _, want := range []string{"openrouter_url", "intervals", "intervals.catalogue", "status_pages.url",
		"workload.tokens_per_day", "alerts.cooldown", "alerts.event_ttl", "origins"} {
		if !slices.Contains(keys, want) {
			t.Errorf("knownKeys() lacks %q: %v", want, keys)
		}
	}
	for _, k := range keys {
		if strings.Count(k, ".") > 1 || strings.ContainsAny(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ,") {
			t.Errorf("knownKeys() has %q, which no config file can spell", k)
		}
	}
	if len(keys) != 44 {
		t.Errorf("knownKeys() has %d keys, want the 44 of the schema", len(keys))
	}
}

func TestTokensAndDurationText(t *testing.T) {
	for v, want := range map[Tokens]string{20e6: "20M", 1.5e9: "1.5B", 12345678: "12345678", 750e3: "750K", 999: "999"} {
		b, _ := v.MarshalText()
		if string(b) != want {
			t.Errorf("Tokens(%v) = %q, want %q", float64(v), b, want)
		}
		var back Tokens
		if err := back.UnmarshalTOML(string(b)); err != nil || back != v {
			t.Errorf("Tokens %q read back as %v, %v", b, float64(back), err)
		}
	}
	var tk Tokens
	if err := tk.UnmarshalTOML(int64(20000000)); err != nil || tk != 20e6 {
		t.Errorf("integer tokens: %v %v", float64(tk), err)
	}
	for d, want := range map[time.Duration]string{10 * time.Minute: "10m", time.Hour: "1h", 90 * time.Second: "1m30s", 72 * time.Hour: "72h", 1500 * time.Millisecond: "1.5s", 0: "0s"} {
		b, _ := Duration{d}.MarshalText()
		if string(b) != want {
			t.Errorf("Duration(%v) = %q, want %q", d, b, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(validFile))
	f.Add([]byte("[workload]\ntokens_per_day = \"1.5B\"\n"))
	f.Add([]byte("watch = [\n\"a/b\",\n]\n[[status_pages]]\nname='x'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.toml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Whatever parses must save and load back the same.
		out, err := encode(cfg)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := Parse("again.toml", out)
		if err != nil {
			t.Fatalf("re-parse of the encoded config: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Fatalf("round trip changed the config\n%+v\n%+v", cfg, back)
		}
	})
}
