package pdfdoc

import "strings"

// Header is the header block of a Vietnamese official document (Decree
// 30/2020/NĐ-CP, Appendix I): the agencies on the left, the national title
// and motto on the right, and under them the document number and the place
// and date.
type Header struct {
	// ParentAgency is the agency above the issuer, e.g. "UBND tỉnh Khánh
	// Hòa"; optional. Printed in upper case, regular.
	ParentAgency string
	// Agency is the issuing agency, e.g. "Sở Thông tin và Truyền thông".
	// Printed in upper case, bold, wrapped within the left column, with a
	// short rule under it.
	Agency string
	// Number is printed as given under the agency, e.g. "Số: 012/GCN-STTTT";
	// optional.
	Number string
	// Date is printed as given, in italics, under the motto, e.g.
	// "Khánh Hòa, ngày 04 tháng 12 năm 2023"; optional.
	Date string
}

const (
	nationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	nationalMotto = "Độc lập - Tự do - Hạnh phúc"
	// headerSize is the size of every line of the block: the decree allows
	// 12–13 pt for the agency and 12–13 / 13–14 pt for title and motto.
	headerSize = 13
)

// OfficialHeader draws h across the content width at the cursor's Y: a left
// column of about 40% of the width for the agencies and the number, a right
// column for the national title, motto and date (widened if the title would
// not fit, and the title shrunk if the page is still too narrow). Every
// line is 13 pt, except that an agency name too long for the left column
// drops to 12 pt if that keeps it on one line, and otherwise wraps into
// lines of even length. The cursor ends at the left margin below the
// block; the font is restored.
func (d *Doc) OfficialHeader(h Header) {
	if !d.canDraw() {
		return
	}
	style, size := d.style, d.size
	defer func() {
		d.SetFont(style, size)
	}()

	cw := d.ContentWidth()
	x0, y0 := d.left, d.y
	d.SetFont(Bold, headerSize)
	rightW := min(max(cw*0.58, d.e.stringWidth(nationalTitle)+4), cw*0.66)
	leftW := cw - rightW
	rx := x0 + leftW
	const ruleGap = 0.6 // between the text and the rule under it, mm

	// Left column.
	d.x, d.y = x0, y0
	if h.ParentAgency != "" {
		d.drawLines(d.agencyLines(Regular, upper(h.ParentAgency), leftW), leftW, Center)
	}
	lines := d.agencyLines(Bold, upper(h.Agency), leftW)
	d.drawLines(lines, leftW, Center)
	var widest float64
	for _, ln := range lines {
		widest = max(widest, d.e.stringWidth(ln.text))
	}
	// A third to a half of the line, per the decree.
	if rule := widest * 0.4; rule > 0 {
		y := d.y + ruleGap
		d.e.line(x0+(leftW-rule)/2, y, x0+(leftW+rule)/2, y)
	}
	leftBottom := d.y + ruleGap

	// Right column.
	d.x, d.y = rx, y0
	d.FitText(rightW, nationalTitle, Center, 9)
	d.FitText(rightW, nationalMotto, Center, 9)
	// FitText restored the size; measure the motto at the size it was drawn.
	mw := min(d.e.stringWidth(nationalMotto), rightW)
	y := d.y + ruleGap
	d.e.line(rx+(rightW-mw)/2, y, rx+(rightW+mw)/2, y)
	rightBottom := y

	y = max(leftBottom, rightBottom) + 2
	bottom := y
	if h.Number != "" {
		d.SetFont(Regular, headerSize)
		d.x, d.y = x0, y
		d.Paragraph(leftW, h.Number, Center)
		bottom = max(bottom, d.y)
	}
	if h.Date != "" {
		d.SetFont(Italic, headerSize)
		d.x, d.y = rx, y
		d.Paragraph(rightW, h.Date, Center)
		bottom = max(bottom, d.y)
	}
	d.x, d.y = x0, bottom+2
}

// agencyLines selects the style at 13 pt, or 12 pt (the decree's lower
// bound) when that keeps s on one line of width w, and wraps s otherwise,
// into lines of even length rather than a long line and an orphan word.
func (d *Doc) agencyLines(st Style, s string, w float64) []wrapped {
	for _, size := range []float64{headerSize, headerSize - 1} {
		d.SetFont(st, size)
		if d.e.stringWidth(s) <= w {
			return []wrapped{{text: s, last: true}}
		}
	}
	d.SetFont(st, headerSize)
	return d.balancedWrap(s, w)
}

// balancedWrap wraps s to width w in as few lines as wrap does, but as
// narrow as possible, so the lines come out of similar length.
func (d *Doc) balancedWrap(s string, w float64) []wrapped {
	lines := d.wrap(s, w)
	if len(lines) < 2 {
		return lines
	}
	for n := w - 1; n > 0; n-- {
		l := d.wrap(s, n)
		if len(l) != len(lines) {
			break
		}
		lines = l
	}
	return lines
}

// upper returns s in NFC upper case: ToUpper maps precomposed Vietnamese
// letters one to one (ệ → Ệ, đ → Đ), so normalising first is enough.
func upper(s string) string { return strings.ToUpper(clean(s, true)) }
