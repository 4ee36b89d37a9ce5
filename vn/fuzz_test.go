package vn

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func addNameSeeds(f *testing.F) {
	for _, s := range []string{
		"", " ", "Nguyễn Thị Hải Yến", norm.NFD.String("Lê Văn Hoà"), "ĐẶNG VĂN ĐỨC",
		"  H'Hen\tNiê ", "Ðinh\u200bCông", "a\u0301\u0323\u0306", "\u0301", "Hà\xffNội",
		"İstanbul ǅemal", "Tôn Nữ Thị Ninh", "Ưng Ơn", "123 - .",
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
		for _, v := range []string{norm.NFD.String(a), norm.NFC.String(a), " " + a + "  "} {
			if !bytes.Equal(SortKey(v, ""), SortKey(a, "")) {
				t.Fatalf("SortKey(%q) != SortKey(%q)", v, a)
			}
		}
		// The sort name path must not panic either, and a sort name equal to the name
		// in given-name-first order is just another key.
		_ = SortKey(a, b)
	})
}
