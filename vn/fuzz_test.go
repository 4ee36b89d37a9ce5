package vn

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func addNameSeeds(f *testing.F) {
	for _, s := range []string{
		"", " ", "Nguyễn Thị Hải Yến", norm.NFD.String("Lê Văn Hoà"), "ĐẶNG VĂN ĐỨC",
		"  H'Hen\tNiê ", "Ðinh\u200bCông", "a\u0301\u0323\u0306", "\u0301", "Hà\xffNội",
		"İstanbul ǅemal", "Tôn Nữ Thị Ninh", "Ưng Ơn", "123 - .", "Báo\uFFFE\uFFFF",
	} {
		f.Add(s)
	}
}

func FuzzClean(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", s, c)
		}
		if !norm.NFC.IsNormalString(c) {
			t.Fatalf("Clean(%q) = %q: not NFC", s, c)
		}
		if c != strings.TrimSpace(c) || strings.Contains(c, "  ") {
			t.Fatalf("Clean(%q) = %q: untrimmed or doubled spaces", s, c)
		}
		// What Excel and copy-paste leave (tabs, NUL, zero-width spaces, BOM) is gone, and
		// what is left can go into XML (an XLSX export).
		for _, r := range c {
			if r != ' ' && isSpace(r) {
				t.Fatalf("Clean(%q) = %q: %U left", s, c, r)
			}
			if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
				t.Fatalf("Clean(%q) = %q: %U is not an XML character", s, c, r)
			}
		}
		if cc := Clean(c); cc != c {
			t.Fatalf("Clean not idempotent: %q → %q → %q", s, c, cc)
		}
	})
}

func FuzzFold(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if kk := Fold(k); kk != k {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, k, kk)
		}
		if Clean(k) != k {
			t.Fatalf("Fold(%q) = %q: not clean", s, k)
		}
		// A query typed in NFD, or with stray spaces, finds what was stored in NFC.
		for _, v := range []string{norm.NFD.String(s), norm.NFC.String(s), Clean(s), " " + s + " "} {
			if Fold(v) != k {
				t.Fatalf("Fold(%q) = %q but Fold(%q) = %q", v, Fold(v), s, k)
			}
		}
		for _, r := range k {
			if unicode.ToLower(r) != r {
				t.Fatalf("Fold(%q) = %q: upper case %q", s, k, r)
			}
		}
		// Every Vietnamese letter folds to a plain a–z letter.
		if isVietnameseText(s) {
			for _, r := range k {
				if r != ' ' && (r < 'a' || r > 'z') {
					t.Fatalf("Fold(%q) = %q: %q left", s, k, r)
				}
			}
		}
	})
}

// isVietnameseText reports whether s consists only of Vietnamese letters (of either
// case, composed or not) and spaces.
func isVietnameseText(s string) bool {
	for _, r := range norm.NFD.String(s) {
		switch {
		case r == ' ' || r == 'đ' || r == 'Đ':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case strings.ContainsRune("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031B", r):
		default:
			return false
		}
	}
	return true
}

func FuzzSortKey(f *testing.F) {
	for _, p := range [][2]string{
		{"Nguyễn Văn An", "Vũ An"},
		{"Lê Văn Hòa", "Lê Văn Hoà"},
		{"H'Hen Niê", "Mai Thị Hà"},
		{"\u0301 a", "a"},
		{"Lê Hạ", "Lê Hai"},
		{"", " "},
		{"a\x00b", "a b"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := CompareNames(a, b), CompareNames(b, a)
		if ab != -ba {
			t.Fatalf("CompareNames(%q, %q) = %d but reversed = %d", a, b, ab, ba)
		}
		if CompareNames(a, a) != 0 {
			t.Fatalf("CompareNames(%q, itself) != 0", a)
		}
		// Equal keys for inputs that differ only in normalization, case or spacing.
		variants := []string{norm.NFD.String(a), norm.NFC.String(a), " " + a + "  "}
		if utf8.ValidString(a) {
			// (ToLower turns each invalid byte into U+FFFD, Clean a run of them.)
			variants = append(variants, strings.ToLower(a))
		}
		if isVietnameseText(a) {
			// Upper case only for Vietnamese letters: ToUpper is not reversible in every
			// script (ſ → S → s), and the key lower-cases.
			variants = append(variants, strings.ToUpper(a))
		}
		for _, v := range variants {
			if !bytes.Equal(SortKey(v, ""), SortKey(a, "")) {
				t.Fatalf("SortKey(%q) != SortKey(%q)", v, a)
			}
		}
		// The sort name path must not panic either, and a sort name equal to the name
		// in given-name-first order is just another key.
		_ = SortKey(a, b)
	})
}

var (
	dmyDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
)

// FuzzParseDate checks ParseDate against a plain reading of its two layouts: what it
// accepts is exactly the real calendar days written as d/m/yyyy or YYYY-MM-DD (years
// 1000–9999), at 00:00 UTC, and an accepted date reads back from both the form that
// FormatDate writes and the ISO form that the database stores.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"04/12/2023", "4/1/2023", "2023-12-04", " 29/02/2024 ", "29/02/2023", "31/04/2023",
		"00/01/2000", "01/13/2000", "01/01/0999", "0999-01-01", "9999-12-31", "31/12/9999",
		"2023-1-4", "04-12-2023", "04.12.2023", "1/1/1", "+1/01/2000", "01/01/２０２３",
		"\u00a004/12/2023\u3000", "2023-12-04T00:00:00Z", "//", "--", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		var day, month, year int
		trimmed := strings.TrimSpace(s)
		if m := dmyDate.FindStringSubmatch(trimmed); m != nil {
			day, month, year = atoi(m[1]), atoi(m[2]), atoi(m[3])
		} else if m := isoDate.FindStringSubmatch(trimmed); m != nil {
			year, month, day = atoi(m[1]), atoi(m[2]), atoi(m[3])
		}
		want := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		real := year >= 1000 && month >= 1 && month <= 12 && day >= 1 && want.Day() == day
		if err != nil {
			if !errors.Is(err, ErrInvalidDate) || !got.IsZero() {
				t.Fatalf("ParseDate(%q) = %v, %v: want a zero time and ErrInvalidDate", s, got, err)
			}
			if real {
				t.Fatalf("ParseDate(%q) refused a real day: %v", s, err)
			}
			return
		}
		if !real || !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v, want %v (real day: %v)", s, got, want, real)
		}
		for _, back := range []string{FormatDate(got), got.Format("2006-01-02")} {
			if again, err := ParseDate(back); err != nil || !again.Equal(got) {
				t.Fatalf("ParseDate(%q) = %v, but its form %q reads as %v, %v", s, got, back, again, err)
			}
		}
	})
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// FuzzNormalizePhone: an accepted number is 10 ASCII digits, 0 then 2–9; it keeps the
// subscriber digits typed (the last nine); it is a fixed point; and the ways people write
// it (spaces, dots, +84, (0)) all come back to it.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"0912345678", "0912 345 678", "091.234.5678", "(091) 234-5678", "+84 912 345 678",
		"+84 (0) 912 345 678", "0084912345678", "84912345678", "849123456789", "+840912345678",
		"0212345678", "0112345678", "02121234567", "912345678", "+84", "0", "", "++84912345678",
		"0912\u200b345678", "０９１２３４５６７８", "0912-345-678 ", "84 0912345678", "+8409123456",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidPhone) || p != "" {
				t.Fatalf("NormalizePhone(%q) = %q, %v: want \"\" and ErrInvalidPhone", s, p, err)
			}
			return
		}
		if len(p) != 10 || p[0] != '0' || p[1] < '2' || p[1] > '9' {
			t.Fatalf("NormalizePhone(%q) = %q: not 10 digits 0[2-9]…", s, p)
		}
		var typed strings.Builder
		for _, r := range Clean(s) {
			if r < '0' || r > '9' {
				if r > unicode.MaxASCII {
					t.Fatalf("NormalizePhone(%q) = %q: accepted %q", s, p, r)
				}
				continue
			}
			typed.WriteRune(r)
		}
		if !allDigitsASCII(p) || !strings.HasSuffix(typed.String(), p[1:]) {
			t.Fatalf("NormalizePhone(%q) = %q: not the digits typed (%s)", s, p, typed.String())
		}
		for _, v := range []string{p, "+84" + p[1:], "+84 (0) " + p[1:4] + " " + p[4:7] + " " + p[7:],
			"0084" + p[1:], p[:4] + "." + p[4:7] + "." + p[7:], "(" + p[:3] + ") " + p[3:6] + "-" + p[6:]} {
			if again, err := NormalizePhone(v); err != nil || again != p {
				t.Fatalf("NormalizePhone(%q) = %q, but %q gives %q, %v", s, p, v, again, err)
			}
		}
	})
}

func allDigitsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
