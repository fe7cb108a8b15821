package openrouter

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/tokentape/tokentape/feeds"
	"github.com/tokentape/tokentape/feeds/sanitize"
)

// maxIDWidth caps ids and slugs. They are join keys, so they are not cut to
// the display cap of sanitize.Name (real ones are under 70 characters).
const maxIDWidth = 160

// ErrNoData is returned by decoders when the body is JSON but lacks the
// "data" member every OpenRouter answer carries.
var ErrNoData = errors.New(`answer has no "data"`)

// cleanID sanitises a remote id or slug. Spaces inside an id are meaningless
// and would break joins and URL paths, so an id that has any is rejected.
func cleanID(s string) (string, bool) {
	s = sanitize.String(s, maxIDWidth)
	if s == "" || strings.ContainsFunc(s, unicode.IsSpace) || strings.HasSuffix(s, "…") {
		return "", false
	}
	return s, true
}

// envelope is the {"data": ...} wrapper of every OpenRouter answer.
type envelope struct {
	Data json.RawMessage `json:"data"`
}

// dataOf returns the "data" member of body, or an error when the body is not
// a JSON object or has no (or a null) "data".
func dataOf(body []byte) (json.RawMessage, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, feeds.JSONProblem(body, err)
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil, ErrNoData
	}
	return env.Data, nil
}

// eachData streams the "data" array of body: each is called once per
// element with the decoder positioned on it, and must consume it whole
// (one dec.Decode). The body is scanned once, without the copies of an
// envelope and a []json.RawMessage. An error from each that is a
// *json.UnmarshalTypeError is the element's alone: the decoder has read
// past the element, so each may drop it and carry on. Any other error, and
// a body that is not an object with a "data" array, ends the stream.
func eachData(body []byte, each func(dec *json.Decoder) error) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	problem := func(err error) error {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return feeds.JSONProblem(body, err)
	}
	if tok, err := dec.Token(); err != nil {
		return problem(err)
	} else if tok != json.Delim('{') {
		return errors.New("answer is not a JSON object")
	}
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return problem(err)
		}
		if tok != "data" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return problem(err)
			}
			continue
		}
		tok, err = dec.Token()
		if err != nil {
			return problem(err)
		}
		switch tok {
		case nil:
			continue // "data": null is no data
		case json.Delim('['):
		default:
			return errors.New(`"data" is not a list`)
		}
		seen = true
		for dec.More() {
			if err := each(dec); err != nil {
				if _, soft := err.(*json.UnmarshalTypeError); soft {
					continue
				}
				return problem(err)
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return problem(err)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return problem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: more after the answer")
	}
	if !seen {
		return ErrNoData
	}
	return nil
}

// dataList returns the "data" array of body, one raw message per element.
func dataList(body []byte) ([]json.RawMessage, error) {
	data, err := dataOf(body)
	if err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, errors.New(`"data" is not a list`)
	}
	return list, nil
}

// jsonUint reads a non-negative integer sent either as a decimal string (how
// OpenRouter sends token totals, so values above 2^53 survive) or as a bare
// JSON integer. Signs, fractions, exponents, overflow and anything else are
// rejected.
func jsonUint(raw json.RawMessage) (uint64, bool) {
	s := strings.TrimSpace(string(raw))
	if len(s) >= 2 && s[0] == '"' {
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return 0, false
		}
		s = str
	}
	if s == "" || len(s) > 20 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// jsonInt reads a JSON integer (no string, no fraction) within ±2^31.
func jsonInt(raw json.RawMessage) (int, bool) {
	s := strings.TrimSpace(string(raw))
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// perMillion converts a USD-per-token decimal string ("0.000003") to USD per
// million tokens. It shifts the decimal exponent by six before parsing, so
// "0.000003" gives exactly 3, not 3 × 1e-6 × 1e6 with its rounding error.
// Only plain decimal notation is accepted: "NaN", "Inf", hex floats, empty or
// out-of-range values report false.
func perMillion(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e < -400 || e > 400 {
			return 0, false
		}
		mant, exp = s[:i], e
	}
	if !plainDecimal(mant) {
		return 0, false
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp+6), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// plainDecimal reports whether s is [-]digits[.digits] with at least one digit.
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// finite returns v when it is a finite number, NaN otherwise.
func finite(v *float64) float64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return math.NaN()
	}
	return *v
}
