package finance

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/pdfdoc"
	"taphuan/vn"
)

// The four reports share one shape: a title block, a table with STT, a total row, the total
// in words, notes, and the signature blocks (Người lập biểu, Kế toán, Thủ trưởng đơn vị). The
// PDF prints the figures computed here; the XLSX holds the same rows, with the computed
// columns (amount = quantity × unit price, tax, net, difference) and every total written as
// spreadsheet formulas, so an accountant who edits a cell sees the totals follow, and a test
// recomputes them to the PDF's figures.

type colKind int

const (
	kText colKind = iota
	kCenter
	kInt
	kMoney
)

type rcol struct {
	Title string
	W     float64 // PDF width share, mm
	XW    float64 // XLSX width, characters
	Kind  colKind
	Sum   bool // the total row sums it
}

// rcell is a value; F, when set, is its XLSX formula with {r} for the row number (N is then
// what the formula computes, for the PDF).
type rcell struct {
	S string
	N int64
	F string
}

func txt(s string) rcell         { return rcell{S: s} }
func num(n int64) rcell          { return rcell{N: n} }
func fx(n int64, f string) rcell { return rcell{N: n, F: f} }

type report struct {
	Title     string
	Sub       []string
	Cols      []rcol
	Rows      [][]rcell
	Words     int64 // the total written in words
	Notes     []string
	Landscape bool
	Stem      string
	Sheet     string
	RowHeight float64 // room to sign, mm
	flags     int     // what the computation could not price
}

func (r *report) cellText(c rcol, v rcell) string {
	switch c.Kind {
	case kInt:
		return strconv.FormatInt(v.N, 10)
	case kMoney:
		return vn.FormatInt(v.N)
	}
	return v.S
}

// totals are the sums of the Sum columns.
func (r *report) totals() map[int]int64 {
	t := map[int]int64{}
	for _, row := range r.Rows {
		for i, c := range r.Cols {
			if c.Sum {
				t[i] += row[i].N
			}
		}
	}
	return t
}

func (r *report) firstSum() int {
	for i, c := range r.Cols {
		if c.Sum {
			return i
		}
	}
	return len(r.Cols) - 1
}

// signers are the signature blocks of every list.
var signers = []string{"NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"}

// WordsLine is the "Bằng chữ" line of a total.
func WordsLine(total int64) string { return "Bằng chữ: " + vn.AmountInWords(total) + "." }

func (r *report) pdf(iss attendance.Issuer, c *courses.Course, now time.Time) (*attendance.Report, error) {
	o := pdfdoc.Portrait
	if r.Landscape {
		o = pdfdoc.Landscape
	}
	d, err := pdfdoc.NewReport(o, r.Title, pdfdoc.Header{ParentAgency: iss.ParentName, Agency: iss.Name}, now)
	if err != nil {
		return nil, fmt.Errorf("finance: %w", err)
	}
	d.Ln(2)
	d.SetFont(pdfdoc.Bold, 14)
	d.Paragraph(0, r.Title, pdfdoc.Center)
	for i, l := range r.Sub {
		st := pdfdoc.Italic
		if i == 0 {
			st = pdfdoc.Bold
		}
		d.SetFont(st, 13)
		d.Paragraph(0, l, pdfdoc.Center)
	}
	d.Ln(3)
	cols := make([]pdfdoc.Column, len(r.Cols))
	for i, c := range r.Cols {
		a := pdfdoc.Left
		switch c.Kind {
		case kCenter, kInt:
			a = pdfdoc.Center
		case kMoney:
			a = pdfdoc.Right
		}
		cols[i] = pdfdoc.Column{Title: c.Title, Width: c.W, Align: a}
	}
	rows := make([][]string, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = make([]string, len(r.Cols))
		for j, c := range r.Cols {
			rows[i][j] = r.cellText(c, row[j])
		}
	}
	span := r.firstSum()
	tot := r.totals()
	total := []string{"Tổng cộng"}
	for j := span; j < len(r.Cols); j++ {
		if r.Cols[j].Sum {
			total = append(total, r.cellText(r.Cols[j], num(tot[j])))
		} else {
			total = append(total, "")
		}
	}
	d.Table(pdfdoc.Table{Columns: cols, Rows: rows, Total: total, TotalSpan: span, FontSize: 11, MinRowHeight: r.RowHeight})
	d.Ln(2)
	d.SetFont(pdfdoc.Italic, 12)
	d.Paragraph(0, WordsLine(r.Words), pdfdoc.Left)
	d.SetFont(pdfdoc.Regular, 11)
	for _, n := range r.Notes {
		d.Paragraph(0, n, pdfdoc.Left)
	}
	d.Signatures(vn.DateLine(c.PlaceName, now), signers...)
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("finance: %s: %w", r.Title, err)
	}
	return &attendance.Report{Name: r.Stem + ".pdf", ContentType: attendance.PDFType, Data: b}, nil
}

func xcell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// xlsx writes the report as a workbook of one sheet.
func (r *report) xlsx() (*attendance.Report, error) {
	b, err := r.writeXLSX()
	if err != nil {
		return nil, fmt.Errorf("finance: %s xlsx: %w", r.Title, err)
	}
	return &attendance.Report{Name: r.Stem + ".xlsx", ContentType: attendance.XLSXType, Data: b}, nil
}

func (r *report) writeXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sh := r.Sheet
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title, Creator: "taphuan", Language: "vi-VN"}); err != nil {
		return nil, err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := func(bold, italic bool) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: 12, Bold: bold, Italic: italic}
	}
	var serr error
	mk := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil && serr == nil {
			serr = err
		}
		return id
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	money := "#,##0"
	title := mk(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 14, Bold: true}, Alignment: center})
	sub := mk(&excelize.Style{Font: font(false, true), Alignment: center})
	header := mk(&excelize.Style{Font: font(true, false), Alignment: center, Border: border})
	note := mk(&excelize.Style{Font: font(false, true)})
	bold := mk(&excelize.Style{Font: font(true, false), Alignment: center})
	styles := map[bool]map[colKind]int{}
	for _, tot := range []bool{false, true} {
		styles[tot] = map[colKind]int{
			kText:   mk(&excelize.Style{Font: font(tot, false), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
			kCenter: mk(&excelize.Style{Font: font(tot, false), Border: border, Alignment: center}),
			kInt:    mk(&excelize.Style{Font: font(tot, false), Border: border, NumFmt: 1, Alignment: center}),
			kMoney:  mk(&excelize.Style{Font: font(tot, false), Border: border, CustomNumFmt: &money}),
		}
	}
	if serr != nil {
		return nil, serr
	}
	n := len(r.Cols)
	row := 1
	for i, l := range append([]string{r.Title}, r.Sub...) {
		if err := f.SetCellValue(sh, xcell(1, row), l); err != nil {
			return nil, err
		}
		if err := f.MergeCell(sh, xcell(1, row), xcell(n, row)); err != nil {
			return nil, err
		}
		st := sub
		if i == 0 {
			st = title
		}
		if err := f.SetCellStyle(sh, xcell(1, row), xcell(n, row), st); err != nil {
			return nil, err
		}
		row++
	}
	row++
	headerRow := row
	for i, c := range r.Cols {
		if err := f.SetCellValue(sh, xcell(i+1, row), c.Title); err != nil {
			return nil, err
		}
		colName, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, colName, colName, c.XW); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle(sh, xcell(1, row), xcell(n, row), header); err != nil {
		return nil, err
	}
	row++
	first := row
	for _, cells := range r.Rows {
		for i, c := range r.Cols {
			v, ref := cells[i], xcell(i+1, row)
			var err error
			switch {
			case v.F != "":
				err = f.SetCellFormula(sh, ref, strings.ReplaceAll(v.F, "{r}", strconv.Itoa(row)))
			case c.Kind == kInt || c.Kind == kMoney:
				err = f.SetCellValue(sh, ref, v.N)
			default:
				err = f.SetCellValue(sh, ref, v.S)
			}
			if err == nil {
				err = f.SetCellStyle(sh, ref, ref, styles[false][c.Kind])
			}
			if err != nil {
				return nil, err
			}
		}
		row++
	}
	last := row - 1
	span := r.firstSum()
	if err := f.SetCellValue(sh, xcell(1, row), "Tổng cộng"); err != nil {
		return nil, err
	}
	if span > 1 {
		if err := f.MergeCell(sh, xcell(1, row), xcell(span, row)); err != nil {
			return nil, err
		}
	}
	for i, c := range r.Cols {
		ref := xcell(i+1, row)
		if c.Sum {
			colName, _ := excelize.ColumnNumberToName(i + 1)
			formula := "0"
			if last >= first {
				formula = fmt.Sprintf("SUM(%s%d:%s%d)", colName, first, colName, last)
			}
			if err := f.SetCellFormula(sh, ref, formula); err != nil {
				return nil, err
			}
		}
		kind := c.Kind
		if i < span {
			kind = kCenter
		}
		if err := f.SetCellStyle(sh, ref, ref, styles[true][kind]); err != nil {
			return nil, err
		}
	}
	row += 2
	for _, l := range append([]string{WordsLine(r.Words)}, r.Notes...) {
		if err := f.SetCellValue(sh, xcell(1, row), l); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, xcell(1, row), xcell(1, row), note); err != nil {
			return nil, err
		}
		row++
	}
	row++
	// The three signers spread over the columns.
	for i, t := range signers {
		col := 1 + i*max(1, n/len(signers))
		if err := f.SetCellValue(sh, xcell(col, row), t); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, xcell(col, row), xcell(col, row), bold); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: xcell(1, headerRow+1),
		ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	a4 := 9
	orient := "portrait"
	if r.Landscape {
		orient = "landscape"
	}
	one, zero := 1, 0
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func courseDates(c *courses.Course) string {
	if c.StartsOn == c.EndsOn {
		return "Ngày " + vn.FormatDate(c.StartDate())
	}
	return "Từ ngày " + vn.FormatDate(c.StartDate()) + " đến ngày " + vn.FormatDate(c.EndDate())
}

func stem(kind string, id int64) string { return kind + "-lop-" + strconv.FormatInt(id, 10) }
