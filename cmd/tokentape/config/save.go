package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Save writes cfg to path atomically (a temporary file in the same
// directory, synced, then renamed over the old one), creating the directory
// if needed. When the file exists and cfg differs from it only in
// [workload] — the TUI's edit — only the workload's lines are rewritten, so
// the user's comments, layout and other settings stay exactly as they were.
// Otherwise the whole file is written from cfg. An invalid cfg is refused.
func Save(path string, cfg Config) error {
	if path == "" {
		path = DefaultPath()
		if path == "" {
			return errors.New("config: no path to save to (no home directory)")
		}
	}
	if ps := cfg.validate(); len(ps) > 0 {
		return fmt.Errorf("config: not saving: %s: %s", ps[0].label(), ps[0].msg)
	}
	// Save through a symlink (dotfile managers link config files) instead of
	// replacing the link with a file.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := fs.FileMode(0o600)
	var out []byte
	if old, err := readFile(path); err == nil {
		if fi, err := os.Stat(path); err == nil {
			mode = fi.Mode().Perm()
		}
		out = patchedIfOnlyWorkload(path, old, cfg)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("config: %w", err)
	}
	if out == nil {
		var err error
		if out, err = encode(cfg); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	return writeAtomic(path, out, mode)
}

// patchedIfOnlyWorkload returns the old file with its workload lines
// rewritten, or nil when cfg differs from the file in more than the
// workload, or the patch cannot be made and verified.
func patchedIfOnlyWorkload(path string, old []byte, cfg Config) []byte {
	fromFile, err := Parse(path, old)
	if err != nil {
		return nil // a broken file is replaced as a whole
	}
	fromFile.Workload = cfg.Workload
	if !reflect.DeepEqual(fromFile, cfg) {
		return nil
	}
	patched, ok := patchWorkload(string(old), cfg.Workload)
	if !ok {
		return nil
	}
	if check, err := Parse(path, []byte(patched)); err != nil || !reflect.DeepEqual(check, cfg) {
		return nil
	}
	return []byte(patched)
}

var (
	headerRE   = regexp.MustCompile(`^\s*\[`)
	workloadRE = regexp.MustCompile(`^\s*\[\s*workload\s*\]\s*(#.*)?$`)
	// workload written as an inline table or dotted keys: not patched.
	otherFormRE = regexp.MustCompile(`^\s*workload\s*[.=]`)
)

// patchWorkload rewrites the three keys of [workload] in text, keeping
// everything else (comments on the lines it rewrites included). It appends
// a [workload] table when there is none.
func patchWorkload(text string, w Workload) (string, bool) {
	values := []struct{ key, value string }{
		{"tokens_per_day", strconv.Quote(tomlText(w.TokensPerDay))},
		{"input_share", formatFloat(w.InputShare)},
		{"cache_hit", formatFloat(w.CacheHit)},
	}
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if otherFormRE.MatchString(l) {
			return "", false
		}
		if workloadRE.MatchString(l) {
			if start >= 0 {
				return "", false // twice: not valid TOML anyway
			}
			start = i
		}
	}
	if start < 0 {
		var b strings.Builder
		b.WriteString(strings.TrimRight(text, "\n"))
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("[workload]\n")
		for _, v := range values {
			fmt.Fprintf(&b, "%s = %s\n", v.key, v.value)
		}
		return b.String(), true
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if headerRE.MatchString(lines[i]) {
			end = i
			break
		}
	}
	last := start // the last non-blank line of the table: missing keys go after it
	for i := end - 1; i > start; i-- {
		if strings.TrimSpace(lines[i]) != "" {
			last = i
			break
		}
	}
	for _, v := range values {
		re := regexp.MustCompile(`^(\s*` + regexp.QuoteMeta(v.key) + `\s*=\s*)("[^"]*"|'[^']*'|[^\s#]+)(.*)$`)
		found := false
		for i := start + 1; i < end; i++ {
			if m := re.FindStringSubmatch(lines[i]); m != nil {
				lines[i] = m[1] + v.value + m[3]
				found = true
				break
			}
		}
		if !found {
			ins := fmt.Sprintf("%s = %s", v.key, v.value)
			lines = append(lines[:last+1], append([]string{ins}, lines[last+1:]...)...)
			last++
			end++
		}
	}
	return strings.Join(lines, "\n"), true
}

func tomlText(t Tokens) string {
	b, _ := t.MarshalText()
	return string(b)
}

// formatFloat writes a TOML float ("0.75", "0.0").
func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

const header = `# tokentape configuration. Every key is optional; see config.example.toml
# (in the source tree, cmd/tokentape/config) for what each one does.

`

// encode writes the whole configuration.
func encode(cfg Config) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(cfg); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeAtomic replaces path with data: readers see the old file or the new
// one, never a half-written one.
func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.toml.tmp")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("config: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("config: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}
