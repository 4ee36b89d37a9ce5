// Package vn owns the Vietnamese text conventions of taphuan: NFC normalization and
// white-space cleaning of input, diacritic-free search keys (đ → d), the Vietnamese order
// of personal names (given name first, Vietnamese letter order, tones as tie-breaker),
// name validation, phone numbers, and how dates, numbers, percentages and amounts of money
// are written in Vietnamese documents (dd/mm/yyyy, 7.390, 2,16%, "Khánh Hòa, ngày 04
// tháng 12 năm 2023", "Một triệu … đồng").
//
// It imports nothing of taphuan, so every other package may use it.
package vn

import (
	"strings"
	"time"
	_ "time/tzdata" // Location must exist on machines without a system zoneinfo.
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Location is Asia/Ho_Chi_Minh, the zone in which taphuan shows times and dates.
// It is set once at start-up and never changed.
var Location = loadLocation()

func loadLocation() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		// Unreachable with time/tzdata embedded; Vietnam has had no DST since 1975.
		return time.FixedZone("ICT", 7*60*60)
	}
	return loc
}

// Error is the type of this package's sentinel errors. It is a string type so that the
// sentinels can be constants; match them with errors.Is.
type Error string

func (e Error) Error() string { return string(e) }

const (
	// ErrInvalidDate is wrapped by ParseDate for text that is not a real calendar day.
	ErrInvalidDate = Error("vn: invalid date")
	// ErrInvalidPhone is wrapped by NormalizePhone for text that is not a Vietnamese
	// 10-digit phone number.
	ErrInvalidPhone = Error("vn: invalid phone number")
)

// Clean returns s in NFC, trimmed, with runs of white space collapsed to one space.
// Control characters and invisible spaces (zero-width space, BOM, word joiner), which
// arrive from Excel and copy-paste, count as white space. Invalid UTF-8 bytes, and the
// noncharacters U+FFFE and U+FFFF, become U+FFFD, so that cleaned text is valid XML
// character data (XLSX export). Clean is idempotent.
func Clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == '\uFFFE' || r == '\uFFFF' {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	// A space between two pieces blocks composition, so the result is still NFC;
	// normalizing again only guards against that reasoning being wrong.
	return norm.NFC.String(b.String())
}

func isSpace(r rune) bool {
	switch r {
	case '\u200B', '\uFEFF', '\u2060':
		return true
	}
	return unicode.IsSpace(r) || unicode.IsControl(r)
}

// Fold returns a search key: Clean'd, lower case, diacritics removed, đ/Đ → d.
// "Đặng Văn Đức" → "dang van duc"; "Hòa" and "Hoà" both → "hoa".
// Every non-spacing mark is removed, not only Vietnamese ones, and the look-alike
// ð/Ð (U+00F0/U+00D0, left by legacy TCVN3/VNI conversions) also folds to d.
// Fold is idempotent, so a folded query can be matched against folded keys.
func Fold(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Lower-case first, then decompose: a lower-case mapping may yield a precomposed
	// letter, whose marks the decomposition then exposes.
	s = norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return Clean(b.String())
}

// ValidName reports whether a cleaned full name contains only letters (any script,
// including all Vietnamese letters, precomposed or followed by combining marks), spaces,
// apostrophes (' and ’, as in "H'Hen Niê"), hyphens and dots, with at least one letter.
// Clean the name first: tabs and doubled spaces make it invalid.
func ValidName(s string) bool {
	if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		return false
	}
	letters := 0
	prevLetter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			prevLetter = true
		case unicode.Is(unicode.M, r):
			// A mark only belongs to the letter it follows.
			if !prevLetter {
				return false
			}
		case r == ' ' || r == '\'' || r == '’' || r == '-' || r == '.':
			prevLetter = false
		default:
			return false
		}
	}
	return letters > 0
}
