package pdfdoc_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"taphuan/pdfdoc"
	"taphuan/pdfdoc/pdftest"
)

// Set PDFDOC_OUT to a directory to keep the PDFs and PNGs the tests make,
// for looking at them.
func keep(t *testing.T, name string, data []byte) {
	t.Helper()
	if dir := os.Getenv("PDFDOC_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// find returns the first word equal to s (after the words in skip).
func find(t *testing.T, ws []pdftest.Word, s string) pdftest.Word {
	t.Helper()
	for _, w := range ws {
		if w.Text == s {
			return w
		}
	}
	t.Fatalf("word %q not on the page", s)
	return pdftest.Word{}
}

// render rasterises one page with pdftoppm at dpi; crop, if not nil, is a
// rectangle in pixels at that resolution.
func render(t *testing.T, pdf []byte, page, dpi int, crop *image.Rectangle) image.Image {
	t.Helper()
	img, b := pdftest.Render(t, pdf, page, dpi, crop)
	keep(t, fmt.Sprintf("%s-p%d-%ddpi.png", strings.ReplaceAll(t.Name(), "/", "_"), page, dpi), b)
	return img
}

var issued = time.Date(2023, 12, 4, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600))

func newDoc(t testing.TB, o pdfdoc.Orientation, opts ...pdfdoc.Option) *pdfdoc.Doc {
	t.Helper()
	d, err := pdfdoc.New(o, append([]pdfdoc.Option{pdfdoc.WithCreationDate(issued)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}

func bytesOf(t *testing.T, d *pdfdoc.Doc) []byte {
	t.Helper()
	b, err := d.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	return b
}

func TestAllFontStyles(t *testing.T) {
	t.Parallel()
	d := newDoc(t, pdfdoc.Portrait)
	d.AddPage()
	lines := map[pdfdoc.Style]string{
		pdfdoc.Regular:    "Thường: Nguyễn Thị Hải Yến",
		pdfdoc.Bold:       "Đậm: Trần Văn Đức",
		pdfdoc.Italic:     "Nghiêng: Lê Thị Ngọc Ánh",
		pdfdoc.BoldItalic: "Đậm nghiêng: Phạm Hữu Thưởng",
	}
	for _, st := range []pdfdoc.Style{pdfdoc.Regular, pdfdoc.Bold, pdfdoc.Italic, pdfdoc.BoldItalic} {
		d.SetFont(st, 14)
		if err := d.Err(); err != nil {
			t.Fatalf("SetFont(%q): %v", st, err)
		}
		d.Paragraph(0, lines[st], pdfdoc.Left)
	}
	pdf := bytesOf(t, d)
	if got, want := bytes.Count(pdf, []byte("/Subtype /CIDFontType2")), 4; got != want {
		t.Errorf("embedded fonts = %d, want %d", got, want)
	}
	text := strings.Join(pdftest.Text(t, pdf), "")
	for _, l := range lines {
		if !strings.Contains(text, l) {
			t.Errorf("text lacks %q:\n%s", l, text)
		}
	}

	t.Run("UnknownStyle", func(t *testing.T) {
		d := newDoc(t, pdfdoc.Portrait)
		d.AddPage()
		d.SetFont("X", 12)
		if _, err := d.Bytes(); err == nil {
			t.Fatal("Bytes succeeded after SetFont with an unknown style")
		}
	})
}

// Names for the sign-in sheet: 120 distinct, two of them typed decomposed.
func traineeNames() (input, want []string) {
	surnames := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ"}
	middles := []string{"Thị", "Văn", "Hữu", "Ngọc"}
	givens := []string{"Yến", "Đức", "Ánh", "Thưởng", "Hương", "Dũng", "Nguyệt", "Lữ", "Ước", "Mỹ", "Khởi", "Oanh"}
	for i := range 120 {
		n := fmt.Sprintf("%s %s %s", surnames[i%10], middles[i%4], givens[(i/10)%12])
		input = append(input, n)
		want = append(want, n)
	}
	input[6], want[6] = "Nguyễn Thị Hoa\u0300", "Nguyễn Thị Hoà"
	input[50] = norm.NFD.String(want[50])
	return input, want
}

func signInSheet(t testing.TB, names []string) *pdfdoc.Doc {
	d := newDoc(t, pdfdoc.Portrait, pdfdoc.WithTitle("Danh sách ký nhận"))
	d.PageNumbers("Trang %d/%d")
	d.AddPage()
	d.OfficialHeader(pdfdoc.Header{
		ParentAgency: "UBND tỉnh Khánh Hòa",
		Agency:       "Sở Thông tin và Truyền thông",
	})
	d.SetFont(pdfdoc.Bold, 14)
	d.Paragraph(0, "DANH SÁCH KÝ NHẬN THAM DỰ LỚP TẬP HUẤN", pdfdoc.Center)
	d.SetFont(pdfdoc.Italic, 13)
	d.Paragraph(0, "Buổi sáng, ngày 04/12/2023", pdfdoc.Center)
	d.Ln(3)
	d.SetFont(pdfdoc.Regular, 12)
	units := []string{
		"Phòng Văn hóa và Thông tin huyện Diên Khánh",
		"Trung tâm Văn hóa - Thông tin - Thể thao huyện Cam Lâm, tỉnh Khánh Hòa",
		"Đài Truyền thanh xã Ninh Ích",
	}
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = []string{strconv.Itoa(i + 1), n, units[i%3], "Chuyên viên", ""}
	}
	d.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{
			{Title: "STT", Width: 12, Align: pdfdoc.Center},
			{Title: "Họ và tên", Width: 45},
			{Title: "Đơn vị công tác", Width: 55},
			{Title: "Chức vụ", Width: 25},
			{Title: "Ký tên", Width: 28},
		},
		Rows:         rows,
		MinRowHeight: 9,
	})
	return d
}

func TestSignInSheet(t *testing.T) {
	t.Parallel()
	input, want := traineeNames()
	pdf := bytesOf(t, signInSheet(t, input))
	keep(t, "signin.pdf", pdf)
	pages := pdftest.Text(t, pdf, "-layout")
	n := len(pages)
	if n < 3 {
		t.Fatalf("120 rows of 9 mm fit on %d pages, want at least 3", n)
	}
	all := strings.Join(pages, "\n")

	for i, p := range pages {
		if got := strings.Count(p, "Họ và tên"); got != 1 {
			t.Errorf("page %d: header row appears %d times, want 1", i+1, got)
		}
		if pn := fmt.Sprintf("Trang %d/%d", i+1, n); !strings.Contains(p, pn) {
			t.Errorf("page %d lacks %q", i+1, pn)
		}
	}
	// The agency is too long for the portrait left column: it wraps into
	// two even lines, not a long line and an orphan word.
	if !regexp.MustCompile(`SỞ THÔNG TIN VÀ +Độc lập - Tự do - Hạnh phúc\n +TRUYỀN THÔNG\n`).MatchString(pages[0]) {
		t.Errorf("agency not wrapped as SỞ THÔNG TIN VÀ / TRUYỀN THÔNG:\n%s", pages[0][:400])
	}
	for _, s := range []string{"UBND TỈNH KHÁNH HÒA",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"DANH SÁCH KÝ NHẬN THAM DỰ LỚP TẬP HUẤN"} {
		if !strings.Contains(pages[0], s) {
			t.Errorf("page 1 lacks %q", s)
		}
	}
	for _, name := range want {
		if !strings.Contains(all, name) {
			t.Errorf("text lacks name %q", name)
		}
	}
	if strings.ContainsFunc(all, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
		t.Error("text holds combining marks: NFD input was not normalised")
	}

	// Rows stay whole and in order: every row's number and name are on one
	// page, and the pages hold consecutive runs.
	next := 1
	for i, p := range pages {
		lines := strings.Split(p, "\n")
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) < 3 {
				continue
			}
			stt, err := strconv.Atoi(f[0])
			if err != nil || stt != next {
				continue
			}
			if name := strings.Join(f[1:4], " "); name != want[stt-1] {
				t.Errorf("page %d row %d: name %q, want %q", i+1, stt, name, want[stt-1])
			}
			next++
		}
	}
	if next != 121 {
		t.Errorf("found rows 1..%d in order, want 1..120", next-1)
	}

	img := render(t, pdf, 1, 50, nil)
	if s := pdftest.DarkShare(img, img.Bounds()); s < 0.01 {
		t.Errorf("page 1 renders almost blank: %.4f dark", s)
	}
}

func TestCertificate(t *testing.T) {
	t.Parallel()
	const (
		verify = "https://taphuan.khanhhoa.gov.vn/xac-minh/GCN-2023-012?k=8f3a9b2c41"
		qrX    = 30.0
		qrY    = 150.0
		qrSize = 30.0
	)
	longName := "Nguyễn Thị Hải Yến Công Tôn Nữ Huyền Tôn Thất Mỹ Ước Nguyệt"
	d := newDoc(t, pdfdoc.Landscape, pdfdoc.WithMargins(20, 15, 20, 15))
	d.AddPage()
	d.SetLineWidth(0.8)
	d.Rect(10, 10, d.PageWidth()-20, d.PageHeight()-20)
	d.SetLineWidth(0.2)
	d.OfficialHeader(pdfdoc.Header{
		ParentAgency: "UBND TỈNH KHÁNH HÒA",
		Agency:       "Sở Thông tin và Truyền thông",
		Number:       "Số: 012/GCN-STTTT",
		Date:         "Khánh Hòa, ngày 04 tháng 12 năm 2023",
	})
	d.Ln(8)
	d.SetFont(pdfdoc.Bold, 28)
	d.Paragraph(0, "GIẤY CHỨNG NHẬN", pdfdoc.Center)
	d.Ln(4)
	d.SetFont(pdfdoc.Regular, 16)
	d.Paragraph(0, "Chứng nhận Ông/Bà:", pdfdoc.Center)
	d.SetFont(pdfdoc.Bold, 26)
	const nameW = 180.0
	_, y := d.GetXY()
	d.SetXY((d.PageWidth()-nameW)/2, y)
	size := d.FitText(nameW, longName, pdfdoc.Center, 14)
	_, y = d.GetXY()
	d.SetXY(20, y)
	if size >= 26 || size < 14 {
		t.Errorf("FitText size = %g, want in [14, 26)", size)
	}
	if got := d.FontSize(); got != 26 {
		t.Errorf("font size after FitText = %g, want 26 restored", got)
	}
	d.SetFont(pdfdoc.Regular, 15)
	d.Paragraph(0, "Đã hoàn thành lớp tập huấn nghiệp vụ thông tin cơ sở năm 2023, "+
		"tổ chức từ ngày 04/12/2023 đến ngày 05/12/2023 tại thành phố Nha Trang.", pdfdoc.Center)
	if err := d.QRCode(verify, qrX, qrY, qrSize); err != nil {
		t.Fatalf("QRCode: %v", err)
	}
	pdf := bytesOf(t, d)
	keep(t, "certificate.pdf", pdf)

	text := pdftest.Text(t, pdf)[0]
	for _, s := range []string{"UBND TỈNH KHÁNH HÒA", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 012/GCN-STTTT",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Khánh Hòa, ngày 04 tháng 12 năm 2023", "GIẤY CHỨNG NHẬN", longName} {
		if !strings.Contains(text, s) {
			t.Errorf("certificate lacks %q:\n%s", s, text)
		}
	}

	t.Run("HeaderLayout", func(t *testing.T) {
		ws := pdftest.Words(t, pdf)
		parent, agency := find(t, ws, "UBND"), find(t, ws, "SỞ")
		nation, motto := find(t, ws, "CỘNG"), find(t, ws, "Độc")
		number, date := find(t, ws, "Số:"), find(t, ws, "Khánh")
		const pt = 72 / 25.4 // points per mm
		if d := parent.YMin - nation.YMin; d < -1 || d > 1 {
			t.Errorf("parent agency top %.1f, national title top %.1f: want the same line", parent.YMin, nation.YMin)
		}
		if d := agency.YMin - motto.YMin; d < -1 || d > 1 {
			t.Errorf("agency top %.1f, motto top %.1f: want the same line", agency.YMin, motto.YMin)
		}
		if d := number.YMin - date.YMin; d < -1 || d > 1 {
			t.Errorf("number top %.1f, date top %.1f: want the same line", number.YMin, date.YMin)
		}
		if number.YMin <= agency.YMax || date.YMin <= motto.YMax {
			t.Error("number and date lines are not below the agency and the motto")
		}
		if nation.XMin < 297*0.33*pt {
			t.Errorf("national title starts at %.0f mm, want in the right column", nation.XMin/pt)
		}
		// The long name was shrunk to fit its 180 mm box on one line.
		var nameWords []pdftest.Word
		for _, w := range ws {
			if strings.Contains(longName, w.Text) && w.YMin > motto.YMax+30*pt {
				nameWords = append(nameWords, w)
			}
		}
		if len(nameWords) == 0 {
			t.Fatal("name not found")
		}
		first, last := nameWords[0], nameWords[len(nameWords)-1]
		if last.YMin-first.YMin > 1 {
			t.Errorf("name wrapped onto several lines")
		}
		if w := (last.XMax - first.XMin) / pt; w > 180 {
			t.Errorf("name is %.1f mm wide, want <= 180", w)
		}
	})

	t.Run("NotBlank", func(t *testing.T) {
		img := render(t, pdf, 1, 50, nil)
		if s := pdftest.DarkShare(img, img.Bounds()); s < 0.01 {
			t.Errorf("page renders almost blank: %.4f dark", s)
		}
	})

	t.Run("QRCode", func(t *testing.T) {
		// Render the code's square plus a margin at 300 dpi and read every
		// module back at its centre: the page must carry the same matrix as an
		// independent encoding of the URL.
		q, err := qrcode.New(verify, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		q.DisableBorder = true
		want := q.Bitmap()
		const dpi = 300
		px := func(mm float64) int { return int(mm / 25.4 * dpi) }
		margin := 5.0
		crop := image.Rect(px(qrX-margin), px(qrY-margin), px(qrX+qrSize+margin), px(qrY+qrSize+margin))
		img := render(t, pdf, 1, dpi, &crop)
		mod := qrSize / float64(len(want))
		var bad int
		for r := range want {
			for c := range want[r] {
				x := px(margin + (float64(c)+0.5)*mod)
				y := px(margin + (float64(r)+0.5)*mod)
				if pdftest.Dark(img, x, y) != want[r][c] {
					bad++
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d of %d modules differ from the QR encoding of %q", bad, len(want)*len(want), verify)
		}
		// The quiet zone stays white.
		if s := pdftest.DarkShare(img, image.Rect(0, 0, img.Bounds().Dx(), px(margin)-2)); s != 0 {
			t.Errorf("area above the code is %.3f dark, want white", s)
		}
	})
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	input, _ := traineeNames()
	a := bytesOf(t, signInSheet(t, input[:30]))
	b := bytesOf(t, signInSheet(t, input[:30]))
	if !bytes.Equal(a, b) {
		t.Error("same input and creation date gave different bytes")
	}
	if !bytes.Contains(a, []byte("D:20231204083000")) {
		t.Error("creation date not written")
	}
}

// TestConcurrentDocuments: documents written at the same time (the certificates are
// rendered on every core) share the embedded fonts and come out as one written alone.
// Run with -race: gofpdf writes into the font bytes it is given.
func TestConcurrentDocuments(t *testing.T) {
	t.Parallel()
	input, _ := traineeNames()
	want := bytesOf(t, signInSheet(t, input[:10]))
	got := make([][]byte, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i], _ = signInSheet(t, input[:10]).Bytes() })
	}
	wg.Wait()
	for i, b := range got {
		if !bytes.Equal(b, want) {
			t.Errorf("document %d written alongside others differs from one written alone", i)
		}
	}
}

func TestParagraph(t *testing.T) {
	t.Parallel()
	d := newDoc(t, pdfdoc.Portrait)
	d.AddPage()
	para := strings.Repeat("Học viên được hướng dẫn về chuẩn nghèo đa chiều, rà soát hộ nghèo, hộ cận nghèo. ", 8)
	x0, y0 := d.GetXY()
	h := d.Paragraph(80, para, pdfdoc.Justify)
	if x, y := d.GetXY(); x != x0 || y != y0+h {
		t.Errorf("cursor after Paragraph = (%g, %g), want (%g, %g)", x, y, x0, y0+h)
	}
	if lines := h / d.LineHeight(); lines < 5 {
		t.Errorf("paragraph used %.1f lines of an 80 mm column, want it wrapped", lines)
	}

	// Text flowing past the bottom margin continues on a new page.
	d.SetXY(30, d.PageHeight()-40)
	d.Paragraph(0, strings.Repeat("Dòng chữ kéo dài sang trang sau.\n", 10), pdfdoc.Left)
	if got := d.PageCount(); got != 2 {
		t.Errorf("pages = %d, want 2", got)
	}
	// Emoji are outside the font; they must not break the output.
	d.Paragraph(0, "Ghi chú 😀 xong", pdfdoc.Left)
	pages := pdftest.Text(t, bytesOf(t, d))
	if len(pages) != 2 || !strings.Contains(pages[1], "Dòng chữ kéo dài sang trang sau.") ||
		!strings.Contains(pages[1], "Ghi chú ? xong") {
		t.Errorf("unexpected text:\n%q", pages)
	}
}

func TestTableTotalAndErrors(t *testing.T) {
	t.Parallel()
	d := newDoc(t, pdfdoc.Landscape)
	d.AddPage()
	d.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{{Title: "STT", Width: 1}, {Title: "Họ và tên", Width: 4},
			{Title: "Số tiền", Width: 2, Align: pdfdoc.Right}, {Title: "Ký nhận", Width: 2}},
		Rows:      [][]string{{"1", "Nguyễn Văn An", "150.000", ""}, {"2", "Lê Thị Bích", "150.000", ""}},
		Total:     []string{"Tổng cộng", "300.000", ""},
		TotalSpan: 2,
	})
	text := pdftest.Text(t, bytesOf(t, d), "-layout")[0]
	if !regexp.MustCompile(`Tổng cộng\s+300\.000`).MatchString(text) {
		t.Errorf("total row missing:\n%s", text)
	}

	for name, tc := range map[string]func(*pdfdoc.Doc){
		"RowCells": func(d *pdfdoc.Doc) {
			d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Width: 1}}, Rows: [][]string{{"a", "b"}}})
		},
		"TotalCells": func(d *pdfdoc.Doc) {
			d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Width: 1}}, Total: []string{"a", "b"}})
		},
		"ZeroWidth": func(d *pdfdoc.Doc) { d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Title: "A"}}}) },
	} {
		t.Run(name, func(t *testing.T) {
			d := newDoc(t, pdfdoc.Portrait)
			d.AddPage()
			tc(d)
			if _, err := d.Bytes(); err == nil {
				t.Error("Bytes succeeded")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	t.Run("ErrNoPage", func(t *testing.T) {
		d := newDoc(t, pdfdoc.Portrait)
		d.Paragraph(0, "chưa có trang", pdfdoc.Left)
		if _, err := d.Bytes(); !errors.Is(err, pdfdoc.ErrNoPage) {
			t.Errorf("Bytes error = %v, want ErrNoPage", err)
		}
	})
	t.Run("ErrWritten", func(t *testing.T) {
		d := newDoc(t, pdfdoc.Portrait)
		d.AddPage()
		first := bytesOf(t, d)
		d.Paragraph(0, "muộn", pdfdoc.Left)
		if !errors.Is(d.Err(), pdfdoc.ErrWritten) {
			t.Errorf("Err = %v, want ErrWritten", d.Err())
		}
		again, _ := d.Bytes()
		if !bytes.Equal(first, again) {
			t.Error("second Bytes differs from the first")
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		d := newDoc(t, pdfdoc.Portrait)
		d.AddPage()
		if err := d.QRCode(strings.Repeat("x", 5000), 10, 10, 20); err == nil {
			t.Error("QRCode accepted 5000 bytes")
		}
		if err := d.Image([]byte("GIF89a"), 10, 10, 20, 0); err == nil {
			t.Error("Image accepted a GIF")
		}
		// Refused input leaves the document usable.
		if _, err := d.Bytes(); err != nil {
			t.Errorf("Bytes: %v", err)
		}
	})
	t.Run("BadOptions", func(t *testing.T) {
		if _, err := pdfdoc.New(pdfdoc.Orientation(7)); err == nil {
			t.Error("New accepted orientation 7")
		}
		if _, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.WithMargins(110, 10, 110, 10)); err == nil {
			t.Error("New accepted margins wider than the page")
		}
	})
}

func TestImage(t *testing.T) {
	t.Parallel()
	// A 4×2 PNG logo, left half black, right half white: drawn twice,
	// embedded once.
	img := image.NewGray(image.Rect(0, 0, 4, 2))
	for x := range 4 {
		for y := range 2 {
			if x >= 2 {
				img.Set(x, y, color.White)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	d := newDoc(t, pdfdoc.Portrait)
	d.AddPage()
	if err := d.Image(buf.Bytes(), 30, 30, 40, 0); err != nil {
		t.Fatalf("Image: %v", err)
	}
	d.AddPage()
	if err := d.Image(buf.Bytes(), 30, 30, 0, 20); err != nil {
		t.Fatalf("Image: %v", err)
	}
	pdf := bytesOf(t, d)
	if got := bytes.Count(pdf, []byte("/Subtype /Image")); got != 1 {
		t.Errorf("image embedded %d times, want 1", got)
	}
	// 40 mm wide keeps the 2:1 ratio: the left half (black) spans 30–50 mm
	// by 30–50 mm.
	page := render(t, pdf, 1, 50, nil)
	px := func(mm float64) int { return int(mm / 25.4 * 50) }
	if s := pdftest.DarkShare(page, image.Rect(px(31), px(31), px(49), px(49))); s < 0.9 {
		t.Errorf("logo's black half is %.2f dark", s)
	}
	if s := pdftest.DarkShare(page, image.Rect(px(51), px(31), px(69), px(49))); s > 0.1 {
		t.Errorf("logo's white half is %.2f dark", s)
	}
}
