package ui

import (
	"strconv"
	"strings"
	"time"
)

// renderTasks is the Share tab's tasks panel (t): what the tokens are spent
// on, by macro category (Code, Agent, Data, General) and by task, with the
// top models of each and the date the shares are as of, as OpenRouter's task
// classification reports them (fractions of classified, sampled traffic).
func (s *share) renderTasks() string {
	st := s.e.st
	snap := s.snap
	if snap == nil {
		return "\n  waiting for data…"
	}
	t := snap.Tasks
	if t.Source == "" {
		msg := "What the tokens are for needs OpenRouter's task classification (GET /classifications/task), " +
			"which needs OPENROUTER_API_KEY; the demo has none. Nothing is estimated in its place. t goes back."
		return st.bold.s(truncate("What the tokens are for", s.w)) + "\n" + strings.Join(wrapIndent(msg, max(s.w-2, 12), "  "), "\n")
	}
	title := "What the tokens are for · share of classified tokens · " + strconv.Itoa(t.WindowDays) + " days to " +
		t.AsOf.Format(time.DateOnly) + " · source OpenRouter · t back"
	lines := []string{st.bold.s(truncate(title, s.w))}
	labelW := 8
	for _, m := range t.Macros {
		labelW = max(labelW, min(textWidth(safe(m.Label)), 14))
	}
	barW := max(min(s.w-labelW-10, 40), 4)
	for _, m := range t.Macros {
		lines = append(lines, fitLeft(safe(m.Label), labelW)+" "+bar(m.TokenShare, barW)+" "+fitRight(pct1(m.TokenShare), 6))
	}
	lines = append(lines, "")
	nameW := min(max(s.w/4, 14), 28)
	head := fitLeft("task", nameW) + " " + fitLeft("macro", 7) + " " + fitRight("tokens", 6) + "  top models (share of the task's tokens)"
	lines = append(lines, st.dim.s(truncate(head, s.w)))
	for _, task := range t.Tasks {
		if len(lines) >= s.h {
			break
		}
		var models []string
		for _, m := range task.Models {
			name := safe(m.Slug)
			if v, ok := snap.Listing(m.ListingID); ok && m.ListingID != "" {
				name = displayName(safe(v.Name))
			}
			models = append(models, name+" "+pct0(m.TokenShare))
		}
		line := fitLeft(safe(task.Name), nameW) + " " + fitLeft(safe(task.Macro), 7) + " " + fitRight(pct1(task.TokenShare), 6) +
			"  " + strings.Join(models, " · ")
		lines = append(lines, truncate(line, s.w))
	}
	if len(t.Tasks) == 0 {
		lines = append(lines, "  no task in the answer")
	}
	return strings.Join(lines, "\n")
}

// pct1 writes a fraction as a percentage with one decimal ("52.0%").
func pct1(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// pct0 writes a fraction as a whole percentage ("22%").
func pct0(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" }
