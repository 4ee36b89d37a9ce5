package certificates

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"taphuan/errs"
	"taphuan/vn"
)

// A clerk edits the certificate number as three parts — the text before the number, how
// many digits the number has, the text after it ("" · 3 · "/GCN-STTTT" gives 012/GCN-STTTT)
// — and never sees the format string the numbering stores ("%03d/GCN-STTTT").

// Bounds of the number parts.
const (
	MinNumberDigits = 1
	MaxNumberDigits = 6
	maxNumberAffix  = 30
)

// NumberPattern is the certificate number as a clerk edits it.
type NumberPattern struct {
	Prefix string `json:"number_prefix"`
	Digits int    `json:"number_digits"`
	Suffix string `json:"number_suffix"`
}

// Normalize cleans the texts.
func (p *NumberPattern) Normalize() {
	p.Prefix, p.Suffix = vn.Clean(p.Prefix), vn.Clean(p.Suffix)
}

// Validate checks the parts (after Normalize): 1 to 6 digits, short texts.
func (p NumberPattern) Validate() error {
	f := errs.Fields{}
	f.Check(p.Digits >= MinNumberDigits && p.Digits <= MaxNumberDigits, "number_digits", "cert.err.number_digits", MinNumberDigits, MaxNumberDigits)
	f.Check(utf8.RuneCountInString(p.Prefix) <= maxNumberAffix, "number_prefix", "err.too_long", maxNumberAffix)
	f.Check(utf8.RuneCountInString(p.Suffix) <= maxNumberAffix, "number_suffix", "err.too_long", maxNumberAffix)
	return f.Err()
}

// Format is the pattern as the numbering stores it: "%03d/GCN-STTTT" (a "%" typed in the
// texts is kept as a literal "%").
func (p NumberPattern) Format() string {
	esc := func(s string) string { return strings.ReplaceAll(s, "%", "%%") }
	return esc(p.Prefix) + "%0" + strconv.Itoa(p.Digits) + "d" + esc(p.Suffix)
}

// Example is the number the pattern gives to the 12th certificate of a year.
func (p NumberPattern) Example() string {
	n, err := FormatNumber(p.Format(), 12)
	if err != nil {
		return ""
	}
	return n
}

// PatternOf splits a stored format into its parts. "%d" (no width) reads as one digit;
// ok is false for a format ValidNumberFormat refuses.
func PatternOf(format string) (p NumberPattern, ok bool) {
	if !ValidNumberFormat(format) {
		return NumberPattern{Digits: 3}, false
	}
	unesc := func(s string) string { return strings.ReplaceAll(s, "%%", "%") }
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		width := strings.TrimLeft(format[i+1:j], "0")
		p.Digits = 1
		if n, err := strconv.Atoi(width); err == nil && n > 0 {
			p.Digits = n
		}
		p.Prefix, p.Suffix = unesc(format[:i]), unesc(format[j+1:])
		return p, true
	}
	return NumberPattern{Digits: 3}, false
}
