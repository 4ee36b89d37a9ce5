package certificates

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"
	"unicode"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"taphuan/pdfdoc"
)

// Set CERT_OUT to a directory to keep the PDFs and PNGs the tests make, for looking at them.
func keep(t testing.TB, name string, data []byte) {
	t.Helper()
	if dir := os.Getenv("CERT_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// render rasterises page 1 at dpi; crop, if not nil, is a rectangle in pixels. A name
// keeps the PNG under CERT_OUT.
func render(t testing.TB, pdf []byte, dpi int, crop *image.Rectangle, name string) image.Image {
	t.Helper()
	return renderPage(t, pdf, 1, dpi, crop, name)
}

func renderPage(t testing.TB, pdf []byte, page, dpi int, crop *image.Rectangle, name string) image.Image {
	t.Helper()
	img, b := pdftest.Render(t, pdf, page, dpi, crop)
	if name != "" {
		keep(t, name, b)
	}
	return img
}

const pt = 72 / 25.4 // points per mm

func sampleContent() Content {
	return Content{
		ParentAgency: "UBND TỈNH KHÁNH HÒA",
		Agency:       "Sở Thông tin và Truyền thông tỉnh Khánh Hòa",
		Number:       "012/GCN-STTTT",
		Gender:       "Nữ",
		// Typed decomposed (NFD), as some keyboards and Excel deliver it.
		FullName:    norm.NFD.String("Nguyễn Thị Hải Yến"),
		BirthDate:   "1985-03-15",
		Unit:        "Phòng Văn hóa và Thông tin huyện Diên Khánh",
		Wording:     "Đã hoàn thành lớp tập huấn",
		CourseTitle: "Nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
		StartsOn:    "2023-12-04",
		EndsOn:      "2023-12-05",
		Place:       "Khánh Hòa",
		IssuedOn:    "2023-12-05",
		SignerTitle: "KT. GIÁM ĐỐC",
		SignerSub:   "PHÓ GIÁM ĐỐC",
		SignerName:  "Trần Văn Đức",
		VerifyURL:   "https://taphuan.khanhhoa.gov.vn/verify/q3X9v0bKc1ZyT2mN4pL8wA",
	}
}

// testIssued is the creation date of the documents the tests draw directly.
var testIssued = time.Date(2023, 12, 5, 16, 0, 0, 0, time.UTC)

func renderOK(t testing.TB, c Content) []byte {
	t.Helper()
	pdf, err := Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return pdf
}

func TestRenderText(t *testing.T) {
	t.Parallel()
	pdf := renderOK(t, sampleContent())
	keep(t, "certificate.pdf", pdf)
	pages := pdftest.Text(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := pages[0]
	flat := strings.Join(strings.Fields(text), " ")
	for _, s := range []string{
		"UBND TỈNH KHÁNH HÒA", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 012/GCN-STTTT", "GIẤY CHỨNG NHẬN",
		"Nguyễn Thị Hải Yến", // NFC although the input was NFD
		"Ngày sinh: 15/03/1985", "Đơn vị công tác: Phòng Văn hóa và Thông tin huyện Diên Khánh",
		"Đã hoàn thành lớp tập huấn",
		"Nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
		"Thời gian: từ ngày 04/12/2023 đến ngày 05/12/2023",
		"Khánh Hòa, ngày 05 tháng 12 năm 2023", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Đức",
		"https://taphuan.khanhhoa.gov.vn/verify/q3X9v0bKc1ZyT2mN4pL8wA",
	} {
		if !strings.Contains(flat, s) {
			t.Errorf("certificate lacks %q:\n%s", s, text)
		}
	}
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
		t.Error("text holds combining marks: the NFD name was not normalised")
	}
	// Label and name share one line (pdftotext puts the larger name on a line of its own
	// unless asked to keep the layout).
	if line := pdftest.Text(t, pdf, "-layout")[0]; !regexp.MustCompile(`Chứng nhận Bà: +Nguyễn Thị Hải Yến\n`).MatchString(line) {
		t.Errorf("name line is not \"Chứng nhận Bà: Nguyễn Thị Hải Yến\":\n%s", line)
	}

	t.Run("Ông for Nam, Ông/Bà otherwise", func(t *testing.T) {
		for gender, want := range map[string]string{"Nam": `Chứng nhận Ông: +Nguyễn Thị Hải Yến`, "": `Chứng nhận Ông/Bà: +Nguyễn Thị Hải Yến`} {
			c := sampleContent()
			c.Gender = gender
			if text := pdftest.Text(t, renderOK(t, c), "-layout")[0]; !regexp.MustCompile(want).MatchString(text) {
				t.Errorf("gender %q: lacks %q", gender, want)
			}
		}
	})
	t.Run("one-day course", func(t *testing.T) {
		c := sampleContent()
		c.StartsOn = c.EndsOn
		if text := pdftest.Text(t, renderOK(t, c))[0]; !strings.Contains(text, "Thời gian: ngày 05/12/2023") {
			t.Errorf("one-day course dates:\n%s", text)
		}
	})
	// The file records when it was written, so two renderings differ in their bytes; what
	// they print does not.
	t.Run("same content, same page", func(t *testing.T) {
		again := renderOK(t, sampleContent())
		if !sameImage(render(t, pdf, 72, nil, ""), render(t, again, 72, nil, "")) {
			t.Error("the same content drew different pages")
		}
		if pdftest.Text(t, pdf, "-layout")[0] != pdftest.Text(t, again, "-layout")[0] {
			t.Error("the same content wrote different text")
		}
	})
}

// TestRenderLongTexts: a very long name, unit, course title and signer title shrink or
// wrap, stay inside the frame and never run into the signer block.
func TestRenderLongTexts(t *testing.T) {
	t.Parallel()
	c := sampleContent()
	c.FullName = "Công Tôn Nữ Huyền Tôn Thất Nguyễn Phước Mỹ Ước Nguyệt Hạnh Dung Kiều Oanh Phương Thảo"
	c.Unit = "Trung tâm Văn hóa - Thông tin - Thể thao và Truyền thanh - Truyền hình huyện Cam Lâm, tỉnh Khánh Hòa (cũ), nay là xã Cam Lâm"
	c.CourseTitle = strings.Repeat("Bồi dưỡng nghiệp vụ thông tin cơ sở, thông tin đối ngoại và truyền thông chính sách ", 4)
	c.SignerTitle = "KT. GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH KHÁNH HÒA (NAY LÀ SỞ KHOA HỌC VÀ CÔNG NGHỆ)"
	c.Logo = testLogo(t)
	pdf := renderOK(t, c)
	keep(t, "certificate-long.pdf", pdf)
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " ")
	for _, s := range []string{c.FullName, c.SignerTitle, "Cam Lâm, tỉnh Khánh Hòa (cũ), nay là xã Cam Lâm",
		"Khánh Hòa, ngày 05 tháng 12 năm 2023", "GIẤY CHỨNG NHẬN", "Trần Văn Đức"} {
		if !strings.Contains(text, s) {
			t.Errorf("lacks %q (cut off?):\n%s", s, text)
		}
	}
	ws := pdftest.Words(t, pdf)
	var dateTop float64
	for _, w := range ws {
		if w.Text == "ngày" && w.XMin > signerColX*pt-1 {
			dateTop = w.YMin
			break
		}
	}
	if dateTop == 0 {
		t.Fatal("date line not found in the signer column")
	}
	for _, w := range ws {
		if w.XMin < 10*pt || w.XMax > (pageW-10)*pt || w.YMax > (pageH-10)*pt {
			t.Errorf("word %q at (%.0f–%.0f, %.0f) mm crosses the frame", w.Text, w.XMin/pt, w.XMax/pt, w.YMax/pt)
		}
		if w.XMax > signerColX*pt && w.YMax > dateTop+1 && w.YMin < dateTop-1 {
			continue
		}
		// The body (the course title's last words) ends above the date line.
		if strings.Contains(c.CourseTitle, w.Text) && w.YMin > 60*pt && w.YMax > dateTop+0.5 && w.XMin < signerColX*pt-20*pt {
			if !strings.Contains("Quét mã QR hoặc truy cập địa chỉ dưới đây để kiểm tra giấy chứng nhận:", w.Text) {
				t.Errorf("body word %q at %.0f mm runs into the bottom block (date line at %.0f mm)", w.Text, w.YMax/pt, dateTop/pt)
			}
		}
	}
	img := render(t, pdf, 60, nil, "certificate-long.png")
	if s := pdftest.DarkShare(img, img.Bounds()); s < 0.01 {
		t.Errorf("page renders almost blank: %.4f dark", s)
	}
}

// testLogo is a 60×60 PNG: a dark ring on transparent ground.
func testLogo(t testing.TB) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 60, 60))
	for y := range 60 {
		for x := range 60 {
			dx, dy := x-30, y-30
			if r2 := dx*dx + dy*dy; r2 < 29*29 && r2 > 22*22 {
				img.Set(x, y, color.NRGBA{R: 163, G: 32, B: 28, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRenderQRCode reads the QR code back from the rendered page, module by module, and
// compares it with an independent encoding of the verification address.
func TestRenderQRCode(t *testing.T) {
	t.Parallel()
	c := sampleContent()
	pdf := renderOK(t, c)
	q, err := qrcode.New(c.VerifyURL, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	want := q.Bitmap()
	const dpi = 300
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	qx, qy, _ := QRArea()
	margin := 3.0
	crop := image.Rect(px(qx-margin), px(qy-margin), px(qx+qrSize+margin), px(qy+qrSize+margin))
	img := render(t, pdf, dpi, &crop, "qr.png")
	mod := qrSize / float64(len(want))
	bad := 0
	for r := range want {
		for col := range want[r] {
			if pdftest.Dark(img, px(margin+(float64(col)+0.5)*mod), px(margin+(float64(r)+0.5)*mod)) != want[r][col] {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d modules differ from the QR encoding of %q", bad, len(want)*len(want), c.VerifyURL)
	}
	// The quiet zone around the code stays white (the frame is further out).
	for name, r := range map[string]image.Rectangle{
		"above": image.Rect(0, 0, img.Bounds().Dx(), px(margin)-3),
		"left":  image.Rect(0, 0, px(margin)-3, img.Bounds().Dy()),
		"right": image.Rect(px(margin+qrSize)+3, 0, img.Bounds().Dx(), img.Bounds().Dy()),
	} {
		if s := pdftest.DarkShare(img, r); s != 0 {
			t.Errorf("quiet zone %s of the code is %.3f dark", name, s)
		}
	}
}

// TestRenderGlyphs looks at the rendered page: it is not blank, and no letter of the
// certificate's text is drawn as the font's "missing glyph" box. Each distinct letter is
// drawn alone and compared with the drawing of a code point the font lacks.
func TestRenderGlyphs(t *testing.T) {
	t.Parallel()
	c := sampleContent()
	c.FullName = "Đặng Thị Ngọc Ước Huỳnh Lữ Khởi Nguyệt Ỷ Ỗ Ễ Ự Ẵ Ẫ Ợ Ậ"
	pdf := renderOK(t, c)
	img := render(t, pdf, 100, nil, "certificate-page.png")
	if s := pdftest.DarkShare(img, img.Bounds()); s < 0.02 {
		t.Errorf("page renders almost blank: %.4f dark", s)
	}

	letters := map[rune]bool{}
	for _, s := range []string{pdftest.Text(t, pdf)[0], c.FullName, "ĂÂÊÔƠƯĐăâêôơưđ"} {
		for _, r := range s {
			if unicode.IsLetter(r) && r > unicode.MaxASCII {
				letters[r] = true
			}
		}
	}
	runes := []rune{'\uE000'} // private use: not in Liberation Serif, drawn as .notdef
	for r := range letters {
		runes = append(runes, r)
	}
	for _, st := range []pdfdoc.Style{pdfdoc.Regular, pdfdoc.Bold, pdfdoc.Italic} {
		d, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.WithMargins(0, 0, 0, 0), pdfdoc.WithCreationDate(testIssued))
		if err != nil {
			t.Fatal(err)
		}
		d.AddPage()
		d.SetFont(st, 40)
		const cell = 18.0 // mm; 90 px at 127 dpi
		perRow := 11      // 11 × 18 mm across 210 mm
		for i, r := range runes {
			d.SetXY(float64(i%perRow)*cell, float64(i/perRow)*cell)
			d.Cell(cell, cell, string(r), pdfdoc.Center)
		}
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		const dpi = 127
		sheet := render(t, b, dpi, nil, fmt.Sprintf("glyphs-%s.png", st))
		cellPx := int(cell * dpi / 25.4)
		at := func(i int) image.Rectangle {
			x, y := (i%perRow)*cellPx, (i/perRow)*cellPx
			return image.Rect(x+1, y+1, x+cellPx-1, y+cellPx-1)
		}
		// Liberation Serif's missing glyph draws nothing, so a missing letter would be a blank
		// cell; comparing with the drawing of U+E000 also catches a font whose box is visible.
		notdef := at(0)
		for i, r := range runes[1:] {
			cellR := at(i + 1)
			same := true
			for y := 0; y < cellR.Dy() && same; y++ {
				for x := 0; x < cellR.Dx(); x++ {
					if pdftest.Dark(sheet, cellR.Min.X+x, cellR.Min.Y+y) != pdftest.Dark(sheet, notdef.Min.X+x, notdef.Min.Y+y) {
						same = false
						break
					}
				}
			}
			if same {
				t.Errorf("style %q: %q (U+%04X) is drawn as the missing-glyph box", st, r, r)
			}
			if pdftest.DarkShare(sheet, cellR) == 0 {
				t.Errorf("style %q: %q (U+%04X) draws nothing", st, r, r)
			}
		}
	}
}

func TestFileNameAndHelpers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ number, name, want string }{
		{"012/GCN-STTTT", "Nguyễn Thị Hải Yến", "012-GCN-STTTT_Nguyen-Thi-Hai-Yen.pdf"},
		{"001/GCN", "Đặng Văn Đức", "001-GCN_Dang-Van-Duc.pdf"},
		{"7/2023/GCN", norm.NFD.String("H'Hen Niê"), "7-2023-GCN_H-Hen-Nie.pdf"},
		{"", "", "giay-chung-nhan.pdf"},
	} {
		if got := FileName(tc.number, tc.name); got != tc.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", tc.number, tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		format string
		ok     bool
	}{
		{"%03d/GCN-STTTT", true}, {"%d/GCN", true}, {"GCN-%04d/2023", true}, {"%03d/GCN 100%%", true},
		{"GCN", false}, {"%s/GCN", false}, {"%03d/%d", false}, {"%x", false}, {"%", false}, {"%-3d", false},
	} {
		if got := ValidNumberFormat(tc.format); got != tc.ok {
			t.Errorf("ValidNumberFormat(%q) = %v, want %v", tc.format, got, tc.ok)
		}
	}
	if n, _ := FormatNumber("%03d/GCN-STTTT", 12); n != "012/GCN-STTTT" {
		t.Errorf("FormatNumber = %q", n)
	}
	if got := CourseDates("2023-12-04", "2023-12-05"); got != "từ ngày 04/12/2023 đến ngày 05/12/2023" {
		t.Errorf("CourseDates = %q", got)
	}
}

// TestRenderAll: a batch drawn in one document comes out as one file per certificate,
// each with its own page only.
func TestRenderAll(t *testing.T) {
	t.Parallel()
	var cs []Content
	for i, name := range []string{"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Hoàng Ước"} {
		c := sampleContent()
		c.FullName, c.Number = name, fmt.Sprintf("%03d/GCN-STTTT", i+1)
		c.Logo = testLogo(t)
		cs = append(cs, c)
	}
	files, err := RenderAll(cs)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("%d files, want 3", len(files))
	}
	for i, f := range files {
		pages := pdftest.Text(t, f)
		if len(pages) != 1 {
			t.Fatalf("file %d has %d pages", i, len(pages))
		}
		for j, c := range cs {
			has := strings.Contains(pages[0], c.FullName) && strings.Contains(pages[0], "Số: "+c.Number)
			if has != (i == j) {
				t.Errorf("file %d holds %s: %v", i, c.FullName, has)
			}
		}
	}
	if out, err := exec.Command(pdftest.Tool(t, "pdfinfo"), pdftest.File(t, files[1])).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "Title:           Giấy chứng nhận 002/GCN-STTTT") {
		t.Errorf("pdfinfo: %v\n%s", err, out)
	}
}

// TestRenderLongestSettings: the longest signer lines and place the settings accept, in wide
// letters, still give one page with every line on it — a certificate never spills onto a
// second page (issuing cuts a batch into one file per page).
func TestRenderLongestSettings(t *testing.T) {
	t.Parallel()
	wide := func(word string, n int) string {
		r := []rune(strings.TrimSpace(strings.Repeat(word+" ", n)))
		return strings.TrimSpace(string(r[:n]))
	}
	c := sampleContent()
	c.SignerTitle = wide("KT. GIÁM ĐỐC", MaxSignerLine)
	c.SignerSub = wide("PHÓ GIÁM ĐỐC", MaxSignerLine)
	c.SignerName = wide("Mỹ Ngưỡng", MaxSignerName)
	c.Place = wide("Khánh Hòa", MaxPlaceName)
	pdf := renderOK(t, c)
	keep(t, "certificate-longest-settings.pdf", pdf)
	pages := pdftest.Text(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := strings.Join(strings.Fields(pages[0]), " ")
	for _, s := range []string{"GIẤY CHỨNG NHẬN", "Mỹ Ngưỡng", "PHÓ GIÁM ĐỐC"} {
		if !strings.Contains(text, s) {
			t.Errorf("lacks %q:\n%s", s, text)
		}
	}
	ws := pdftest.Words(t, pdf)
	for i, w := range ws {
		if w.YMax > (pageH-10)*pt || w.XMax > (pageW-10)*pt {
			t.Errorf("word %q at (%.0f mm, %.0f mm) crosses the frame", w.Text, w.XMax/pt, w.YMax/pt)
		}
		// No two words are drawn over each other (a wrapped line running into the next).
		for _, v := range ws[i+1:] {
			const slack = 0.5 // points: neighbours on a line may touch
			if w.XMin < v.XMax-slack && v.XMin < w.XMax-slack && w.YMin < v.YMax-slack && v.YMin < w.YMax-slack {
				t.Errorf("words %q and %q overlap at (%.0f mm, %.0f mm)", w.Text, v.Text, w.XMin/pt, w.YMin/pt)
			}
		}
	}
}
