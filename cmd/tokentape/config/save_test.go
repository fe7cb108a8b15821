package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokentape/tokentape/model"
)

func writeFile(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustLoad(t *testing.T, path string) Config {
	t.Helper()
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSaveLoadRoundTrip(t *testing.T) {
	src, err := Parse("valid", []byte(validFile))
	if err != nil {
		t.Fatal(err)
	}
	src.Workload.TokensPerDay = 12345678 // not a round count: must survive exactly
	src.Alerts.DerankedFraction = 1.0 / 3
	for _, cfg := range []Config{Defaults(), src} {
		path := filepath.Join(t.TempDir(), "sub", "dir", "config.toml") // directories are created
		if err := Save(path, cfg); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, path); !reflect.DeepEqual(got, cfg) {
			t.Fatalf("round trip\n got %+v\nwant %+v\nfile:\n%s", got, cfg, readText(t, path))
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("new file mode %v, want 0600", fi.Mode().Perm())
		}
	}
}

func TestSaveWorkloadKeepsTheRestOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	withComment := strings.Replace(validFile, "input_share = 0.8\n", "input_share = 0.8   # mostly reading\n", 1)
	writeFile(t, path, withComment, 0o640)
	cfg := mustLoad(t, path)
	cfg.SetWorkload(model.Workload{TokensPerDay: 50e6, InputShare: 0.6, CacheHit: 0})
	if err := Save(path, cfg); err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		"tokens_per_day = \"1.5B\"\n", "tokens_per_day = \"50M\"\n",
		"input_share = 0.8   # mostly reading\n", "input_share = 0.6   # mostly reading\n",
		"cache_hit = 0.25\n", "cache_hit = 0.0\n",
	).Replace(withComment)
	if got := readText(t, path); got != want {
		t.Fatalf("file after saving the workload:\n%s\nwant:\n%s", got, want)
	}
	if got := mustLoad(t, path); !reflect.DeepEqual(got, cfg) {
		t.Errorf("reloaded %+v, want %+v", got, cfg)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the file's 0640 kept", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left files behind: %v", entries)
	}
}

func TestSaveWorkloadPatches(t *testing.T) {
	w := model.Workload{TokensPerDay: 2e9, InputShare: 0.5, CacheHit: 0.3}
	tests := []struct {
		name, in, want string
	}{
		{"no workload table", "reference = \"x/y\" # mine\n",
			"reference = \"x/y\" # mine\n\n[workload]\ntokens_per_day = \"2B\"\ninput_share = 0.5\ncache_hit = 0.3\n"},
		{"empty file", "",
			"[workload]\ntokens_per_day = \"2B\"\ninput_share = 0.5\ncache_hit = 0.3\n"},
		{"some keys missing", "[workload]\n# tokens a day\ntokens_per_day = 100\n\n[alerts]\nfire_after = 3\n",
			"[workload]\n# tokens a day\ntokens_per_day = \"2B\"\ninput_share = 0.5\ncache_hit = 0.3\n\n[alerts]\nfire_after = 3\n"},
		{"single-quoted and spaced", "[ workload ]  # planner\n  tokens_per_day   =   '20M'  # default\n",
			"[ workload ]  # planner\n  tokens_per_day   =   \"2B\"  # default\ninput_share = 0.5\ncache_hit = 0.3\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			writeFile(t, path, tc.in, 0o600)
			cfg := mustLoad(t, path)
			cfg.SetWorkload(w)
			if err := Save(path, cfg); err != nil {
				t.Fatal(err)
			}
			if got := readText(t, path); got != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tc.want)
			}
			if got := mustLoad(t, path); got.ModelWorkload() != w {
				t.Errorf("workload read back %+v", got.ModelWorkload())
			}
		})
	}
}

func TestSaveRewritesWhenMoreThanTheWorkloadChanged(t *testing.T) {
	for _, in := range []string{
		validFile,
		"workload = { tokens_per_day = \"1M\" }\nreference = \"a/b\"\n", // an inline table is not patched
	} {
		path := filepath.Join(t.TempDir(), "config.toml")
		writeFile(t, path, in, 0o600)
		cfg := mustLoad(t, path)
		cfg.Reference = "openai/gpt-5"
		cfg.Intervals.Status = Duration{2 * time.Minute}
		cfg.SetWorkload(model.Workload{TokensPerDay: 3e6, InputShare: 0.9})
		if err := Save(path, cfg); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, path); !reflect.DeepEqual(got, cfg) {
			t.Errorf("reloaded %+v\nwant %+v\nfile:\n%s", got, cfg, readText(t, path))
		}
	}
}

func TestSaveRefusesInvalidConfigAndKeepsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	writeFile(t, path, validFile, 0o600)
	cfg := mustLoad(t, path)
	cfg.Workload.InputShare = 3
	err := Save(path, cfg)
	if err == nil || !strings.Contains(err.Error(), "workload.input_share") {
		t.Fatalf("Save(invalid) = %v", err)
	}
	if readText(t, path) != validFile {
		t.Error("the file was touched")
	}
}

func TestSaveThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "tokentape.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, real, "reference = \"x/y\"\n", 0o600)
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	cfg := mustLoad(t, link)
	cfg.SetWorkload(model.Workload{TokensPerDay: 1e6, InputShare: 0.75})
	if err := Save(link, cfg); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a file")
	}
	if !strings.Contains(readText(t, real), "tokens_per_day = \"1M\"") {
		t.Errorf("the link's target was not updated:\n%s", readText(t, real))
	}
}

func TestSaveDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	cfg := Defaults()
	cfg.Watch = []string{"z-ai/glm-5"}
	if err := Save("", cfg); err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, ""); !reflect.DeepEqual(got, cfg) {
		t.Errorf("Load(default) after Save(default) = %+v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "tokentape", "config.toml")); err != nil {
		t.Error(err)
	}
}
