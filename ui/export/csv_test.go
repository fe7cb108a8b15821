package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// dangerous reports whether a spreadsheet would read cell as a formula.
func dangerous(cell string) bool {
	if plainNumber(cell) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(cell, " "))
	return strings.ContainsRune("=+-@\t\r\n＝＋－＠", r)
}

func hostileReport(id, name, author string) Report {
	tok := uint64(12)
	share, growth, in := 12.5, -3.25, 0.3
	at := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	return Report{Source: "openrouter", AsOf: &at, Listings: []ListingRow{{
		Rank: 1, ID: id, Name: name, Author: author, Origin: "US", Tokens: &tok,
		Share: &share, Growth: &growth, PriceIn: &in, PriceOut: &in, PriceKind: "paid", Health: "OK",
	}}}
}

// Names from upstream reach the CSV verbatim; a cell a spreadsheet would
// run as a formula is neutralised with a leading quote (OWASP), and numbers
// stay numbers.
func TestCSVNeutralisesFormulaCells(t *testing.T) {
	cases := []struct{ name, want string }{
		{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(1,2)", "'@SUM(1,2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"＝1+1", "'＝1+1"},
		{"Claude Sonnet 4.5", "Claude Sonnet 4.5"},
		{"a=b", "a=b"},
		{"-", "'-"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, hostileReport("x/"+c.name, c.name, c.name)); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%q: %d records, %v", c.name, len(recs), err)
		}
		row := recs[1]
		if row[4] != c.want || row[5] != c.want {
			t.Errorf("name %q written as %q, author %q; want %q", c.name, row[4], row[5], c.want)
		}
		if row[9] != "-3.25" {
			t.Errorf("a negative growth became %q: numbers must stay numbers", row[9])
		}
	}
}

// FuzzWriteCSV: whatever the names, the CSV parses back into one header and
// one row of the right width, no cell would run as a formula, and each text
// cell reads back as written or as written behind one neutralising quote.
func FuzzWriteCSV(f *testing.F) {
	for _, s := range []string{"=1+1", "@x", "-1", "-1.5", "\t", "a\"b", "line\nbreak", "\r\n=cmd", "＠", ""} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, id, name, author string) {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, hostileReport(id, name, author)); err != nil {
			t.Skip("the csv writer refuses invalid field text:", err)
		}
		r := csv.NewReader(&buf)
		r.FieldsPerRecord = len(CSVHeader)
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("written CSV does not parse: %v\n%q", err, buf.String())
		}
		if len(recs) != 2 {
			t.Fatalf("%d records, want header and one row:\n%q", len(recs), buf.String())
		}
		for i, cell := range recs[1] {
			if dangerous(cell) {
				t.Errorf("column %s: %q would run as a formula", CSVHeader[i], cell)
			}
		}
		for i, in := range map[int]string{3: id, 4: name, 5: author} {
			// csv.Reader turns \r\n inside a quoted field into \n.
			in = strings.ReplaceAll(in, "\r\n", "\n")
			got := recs[1][i]
			if got != in && got != "'"+in {
				t.Errorf("column %s: wrote %q, read back %q", CSVHeader[i], in, got)
			}
		}
	})
}
