package demo

import (
	"math"

	"github.com/tokentape/tokentape/model"
)

// The scenario: the demo market's own compact table of the public record.
//
// Source: OpenRouter rankings (the weekly top-10 inference stats from
// 2025-11-16 to 2026-05-11, the daily rankings page's author market shares
// and apps from 2026-03-28 to 2026-05-16), OpenRouter's model catalogue (ids,
// canonical slugs, context lengths, release dates, price overrides) and
// first-party list prices (simonw/llm-prices). Figures are rounded; a "~"
// before a weekly point marks the simulation's own estimate for a week in
// which the listing was outside the published top 10 (derived from the
// published percent_change where there is one, otherwise kept below that
// week's top-10 cut-off and in line with the author market shares).
//
// Weeks. A weekly point "MM-DD:B" is a published file date and the tokens, in
// billions, of the seven days BEFORE it: file D covers D-7 .. D-1. The
// record says so: Kimi K2.6 (listed 2026-04-20) is absent from the file of
// 2026-04-20 and enters the next one at 1.58T; MiniMax M2.5 (listed
// 2026-02-12) first appears in the file of 2026-02-16, not in the one of
// 2026-02-08; and the rankings page's weeks run Sunday to Saturday, like the
// Sunday-dated files. Months 11 and 12 are 2025, the others 2026.
//
// Calibration (measured through a real model.Market with the default seed;
// TestCalibration checks it for three seeds, go test -v shows the figures):
//
//   - Weekly volumes of the published top listings land within 8% of the
//     record (Kimi K2.5 1.14T vs 1.16T the week to 2026-02-07, MiniMax M2.5
//     1.44T vs 1.44T to 02-15, MiMo-V2-Pro 4.18T vs 3.96T to 03-29, Hy3
//     preview 2.62T vs 2.68T to 05-10); the week's #1 is the published one.
//   - CN passes US on 2026-02-16 (every seed tried: 02-16 or 02-17), then,
//     as in the record's top 10, US leads again in the week to 03-01 and
//     around mid-April before CN settles ahead.
//   - CN's share of the tokens the listings attribute: 10% (week to
//     2025-11-15; top 10 published: 7%), 31% (01-31; 21%), 52% (02-22; 59%),
//     69% (04-05; 82%), 61% (05-10; 70%). The published shares are of the
//     top 10 alone. The demo also carries the next forty listings, sized
//     by the rankings page's author shares, on which US authors weigh more
//     (Google and OpenAI have many mid-sized models): the page puts CN at
//     about 60% of all tokens in early April and 50% in May. Tuning the
//     listings to the top-10 shares would have broken the author shares;
//     the demo sits between the two, closer to what tokentape shows live.
//   - Author shares on 2026-05-10: tencent 14.7%, anthropic 14.1%, deepseek
//     12.0%, google 11.2%, moonshotai 7.8% (rankings page, 2026-05-09:
//     14.3, 14.8, 10.9, 14.1, 7.7). OpenAI is low (3.4% against 10%): its
//     tokens are spread over many small models that stay in the long tail.
//
// Prices are USD per million tokens, "in/out/cache" ("-" = no cache-read
// price); "@YYYY-MM-DD" starts a later price; "free" and "variable" are the
// catalogue's "0" and "-1".

// spec is one listing of the scenario.
type spec struct {
	id       string // OpenRouter model id
	slug     string // canonical slug (permaslug) without variant; "" = the id without variant
	name     string
	ctx      int    // context length, tokens
	released string // YYYY-MM-DD: the day it appears in the catalogue and starts to be used
	expires  string // YYYY-MM-DD or "": expiration date; no usage from that day on
	prices   string // launch price, then "@date price" changes
	weeks    string // weekly points (published or "~" estimated), see above
	peak     float64
	hosts    string // endpoint providers (comma-separated) when watched; "" = not watched
	hot      bool   // a continuation launch whose traffic outgrows its compute
	desc     string
	over     []model.PriceOverride
}

// longCtx is a long-context price override; a NaN rate inherits the base
// price.
func longCtx(minPrompt, in, out, cache float64) model.PriceOverride {
	return model.PriceOverride{MinPromptTokens: minPrompt, UTCStart: -1, UTCEnd: -1, In: in, Out: out, CacheRead: cache}
}

// window is a time-of-day price override, HHMM UTC, end exclusive.
func window(from, to int, in, out, cache float64) model.PriceOverride {
	return model.PriceOverride{UTCStart: from, UTCEnd: to, In: in, Out: out, CacheRead: cache}
}

// Provider sets of watched listings (the catalogue's endpoint names).
const (
	hostsAnthropic = "Anthropic,Google Vertex,Amazon Bedrock"
	hostsGoogle    = "Google Vertex,Google AI Studio"
	hostsXAI       = "xAI"
	hostsOpenAI    = "OpenAI,Azure"
	// GLM-5's nine providers, the capacity episode's stage.
	hostsGLM5 = "Z.AI,DeepInfra,Novita,Together,Fireworks,Baseten,Parasail,SiliconFlow,AtlasCloud"
)

// listings is the scenario's catalogue: every listing of the published
// period, and (with a peak instead of weekly points) the real listings the
// catalogue shows arriving after it, used by the continuation on their real
// release dates.
var listings = []spec{
	// ── US ──────────────────────────────────────────────────────────────
	{id: "x-ai/grok-code-fast-1", name: "xAI: Grok Code Fast 1", ctx: 256000, released: "2025-08-26",
		prices: "0.20/1.50/0.02", hosts: hostsXAI, desc: "Fast, cheap reasoning model for agentic coding.",
		weeks: "11-16:1454 11-23:1248 11-30:978 12-07:878 12-14:618 12-21:517 12-28:484 01-04:409 01-11:413 01-18:468 01-25:539 02-01:421 ~02-08:330 ~02-16:300 ~02-23:270 ~03-09:230 ~04-06:190 ~05-11:150"},
	{id: "x-ai/grok-4.1-fast", name: "xAI: Grok 4.1 Fast", ctx: 2000000, released: "2025-11-19",
		prices: "0.20/0.50/0.05", hosts: hostsXAI, desc: "Agentic tool-calling model with a 2M context.",
		over:  []model.PriceOverride{longCtx(128000, 0.40, 1.00, 0.05)},
		weeks: "11-23:389 11-30:203 ~12-07:150 ~12-14:170 ~12-21:190 12-28:200 01-04:196 01-11:241 01-18:283 01-25:282 02-01:316 02-08:344 02-16:557 02-23:669 03-02:595 03-09:615 03-16:542 ~03-23:454 03-30:599 ~04-06:520 ~04-13:498 04-20:573 04-27:747 05-04:646 ~05-11:600"},
	{id: "x-ai/grok-4.1-fast:free", slug: "x-ai/grok-4.1-fast", name: "xAI: Grok 4.1 Fast (free)", ctx: 2000000, hosts: hostsXAI,
		released: "2025-11-19", expires: "2025-12-04", prices: "free", desc: "Free launch period of Grok 4.1 Fast.",
		weeks: "~11-23:300 11-30:1579 12-07:585"},
	{id: "anthropic/claude-sonnet-4.5", slug: "anthropic/claude-4.5-sonnet-20250929", name: "Anthropic: Claude Sonnet 4.5",
		ctx: 1000000, released: "2025-09-29", prices: "3/15/0.30", hosts: hostsAnthropic,
		over: []model.PriceOverride{longCtx(200000, 6, 22.5, 0.60)}, desc: "Anthropic's Sonnet for agents and coding.",
		weeks: "11-16:604 11-23:497 11-30:428 12-07:429 12-14:431 12-21:416 12-28:363 01-04:351 01-11:531 01-18:615 01-25:713 02-01:774 02-08:705 02-16:627 02-23:534 03-02:529 ~03-09:450 ~03-16:380 ~03-30:260 ~04-20:180 ~05-11:140"},
	{id: "anthropic/claude-opus-4.5", slug: "anthropic/claude-4.5-opus-20251124", name: "Anthropic: Claude Opus 4.5", hosts: hostsAnthropic,
		ctx: 200000, released: "2025-11-24", prices: "5/25/0.50", desc: "Anthropic's Opus for long agentic work.",
		weeks: "~11-30:110 12-07:208 12-14:212 12-21:209 12-28:184 01-04:177 01-11:370 01-18:623 01-25:363 02-01:378 02-08:369 ~02-16:240 ~02-23:120 ~03-09:80 ~04-06:50 ~05-11:30"},
	{id: "anthropic/claude-opus-4.6", slug: "anthropic/claude-4.6-opus-20260205", name: "Anthropic: Claude Opus 4.6",
		ctx: 1000000, released: "2026-02-05", prices: "5/25/0.50", hosts: hostsAnthropic,
		desc:  "Anthropic's strongest model for coding and long-running tasks.",
		weeks: "~02-08:136 02-16:524 02-23:643 03-02:634 03-09:771 03-16:822 03-23:976 03-30:995 04-06:1020 04-13:1190 04-20:1220 04-27:685 ~05-04:380 ~05-11:280"},
	{id: "anthropic/claude-sonnet-4.6", slug: "anthropic/claude-4.6-sonnet-20260217", name: "Anthropic: Claude Sonnet 4.6",
		ctx: 1000000, released: "2026-02-17", prices: "3/15/0.30", hosts: hostsAnthropic,
		desc:  "Anthropic's most capable Sonnet-class model.",
		weeks: "~02-23:299 03-02:636 03-09:680 03-16:890 03-23:1040 03-30:1040 04-06:1030 04-13:1160 04-20:1380 04-27:1360 05-04:1350 05-11:1450"},
	{id: "anthropic/claude-opus-4.7", slug: "anthropic/claude-4.7-opus-20260416", name: "Anthropic: Claude Opus 4.7", hosts: hostsAnthropic,
		ctx: 1000000, released: "2026-04-16", prices: "5/25/0.50", desc: "Next-generation Opus for asynchronous agents.",
		weeks: "~04-20:303 04-27:1150 05-04:935 05-11:1240"},
	{id: "anthropic/claude-haiku-4.5", slug: "anthropic/claude-4.5-haiku-20251001", name: "Anthropic: Claude Haiku 4.5", hosts: hostsAnthropic,
		ctx: 200000, released: "2025-10-15", prices: "1/5/0.10", desc: "Anthropic's fastest, most efficient model.",
		weeks: "~11-16:90 ~01-25:110 ~03-30:120 ~05-11:120"},
	{id: "google/gemini-2.5-flash", name: "Google: Gemini 2.5 Flash", ctx: 1048576, released: "2025-06-17", hosts: hostsGoogle,
		prices: "0.30/2.50/0.03", desc: "Google's workhorse reasoning model.",
		weeks: "11-16:371 11-23:367 11-30:377 12-07:399 12-14:454 12-21:439 12-28:379 01-04:352 01-11:364 01-18:376 01-25:364 02-01:406 02-08:429 02-16:451 02-23:431 ~03-02:503 03-09:518 03-16:562 03-23:581 ~03-30:540 ~04-06:476 04-13:543 04-20:567 ~04-27:560 ~05-04:550 ~05-11:560"},
	{id: "google/gemini-2.5-flash-lite", name: "Google: Gemini 2.5 Flash Lite", ctx: 1048576, released: "2025-07-22", hosts: hostsGoogle,
		prices: "0.10/0.40/0.01", desc: "Low-latency, low-cost Gemini.",
		weeks: "11-16:142 ~11-23:150 11-30:151 ~12-07:160 12-14:168 12-21:182 12-28:158 01-04:164 01-11:253 ~01-18:265 01-25:267 ~02-01:290 02-08:343 ~02-16:380 ~03-09:420 ~04-06:470 ~04-13:541 04-20:595 04-27:651 ~05-04:620 ~05-11:640"},
	{id: "google/gemini-2.5-pro", name: "Google: Gemini 2.5 Pro", ctx: 1048576, released: "2025-06-17", hosts: hostsGoogle,
		prices: "1.25/10/0.125", over: []model.PriceOverride{longCtx(200000, 2.5, 15, 0.25)},
		desc:  "Google's 2.5-generation thinking model.",
		weeks: "11-16:183 11-23:156 ~11-30:150 12-07:162 12-14:155 ~12-28:170 ~01-11:230 01-18:388 ~01-25:260 ~02-08:200 ~02-16:230 ~03-02:130 ~04-06:100 ~05-11:80"},
	{id: "google/gemini-3-pro-preview", slug: "google/gemini-3-pro-preview-20251117", name: "Google: Gemini 3 Pro Preview", hosts: hostsGoogle,
		ctx: 1048576, released: "2025-11-18", expires: "2026-03-09", prices: "2/12/0.20",
		desc:  "Gemini 3 Pro preview, retired for 3.1 Pro.",
		weeks: "~11-23:120 11-30:154 12-07:170 ~12-21:150 ~01-25:140 ~02-16:130 ~02-23:70 ~03-09:25"},
	{id: "google/gemini-3-flash-preview", slug: "google/gemini-3-flash-preview-20251217", name: "Google: Gemini 3 Flash Preview",
		ctx: 1048576, released: "2025-12-17", prices: "0.50/3/0.05", hosts: hostsGoogle,
		desc:  "High-speed thinking model for agents and coding.",
		weeks: "~12-21:120 12-28:231 01-04:291 01-11:386 01-18:447 01-25:537 02-01:689 02-08:763 02-16:776 02-23:859 03-02:1030 03-09:1040 03-16:1020 03-23:939 03-30:972 04-06:980 04-13:1060 04-20:1140 04-27:1040 05-04:973 05-11:1070"},
	{id: "google/gemini-3.1-pro-preview", slug: "google/gemini-3.1-pro-preview-20260219", name: "Google: Gemini 3.1 Pro Preview", hosts: hostsGoogle,
		ctx: 1048576, released: "2026-02-19", prices: "2/12/0.20", over: []model.PriceOverride{longCtx(200000, 4, 18, 0.40)},
		desc:  "Google's frontier reasoning model.",
		weeks: "~02-23:180 ~03-02:330 ~03-30:250 ~05-11:200"},
	{id: "openai/gpt-oss-120b", name: "OpenAI: gpt-oss-120b", ctx: 131072, released: "2025-08-05",
		prices: "0.039/0.19/-", hosts: "DeepInfra,Groq,Cerebras,Together,Fireworks,Novita,Parasail,Nebius",
		desc:  "OpenAI's open-weight mixture-of-experts model.",
		weeks: "~11-16:140 ~12-07:150 12-14:319 12-21:215 ~01-04:160 ~01-18:200 02-01:298 ~02-08:280 ~02-16:320 ~02-23:260 ~03-16:300 ~04-06:300 ~05-11:320"},
	{id: "openai/gpt-5.2", slug: "openai/gpt-5.2-20251211", name: "OpenAI: GPT-5.2", ctx: 400000, released: "2025-12-10", hosts: hostsOpenAI,
		prices: "1.75/14/0.175", desc: "OpenAI's GPT-5.2 frontier model.",
		weeks: "~12-14:80 ~12-21:120 ~02-01:140 ~03-09:120 ~04-06:80 ~05-11:60"},
	{id: "openai/gpt-5.4", slug: "openai/gpt-5.4-20260305", name: "OpenAI: GPT-5.4", ctx: 1050000, released: "2026-03-05",
		prices: "2.5/15/0.25", hosts: hostsOpenAI, over: []model.PriceOverride{longCtx(272000, 5, 22.5, 0.50)},
		desc:  "OpenAI's model unifying the Codex and GPT lines.",
		weeks: "~03-09:120 ~03-16:250 ~04-06:250 ~05-11:280"},
	{id: "openai/gpt-5-mini", slug: "openai/gpt-5-mini-2025-08-07", name: "OpenAI: GPT-5 Mini", ctx: 400000, hosts: hostsOpenAI,
		released: "2025-08-07", prices: "0.25/2/0.025", desc: "Smaller, cheaper GPT-5.",
		weeks: "~11-16:90 ~02-16:110 ~05-11:130"},
	{id: "arcee-ai/trinity-large-preview:free", slug: "arcee-ai/trinity-large-preview", name: "Arcee AI: Trinity Large Preview (free)", hosts: "Arcee AI,Together",
		ctx: 131072, released: "2026-01-27", prices: "free", desc: "Free preview of Arcee's open Trinity Large.",
		weeks: "~02-01:150 ~02-08:344 02-16:440 02-23:449 03-02:537 03-09:527 ~03-16:480 ~03-30:300 ~04-13:180 ~05-11:80"},
	{id: "nvidia/nemotron-3-super-120b-a12b:free", slug: "nvidia/nemotron-3-super-120b-a12b-20230311", name: "NVIDIA: Nemotron 3 Super (free)", hosts: "NVIDIA",
		ctx: 262144, released: "2026-03-11", prices: "free", desc: "NVIDIA's open hybrid MoE, free tier.",
		weeks: "~03-16:200 ~03-30:380 ~04-06:461 04-13:659 ~04-20:450 ~05-11:250"},

	// ── CN ──────────────────────────────────────────────────────────────
	{id: "minimax/minimax-m2", name: "MiniMax: MiniMax M2", ctx: 204800, released: "2025-10-23", hosts: "MiniMax,Fireworks,Together,Novita,DeepInfra",
		prices: "0.255/1.02/0.03", desc: "MiniMax's compact agentic coding model.",
		weeks: "11-16:231 11-23:201 11-30:175 ~12-07:150 ~12-21:120 ~12-28:80 ~01-11:50 ~02-16:25 ~05-11:10"},
	{id: "minimax/minimax-m2.1", name: "MiniMax: MiniMax M2.1", ctx: 204800, released: "2025-12-23", hosts: "MiniMax,Fireworks,Together,Novita,DeepInfra",
		prices: "0.30/1.20/0.03", desc: "MiniMax M2 refresh for multi-language coding.",
		weeks: "~12-28:100 ~01-04:130 ~01-18:200 ~02-01:280 02-08:441 ~02-16:240 ~02-23:150 ~03-09:90 ~04-06:60 ~05-11:40"},
	{id: "minimax/minimax-m2.5", slug: "minimax/minimax-m2.5-20260211", name: "MiniMax: MiniMax M2.5", ctx: 204800,
		released: "2026-02-12", prices: "0.30/1.20/0.03 @2026-05-20 0.22/0.90/0.05",
		hosts: "MiniMax,Fireworks,Together,Novita,DeepInfra,Baseten",
		desc:  "MiniMax's agentic model trained in real work environments.",
		weeks: "02-16:1440 02-23:2570 03-02:1630 03-09:1870 03-16:1750 03-23:1300 03-30:909 04-06:848 04-13:1100 04-20:1050 ~04-27:650 ~05-04:560 ~05-11:520"},
	{id: "minimax/minimax-m2.7", slug: "minimax/minimax-m2.7-20260318", name: "MiniMax: MiniMax M2.7", ctx: 204800, hosts: "MiniMax,Fireworks,Together,Novita,DeepInfra,Baseten",
		released: "2026-03-18", prices: "0.30/1.20/0.06", desc: "MiniMax M2.7 agentic model.",
		weeks: "~03-23:365 03-30:1290 04-06:1190 04-13:1190 04-20:961 04-27:790 05-04:729 05-11:745"},
	{id: "moonshotai/kimi-k2-thinking", slug: "moonshotai/kimi-k2-thinking-20251106", name: "MoonshotAI: Kimi K2 Thinking", hosts: "Moonshot AI,Fireworks,Together,Novita,Parasail",
		ctx: 262144, released: "2025-11-06", prices: "0.60/2.50/0.15", desc: "Kimi K2 with long-horizon reasoning.",
		weeks: "~11-16:120 ~12-14:110 ~01-25:100 ~02-08:50 ~03-09:30 ~05-11:15"},
	{id: "moonshotai/kimi-k2.5", slug: "moonshotai/kimi-k2.5-0127", name: "MoonshotAI: Kimi K2.5", ctx: 262144,
		released: "2026-01-27", prices: "0.45/2.25/0.07 @2026-02-12 0.23/3.00/- @2026-02-19 0.45/2.20/0.225",
		hosts: "Moonshot AI,Fireworks,Together,Novita,Baseten,Parasail,DeepInfra",
		desc:  "Moonshot's multimodal agent-swarm model.",
		weeks: "02-01:359 02-08:1158 02-16:1300 02-23:1040 03-02:692 03-09:744 03-16:560 ~03-23:480 ~03-30:450 ~04-06:450 ~04-20:380 ~04-27:260 ~05-11:200"},
	{id: "moonshotai/kimi-k2.6", slug: "moonshotai/kimi-k2.6-20260420", name: "MoonshotAI: Kimi K2.6", ctx: 262144,
		released: "2026-04-20", prices: "0.7448/4.655/0.1463 @2026-05-01 0.74/3.49/0.14 @2026-06-12 0.5605/2.36/0.0944",
		hosts: "Moonshot AI,Fireworks,Together,Novita,Baseten,Parasail",
		desc:  "Moonshot's K2.6 for coding agents.",
		weeks: "04-27:1580 05-04:1820 05-11:1610"},
	{id: "deepseek/deepseek-v3.2", slug: "deepseek/deepseek-v3.2-20251201", name: "DeepSeek: DeepSeek V3.2", ctx: 163840,
		released: "2025-12-01", prices: "0.25/0.38/0.125 @2026-02-20 0.26/0.38/0.13 @2026-04-23 0.252/0.378/0.0252",
		hosts: "DeepSeek,DeepInfra,Novita,SiliconFlow,Baseten,AtlasCloud,Chutes",
		desc:  "Sparse-attention model for efficient reasoning and tool use.",
		weeks: "~12-07:120 ~12-14:160 12-21:205 12-28:329 01-04:352 01-11:311 01-18:355 01-25:395 02-01:507 02-08:664 02-16:757 02-23:745 03-02:800 03-09:832 03-16:1040 03-23:1140 03-30:1240 04-06:1190 04-13:1270 04-20:1280 04-27:1280 05-04:907 05-11:868"},
	{id: "deepseek/deepseek-v4-flash", slug: "deepseek/deepseek-v4-flash-20260423", name: "DeepSeek: DeepSeek V4 Flash",
		ctx: 1048576, released: "2026-04-24", prices: "0.14/0.28/0.028", hosts: "DeepSeek,DeepInfra,Novita,SiliconFlow,Chutes",
		desc:  "Efficiency-optimised V4 mixture-of-experts.",
		weeks: "~04-27:159 05-04:704 05-11:1110"},
	{id: "deepseek/deepseek-v4-pro", slug: "deepseek/deepseek-v4-pro-20260423", name: "DeepSeek: DeepSeek V4 Pro", hosts: "DeepSeek,DeepInfra,Novita,SiliconFlow",
		ctx: 1048576, released: "2026-04-24", prices: "0.66/1.98/0.022",
		over: []model.PriceOverride{
			window(1000, 100, 0.66, 1.98, 0.022), window(100, 400, 1.32, 3.96, 0.044),
			window(400, 600, 0.66, 1.98, 0.022), window(600, 1000, 1.32, 3.96, 0.044),
		},
		desc:  "DeepSeek's 1.6T-parameter flagship; peak-hour pricing.",
		weeks: "~05-04:410 05-11:816"},
	{id: "z-ai/glm-4.7", slug: "z-ai/glm-4.7-20251222", name: "Z.ai: GLM 4.7", ctx: 204800, released: "2025-12-22", hosts: "Z.AI,DeepInfra,Novita,Together,Fireworks,Cerebras",
		prices: "0.40/1.75/0.08", desc: "Z.ai's GLM 4.7 for agentic coding.",
		weeks: "~12-28:90 ~01-04:140 ~01-18:200 ~02-08:240 ~02-16:150 ~02-23:110 ~03-16:80 ~05-11:40"},
	{id: "z-ai/glm-5", slug: "z-ai/glm-5-20260211", name: "Z.ai: GLM 5", ctx: 204800, released: "2026-02-11",
		prices: "0.30/2.55/- @2026-02-20 0.95/2.55/- @2026-03-01 0.95/2.55/0.20 @2026-06-16 0.60/1.92/0.12",
		hosts:  hostsGLM5, desc: "Z.ai's flagship open model for long-horizon agents.",
		weeks: "02-16:629 02-23:803 03-02:502 ~03-09:430 ~03-16:380 ~03-23:320 ~04-06:300 ~04-13:220 ~05-11:160"},
	{id: "z-ai/glm-5-turbo", slug: "z-ai/glm-5-turbo-20260315", name: "Z.ai: GLM 5 Turbo", ctx: 202752, released: "2026-03-15", hosts: "Z.AI",
		prices: "0.96/3.20/0.192 @2026-03-27 1.20/4.00/0.24", desc: "Faster GLM 5 for agent loops.",
		weeks: "~03-16:156 03-23:1030 03-30:968 ~04-06:700 ~04-13:450 ~04-20:300 ~05-11:200"},
	{id: "z-ai/glm-5.1", slug: "z-ai/glm-5.1-20260406", name: "Z.ai: GLM 5.1", ctx: 204800, released: "2026-04-07", hosts: "Z.AI,DeepInfra,Novita,Together,Fireworks,Baseten",
		prices: "0.966/3.036/0.1794", desc: "GLM 5.1 refresh.",
		weeks: "~04-13:350 ~04-20:450 ~05-11:500"},
	{id: "xiaomi/mimo-v2-flash:free", slug: "xiaomi/mimo-v2-flash-20251210", name: "Xiaomi: MiMo-V2-Flash (free)", hosts: "Xiaomi",
		ctx: 262144, released: "2025-12-16", expires: "2026-01-31", prices: "free",
		desc:  "Free launch period of Xiaomi's MiMo-V2-Flash.",
		weeks: "12-21:170 12-28:380 01-04:351 01-11:397 01-18:546 01-25:575 ~02-01:380"},
	{id: "xiaomi/mimo-v2-flash", slug: "xiaomi/mimo-v2-flash-20251210", name: "Xiaomi: MiMo-V2-Flash", ctx: 262144, hosts: "Xiaomi,Novita,Chutes",
		released: "2025-12-16", prices: "0.09/0.29/0.045", desc: "Xiaomi's fast open MoE model.",
		weeks: "~12-21:10 ~01-25:30 ~02-01:120 ~02-08:200 ~02-16:150 ~02-23:160 ~03-30:150 ~05-11:100"},
	{id: "xiaomi/mimo-v2-pro", slug: "xiaomi/mimo-v2-pro-20260318", name: "Xiaomi: MiMo-V2-Pro", ctx: 1048576,
		released: "2026-03-18", prices: "1/3/0.20", hosts: "Xiaomi", desc: "Xiaomi's flagship agent model.",
		weeks: "03-23:1490 03-30:3960 04-06:3080 04-13:606 04-20:1150 ~04-27:700 ~05-04:500 ~05-11:450"},
	{id: "stepfun/step-3.5-flash:free", slug: "stepfun/step-3.5-flash", name: "StepFun: Step 3.5 Flash (free)", hosts: "StepFun",
		ctx: 262144, released: "2026-01-29", expires: "2026-04-20", prices: "free", desc: "Free tier of StepFun's Step 3.5 Flash.",
		weeks: "~02-01:60 ~02-08:150 ~02-16:200 ~02-23:330 ~03-02:443 03-09:748 03-16:1340 03-23:1480 03-30:1490 04-06:1260 ~04-13:900 ~04-20:500"},
	{id: "stepfun/step-3.5-flash", name: "StepFun: Step 3.5 Flash", ctx: 262144, released: "2026-01-29", hosts: "StepFun,Novita,Chutes",
		prices: "0.10/0.30/-", desc: "StepFun's fast reasoning model.",
		weeks: "~02-01:5 ~03-30:30 ~04-13:100 ~04-20:364 04-27:721 05-04:752 ~05-11:700"},
	{id: "qwen/qwen3.5-plus-02-15", slug: "qwen/qwen3.5-plus-20260216", name: "Qwen: Qwen3.5 Plus 2026-02-15", hosts: "Alibaba",
		ctx: 1000000, released: "2026-02-16", prices: "0.26/1.56/-", over: []model.PriceOverride{longCtx(256000, 0.325, 1.95, math.NaN())},
		desc:  "Hybrid linear-attention MoE vision-language model.",
		weeks: "~02-23:150 ~03-09:220 ~04-06:250 ~05-11:220"},
	{id: "qwen/qwen3.6-plus-preview:free", slug: "qwen/qwen3.6-plus-preview", name: "Qwen: Qwen3.6 Plus Preview (free)", hosts: "Alibaba",
		ctx: 1000000, released: "2026-03-30", expires: "2026-04-04", prices: "free", desc: "Free preview of Qwen3.6 Plus.",
		weeks: "04-06:1640"},
	{id: "qwen/qwen3.6-plus:free", slug: "qwen/qwen3.6-plus-04-02", name: "Qwen: Qwen3.6 Plus (free)", ctx: 1000000, hosts: "Alibaba",
		released: "2026-04-02", expires: "2026-04-08", prices: "free", desc: "Free launch week of Qwen3.6 Plus.",
		weeks: "04-06:4600 ~04-13:1000"},
	{id: "qwen/qwen3.6-plus", slug: "qwen/qwen3.6-plus-04-02", name: "Qwen: Qwen3.6 Plus", ctx: 1000000,
		released: "2026-04-02", prices: "0.325/1.95/-", hosts: "Alibaba",
		over:  []model.PriceOverride{longCtx(256000, 1.3, 3.9, math.NaN())},
		desc:  "Qwen3.6 Plus: linear attention with sparse MoE routing.",
		weeks: "~04-06:40 ~04-13:660 ~04-20:620 ~05-11:600"},
	{id: "tencent/hy3-preview:free", slug: "tencent/hy3-preview-20260421", name: "Tencent: Hy3 preview (free)", hosts: "Tencent",
		ctx: 262144, released: "2026-04-22", expires: "2026-05-14", prices: "free", desc: "Free preview of Tencent's Hy3.",
		weeks: "~04-27:337 05-04:3030 05-11:2680"},
	{id: "tencent/hy3-preview", slug: "tencent/hy3-preview-20260421", name: "Tencent: Hy3 preview", ctx: 262144, hosts: "Tencent,SiliconFlow",
		released: "2026-04-22", prices: "0.066/0.26/0.029 @2026-05-18 0.18/0.60/0.06", desc: "Tencent's Hy3 preview.",
		weeks: "~04-27:10 ~05-04:115 05-11:857"},

	// ── EU ──────────────────────────────────────────────────────────────
	{id: "mistralai/mistral-large-2512", name: "Mistral: Mistral Large 3 2512", ctx: 262144, released: "2025-12-01",
		prices: "0.50/1.50/0.05", hosts: "Mistral", desc: "Mistral's open-weight flagship.",
		weeks: "~12-07:30 ~01-25:45 ~03-30:55 ~05-11:50"},
	{id: "mistralai/mistral-small-2603", name: "Mistral: Mistral Small 4", ctx: 262144, released: "2026-03-16",
		prices: "0.15/0.60/0.015", desc: "Small, fast Mistral model.",
		weeks: "~03-23:30 ~04-13:60 ~05-11:70"},
	{id: "mistralai/codestral-2508", name: "Mistral: Codestral 2508", ctx: 256000, released: "2025-08-01",
		prices: "0.30/0.90/0.03", desc: "Mistral's code completion model.",
		weeks: "~11-16:40 ~02-16:35 ~05-11:30"},
	{id: "mistralai/mistral-medium-3-5", slug: "mistralai/mistral-medium-3.5-20260430", name: "Mistral: Mistral Medium 3.5",
		ctx: 262144, released: "2026-04-30", prices: "1.5/7.5/-", desc: "Mistral Medium 3.5.",
		weeks: "~05-04:20 ~05-11:45"},

	// ── Other ───────────────────────────────────────────────────────────
	{id: "cohere/command-a", slug: "cohere/command-a-03-2025", name: "Cohere: Command A", ctx: 256000, released: "2025-03-13",
		prices: "2.5/10/-", desc: "Cohere's enterprise model for agents and RAG.", weeks: "~11-16:12 ~05-11:10"},
	{id: "ai21/jamba-large-1.7", name: "AI21: Jamba Large 1.7", ctx: 256000, released: "2025-08-08",
		prices: "2/8/-", desc: "AI21's hybrid SSM-transformer model.", weeks: "~11-16:5 ~05-11:4"},
	{id: "upstage/solar-pro-3", name: "Upstage: Solar Pro 3", ctx: 131072, released: "2026-01-27",
		prices: "0.15/0.60/0.015", desc: "Upstage's efficient Solar model.", weeks: "~02-01:8 ~03-02:25 ~05-11:20"},
	{id: "aion-labs/aion-2.0", slug: "aion-labs/aion-2.0-20260223", name: "AionLabs: Aion-2.0", ctx: 131072,
		released: "2026-02-23", prices: "0.80/1.60/0.20", desc: "AionLabs' reasoning model.", weeks: "~03-02:6 ~05-11:8"},

	// ── Routers and stealth models (origin Unknown) ───────────────────────
	{id: "openrouter/auto", name: "Auto Router", ctx: 2000000, released: "2023-11-08", prices: "variable",
		desc: "Routes each prompt to a model chosen for it; priced as that model.", weeks: "~11-16:40 ~05-11:60"},
	{id: "openrouter/hunter-alpha", name: "Hunter Alpha (stealth)", ctx: 1048576, released: "2026-03-11", hosts: "Stealth",
		expires: "2026-03-23", prices: "free", desc: "Stealth model, free while it is evaluated.",
		weeks: "03-16:666 03-23:919"},

	// ── Listed after the published period (the continuation's real arrivals) ──
	{id: "google/gemini-3.5-flash", slug: "google/gemini-3.5-flash-20260519", name: "Google: Gemini 3.5 Flash", ctx: 1048576,
		released: "2026-05-19", prices: "1.5/9/0.15", peak: 700, desc: "Gemini 3.5 Flash."},
	{id: "x-ai/grok-build-0.1", slug: "x-ai/grok-build-0.1-20260520", name: "xAI: Grok Build 0.1", ctx: 256000,
		released: "2026-05-20", prices: "1/2/0.20", peak: 500, desc: "xAI's coding agent model."},
	{id: "qwen/qwen3.7-max", slug: "qwen/qwen3.7-max-20260520", name: "Qwen: Qwen3.7 Max", ctx: 1000000,
		released: "2026-05-21", prices: "1.475/4.425/0.295", peak: 250, desc: "Qwen's largest 3.7 model."},
	{id: "anthropic/claude-opus-4.8", slug: "anthropic/claude-4.8-opus-20260528", name: "Anthropic: Claude Opus 4.8",
		ctx: 1000000, released: "2026-05-27", prices: "5/25/0.50", peak: 1300, hosts: hostsAnthropic, desc: "Claude Opus 4.8."},
	{id: "stepfun/step-3.7-flash", slug: "stepfun/step-3.7-flash-20260528", name: "StepFun: Step 3.7 Flash", ctx: 262144,
		released: "2026-05-28", prices: "0.20/1.15/0.04", peak: 600, desc: "StepFun's Step 3.7 Flash."},
	{id: "minimax/minimax-m3", slug: "minimax/minimax-m3-20260531", name: "MiniMax: MiniMax M3", ctx: 1048576,
		released: "2026-05-31", prices: "0.30/1.20/0.06", peak: 1500, hot: true,
		hosts: "MiniMax,Fireworks,Together,Novita,DeepInfra,Baseten", desc: "MiniMax's M3 generation."},
	{id: "qwen/qwen3.7-plus", slug: "qwen/qwen3.7-plus-20260602", name: "Qwen: Qwen3.7 Plus", ctx: 1000000,
		released: "2026-06-03", prices: "0.32/1.28/0.064", peak: 700, desc: "Qwen3.7 Plus."},
	{id: "nvidia/nemotron-3-ultra-550b-a55b:free", slug: "nvidia/nemotron-3-ultra-550b-a55b-20260604", name: "NVIDIA: Nemotron 3 Ultra (free)",
		ctx: 1000000, released: "2026-06-04", prices: "free", peak: 400, desc: "NVIDIA's largest Nemotron, free tier."},
	{id: "moonshotai/kimi-k2.7-code", slug: "moonshotai/kimi-k2.7-code-20260612", name: "MoonshotAI: Kimi K2.7 Code",
		ctx: 262144, released: "2026-06-12", prices: "0.71/3.50/0.15", peak: 900,
		hosts: "Moonshot AI,Fireworks,Together,Novita", desc: "Kimi tuned for coding agents."},
	{id: "z-ai/glm-5.2", slug: "z-ai/glm-5.2-20260616", name: "Z.ai: GLM 5.2", ctx: 1048576, released: "2026-06-16",
		prices: "0.476/1.496/0.0884", peak: 1000, hot: true, hosts: "Z.AI,DeepInfra,Novita,Together,Fireworks,Baseten",
		desc: "GLM 5.2 with a 1M context."},
	{id: "z-ai/glm-5.2:free", slug: "z-ai/glm-5.2-20260616", name: "Z.ai: GLM 5.2 (free)", ctx: 256000,
		released: "2026-06-16", prices: "free", peak: 500, desc: "Free tier of GLM 5.2."},
	{id: "cohere/north-mini-code:free", slug: "cohere/north-mini-code-20260617", name: "Cohere: North Mini Code (free)",
		ctx: 256000, released: "2026-06-17", prices: "free", peak: 60, desc: "Cohere's small coding model, free tier."},
	{id: "sakana/fugu-ultra", slug: "sakana/fugu-ultra-20260615", name: "Sakana: Fugu Ultra", ctx: 1000000,
		released: "2026-06-24", prices: "5/30/0.50", peak: 20, desc: "Sakana AI's large model."},
	{id: "anthropic/claude-sonnet-5", slug: "anthropic/claude-sonnet-5-20260630", name: "Anthropic: Claude Sonnet 5",
		ctx: 1000000, released: "2026-06-30", prices: "2/10/0.20 @2026-09-01 3/15/0.30", peak: 1800, hosts: hostsAnthropic,
		desc: "Claude Sonnet 5 (introductory price until September)."},
	{id: "tencent/hy3", slug: "tencent/hy3-20260706", name: "Tencent: Hy3", ctx: 262144, released: "2026-07-06",
		prices: "0.132/0.528/0.033", peak: 900, desc: "Tencent's Hy3."},
	{id: "x-ai/grok-4.5", slug: "x-ai/grok-4.5-20260708", name: "xAI: Grok 4.5", ctx: 500000, released: "2026-07-08",
		prices: "2/6/0.30", peak: 400, hosts: hostsXAI, desc: "xAI's Grok 4.5."},
	{id: "openai/gpt-5.6-luna", slug: "openai/gpt-5.6-luna-20260709", name: "OpenAI: GPT-5.6 Luna", ctx: 1050000,
		released: "2026-07-09", prices: "1/6/0.10 @2026-07-30 0.20/1.20/0.02", peak: 500, desc: "GPT-5.6's small tier."},
	{id: "openai/gpt-5.6-terra", slug: "openai/gpt-5.6-terra-20260709", name: "OpenAI: GPT-5.6 Terra", ctx: 1050000,
		released: "2026-07-09", prices: "2.5/15/0.25 @2026-07-30 2/12/0.20", peak: 400, hosts: hostsOpenAI, desc: "GPT-5.6's mid tier."},
	{id: "moonshotai/kimi-k3", slug: "moonshotai/kimi-k3-20260715", name: "MoonshotAI: Kimi K3", ctx: 1048576,
		released: "2026-07-16", prices: "3/15/0.30", peak: 800, desc: "Moonshot's Kimi K3."},
	{id: "meituan/longcat-2.0", slug: "meituan/longcat-2.0-20260720", name: "Meituan: LongCat 2.0", ctx: 1048756,
		released: "2026-07-20", prices: "0.30/1.20/0.006", peak: 300, desc: "Meituan's LongCat 2.0."},
	{id: "google/gemini-3.6-flash", slug: "google/gemini-3.6-flash-20260721", name: "Google: Gemini 3.6 Flash", ctx: 1048576,
		released: "2026-07-21", prices: "0.75/3.75/0.075", peak: 900, hosts: hostsGoogle, desc: "Gemini 3.6 Flash."},
	{id: "anthropic/claude-opus-5", slug: "anthropic/claude-opus-5-20260723", name: "Anthropic: Claude Opus 5", ctx: 1000000,
		released: "2026-07-24", prices: "5/25/0.50", peak: 1500, desc: "Claude Opus 5."},
	{id: "deepseek/deepseek-v4-flash-0731", slug: "deepseek/deepseek-v4-flash-20260731", name: "DeepSeek: DeepSeek V4 Flash 0731",
		ctx: 1310720, released: "2026-07-31", prices: "0.14/0.28/0.028", peak: 1400, hot: true,
		hosts: "DeepSeek,DeepInfra,Novita,SiliconFlow,Chutes,AtlasCloud", desc: "V4 Flash refresh."},
	{id: "qwen/qwen3.8-max", slug: "qwen/qwen3.8-max-20260803", name: "Qwen: Qwen3.8 Max", ctx: 1000000,
		released: "2026-08-03", prices: "2/6/0.25", peak: 300, desc: "Qwen3.8 Max."},
	{id: "upstage/solar-pro4", slug: "upstage/solar-pro4-20260810", name: "Upstage: Solar Pro 4", ctx: 524288,
		released: "2026-08-10", prices: "0.03/0.12/0.006", peak: 40, desc: "Upstage's Solar Pro 4."},
	{id: "sakana/sakana-namazu", slug: "sakana/namazu-20260811", name: "Sakana: Sakana Namazu", ctx: 262144,
		released: "2026-08-11", prices: "0.95/4/0.15", peak: 30, desc: "Sakana AI's Namazu."},
	{id: "x-ai/grok-4.6", slug: "x-ai/grok-4.6-20260810", name: "xAI: Grok 4.6", ctx: 500000, released: "2026-08-12",
		prices: "2/6/0.50", peak: 500, desc: "xAI's Grok 4.6."},
	{id: "google/gemini-3.7-flash", slug: "google/gemini-3.7-flash-20260813", name: "Google: Gemini 3.7 Flash", ctx: 1048576,
		released: "2026-08-13", prices: "0.375/1.875/0.0375", peak: 1000, desc: "Gemini 3.7 Flash."},
}

// marketWeeks is the whole market's weekly tokens (billions, same file
// dates), the long tail included. The rankings page's weekly totals put the
// market at 21-23T in April and May 2026 against 10-12T for the top 10; the
// earlier weeks keep the top 10 near 60% of it. The "other" row is what the
// listings above leave of it.
const marketWeeks = "11-16:5800 11-23:5600 11-30:6600 12-07:5400 12-14:4800 12-21:4600 12-28:4700 01-04:4700 01-11:5600 " +
	"01-18:6800 01-25:6700 02-01:7200 02-08:8800 02-16:12500 02-23:14500 03-02:13500 03-09:14800 03-16:16200 03-23:18500 " +
	"03-30:22000 04-06:26000 04-13:22000 04-20:20700 04-27:21800 05-04:21600 05-11:22800"

// glm5Episode is GLM-5's capacity episode from the public record: after its
// launch surge (listed 2026-02-11, 0.63T in its first five days, 0.80T the
// next week) its traffic outgrew its providers' compute, and Z.ai raised the
// input price from $0.30 to $0.95 per million (see its prices). Severity per
// day, 0 = healthy, 1 = worst; at 0.6 and above DeriveHealth says DEGRADED.
var glm5Episode = map[string]float64{
	"2026-02-14": 0.2, // early signs: latency creeps up
	"2026-02-15": 0.7,
	"2026-02-16": 1, "2026-02-17": 1, "2026-02-18": 1, "2026-02-19": 1, "2026-02-20": 1, // price hike on 02-20
	"2026-02-21": 0.9,
	"2026-02-22": 0.7,
	"2026-02-23": 0.2, // recovering
	"2026-02-24": 0.1,
}

// page is one provider status page of the scenario.
type page struct {
	name       string
	url        string // the real page the simulated state stands for
	authors    []string
	components []string
}

var pages = []page{
	{"claude", "https://status.claude.com", []string{"anthropic"}, []string{"claude.ai", "Claude API (api.anthropic.com)", "Claude Code"}},
	{"openai", "https://status.openai.com", []string{"openai"}, []string{"APIs", "ChatGPT", "Codex API"}},
	{"moonshot", "https://status.moonshot.ai", []string{"moonshotai"}, []string{"Kimi API", "Kimi Chat"}},
	{"minimax", "https://status.minimax.io", []string{"minimax"}, []string{"MiniMax API", "MiniMax Agent"}},
	{"deepseek", "https://status.deepseek.com", []string{"deepseek"}, nil}, // FlashDuty pages have no components
	{"openrouter", "https://status.openrouter.ai", []string{"openrouter"}, []string{"API", "Website"}},
}

// incident is a scripted status-page incident: open from the first day to
// the last (inclusive), resolved the day after.
type incident struct {
	page      string
	title     string
	impact    model.PageStatus
	component string // "" = none (the page's own status carries it)
	from, to  string
	notes     []string // one per open day: the status word, a colon, the note
}

var incidents = []incident{
	{"minimax", "Elevated latency on MiniMax M2.5", model.StatusDegraded, "MiniMax API", "2026-02-24", "2026-02-24",
		[]string{"investigating: Requests to MiniMax M2.5 are slower than usual under record load."}},
	{"claude", "Degraded performance for Claude Opus 4.6", model.StatusDegraded, "Claude API (api.anthropic.com)", "2026-02-26", "2026-02-28",
		[]string{
			"investigating: We are investigating elevated errors on requests to Claude Opus 4.6.",
			"identified: We have identified the cause of elevated errors on Claude Opus 4.6.",
			"monitoring: A fix has been deployed and we are monitoring the results.",
		}},
	{"openrouter", "Scheduled database maintenance", model.StatusMaintenance, "Website", "2026-03-21", "2026-03-21",
		[]string{"in progress: Activity pages may load slowly during maintenance."}},
	{"openai", "Elevated error rates on the API", model.StatusPartialOutage, "APIs", "2026-04-14", "2026-04-15",
		[]string{
			"investigating: Some API requests are failing with 5xx errors.",
			"monitoring: Error rates are back to normal; we are monitoring.",
		}},
	{"moonshot", "Degraded performance for Kimi K2.6", model.StatusDegraded, "Kimi API", "2026-04-21", "2026-04-22",
		[]string{
			"investigating: Kimi K2.6 launch traffic is causing slow responses.",
			"monitoring: Capacity has been added; latency is recovering.",
		}},
	{"deepseek", "DeepSeek API degraded performance", model.StatusDegraded, "", "2026-04-25", "2026-04-26",
		[]string{
			"investigating: Requests to deepseek-v4 models see higher latency.",
			"monitoring: Service is recovering.",
		}},
}

// appSpec is an app with its tokens (billions) and requests (millions) on
// some days; the published points come from the rankings page's apps
// section (2026-03-28 .. 2026-05-16), the earlier ones, marked "~", are
// estimates. Between points the figures are interpolated.
type appSpec struct {
	name   string
	points string // "YYYY-MM-DD:tokensB/requestsM ..."
}

var apps = []appSpec{
	{"OpenClaw", "~2026-01-25:150/2.5 ~2026-02-16:520/9.0 2026-03-28:803/13.6 2026-04-11:402/7.9 2026-04-25:305/5.6 2026-05-09:245/4.6 2026-05-16:184/3.7"},
	{"Kilo Code", "~2025-11-16:120/2.0 ~2026-02-16:200/3.0 2026-03-28:259/3.7 2026-04-11:180/3.5 2026-04-25:213/3.0 2026-05-09:149/2.2 2026-05-16:160/2.3"},
	{"Claude Code", "~2025-11-16:60/1.0 ~2026-02-16:90/1.3 2026-03-28:98/1.5 2026-04-11:101/1.4 2026-04-25:120/1.5 2026-05-09:79/1.0 2026-05-16:56/0.7"},
	{"Cline", "~2025-11-16:110/2.5 ~2026-02-16:90/2.3 2026-03-28:81/2.2 2026-04-11:18/0.3 2026-04-25:22/0.3 2026-05-09:23/0.3 2026-05-16:21/0.2"},
	{"Hermes Agent", "~2026-03-20:5/0.1 2026-03-28:16/0.3 2026-04-11:124/2.2 2026-04-25:165/3.6 2026-05-09:271/5.3 2026-05-16:436/6.8"},
	{"Descript", "~2025-11-16:35/0.8 2026-03-28:41/0.9 2026-04-11:41/0.8 2026-04-25:44/0.9 2026-05-09:49/0.9 2026-05-16:57/1.0"},
	{"Janitor AI", "~2025-11-16:30/2.4 2026-03-28:26/2.1 2026-04-11:24/1.9 2026-04-25:23/1.8 2026-05-09:26/2.0 2026-05-16:27/2.1"},
	{"ISEKAI ZERO", "~2025-11-16:15/1.0 2026-03-28:25/1.6 2026-04-11:27/1.8 2026-04-25:29/1.4 2026-05-09:24/1.0 2026-05-16:24/0.6"},
	{"Roo Code", "~2025-11-16:40/0.6 2026-03-28:14/0.2 2026-04-25:16/0.2 2026-05-09:23/0.3 2026-05-16:22/0.3"},
	{"Lemonade", "~2026-02-01:3/0.2 2026-03-28:8/0.4 2026-04-11:11/0.4 2026-04-25:15/0.5 2026-05-09:24/0.6 2026-05-16:25/0.5"},
	{"SillyTavern", "~2025-11-16:9/0.5 2026-03-28:7/0.4 2026-04-25:7/0.5 2026-05-16:8/0.5"},
	{"pi", "~2026-04-18:2/0.05 2026-04-25:13/0.2 2026-05-09:42/0.7 2026-05-16:39/0.7"},
	{"OpenHands", "~2025-11-16:8/0.2 2026-03-28:5/0.1 2026-04-11:7/0.2 2026-05-16:15/0.3"},
	{"LangChain", "~2025-11-16:3/0.2 2026-03-28:4/0.3 2026-04-25:14/0.6 2026-05-09:7/0.6 2026-05-16:7/0.7"},
	{"HammerAI", "~2025-11-16:5/1.5 2026-03-28:6/1.7 2026-04-11:7/1.9 2026-04-25:5/1.5 2026-05-09:5/1.5"},
}

// family is a line of models whose simulated successors the continuation
// lists once the real arrivals above run out (after mid-August 2026). Its
// successors are named by version and say in their description that they
// are simulated.
type family struct {
	author     string
	id, name   string // formats taking major and minor version numbers
	major      int
	minor      int // the first simulated successor's version
	price      string
	ctx        int
	peak       float64
	hosts      string
	firstParty string // the author's own endpoint name
}

var families = []family{
	{"anthropic", "anthropic/claude-sonnet-%d.%d", "Anthropic: Claude Sonnet %d.%d", 5, 1, "3/15/0.30", 1000000, 1500, hostsAnthropic, "Anthropic"},
	{"google", "google/gemini-%d.%d-flash", "Google: Gemini %d.%d Flash", 3, 8, "0.40/2/0.04", 1048576, 1000, hostsGoogle, "Google Vertex"},
	{"openai", "openai/gpt-%d.%d", "OpenAI: GPT-%d.%d", 5, 7, "2.5/15/0.25", 1050000, 600, hostsOpenAI, "OpenAI"},
	{"x-ai", "x-ai/grok-%d.%d", "xAI: Grok %d.%d", 4, 7, "2/6/0.30", 500000, 500, hostsXAI, "xAI"},
	{"deepseek", "deepseek/deepseek-v%d.%d", "DeepSeek: DeepSeek V%d.%d", 4, 1, "0.30/0.60/0.03", 1048576, 1300, "DeepSeek,DeepInfra,Novita,SiliconFlow,Chutes", "DeepSeek"},
	{"moonshotai", "moonshotai/kimi-k%d.%d", "MoonshotAI: Kimi K%d.%d", 3, 1, "0.80/3.50/0.15", 1048576, 1000, "Moonshot AI,Fireworks,Together,Novita", "Moonshot AI"},
	{"minimax", "minimax/minimax-m%d.%d", "MiniMax: MiniMax M%d.%d", 3, 1, "0.30/1.20/0.06", 1048576, 1100, "MiniMax,Fireworks,Together,Novita,DeepInfra", "MiniMax"},
	{"z-ai", "z-ai/glm-%d.%d", "Z.ai: GLM %d.%d", 5, 3, "0.60/2.20/0.11", 1048576, 900, "Z.AI,DeepInfra,Novita,Together,Fireworks,Baseten", "Z.AI"},
	{"qwen", "qwen/qwen%d.%d-plus", "Qwen: Qwen%d.%d Plus", 3, 9, "0.35/1.40/0.07", 1000000, 700, "Alibaba", "Alibaba"},
	{"xiaomi", "xiaomi/mimo-v%d.%d-pro", "Xiaomi: MiMo-V%d.%d-Pro", 2, 6, "0.50/1.50/0.05", 1048576, 800, "Xiaomi", "Xiaomi"},
	{"mistralai", "mistralai/mistral-medium-%d-%d", "Mistral: Mistral Medium %d.%d", 3, 6, "1.5/7.5/-", 262144, 150, "Mistral", "Mistral"},
	{"upstage", "upstage/solar-pro-%d.%d", "Upstage: Solar Pro %d.%d", 4, 1, "0.05/0.20/0.01", 524288, 80, "", "Upstage"},
}
