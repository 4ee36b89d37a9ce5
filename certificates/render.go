package certificates

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"taphuan/pdfdoc"
	"taphuan/vn"
)

// Content is everything printed on one certificate, gathered before rendering so that what
// Render draws depends on nothing but its argument: the same Content always gives the same
// pages. (Not the same bytes: the file records when it was written.)
type Content struct {
	ParentAgency string // governing body above the issuer, "UBND TỈNH KHÁNH HÒA"; optional
	Agency       string // the issuing organization
	Number       string // "012/GCN-STTTT"; printed as "Số: 012/GCN-STTTT"
	Gender       string // "Nam" → Ông, "Nữ" → Bà, anything else → Ông/Bà
	FullName     string
	BirthDate    string // YYYY-MM-DD; empty leaves the line out
	Unit         string // the trainee's unit (đơn vị công tác); empty leaves the line out
	Wording      string // "Đã hoàn thành lớp tập huấn"
	CourseTitle  string
	StartsOn     string // YYYY-MM-DD
	EndsOn       string // YYYY-MM-DD
	Place        string // place of the date line, "Khánh Hòa"
	IssuedOn     string // YYYY-MM-DD, the date of the date line
	SignerTitle  string // "GIÁM ĐỐC" or "KT. GIÁM ĐỐC"
	SignerSub    string // "PHÓ GIÁM ĐỐC" under a KT. title; optional
	SignerName   string // optional: left blank for a hand-written name
	// A second signature block, for a co-organizer, left of the signer's; CoTitle empty: none.
	CoAgency  string // "TỈNH ĐOÀN KHÁNH HÒA"; optional
	CoTitle   string // "TM. BAN THƯỜNG VỤ"
	CoSub     string // "PHÓ BÍ THƯ"; optional
	CoName    string // optional
	Logo      []byte // PNG or JPEG; optional
	VerifyURL string // held by the QR code
}

// Salutation returns how the holder is addressed: Ông for Nam, Bà for Nữ, else Ông/Bà.
func Salutation(gender string) string {
	switch norm.NFC.String(strings.TrimSpace(gender)) {
	case "Nam":
		return "Ông"
	case "Nữ":
		return "Bà"
	}
	return "Ông/Bà"
}

// CourseDates writes the course's dates as the certificate does: "ngày 04/12/2023" for a
// one-day course, else "từ ngày 04/12/2023 đến ngày 05/12/2023".
func CourseDates(startsOn, endsOn string) string {
	s, err1 := vn.ParseDate(startsOn)
	e, err2 := vn.ParseDate(endsOn)
	switch {
	case err1 != nil && err2 != nil:
		return ""
	case err2 != nil || (err1 == nil && s.Equal(e)):
		if err1 != nil {
			s = e
		}
		return "ngày " + vn.FormatDate(s)
	case err1 != nil:
		return "ngày " + vn.FormatDate(e)
	}
	return "từ ngày " + vn.FormatDate(s) + " đến ngày " + vn.FormatDate(e)
}

// The page: A4 landscape inside a double frame. Sizes in mm, font sizes in pt.
const (
	pageW, pageH  = 297.0, 210.0
	marginSide    = 22.0
	marginTop     = 16.0
	marginBottom  = 14.0
	contentW      = pageW - 2*marginSide
	qrSize        = 28.0
	qrX           = marginSide + 4
	signerColW    = 118.0
	signerColX    = pageW - marginSide - signerColW
	coColW        = 84.0 // each of two signature blocks
	signatureGap  = 24.0 // room for the signature and the seal
	bottomBlockLn = 14.0 // size of the signer block's lines
)

// QRArea is where Render draws the QR code on the page: its top-left corner and side in
// mm from the page's top-left corner, without the quiet zone (kept white around it). For
// checks that read the code back from a rendering.
func QRArea() (x, y, size float64) { return qrX, qrTop(), qrSize }

func qrTop() float64 { return pageH - marginBottom - qrSize - 1 }

// bottomBlockTop is where the date line starts; everything of the body stays above it.
func bottomBlockTop() float64 {
	lh := lineHeight(bottomBlockLn)
	return pageH - marginBottom - (4*lh + signatureGap)
}

func lineHeight(size float64) float64 { return size * 25.4 / 72 * 1.2 }

// Render draws one certificate: the official header (agency, Quốc hiệu, Tiêu ngữ,
// number), the title, the holder, the course, and at the bottom the QR code with the
// verification address on the left and the date line and the signer on the right. Text
// that is too long shrinks, then wraps; the body as a whole shrinks if it would run into
// the bottom block. The same Content gives the same page.
func Render(c Content) ([]byte, error) {
	files, err := RenderAll([]Content{c})
	if err != nil {
		return nil, err
	}
	return files[0], nil
}

// RenderAll renders many certificates and returns one file each, as Render would draw
// them. They are drawn as the pages of one document and then cut into files with pdfcpu,
// so the fonts — most of the work of a PDF with embedded TrueType fonts — are parsed,
// subset and compressed once for all of them; each file carries the subset of the whole
// batch. Each file's creation date is the time it was written.
func RenderAll(cs []Content) ([][]byte, error) {
	if len(cs) == 0 {
		return nil, nil // nothing to render: no files
	}
	b, err := renderDoc(cs)
	if err != nil {
		return nil, err
	}
	infos := make([]pdfInfo, len(cs))
	for i, c := range cs {
		infos[i] = pdfInfo{Title: "Giấy chứng nhận " + c.Number, Author: c.Agency}
	}
	return splitPDF(b, infos)
}

// renderDoc draws cs as the pages of one document.
func renderDoc(cs []Content, opts ...pdfdoc.Option) ([]byte, error) {
	opts = append([]pdfdoc.Option{pdfdoc.WithMargins(marginSide, marginTop, marginSide, marginBottom)}, opts...)
	d, err := pdfdoc.New(pdfdoc.Landscape, opts...)
	if err != nil {
		return nil, fmt.Errorf("certificates: render: %w", err)
	}
	for _, c := range cs {
		if err := drawCertificate(d, c); err != nil {
			return nil, err
		}
	}
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("certificates: render %s: %w", cs[0].Number, err)
	}
	return b, nil
}

// drawCertificate draws c on a new page of d.
func drawCertificate(d *pdfdoc.Doc, c Content) error {
	d.AddPage()
	d.SetLineWidth(1.1)
	d.Rect(8, 8, pageW-16, pageH-16)
	d.SetLineWidth(0.3)
	d.Rect(10, 10, pageW-20, pageH-20)
	d.SetLineWidth(0.2)

	d.OfficialHeader(pdfdoc.Header{ParentAgency: c.ParentAgency, Agency: c.Agency, Number: "Số: " + c.Number})
	_, top := d.GetXY()
	drawBody(d, c, top, bottomBlockTop()-3)
	return drawBottom(d, c)
}

// block is one piece of the body: text in a style at a size, shrunk towards minSize
// before it wraps; gap is the space above it. The scale of the layout multiplies all.
type block struct {
	style         pdfdoc.Style
	size, minSize float64
	text          string
	gap           float64
	logo          []byte // a block with a logo is an image of height size mm
	holder        string // the name line: label in text, name in holder
}

func bodyBlocks(c Content) []block {
	var bs []block
	if len(c.Logo) > 0 {
		bs = append(bs, block{logo: c.Logo, size: 20, gap: 1})
	}
	bs = append(bs, block{style: pdfdoc.Bold, size: 30, minSize: 20, text: "GIẤY CHỨNG NHẬN", gap: 3})
	bs = append(bs, block{style: pdfdoc.Regular, size: 16, minSize: 12, text: "Chứng nhận " + Salutation(c.Gender) + ":",
		holder: c.FullName, gap: 4})
	if d, err := vn.ParseDate(c.BirthDate); err == nil {
		bs = append(bs, block{style: pdfdoc.Regular, size: 15, minSize: 11, text: "Ngày sinh: " + vn.FormatDate(d), gap: 1.5})
	}
	if c.Unit != "" {
		bs = append(bs, block{style: pdfdoc.Regular, size: 15, minSize: 11, text: "Đơn vị công tác: " + c.Unit, gap: 0.5})
	}
	bs = append(bs, block{style: pdfdoc.Regular, size: 15, minSize: 11, text: c.Wording, gap: 4})
	bs = append(bs, block{style: pdfdoc.Bold, size: 17, minSize: 13, text: c.CourseTitle, gap: 0.5})
	if dates := CourseDates(c.StartsOn, c.EndsOn); dates != "" {
		bs = append(bs, block{style: pdfdoc.Italic, size: 15, minSize: 11, text: "Thời gian: " + dates, gap: 0.5})
	}
	return bs
}

// placed is a block laid out at one scale: its lines and the size they are drawn at.
type placed struct {
	block
	lines    []string
	drawSize float64
	height   float64
	// the name line: label and name share a line when both fit
	nameLines []string
	nameSize  float64
	inline    bool
}

const (
	nameSize      = 26.0
	nameInlineMin = 20.0
	nameMinSize   = 15.0
)

// layout lays the blocks out at scale k and returns them with their total height.
func layout(d *pdfdoc.Doc, bs []block, k float64) ([]placed, float64) {
	out := make([]placed, 0, len(bs))
	var total float64
	for _, b := range bs {
		p := placed{block: b}
		switch {
		case b.logo != nil:
			p.height = b.size * k
		case b.holder != "":
			p.drawSize = b.size * k
			d.SetFont(b.style, p.drawSize)
			label := b.text + " "
			labelW := d.StringWidth(label)
			// The name shares the label's line while it fits at a size not far below nameSize.
			for sz := nameSize * k; sz >= nameInlineMin*k; sz -= 0.5 {
				d.SetFont(pdfdoc.Bold, sz)
				if d.StringWidth(b.holder) <= contentW-labelW {
					p.inline, p.nameLines, p.nameSize = true, []string{b.holder}, sz
					p.height = lineHeight(nameSize * k)
					break
				}
			}
			if p.inline {
				break
			}
			p.lines = []string{b.text}
			p.nameLines, p.nameSize = fit(d, pdfdoc.Bold, b.holder, nameSize*k, nameMinSize*k, contentW)
			p.height = lineHeight(p.drawSize) + float64(len(p.nameLines))*lineHeight(p.nameSize)
		default:
			p.lines, p.drawSize = fit(d, b.style, b.text, b.size*k, b.minSize*k, contentW)
			p.height = float64(len(p.lines)) * lineHeight(p.drawSize)
		}
		total += b.gap*k + p.height
		out = append(out, p)
	}
	return out, total
}

// fit returns s as one line at the largest size from size down to minSize (0.5 pt steps)
// at which it fits w, or wrapped at minSize.
func fit(d *pdfdoc.Doc, st pdfdoc.Style, s string, size, minSize, w float64) ([]string, float64) {
	for {
		d.SetFont(st, size)
		if d.StringWidth(s) <= w || size <= minSize {
			break
		}
		size = max(size-0.5, minSize)
	}
	return wrap(d, s, w), size
}

// wrap breaks s into lines no wider than w in the current font, at spaces, and inside a
// word only when the word alone is wider than w.
func wrap(d *pdfdoc.Doc, s string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		cand := word
		if line != "" {
			cand = line + " " + word
		}
		if d.StringWidth(cand) <= w {
			line = cand
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for d.StringWidth(word) > w {
			rs := []rune(word)
			n := 1
			for n < len(rs) && d.StringWidth(string(rs[:n+1])) <= w {
				n++
			}
			lines = append(lines, string(rs[:n]))
			word = string(rs[n:])
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// drawBody lays the body out between top and bottom at the largest scale (from 1.2 down
// to 0.6) at which it fits, and draws it centred on the page.
func drawBody(d *pdfdoc.Doc, c Content, top, bottom float64) {
	bs := bodyBlocks(c)
	var ps []placed
	var total float64
	for k := 1.2; ; k -= 0.05 {
		ps, total = layout(d, bs, k)
		if top+total <= bottom || k <= 0.6 {
			break
		}
	}
	// Spare room goes partly above the title, so a short certificate does not hug the header.
	y := top + min(max(bottom-top-total, 0)*0.4, 16)
	for _, p := range ps {
		y += p.gap
		switch {
		case p.logo != nil:
			// A logo the PDF library cannot read was refused when the settings were saved;
			// if one slips through, the certificate is still issued without it.
			_ = d.Image(p.logo, pageW/2-p.height/2, y, 0, p.height)
		case p.holder != "" && p.inline:
			lh := p.height
			d.SetFont(p.style, p.drawSize)
			label := p.text + " "
			labelW := d.StringWidth(label)
			d.SetFont(pdfdoc.Bold, p.nameSize)
			nameW := d.StringWidth(p.nameLines[0])
			x := marginSide + (contentW-labelW-nameW)/2
			// Cells centre text vertically; move the smaller label down so both share a baseline.
			shift := 0.3 * (p.nameSize - p.drawSize) * 25.4 / 72
			d.SetFont(p.style, p.drawSize)
			d.SetXY(x, y+shift)
			d.Cell(labelW, lh, label, pdfdoc.Left)
			d.SetFont(pdfdoc.Bold, p.nameSize)
			d.SetXY(x+labelW, y)
			d.Cell(nameW, lh, p.nameLines[0], pdfdoc.Left)
		case p.holder != "":
			below := drawLines(d, p.style, p.drawSize, p.lines, y)
			drawLines(d, pdfdoc.Bold, p.nameSize, p.nameLines, below)
		default:
			drawLines(d, p.style, p.drawSize, p.lines, y)
		}
		y += p.height
	}
}

// drawLines draws lines centred across the content width from y and returns the y below.
func drawLines(d *pdfdoc.Doc, st pdfdoc.Style, size float64, lines []string, y float64) float64 {
	d.SetFont(st, size)
	lh := lineHeight(size)
	for _, l := range lines {
		d.SetXY(marginSide, y)
		d.Cell(contentW, lh, l, pdfdoc.Center)
		y += lh
	}
	return y
}

// drawBottom draws the QR code and the verification note on the left, and the date line
// and the signer block on the right.
func drawBottom(d *pdfdoc.Doc, c Content) error {
	top := bottomBlockTop()
	lh := lineHeight(bottomBlockLn)
	x, colW := signerColX, signerColW
	noteRight := signerColX - 4
	if c.CoTitle != "" {
		// Two signature blocks side by side: the co-organizer's on the left, the issuer's on
		// the right under the date line; the QR note narrows.
		colW = coColW
		x = pageW - marginSide - colW
		coX := x - colW - 4
		noteRight = coX - 2
		cy := top + lh
		d.SetFont(pdfdoc.Bold, bottomBlockLn)
		for _, t := range []string{c.CoAgency, c.CoTitle, c.CoSub} {
			if t == "" {
				continue
			}
			d.SetXY(coX, cy)
			d.FitText(colW, upperTitle(t), pdfdoc.Center, 9)
			_, cy = d.GetXY()
		}
		if c.CoName != "" {
			d.SetXY(coX, pageH-marginBottom-lh)
			d.FitText(colW, c.CoName, pdfdoc.Center, 9)
		}
	}
	y := top
	d.SetFont(pdfdoc.Italic, bottomBlockLn)
	d.SetXY(x, y)
	d.FitText(colW, vn.DateLine(c.Place, dateOf(c.IssuedOn)), pdfdoc.Center, 10)
	y += lh
	d.SetFont(pdfdoc.Bold, bottomBlockLn)
	for _, t := range []string{c.SignerTitle, c.SignerSub} {
		if t == "" {
			continue
		}
		d.SetXY(x, y)
		// A title too long even at 9 pt wraps; the next line goes below all of it.
		d.FitText(colW, upperTitle(t), pdfdoc.Center, 9)
		_, y = d.GetXY()
	}
	if c.SignerName != "" {
		d.SetXY(x, pageH-marginBottom-lh)
		d.FitText(colW, c.SignerName, pdfdoc.Center, 9)
	}

	qy := qrTop()
	if err := d.QRCode(c.VerifyURL, qrX, qy, qrSize); err != nil {
		return fmt.Errorf("certificates: qr code: %w", err)
	}
	// The note sits right of the code, clear of its quiet zone, left of the signer column.
	nx := qrX + qrSize + 5
	nw := noteRight - nx
	d.SetFont(pdfdoc.Italic, 10)
	d.SetXY(nx, qy+qrSize/2-lineHeight(10)*1.5)
	d.Paragraph(nw, "Quét mã QR hoặc truy cập địa chỉ dưới đây để kiểm tra giấy chứng nhận:", pdfdoc.Left)
	d.SetFont(pdfdoc.Regular, 9)
	_, ny := d.GetXY()
	d.SetXY(nx, ny)
	d.FitText(nw, c.VerifyURL, pdfdoc.Left, 6)
	return nil
}

// dateOf reads a YYYY-MM-DD date; an unreadable one (never stored) prints today.
func dateOf(s string) time.Time {
	t, err := vn.ParseDate(s)
	if err != nil {
		return time.Now()
	}
	return t
}
