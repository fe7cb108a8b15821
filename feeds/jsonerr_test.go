package feeds

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestJSONProblem(t *testing.T) {
	type catalogue struct {
		Data []struct {
			Name string `json:"name"`
		} `json:"data"`
	}
	tests := []struct {
		body string
		want string
	}{
		{"<html>oops</html>", `not JSON (starts with "<html>oops</html>")`},
		{"\x1b[31m<html>", `not JSON (starts with "<html>")`},
		{`{"data":[{"name":"a"`, "truncated JSON (20 bytes)"},
		{"", "empty answer"},
		{`{"data":[{"name":1}]}`, "wrong type at data.name: number where text belongs"},
		{`{"data":{"name":"x"}}`, "wrong type at data: object where a list belongs"},
		{`{"data":[] x}`, "malformed JSON at byte 12"},
	}
	for _, tt := range tests {
		var c catalogue
		err := JSONProblem([]byte(tt.body), json.Unmarshal([]byte(tt.body), &c))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: %v, want %q", tt.body, err, tt.want)
		}
	}
	other := errors.New("HTTP 500")
	if JSONProblem(nil, other) != other || JSONProblem(nil, nil) != nil {
		t.Error("non-JSON errors must pass through unchanged")
	}
	if strings.Contains(JSONProblem([]byte("\x1b]0;x\x07"), &json.SyntaxError{Offset: 1}).Error(), "\x1b") {
		t.Error("escape quoted into the message")
	}
}
