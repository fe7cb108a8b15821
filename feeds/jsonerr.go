package feeds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tokentape/tokentape/feeds/sanitize"
)

// JSONProblem turns a decoding error into words for the source strip: "not
// JSON (starts with "<html>oops")", "truncated JSON", "wrong type at
// data.pricing: a number where text belongs". body is the answer that failed
// (only its start is quoted, sanitised). Other errors pass through.
func JSONProblem(body []byte, err error) error {
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input"):
		if len(strings.TrimSpace(string(body))) == 0 {
			return errors.New("empty answer")
		}
		return fmt.Errorf("truncated JSON (%d bytes)", len(body))
	case errors.As(err, &syn):
		if syn.Offset <= 1 {
			return fmt.Errorf("not JSON (starts with %q)", start(body, 24))
		}
		return fmt.Errorf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		where := typ.Field
		if where == "" {
			where = "top level"
		}
		return fmt.Errorf("wrong type at %s: %s where %s belongs", sanitize.Name(where), typ.Value, goKind(typ.Type.Kind().String()))
	}
	return err
}

// start is the first n runes of body, sanitised, for quoting in a message.
func start(body []byte, n int) string {
	s := string(body)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return sanitize.String(s, n)
}

func goKind(k string) string {
	switch k {
	case "string":
		return "text"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true/false"
	}
	return "a number"
}
