package vn

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"NFD to NFC", "Ho" + "a\u0300", "Hoà"},
		{"NFD full name", norm.NFD.String("Nguyễn Thị Hải Yến"), "Nguyễn Thị Hải Yến"},
		{"spaces collapsed and trimmed", "  Nguyễn\t Thị\u00a0 Hải  Yến\r\n", "Nguyễn Thị Hải Yến"},
		{"BOM and zero-width space", "\uFEFFLê\u200BVăn Tám", "Lê Văn Tám"},
		{"control characters", "Trần\x00Bình\x07", "Trần Bình"},
		{"invalid UTF-8", "Hà\xffNội", "Hà\uFFFDNội"},
		{"only spaces", " \t\n ", ""},
		{"empty", "", ""},
		{"already clean", "Đài Phát thanh và Truyền hình Khánh Hòa", "Đài Phát thanh và Truyền hình Khánh Hòa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Đặng Văn Đức", "dang van duc"},
		{"Hòa", "hoa"},
		{"Hoà", "hoa"},
		{norm.NFD.String("Hoà"), "hoa"},
		{"  NGUYỄN   THỊ HẢI YẾN ", "nguyen thi hai yen"},
		{"Ơn Ưng Ấn Ắt Ệ Ộ Ợ Ự Ỷ", "on ung an at e o o u y"},
		{"Ðinh Công Tráng", "dinh cong trang"}, // U+00D0 from legacy encodings
		{"H'Hen Niê", "h'hen nie"},
		{"Sở Thông tin và Truyền thông tỉnh Khánh Hòa", "so thong tin va truyen thong tinh khanh hoa"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                     string
		surname, middle, given string
	}{
		{"Nguyễn Thị Hải Yến", "Nguyễn", "Thị Hải", "Yến"},
		{"Lê Văn Tám", "Lê", "Văn", "Tám"},
		{"Trần Bình", "Trần", "", "Bình"},
		{"Hùng", "", "", "Hùng"},
		{"  Tôn  Nữ   Thị Ninh ", "Tôn", "Nữ Thị", "Ninh"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, m, g := SplitName(tt.in)
			if s != tt.surname || m != tt.middle || g != tt.given {
				t.Errorf("SplitName(%q) = %q, %q, %q; want %q, %q, %q", tt.in, s, m, g, tt.surname, tt.middle, tt.given)
			}
		})
	}
}

// sortedNames is a participant list in the order users expect.
var sortedNames = []string{
	"Vũ An",     // no middle name: before every "… An" with one
	"Lê Văn An", // same given and middle name: by surname
	"Nguyễn Văn An",
	"Phạm Thị Ánh",
	"Đỗ Hồng Ân", // â after a
	"Trần Thanh Bình",
	"Lê Đình Cường",
	"Hoàng Văn Dũng",
	"Đặng Văn Đức", // đ after d
	"Mai Thị Hà",
	"Bùi Thị Hải",  // "ha" before "hai"
	"Trần Thị Hoà", // Hoà = Hòa; tie broken by the middle name, Thị < Văn
	"Lê Văn Hòa",
	"Ngô Thị Ơn", // ơ after o
	"Đinh Thị Uyên",
	"Lý Văn Ưng", // ư after u
	"Nguyễn Thị Hải Yến",
}

func TestSortOrder(t *testing.T) {
	t.Parallel()
	// A fixed shuffle, so that a failure is reproducible.
	in := slices.Clone(sortedNames)
	for i := range in {
		j := (i*7 + 3) % len(in)
		in[i], in[j] = in[j], in[i]
	}
	t.Run("CompareNames", func(t *testing.T) {
		got := slices.Clone(in)
		slices.SortStableFunc(got, CompareNames)
		if !slices.Equal(got, sortedNames) {
			t.Errorf("sorted:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sortedNames, "\n"))
		}
	})
	t.Run("SortKey memcmp", func(t *testing.T) {
		got := slices.Clone(in)
		slices.SortStableFunc(got, func(a, b string) int {
			return bytes.Compare(SortKey(a, ""), SortKey(b, ""))
		})
		if !slices.Equal(got, sortedNames) {
			t.Errorf("sorted:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sortedNames, "\n"))
		}
	})
	t.Run("NFD and upper-case input sort the same", func(t *testing.T) {
		got := slices.Clone(in)
		for i := range got {
			if i%2 == 0 {
				got[i] = norm.NFD.String(got[i])
			} else {
				got[i] = strings.ToUpper(got[i])
			}
		}
		slices.SortStableFunc(got, CompareNames)
		for i := range got {
			if Clean(strings.ToLower(got[i])) != strings.ToLower(sortedNames[i]) {
				t.Fatalf("position %d: %q, want %q", i, got[i], sortedNames[i])
			}
		}
	})
}

func TestCompareNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"Lê Văn Hòa", "Lê Văn Hoà", 0},
		{"Nguyễn Thị Thủy", "Nguyễn Thị Thuỷ", 0},
		{"nguyễn văn an", "NGUYỄN VĂN AN", 0},
		{norm.NFD.String("Đặng Văn Đức"), "Đặng Văn Đức", 0},
		{"Lê Văn  An", " Lê Văn An", 0},
		// Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
		{"Lê Ha", "Lê Hà", -1},
		{"Lê Hà", "Lê Hả", -1},
		{"Lê Hả", "Lê Hã", -1},
		{"Lê Hã", "Lê Há", -1},
		{"Lê Há", "Lê Hạ", -1},
		// The tone of the given name decides before the surname does.
		{"Vũ Hà", "An Hạ", -1},
		// Letters decide before tones.
		{"Lê Hạ", "Lê Hai", -1},
		{"Lê Ánh", "Lê Ân", -1},
		{"Lê Ăn", "Lê Ân", -1},
		{"Lê Ân", "Lê Bá", -1},
		{"Lê Dư", "Lê Đa", -1},
		{"Lê Ôn", "Lê Ơn", -1},
		{"Lê Ơn", "Lê Phú", -1},
		{"Lê Uy", "Lê Ưng", -1},
		{"Lê Ưng", "Lê Vân", -1},
		// Middle names compare in order, a missing one first.
		{"Trần Thị Yến", "Nguyễn Thị Hải Yến", -1},
		{"Trần Yến", "Lê Thị Yến", -1},
		{"Yến", "Trần Yến", -1},
		{"", "An", -1},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			if got := CompareNames(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := CompareNames(tt.b, tt.a); got != -tt.want {
				t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

// TestSortKeyAgreesWithCLDR checks single words against the CLDR Vietnamese collation,
// an independent statement of the letter and tone order. Tone placement is where the two
// differ on purpose (CLDR orders "hòa" and "hoà" apart), so such pairs are left out.
func TestSortKeyAgreesWithCLDR(t *testing.T) {
	t.Parallel()
	c := collate.New(language.Vietnamese, collate.IgnoreCase)
	words := strings.Fields("a à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ b c d đ e è ê ề g h i k l m n o ô ơ ờ p q r s t u ư ừ v x y " +
		"an ánh ân anh bình cường dũng đức hà hải hai hạ hòa oa ơn uyên ưng yến Yên ÂN đa dư " +
		"thúy thùy thủy ngọc nguyệt nguyễn nguyên nhung như nhật")
	for _, a := range words {
		for _, b := range words {
			if Fold(a) == Fold(b) && strings.ToLower(a) != strings.ToLower(b) && CompareNames(a, b) == 0 {
				continue // same letters and tone, tone placed differently
			}
			if got, want := CompareNames(a, b), c.CompareString(a, b); got != want {
				t.Errorf("CompareNames(%q, %q) = %d, CLDR vi says %d", a, b, got, want)
			}
		}
	}
}

func TestSortName(t *testing.T) {
	t.Parallel()
	// An Ê Đê name: "H'Hen" is the personal name, "Niê" the clan name at the end.
	type person struct{ full, sort string }
	people := []person{
		{"Lý Văn Ưng", ""},
		{"Niê H'Hen", ""}, // without a sort name it would sort by "H'Hen"
		{"H'Hen Niê", "H'Hen Niê"},
		{"Mai Thị Hà", ""},
		{"Đặng Văn Đức", ""},
	}
	slices.SortFunc(people, func(a, b person) int {
		return bytes.Compare(SortKey(a.full, a.sort), SortKey(b.full, b.sort))
	})
	var got []string
	for _, p := range people {
		got = append(got, p.full)
	}
	// The apostrophe sorts before letters, so "H'Hen" comes before "Hà".
	want := []string{"Đặng Văn Đức", "Niê H'Hen", "H'Hen Niê", "Mai Thị Hà", "Lý Văn Ưng"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	t.Run("without sort name", func(t *testing.T) {
		// "H'Hen Niê" read as surname H'Hen, given name Niê: after Hà.
		if got := CompareNames("H'Hen Niê", "Mai Thị Hà"); got != 1 {
			t.Errorf("CompareNames = %d, want 1", got)
		}
	})
	t.Run("sort name is cleaned and case-insensitive", func(t *testing.T) {
		if a, b := SortKey("x", "  h'hen   NIÊ "), SortKey("y", "H'Hen Niê"); !bytes.Equal(a, b) {
			t.Errorf("keys differ: %x vs %x", a, b)
		}
	})
	t.Run("blank sort name is ignored", func(t *testing.T) {
		if a, b := SortKey("Mai Thị Hà", " "), SortKey("Mai Thị Hà", ""); !bytes.Equal(a, b) {
			t.Errorf("keys differ: %x vs %x", a, b)
		}
	})
}

func TestFormatDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"date at 00:00 UTC", time.Date(2023, 12, 4, 0, 0, 0, 0, time.UTC), "04/12/2023"},
		{"instant in UTC, next day in Vietnam", time.Date(2023, 12, 3, 20, 30, 0, 0, time.UTC), "04/12/2023"},
		{"local time", time.Date(2023, 1, 5, 23, 59, 0, 0, Location), "05/01/2023"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.in); got != tt.want {
				t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateLine(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		place string
		in    time.Time
		want  string
	}{
		{"Khánh Hòa", day(2023, 12, 4), "Khánh Hòa, ngày 04 tháng 12 năm 2023"},
		{"Khánh Hòa", day(2023, 7, 5), "Khánh Hòa, ngày 05 tháng 7 năm 2023"},
		{"Nha Trang", day(2024, 1, 3), "Nha Trang, ngày 03 tháng 01 năm 2024"},
		{"Nha Trang", day(2024, 2, 9), "Nha Trang, ngày 09 tháng 02 năm 2024"},
		{"Nha Trang", day(2024, 3, 10), "Nha Trang, ngày 10 tháng 3 năm 2024"},
		{"Nha Trang", day(2024, 11, 30), "Nha Trang, ngày 30 tháng 11 năm 2024"},
		{"", day(2023, 8, 15), "ngày 15 tháng 8 năm 2023"},
		{"  ", day(2023, 8, 15), "ngày 15 tháng 8 năm 2023"},
		{"Khánh Hòa", time.Date(2023, 12, 3, 18, 0, 0, 0, time.UTC), "Khánh Hòa, ngày 04 tháng 12 năm 2023"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := DateLine(tt.place, tt.in); got != tt.want {
				t.Errorf("DateLine(%q, %v) = %q, want %q", tt.place, tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1.000"},
		{7390, "7.390"},
		{123456, "123.456"},
		{1250000, "1.250.000"},
		{-7, "-7"},
		{-1234567, "-1.234.567"},
		{-9223372036854775808, "-9.223.372.036.854.775.808"},
		{9223372036854775807, "9.223.372.036.854.775.807"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatInt(tt.in); got != tt.want {
				t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	t.Parallel()
	nan := 0.0
	tests := []struct {
		in       float64
		decimals int
		want     string
	}{
		{2.1634, 2, "2,16%"},
		{75, 0, "75%"},
		{100, 1, "100,0%"},
		{66.666, 1, "66,7%"},
		{0, 2, "0,00%"},
		{-0.001, 2, "0,00%"},
		{-12.5, 1, "-12,5%"},
		{1234.5, 1, "1.234,5%"},
		{99.5, -1, "100%"},
		{nan / nan, 1, "–%"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatPercent(tt.in, tt.decimals); got != tt.want {
				t.Errorf("FormatPercent(%v, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestAmountInWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int64
		want string
	}{
		{0, "Không đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{11, "Mười một đồng"},
		{14, "Mười bốn đồng"},
		{15, "Mười lăm đồng"},
		{20, "Hai mươi đồng"},
		{21, "Hai mươi mốt đồng"},
		{24, "Hai mươi tư đồng"},
		{25, "Hai mươi lăm đồng"},
		{100, "Một trăm đồng"},
		{101, "Một trăm linh một đồng"},
		{105, "Một trăm linh năm đồng"},
		{115, "Một trăm mười lăm đồng"},
		{1000, "Một nghìn đồng"},
		{1011, "Một nghìn không trăm mười một đồng"},
		{50000, "Năm mươi nghìn đồng"},
		{150000, "Một trăm năm mươi nghìn đồng"},
		{1000005, "Một triệu không trăm linh năm đồng"},
		{1005000, "Một triệu không trăm linh năm nghìn đồng"},
		{1250000, "Một triệu hai trăm năm mươi nghìn đồng"},
		{10500000, "Mười triệu năm trăm nghìn đồng"},
		{35_400_000, "Ba mươi lăm triệu bốn trăm nghìn đồng"},
		{2000000000, "Hai tỷ đồng"},
		{2001000000, "Hai tỷ không trăm linh một triệu đồng"},
		{999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"},
		{1_000_000_000_000, "Một nghìn tỷ đồng"},
		{-2500, "Âm hai nghìn năm trăm đồng"},
	}
	for _, tt := range tests {
		t.Run(FormatInt(tt.in), func(t *testing.T) {
			if got := AmountInWords(tt.in); got != tt.want {
				t.Errorf("AmountInWords(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("extremes do not panic", func(t *testing.T) {
		for _, n := range []int64{-9223372036854775808, 9223372036854775807} {
			if got := AmountInWords(n); !strings.HasSuffix(got, " đồng") {
				t.Errorf("AmountInWords(%d) = %q", n, got)
			}
		}
	})
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want time.Time
	}{
		{"04/12/2023", time.Date(2023, 12, 4, 0, 0, 0, 0, time.UTC)},
		{"4/12/2023", time.Date(2023, 12, 4, 0, 0, 0, 0, time.UTC)},
		{"5/7/1990", time.Date(1990, 7, 5, 0, 0, 0, 0, time.UTC)},
		{" 29/02/2024 ", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2023-12-04", time.Date(2023, 12, 4, 0, 0, 0, 0, time.UTC)},
		{"1971-02-21", time.Date(1971, 2, 21, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range good {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if FormatDate(got) != tt.want.Format("02/01/2006") {
				t.Errorf("FormatDate(ParseDate(%q)) = %q", tt.in, FormatDate(got))
			}
		})
	}
	bad := []string{
		"", "31/02/2023", "29/02/2023", "31/04/2023", "00/01/2023", "01/13/2023", "01/00/2023",
		"2023-02-30", "2023-2-3", "12/2023", "04/12/23", "04-12-2023", "04/12/2023 10:00",
		"2023/12/04", "a4/12/2023", "+4/12/2023", "04/12/0999", "١٢/١٢/٢٠٢٣",
	}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			got, err := ParseDate(in)
			if !errors.Is(err, ErrInvalidDate) {
				t.Errorf("ParseDate(%q) = %v, %v; want ErrInvalidDate", in, got, err)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	good := []struct{ in, want string }{
		{"0913352358", "0913352358"},
		{"0913 352 358", "0913352358"},
		{"091.335.2358", "0913352358"},
		{"0913-352-358", "0913352358"},
		{"(091) 335-2358", "0913352358"},
		{"+84 913 352 358", "0913352358"},
		{"+84913352358", "0913352358"},
		{"+84 (0) 913 352 358", "0913352358"},
		{"84913352358", "0913352358"},
		{"0084 913 352 358", "0913352358"},
		{" 0348922019 ", "0348922019"},
		{"0793062279", "0793062279"},
		{"0562345678", "0562345678"},
		{"0812345678", "0812345678"},
	}
	for _, tt := range good {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if err != nil {
				t.Fatalf("NormalizePhone(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	bad := []string{
		"", "091335235", "09133523581", "913352358", "0013352358", "0113352358",
		"02583822123", // an 11-digit landline
		"+1 415 555 0100", "+8491335235", "0913x52358", "0913/352/358", "09133+52358",
		"٠٩١٣٣٥٢٣٥٨", // Arabic-Indic digits
	}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			got, err := NormalizePhone(in)
			if !errors.Is(err, ErrInvalidPhone) {
				t.Errorf("NormalizePhone(%q) = %q, %v; want ErrInvalidPhone", in, got, err)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"Nguyễn Thị Hải Yến", true},
		{"Đặng Văn Đức", true},
		{"Ưng Hoàng Phúc", true},
		{norm.NFD.String("Đỗ Thị Ơn"), true},
		{"H'Hen Niê", true},
		{"H’Hen Niê", true},
		{"Ksor Y-Bhin", true},
		{"Nguyễn V. A.", true},
		{"José Müller", true},
		{"Lê  Văn Tám", false},
		{" Lê Văn Tám", false},
		{"Lê\tVăn Tám", false},
		{"Lê Văn Tám 2", false},
		{"Lê Văn <b>Tám</b>", false},
		{"nguyenvana@example.com", false},
		{"' - .", false},
		{"\u0301a", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidName(tt.in); got != tt.want {
				t.Errorf("ValidName(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLocation(t *testing.T) {
	t.Parallel()
	if got, want := Location.String(), "Asia/Ho_Chi_Minh"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	_, offset := time.Date(2023, 12, 4, 12, 0, 0, 0, Location).Zone()
	if offset != 7*60*60 {
		t.Errorf("offset = %d s, want +07:00", offset)
	}
}

func BenchmarkSortKey(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		SortKey(sortedNames[i%len(sortedNames)], "")
	}
}
