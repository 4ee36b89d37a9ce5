package vn

import (
	"fmt"
	"strings"
)

// NormalizePhone returns a Vietnamese phone number as its 10 digits: "0912345678".
// It accepts spaces, dots, dashes and parentheses between digits ("0912 345 678",
// "091.234.5678", "(091) 234-5678"), and the country code as "+84", "0084" or a leading
// "84" on an 11-digit number, optionally followed by the trunk 0 ("+84 (0) 912…"); these
// become the leading 0. The result must be 10 digits starting with 0 and then 2–9
// (mobile numbers 03, 05, 07, 08, 09 and the 10-digit forms of other prefixes); 11-digit
// landlines are refused. Errors wrap ErrInvalidPhone.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range Clean(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", fmt.Errorf("vn: phone %q: %w", s, ErrInvalidPhone)
		}
	}
	d := b.String()
	national, international := "", false
	switch {
	case strings.HasPrefix(d, "+84"):
		national, international = d[3:], true
	case strings.HasPrefix(d, "0084"):
		national, international = d[4:], true
	case strings.HasPrefix(d, "84") && len(d) == 11:
		national, international = d[2:], true
	default:
		national = d
	}
	if international {
		national = "0" + strings.TrimPrefix(national, "0")
	}
	if len(national) != 10 || national[0] != '0' || national[1] < '2' {
		return "", fmt.Errorf("vn: phone %q: not a 10-digit Vietnamese number: %w", s, ErrInvalidPhone)
	}
	for i := 0; i < len(national); i++ {
		if national[i] < '0' || national[i] > '9' {
			return "", fmt.Errorf("vn: phone %q: %w", s, ErrInvalidPhone)
		}
	}
	return national, nil
}
