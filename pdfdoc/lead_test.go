package pdfdoc_test

import (
	"image"
	"strings"
	"testing"

	"taphuan/pdfdoc"
	"taphuan/pdfdoc/pdftest"
)

// TestLeadParagraph: the lead starts the first line after the indent, the text follows on
// the same line and wraps back to the left margin; a first word too long for what is left
// of the line goes to the next line, cut at the width.
func TestLeadParagraph(t *testing.T) {
	d, err := pdfdoc.New(pdfdoc.Portrait)
	if err != nil {
		t.Fatal(err)
	}
	d.AddPage()
	d.SetFont(pdfdoc.Regular, 14)
	text := strings.Repeat("Quyết định này có hiệu lực kể từ ngày ký. ", 4)
	used := d.LeadParagraph(0, 10, "Điều 3.", pdfdoc.Bold, text, pdfdoc.Justify)
	if lh := d.LineHeight(); used < 2*lh || used > 4*lh {
		t.Errorf("height %.1f mm for a paragraph of two to three lines of %.1f", used, lh)
	}
	d.Ln(5)
	d.LeadParagraph(0, 10, "", pdfdoc.Regular, strings.Repeat("…", 120), pdfdoc.Left)
	pdf, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	ws := pdftest.Words(t, pdf)
	const pt = 72 / 25.4 // points per mm
	dieu := find(t, ws, "Điều")
	if x := dieu.XMin / pt; x < 39.5 || x > 40.6 {
		t.Errorf("lead at %.1f mm, want 40 (margin 30 + indent 10)", x)
	}
	// The first word of the line under the lead's.
	var second pdftest.Word
	for _, w := range ws {
		if w.YMin <= dieu.YMax {
			continue
		}
		if second.Text == "" || w.YMin < second.YMin-1 || (w.YMin < second.YMin+1 && w.XMin < second.XMin) {
			second = w
		}
	}
	if x := second.XMin / pt; second.Text == "" || x < 29.5 || x > 30.6 {
		t.Errorf("second line starts with %q at %.1f mm, want the left margin", second.Text, x)
	}
	for _, w := range ws {
		if strings.HasPrefix(w.Text, "…") && w.XMax/pt > 195.5 {
			t.Errorf("a dotted line runs to %.1f mm, past the right margin", w.XMax/pt)
		}
	}
	text2 := strings.Join(pdftest.Text(t, pdf), " ")
	if !strings.Contains(text2, "Điều 3. Quyết định này") {
		t.Errorf("text: %s", text2)
	}
}

// TestNumberPagesTop: numbers from the second page, in the top margin, none on the first.
func TestNumberPagesTop(t *testing.T) {
	d, err := pdfdoc.New(pdfdoc.Portrait)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		d.AddPage()
		d.Paragraph(0, "Nội dung", pdfdoc.Left)
	}
	d.NumberPagesTop(13)
	pdf, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Text(t, pdf)
	if len(pages) != 3 || strings.Fields(pages[0])[0] != "Nội" || strings.Fields(pages[1])[0] != "2" || strings.Fields(pages[2])[0] != "3" {
		t.Fatalf("pages %q", pages)
	}
	// The number of page 2 is drawn inside the top margin (20 mm), above the text.
	img, _ := pdftest.Render(t, pdf, 2, 72, nil)
	mm := 72 / 25.4
	if pdftest.DarkShare(img, image.Rect(int(90*mm), 0, int(120*mm), int(20*mm))) == 0 {
		t.Error("no number in the top margin of page 2")
	}
	img, _ = pdftest.Render(t, pdf, 1, 72, nil)
	if pdftest.DarkShare(img, image.Rect(0, 0, img.Bounds().Dx(), int(19*mm))) != 0 {
		t.Error("the first page has something in its top margin")
	}
}
