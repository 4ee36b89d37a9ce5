package units

import (
	"strings"
	"unicode"

	"taphuan/vn"
)

// Key returns the match key of a unit's name as people write it: "UBND xã Cam Hải Tây",
// "Ủy ban nhân dân X. Cam Hai Tay" and "uy ban nhan dan xa cam hai tay" have the same key.
// Diacritics, tone placement ("Hòa"/"Hoà"), case, punctuation and spaces do not count, and
// the usual abbreviations of unit names are expanded first (UBND, HĐND, TT, VH-TT-TT, TP.,
// TX., H., X., P., Đài TT, Phòng VH-TT, Sở TT&TT …). "và" between words does not count
// either ("Văn hóa và Thông tin" = "Văn hóa - Thông tin"). The empty text has the empty key.
func Key(s string) string {
	return strings.Join(keyWords(s), "")
}

// keyWords is Key before the words are joined (for the similarity of close matches).
func keyWords(s string) []string {
	f := vn.Fold(s)
	// Multi-part abbreviations are written with hyphens, ampersands or slashes between the
	// parts ("VH-TT-TT", "TT&TT", "LĐ-TB&XH"): replace them before splitting into words.
	f = compoundRe(f)
	raw := strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := make([]string, 0, len(raw)+4)
	for i, w := range raw {
		prev := ""
		if i > 0 {
			prev = raw[i-1]
		}
		switch w {
		case "va":
			continue
		case "tt":
			switch prev {
			case "dai":
				out = append(out, "truyen", "thanh")
			case "ubnd", "dan", "so":
				// "UBND TT Vạn Giã" is a township (thị trấn); "Sở TT" is information.
				if prev == "so" {
					out = append(out, "thong", "tin")
				} else {
					out = append(out, "thi", "tran")
				}
			default:
				out = append(out, "trung", "tam")
			}
			continue
		}
		if exp, ok := abbreviations[w]; ok {
			out = append(out, exp...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// abbreviations are the single-word abbreviations of unit names (folded).
var abbreviations = map[string][]string{
	"ubnd":   {"uy", "ban", "nhan", "dan"},
	"hdnd":   {"hoi", "dong", "nhan", "dan"},
	"ubmttq": {"uy", "ban", "mat", "tran", "to", "quoc"},
	"tp":     {"thanh", "pho"},
	"tx":     {"thi", "xa"},
	"h":      {"huyen"},
	"x":      {"xa"},
	"p":      {"phuong"},
	"q":      {"quan"},
	"ttvh":   {"trung", "tam", "van", "hoa"},
	"ptth":   {"phat", "thanh", "truyen", "hinh"},
	"ttth":   {"truyen", "thanh", "truyen", "hinh"},
	"vhtt":   {"van", "hoa", "thong", "tin"},
	"tttt":   {"thong", "tin", "truyen", "thong"},
	"vhttdl": {"van", "hoa", "the", "thao", "du", "lich"},
	"khcn":   {"khoa", "hoc", "cong", "nghe"},
	"ldtbxh": {"lao", "dong", "thuong", "binh", "xa", "hoi"},
	"gddt":   {"giao", "duc", "dao", "tao"},
}

// compounds are the abbreviations made of parts joined by "-", "&" or "/" (folded, in the
// order they are tried: longer first).
var compounds = []struct {
	parts []string
	words string
}{
	{[]string{"vh", "tt", "tt"}, " van hoa thong tin the thao "},
	{[]string{"vh", "tt", "dl"}, " van hoa the thao du lich "},
	{[]string{"ld", "tb", "xh"}, " lao dong thuong binh xa hoi "},
	{[]string{"vh", "tt"}, " van hoa thong tin "},
	{[]string{"tt", "tt"}, " thong tin truyen thong "},
	{[]string{"pt", "th"}, " phat thanh truyen hinh "},
	{[]string{"tt", "th"}, " truyen thanh truyen hinh "},
	{[]string{"kh", "cn"}, " khoa hoc cong nghe "},
	{[]string{"gd", "dt"}, " giao duc dao tao "},
}

// compoundRe replaces the compound abbreviations of f (folded text) by their words. A part
// separator is "-", "&" or "/", with optional spaces around it ("VH - TT").
func compoundRe(f string) string {
	toks := tokenizeCompound(f)
	var b strings.Builder
	for i := 0; i < len(toks); {
		matched := false
		if toks[i].word {
			for _, c := range compounds {
				if n, ok := matchCompound(toks, i, c.parts); ok {
					b.WriteString(c.words)
					i = n
					matched = true
					break
				}
			}
		}
		if !matched {
			b.WriteString(toks[i].text)
			i++
		}
	}
	return b.String()
}

type ctok struct {
	text string
	word bool // letters/digits; else separators and the rest
}

func tokenizeCompound(f string) []ctok {
	var out []ctok
	var cur strings.Builder
	curWord := false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, ctok{cur.String(), curWord})
			cur.Reset()
		}
	}
	for _, r := range f {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if cur.Len() > 0 && w != curWord {
			flush()
		}
		curWord = w
		cur.WriteRune(r)
	}
	flush()
	return out
}

// matchCompound reports whether toks from i spell parts joined by separators, and where
// the match ends.
func matchCompound(toks []ctok, i int, parts []string) (int, bool) {
	for k, p := range parts {
		if i >= len(toks) || !toks[i].word || toks[i].text != p {
			return 0, false
		}
		i++
		if k == len(parts)-1 {
			break
		}
		if i >= len(toks) || toks[i].word {
			return 0, false
		}
		sep := strings.TrimSpace(toks[i].text)
		if sep != "-" && sep != "&" && sep != "/" {
			return 0, false
		}
		i++
	}
	// The last part must end a word: "vh-ttx" is not "vh-tt".
	return i, true
}

// rawKey is the folded text without its separators, abbreviations left as written.
func rawKey(s string) string {
	return strings.Join(strings.FieldsFunc(vn.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), "")
}

// similarity is the Dice coefficient of the letter pairs of two keys (0 … 1).
func similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 2 || len(rb) < 2 {
		return 0
	}
	pairs := map[[2]rune]int{}
	for i := 0; i+1 < len(ra); i++ {
		pairs[[2]rune{ra[i], ra[i+1]}]++
	}
	common := 0
	for i := 0; i+1 < len(rb); i++ {
		p := [2]rune{rb[i], rb[i+1]}
		if pairs[p] > 0 {
			pairs[p]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(ra)-1+len(rb)-1)
}
