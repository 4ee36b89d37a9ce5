package vn

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// AllCaps reports whether s has at least two letters and no lower-case letter: a name typed
// with Caps Lock on ("NGUYỄN VĂN AN").
func AllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.IsLower(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// TitleCase writes a name the way Vietnamese names are written: each word with a capital
// first letter and the rest in lower case ("NGUYỄN VĂN AN" → "Nguyễn Văn An", "đỗ thị
// bích" → "Đỗ Thị Bích"); after an apostrophe or a hyphen a new capital starts, as in the
// Ê Đê and Gia Rai names ("H'HEN NIÊ" → "H'Hen Niê"). The result is NFC.
func TitleCase(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	start := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			if start {
				b.WriteRune(unicode.ToUpper(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			start = false
		case unicode.Is(unicode.M, r):
			b.WriteRune(r)
		default:
			b.WriteRune(r)
			start = r == ' ' || r == '\'' || r == '’' || r == '-' || r == '.'
		}
	}
	return norm.NFC.String(b.String())
}
