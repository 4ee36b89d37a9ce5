package documents

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
	"golang.org/x/text/unicode/norm"

	"taphuan/pdfdoc"
)

// DocxType is the content type of a DOCX file.
const DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// docxFont is the font the DOCX asks for: Decree 30/2020 names Times New Roman, which every
// Word has; LibreOffice shows it with Liberation Serif, metric-compatible, the font of the
// PDFs.
const docxFont = "Times New Roman"

// twips converts mm to twentieths of a point.
func twips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// DOCX renders doc as a Word document with the same page, margins, fonts and blocks as the
// PDF: real paragraphs and tables (the header and the closing are borderless tables), so
// the clerk edits it like any document.
func DOCX(doc *Document, agency string, now time.Time) ([]byte, error) {
	rd, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("documents: new docx: %w", err)
	}
	// The widths of the header lines and rules are measured with the PDF's font metrics.
	m, err := pdfdoc.New(pdfdoc.Portrait)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	m.AddPage()
	w := &docxWriter{rd: rd, m: m}
	for i := range doc.Parts {
		if i > 0 {
			rd.AddPageBreak()
		}
		w.part(&doc.Parts[i])
	}
	w.section()
	pageNumbers(rd)
	properties(rd, doc.Title, agency, now)
	var buf bytes.Buffer
	if err := rd.Write(&buf); err != nil {
		return nil, fmt.Errorf("documents: write docx %s: %w", doc.Title, err)
	}
	return buf.Bytes(), nil
}

// pageNumbers adds a header with the PAGE field, centred, not on the first page (the
// section's title page), as Decree 30/2020 numbers official documents.
func pageNumbers(rd *docx.RootDoc) {
	const id = "rIdTaphuanPageNumber"
	run := `<w:r><w:rPr><w:rFonts w:ascii="` + docxFont + `" w:hAnsi="` + docxFont + `" w:cs="` + docxFont + `"/><w:sz w:val="28"/></w:rPr>`
	hdr := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
		run + `<w:fldChar w:fldCharType="begin"/></w:r>` + run + `<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		run + `<w:fldChar w:fldCharType="separate"/></w:r>` + run + `<w:t>2</w:t></w:r>` + run + `<w:fldChar w:fldCharType="end"/></w:r>` +
		`</w:p></w:hdr>`
	rd.FileMap.Store("word/header1.xml", []byte(hdr))
	rd.Document.DocRels.Relationships = append(rd.Document.DocRels.Relationships, &docx.Relationship{ID: id,
		Type: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header", Target: "header1.xml"})
	rd.ContentType.Override = append(rd.ContentType.Override, docx.Override{PartName: "/word/header1.xml",
		ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"})
	sp := rd.Document.Body.SectPr
	sp.HeaderReference = &ctypes.HeaderReference{Type: stypes.HdrFtrDefault, ID: id}
	sp.TitlePg = ctypes.NewGenSingleStrVal(stypes.OnOffTrue)
}

// properties replaces the template's core properties (its author, date and description)
// with the document's title, the agency and now, and drops the template's thumbnail, a
// picture of another document.
func properties(rd *docx.RootDoc, title, agency string, now time.Time) {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(norm.NFC.String(s)))
		return b.String()
	}
	at := now.UTC().Format("2006-01-02T15:04:05Z")
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(title) + `</dc:title><dc:creator>` + esc(agency) + `</dc:creator><cp:revision>1</cp:revision>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + at + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + at + `</dcterms:modified>` +
		`</cp:coreProperties>`
	rd.FileMap.Store("docProps/core.xml", []byte(core))
	rels := rd.RootRels.Relationships[:0]
	for _, r := range rd.RootRels.Relationships {
		if strings.HasSuffix(r.Type, "/metadata/thumbnail") {
			rd.FileMap.Delete(r.Target)
			continue
		}
		rels = append(rels, r)
	}
	rd.RootRels.Relationships = rels
}

type docxWriter struct {
	rd *docx.RootDoc
	m  *pdfdoc.Doc // measures text
}

// section sets A4 portrait and the margins of the PDF.
func (w *docxWriter) section() {
	pw, ph := uint64(twips(pageW)), uint64(twips(pageH))
	top, bottom, left, right := twips(marginTop), twips(marginBottom), twips(marginLeft), twips(marginRight)
	header, footer, gutter := twips(10), twips(10), 0
	w.rd.Document.Body.SectPr = &ctypes.SectionProp{
		PageSize:   &ctypes.PageSize{Width: &pw, Height: &ph},
		PageMargin: &ctypes.PageMargin{Top: &top, Bottom: &bottom, Left: &left, Right: &right, Header: &header, Footer: &footer, Gutter: &gutter},
	}
}

// style of a run.
type runStyle struct {
	bold, italic bool
	size         float64
}

// text adds s to p in style st; "\n" becomes a line break.
func text(p *docx.Paragraph, s string, st runStyle) {
	for i, line := range strings.Split(norm.NFC.String(s), "\n") {
		prop := &ctypes.RunProperty{
			Fonts: &ctypes.RunFonts{Ascii: docxFont, HAnsi: docxFont, CS: docxFont, EastAsia: docxFont},
			Size:  ctypes.NewFontSize(uint64(math.Round(st.size * 2))),
		}
		if st.bold {
			prop.Bold = ctypes.OnOffFromBool(true)
		}
		if st.italic {
			prop.Italic = ctypes.OnOffFromBool(true)
		}
		var children []ctypes.RunChild
		if i > 0 {
			children = append(children, ctypes.RunChild{Break: &ctypes.Break{}})
		}
		t := ctypes.TextFromString(line)
		t.Space = ptr("preserve") // the blanks left for the clerk are runs of spaces
		children = append(children, ctypes.RunChild{Text: t})
		p.GetCT().Children = append(p.GetCT().Children, ctypes.ParagraphChild{Run: &ctypes.Run{Property: prop, Children: children}})
	}
}

// format sets a paragraph's alignment, spacing (pt before and after, single lines) and
// indents (mm).
func format(p *docx.Paragraph, jc stypes.Justification, before, after float64, firstLine, left, right float64) {
	p.Justification(jc)
	b, a := uint64(before*20), uint64(after*20)
	line := 240
	rule := stypes.LineSpacingRuleAuto
	p.GetCT().Property.Spacing = &ctypes.Spacing{Before: &b, After: &a, Line: &line, LineRule: &rule}
	if firstLine > 0 || left > 0 || right > 0 {
		in := &ctypes.Indent{}
		if firstLine > 0 {
			fl := uint64(twips(firstLine))
			in.FirstLine = &fl
		}
		if left > 0 {
			l := twips(left)
			in.Left = &l
		}
		if right > 0 {
			r := twips(right)
			in.Right = &r
		}
		p.Indent(in)
	}
}

// rule makes p a thin empty paragraph whose top border is a centred rule of width mm in a
// column of colW mm.
func rule(p *docx.Paragraph, width, colW float64) {
	side := max(0, (colW-width)/2)
	// A little space above keeps the rule off the descenders of the line it underlines.
	format(p, stypes.JustificationCenter, 2, 0, 0, side, side)
	text(p, "", runStyle{size: 2})
	sz := 6 // eighths of a point
	p.GetCT().Property.Border = &ctypes.ParaBorder{Top: &ctypes.Border{Val: stypes.BorderStyleSingle, Size: &sz, Color: ptr("000000")}}
}

func ptr[T any](v T) *T { return &v }

var noBorder = func() *ctypes.Border { return &ctypes.Border{Val: stypes.BorderStyleNone} }

// table starts a table of fixed column widths (mm), bordered or not.
func (w *docxWriter) table(widths []float64, bordered bool) *docx.Table {
	t := w.rd.AddTable()
	var total float64
	grid := make([]uint64, len(widths))
	for i, c := range widths {
		grid[i] = uint64(twips(c))
		total += c
	}
	t.Grid(grid...)
	t.Width(twips(total), stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	ct := t.GetCT()
	pad := twips(1.5)
	if total < contentW-0.5 {
		ct.TableProp.Justification = ctypes.NewGenSingleStrVal(stypes.JustificationCenter)
	} else {
		// Word and LibreOffice put a table's edge the cell padding left of the margin, so
		// that the text lines up with the paragraphs; the decree's margin is the edge.
		ct.TableProp.Indent = ctypes.NewTableWidth(pad, stypes.TableWidthDxa)
	}
	b := noBorder
	if bordered {
		sz := 4
		b = func() *ctypes.Border {
			return &ctypes.Border{Val: stypes.BorderStyleSingle, Size: &sz, Color: ptr("000000")}
		}
	}
	ct.TableProp.Borders = &ctypes.TableBorders{Top: b(), Left: b(), Bottom: b(), Right: b(), InsideH: b(), InsideV: b()}
	ct.TableProp.CellMargin = &ctypes.CellMargins{Left: ctypes.NewTableWidth(pad, stypes.TableWidthDxa), Right: ctypes.NewTableWidth(pad, stypes.TableWidthDxa)}
	return t
}

func cell(r *docx.Row, width float64) *docx.Cell {
	c := r.AddCell()
	c.Width(twips(width), stypes.TableWidthDxa)
	return c
}

func (w *docxWriter) width(s string, st pdfdoc.Style, size float64) float64 {
	w.m.SetFont(st, size)
	return w.m.StringWidth(s)
}

func (w *docxWriter) header(h *Header) {
	leftW := contentW * headerLeftShare
	rightW := contentW - leftW
	t := w.table([]float64{leftW, rightW}, false)
	row := t.AddRow()
	l, r := cell(row, leftW), cell(row, rightW)
	if h.ParentAgency != "" {
		p := l.AddEmptyPara()
		format(p, stypes.JustificationCenter, 0, 0, 0, 0, 0)
		text(p, strings.ToUpper(h.ParentAgency), runStyle{size: headSize})
	}
	agency := strings.ToUpper(h.Agency)
	p := l.AddEmptyPara()
	format(p, stypes.JustificationCenter, 0, 0, 0, 0, 0)
	text(p, agency, runStyle{bold: true, size: headSize})
	rule(l.AddEmptyPara(), min(w.width(agency, pdfdoc.Bold, headSize), leftW)*0.4, leftW)

	p = r.AddEmptyPara()
	format(p, stypes.JustificationCenter, 0, 0, 0, 0, 0)
	text(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", runStyle{bold: true, size: headSize - 1})
	motto := "Độc lập - Tự do - Hạnh phúc"
	p = r.AddEmptyPara()
	format(p, stypes.JustificationCenter, 0, 0, 0, 0, 0)
	text(p, motto, runStyle{bold: true, size: headSize + 1})
	rule(r.AddEmptyPara(), w.width(motto, pdfdoc.Bold, headSize+1), rightW)

	row = t.AddRow()
	l, r = cell(row, leftW), cell(row, rightW)
	p = l.AddEmptyPara()
	format(p, stypes.JustificationCenter, 4, 0, 0, 0, 0)
	text(p, h.Number, runStyle{size: headSize})
	if h.LetterSummary != "" {
		p = l.AddEmptyPara()
		format(p, stypes.JustificationCenter, 0, 0, 0, 0, 0)
		text(p, h.LetterSummary, runStyle{size: headSize - 1})
	}
	p = r.AddEmptyPara()
	format(p, stypes.JustificationCenter, 4, 0, 0, 0, 0)
	text(p, h.Date, runStyle{italic: true, size: headSize + 1})
}

func (w *docxWriter) para(s string, jc stypes.Justification, st runStyle, before, after, firstLine float64) *docx.Paragraph {
	p := w.rd.AddEmptyParagraph()
	format(p, jc, before, after, firstLine, 0, 0)
	text(p, s, st)
	return p
}

func (w *docxWriter) part(p *Part) {
	body := runStyle{size: bodySize}
	bold := runStyle{bold: true, size: bodySize}
	if p.Header != nil {
		w.header(p.Header)
	}
	if p.Type != "" {
		w.para(strings.ToUpper(p.Type), stypes.JustificationCenter, bold, 12, 0, 0)
	}
	if p.Summary != "" {
		w.para(p.Summary, stypes.JustificationCenter, bold, 0, 0, 0)
		rule(w.rd.AddEmptyParagraph(), contentW/3, contentW)
	}
	if p.Note != "" {
		w.para(p.Note, stypes.JustificationCenter, runStyle{italic: true, size: bodySize}, 0, 6, 0)
	}
	if len(p.Addressees) > 0 {
		w.para("Kính gửi: "+strings.Join(p.Addressees, "; ")+".", stypes.JustificationCenter, body, 6, 6, 0)
	}
	if p.Authority != "" {
		w.para(p.Authority, stypes.JustificationCenter, bold, 12, 6, 0)
	}
	for _, b := range p.Bases {
		w.para(b, stypes.JustificationBoth, runStyle{italic: true, size: bodySize}, 0, 3, indentMM)
	}
	if p.Decides {
		w.para("QUYẾT ĐỊNH:", stypes.JustificationCenter, bold, 6, 6, 0)
	}
	for _, b := range p.Body {
		w.block(b)
	}
	w.closing(p)
}

func (w *docxWriter) block(b Block) {
	body := runStyle{size: bodySize}
	bold := runStyle{bold: true, size: bodySize}
	switch b.Kind {
	case Heading:
		w.para(b.Text, stypes.JustificationLeft, bold, 6, 3, indentMM)
	case Centered:
		w.para(b.Text, stypes.JustificationCenter, bold, 6, 3, 0)
	case TableBlock:
		w.bodyTable(b.Table)
		w.para("", stypes.JustificationLeft, runStyle{size: 6}, 0, 0, 0)
	default:
		p := w.rd.AddEmptyParagraph()
		format(p, stypes.JustificationBoth, 0, 3, indentMM, 0, 0)
		if b.Lead != "" {
			text(p, b.Lead+" ", bold)
		}
		text(p, b.Text, body)
	}
}

func (w *docxWriter) bodyTable(tb *Table) {
	widths := make([]float64, len(tb.Columns))
	for i, c := range tb.Columns {
		widths[i] = c.Width
	}
	t := w.table(widths, true)
	st := runStyle{size: tableSize}
	hd := runStyle{bold: true, size: tableSize}
	add := func(cells []string, span int, style runStyle, header bool) {
		row := t.AddRow()
		col := 0
		for i, s := range cells {
			n := 1
			if i == 0 && span > 1 {
				n = span
			}
			var cw float64
			for _, x := range widths[col : col+n] {
				cw += x
			}
			c := cell(row, cw)
			if n > 1 {
				c.ColSpan(n)
			}
			c.VerticalAlign("center")
			jc := stypes.JustificationLeft
			switch {
			case header || n > 1 || tb.Columns[col].Center:
				jc = stypes.JustificationCenter
			case tb.Columns[col].Right:
				jc = stypes.JustificationRight
			}
			p := c.AddEmptyPara()
			format(p, jc, 2, 2, 0, 0, 0)
			text(p, s, style)
			col += n
		}
	}
	titles := make([]string, len(tb.Columns))
	for i, c := range tb.Columns {
		titles[i] = c.Title
	}
	add(titles, 1, hd, true)
	for _, r := range tb.Rows {
		add(r, 1, st, false)
	}
	if tb.Total != nil {
		add(tb.Total, max(tb.TotalSpan, 1), hd, false)
	}
	// As in the PDF: the header row repeats on every page and no row splits across pages.
	for i, rc := range t.GetCT().RowContents {
		if rc.Row == nil {
			continue
		}
		if rc.Row.Property == nil {
			rc.Row.Property = &ctypes.RowProperty{}
		}
		rc.Row.Property.CantSplit = ctypes.OnOffFromBool(true)
		if i == 0 {
			rc.Row.Property.Header = ctypes.OnOffFromBool(true)
		}
	}
}

func (w *docxWriter) closing(p *Part) {
	if p.Signer == nil && len(p.Recipients) == 0 {
		return
	}
	w.para("", stypes.JustificationLeft, runStyle{size: 6}, 6, 0, 0)
	lw := contentW * 0.45
	rw := contentW - lw
	t := w.table([]float64{lw, rw}, false)
	row := t.AddRow()
	l, r := cell(row, lw), cell(row, rw)
	l.VerticalAlign("top")
	r.VerticalAlign("top")
	if len(p.Recipients) > 0 {
		q := l.AddEmptyPara()
		format(q, stypes.JustificationLeft, 0, 0, 0, 0, 0)
		text(q, "Nơi nhận:", runStyle{bold: true, italic: true, size: recipTitle})
		for _, it := range p.Recipients {
			q = l.AddEmptyPara()
			format(q, stypes.JustificationLeft, 0, 0, 0, 0, 0)
			text(q, "- "+it, runStyle{size: recipSize})
		}
	} else {
		l.AddEmptyPara()
	}
	if s := p.Signer; s != nil {
		bold := runStyle{bold: true, size: bodySize}
		for _, line := range []string{strings.ToUpper(s.Authority), strings.ToUpper(s.Title)} {
			if line == "" {
				continue
			}
			q := r.AddEmptyPara()
			format(q, stypes.JustificationCenter, 0, 0, 0, 0, 0)
			text(q, line, bold)
		}
		for range 4 {
			q := r.AddEmptyPara()
			format(q, stypes.JustificationCenter, 0, 0, 0, 0, 0)
			text(q, "", runStyle{size: bodySize})
		}
		q := r.AddEmptyPara()
		format(q, stypes.JustificationCenter, 0, 0, 0, 0, 0)
		text(q, s.Name, bold)
	} else {
		r.AddEmptyPara()
	}
}
