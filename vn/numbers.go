package vn

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FormatInt writes n with a dot between groups of thousands: "7.390", "-1.234.567".
func FormatInt(n int64) string {
	if n < 0 {
		return "-" + groupThousands(strconv.FormatUint(uint64(-(n+1))+1, 10))
	}
	return groupThousands(strconv.FormatInt(n, 10))
}

// groupThousands puts dots into a string of decimal digits.
func groupThousands(d string) string {
	if len(d) <= 3 {
		return d
	}
	var b strings.Builder
	b.Grow(len(d) + len(d)/3)
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(d[:first])
	for i := first; i < len(d); i += 3 {
		b.WriteByte('.')
		b.WriteString(d[i : i+3])
	}
	return b.String()
}

// FormatPercent writes p (already in percent: 2.1634 means 2.1634 %) rounded to decimals
// places with a decimal comma and dots between thousands: FormatPercent(2.1634, 2) →
// "2,16%", FormatPercent(75, 0) → "75%". Negative decimals count as 0. A value that rounds
// to zero has no minus sign. NaN and infinities, which no report should show as a
// percentage (0 sessions, 0 trainees), give "–%".
func FormatPercent(p float64, decimals int) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "–%"
	}
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(p, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupThousands(intPart)
	if frac != "" {
		out += "," + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out + "%"
}

// AmountInWords writes an amount of đồng in words, as on payment lists ("Bằng chữ: …"):
// AmountInWords(1250000) → "Một triệu hai trăm năm mươi nghìn đồng". The style is the
// one of Vietnamese accounting documents:
//
//   - scales nghìn, triệu, tỷ; above 999 tỷ the tỷ count is itself read out
//     ("một nghìn tỷ");
//   - a zero tens digit after hundreds reads "linh": 105 → "một trăm linh năm";
//   - 1 after a tens digit of 2 or more reads "mốt" (21 → "hai mươi mốt"), 4 reads "tư"
//     (24 → "hai mươi tư"), 5 after any tens digit reads "lăm" (15 → "mười lăm",
//     25 → "hai mươi lăm"); otherwise "một", "bốn", "năm" (11 → "mười một",
//     14 → "mười bốn", 104 → "một trăm linh bốn");
//   - a group of three digits that is all zeros is skipped, and every group after the
//     first one read is read in full, hundreds included: 1 000 005 → "một triệu không
//     trăm linh năm", 2 001 000 000 → "hai tỷ không trăm linh một triệu";
//   - 0 → "Không đồng"; a negative amount starts with "Âm".
//
// The first letter is upper case and the text ends in " đồng".
func AmountInWords(n int64) string {
	var words []string
	if n == 0 {
		words = []string{"không"}
	} else {
		u := uint64(n)
		if n < 0 {
			words = append(words, "âm")
			u = uint64(-(n + 1)) + 1
		}
		words = appendAmountWords(words, u, false)
	}
	words = append(words, "đồng")
	s := strings.Join(words, " ")
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// digitWord is the plain reading of the digit d.
func digitWord(d uint64) string {
	return [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}[d]
}

// appendAmountWords reads n > 0; full means that a higher group has already been read,
// so that this one is read with its hundreds ("không trăm linh năm").
func appendAmountWords(words []string, n uint64, full bool) []string {
	const billion = 1_000_000_000
	if n >= billion {
		words = appendAmountWords(words, n/billion, full)
		words = append(words, "tỷ")
		if rest := n % billion; rest > 0 {
			words = appendAmountWords(words, rest, true)
		}
		return words
	}
	groups := [...]struct {
		value uint64
		scale string
	}{
		{n / 1_000_000, "triệu"},
		{n / 1000 % 1000, "nghìn"},
		{n % 1000, ""},
	}
	for _, g := range groups {
		if g.value == 0 {
			continue
		}
		words = appendGroupWords(words, g.value, full)
		if g.scale != "" {
			words = append(words, g.scale)
		}
		full = true
	}
	return words
}

// appendGroupWords reads a group 1–999.
func appendGroupWords(words []string, g uint64, full bool) []string {
	h, t, u := g/100, g/10%10, g%10
	if h > 0 || full {
		words = append(words, digitWord(h), "trăm")
	}
	switch {
	case t == 0:
		if u > 0 && (h > 0 || full) {
			words = append(words, "linh")
		}
	case t == 1:
		words = append(words, "mười")
	default:
		words = append(words, digitWord(t), "mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t >= 2:
		words = append(words, "mốt")
	case u == 4 && t >= 2:
		words = append(words, "tư")
	case u == 5 && t >= 1:
		words = append(words, "lăm")
	default:
		words = append(words, digitWord(u))
	}
	return words
}
