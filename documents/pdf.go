package documents

import (
	"fmt"
	"strings"
	"time"

	"taphuan/pdfdoc"
)

// paraGap is the space between paragraphs, mm (about 6 pt).
const paraGap = 1.5

// PDF renders doc as an A4 PDF. now fixes the file's creation date.
func PDF(doc *Document, agency string, now time.Time) ([]byte, error) {
	d, err := pdfdoc.New(pdfdoc.Portrait, pdfdoc.WithMargins(marginLeft, marginTop, marginRight, marginBottom),
		pdfdoc.WithCreationDate(now), pdfdoc.WithTitle(doc.Title), pdfdoc.WithAuthor(agency))
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	for i := range doc.Parts {
		d.AddPage()
		pdfPart(d, &doc.Parts[i])
	}
	d.NumberPagesTop(bodySize)
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("documents: %s: %w", doc.Title, err)
	}
	return b, nil
}

func pdfPart(d *pdfdoc.Doc, p *Part) {
	left, _, _, _ := d.Margins()
	if h := p.Header; h != nil {
		pdfHeader(d, h)
	}
	if p.Type != "" {
		d.SetFont(pdfdoc.Bold, bodySize)
		d.Paragraph(0, strings.ToUpper(p.Type), pdfdoc.Center)
	}
	if p.Summary != "" {
		d.SetFont(pdfdoc.Bold, bodySize)
		d.Paragraph(0, p.Summary, pdfdoc.Center)
		// A rule under the summary, a third of the content width.
		_, y := d.GetXY()
		rule := d.ContentWidth() / 3
		d.Line(left+(d.ContentWidth()-rule)/2, y+0.8, left+(d.ContentWidth()+rule)/2, y+0.8)
		d.Ln(2)
	}
	if p.Note != "" {
		d.SetFont(pdfdoc.Italic, bodySize)
		d.Paragraph(0, p.Note, pdfdoc.Center)
	}
	if len(p.Addressees) > 0 {
		d.Ln(paraGap)
		d.SetFont(pdfdoc.Regular, bodySize)
		d.Paragraph(0, "Kính gửi: "+strings.Join(p.Addressees, "; ")+".", pdfdoc.Center)
	}
	if p.Authority != "" {
		d.Ln(paraGap * 2)
		d.SetFont(pdfdoc.Bold, bodySize)
		d.Paragraph(0, p.Authority, pdfdoc.Center)
		d.Ln(paraGap)
	}
	for _, b := range p.Bases {
		d.SetFont(pdfdoc.Italic, bodySize)
		d.LeadParagraph(0, indentMM, "", pdfdoc.Italic, b, pdfdoc.Justify)
		d.Ln(paraGap / 2)
	}
	if p.Decides {
		d.Ln(paraGap)
		d.SetFont(pdfdoc.Bold, bodySize)
		d.Paragraph(0, "QUYẾT ĐỊNH:", pdfdoc.Center)
		d.Ln(paraGap)
	}
	for _, b := range p.Body {
		pdfBlock(d, b)
	}
	pdfClosing(d, p)
}

func pdfBlock(d *pdfdoc.Doc, b Block) {
	switch b.Kind {
	case Heading:
		d.Ln(paraGap)
		d.SetFont(pdfdoc.Bold, bodySize)
		d.LeadParagraph(0, indentMM, "", pdfdoc.Bold, b.Text, pdfdoc.Left)
	case Centered:
		d.Ln(paraGap)
		d.SetFont(pdfdoc.Bold, bodySize)
		d.Paragraph(0, b.Text, pdfdoc.Center)
	case TableBlock:
		d.Ln(paraGap)
		t := b.Table
		cols := make([]pdfdoc.Column, len(t.Columns))
		var w float64
		for i, c := range t.Columns {
			al := pdfdoc.Left
			switch {
			case c.Right:
				al = pdfdoc.Right
			case c.Center:
				al = pdfdoc.Center
			}
			cols[i] = pdfdoc.Column{Title: c.Title, Width: c.Width, Align: al}
			w += c.Width
		}
		d.SetFont(pdfdoc.Regular, tableSize)
		d.Table(pdfdoc.Table{Columns: cols, Rows: t.Rows, Total: t.Total, TotalSpan: t.TotalSpan, Width: min(w, d.ContentWidth())})
		d.Ln(paraGap)
	default:
		d.SetFont(pdfdoc.Regular, bodySize)
		d.LeadParagraph(0, indentMM, b.Lead, pdfdoc.Bold, b.Text, pdfdoc.Justify)
		d.Ln(paraGap / 2)
	}
}

// pdfClosing draws "Nơi nhận" at the left and the signer at the right, side by side, on a
// new page if they would not fit whole.
func pdfClosing(d *pdfdoc.Doc, p *Part) {
	if p.Signer == nil && len(p.Recipients) == 0 {
		return
	}
	need := 50.0 + float64(len(p.Recipients))*4.5
	if d.SpaceLeft() < need {
		d.AddPage()
	}
	d.Ln(paraGap * 2)
	left, _, _, _ := d.Margins()
	cw := d.ContentWidth()
	lw := cw * 0.45
	_, y0 := d.GetXY()
	bottom := y0
	if len(p.Recipients) > 0 {
		d.SetXY(left, y0)
		d.SetFont(pdfdoc.BoldItalic, recipTitle)
		d.Paragraph(lw, "Nơi nhận:", pdfdoc.Left)
		d.SetFont(pdfdoc.Regular, recipSize)
		for _, r := range p.Recipients {
			d.Paragraph(lw, "- "+r, pdfdoc.Left)
		}
		_, bottom = d.GetXY()
	}
	if s := p.Signer; s != nil {
		x, w := left+lw, cw-lw
		d.SetXY(x, y0)
		d.SetFont(pdfdoc.Bold, bodySize)
		if s.Authority != "" {
			d.Paragraph(w, strings.ToUpper(s.Authority), pdfdoc.Center)
		}
		if s.Title != "" {
			d.Paragraph(w, strings.ToUpper(s.Title), pdfdoc.Center)
		}
		_, y := d.GetXY()
		d.SetXY(x, y+24)
		if s.Name != "" {
			d.Paragraph(w, s.Name, pdfdoc.Center)
		}
		_, y = d.GetXY()
		bottom = max(bottom, y)
	}
	d.SetXY(left, bottom)
}

// nationalTitle is measured to find the header's columns as pdfdoc.OfficialHeader does.
const nationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

// pdfHeader draws the header block. The number and the date lines are drawn here rather
// than by OfficialHeader, whose wrapping would close up the blanks left for the clerk.
func pdfHeader(d *pdfdoc.Doc, h *Header) {
	left, _, _, _ := d.Margins()
	cw := d.ContentWidth()
	d.SetFont(pdfdoc.Bold, headSize)
	rightW := min(max(cw*0.58, d.StringWidth(nationalTitle)+4), cw*0.66)
	leftW := cw - rightW
	d.OfficialHeader(pdfdoc.Header{ParentAgency: h.ParentAgency, Agency: h.Agency})
	_, y := d.GetXY()
	y -= 2 // OfficialHeader leaves 2 mm under the block; the number goes there
	d.SetXY(left, y)
	d.SetFont(pdfdoc.Regular, headSize)
	d.Cell(leftW, 0, h.Number, pdfdoc.Center)
	d.SetXY(left+leftW, y)
	d.SetFont(pdfdoc.Italic, headSize)
	d.Cell(rightW, 0, h.Date, pdfdoc.Center)
	d.SetXY(left, y+d.LineHeight())
	if h.LetterSummary != "" {
		d.SetFont(pdfdoc.Regular, headSize-1)
		d.Paragraph(leftW, h.LetterSummary, pdfdoc.Center)
	}
	d.Ln(4)
}
