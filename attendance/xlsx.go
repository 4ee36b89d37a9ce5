package attendance

import (
	"context"
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// The XLSX reports hold the same tables as the PDFs, as real numbers (amounts, counts,
// percents as fractions with a percent format) so that organizers can add them up, with
// the title lines above the table, the header row frozen and repeated on printed pages, and
// A4 paper set.

// cellKind selects the format of a column.
type cellKind int

const (
	kText cellKind = iota
	kCenter
	kInt
	kMoney
	kPercent
)

type xcol struct {
	Title string
	Width float64 // characters
	Kind  cellKind
}

type xsheet struct {
	Name      string
	Title     []string // lines above the table, the first bold
	Cols      []xcol
	Rows      [][]any
	Total     []any // one cell per column, nil: none; drawn bold
	Notes     []string
	Landscape bool
}

// writeXLSX writes the sheets into one workbook.
func writeXLSX(title string, sheets ...xsheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "taphuan", Language: "vi-VN"}); err != nil {
		return nil, fmt.Errorf("attendance: xlsx: %w", err)
	}
	st, err := newXStyles(f)
	if err != nil {
		return nil, fmt.Errorf("attendance: xlsx styles: %w", err)
	}
	for i, sh := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.Name)
		} else {
			_, err = f.NewSheet(sh.Name)
		}
		if err == nil {
			err = st.write(f, sh)
		}
		if err != nil {
			return nil, fmt.Errorf("attendance: xlsx sheet %q: %w", sh.Name, err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("attendance: xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

type xstyles struct {
	title, sub, header, note int
	body, bodyTotal          map[cellKind]int
}

func newXStyles(f *excelize.File) (*xstyles, error) {
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold, Italic: italic}
	}
	x := &xstyles{body: map[cellKind]int{}, bodyTotal: map[cellKind]int{}}
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	x.title = mk(&excelize.Style{Font: font(true, false, 14), Alignment: center})
	x.sub = mk(&excelize.Style{Font: font(false, true, 12), Alignment: center})
	x.header = mk(&excelize.Style{Font: font(true, false, 12), Alignment: center, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEFF3"}}})
	x.note = mk(&excelize.Style{Font: font(false, true, 11)})
	money := "#,##0"
	pct := "0.0%"
	for _, total := range []bool{false, true} {
		m := x.body
		if total {
			m = x.bodyTotal
		}
		m[kText] = mk(&excelize.Style{Font: font(total, false, 12), Border: border,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
		m[kCenter] = mk(&excelize.Style{Font: font(total, false, 12), Border: border, Alignment: center})
		m[kInt] = mk(&excelize.Style{Font: font(total, false, 12), Border: border, NumFmt: 1,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
		m[kMoney] = mk(&excelize.Style{Font: font(total, false, 12), Border: border, CustomNumFmt: &money,
			Alignment: &excelize.Alignment{Vertical: "center"}})
		m[kPercent] = mk(&excelize.Style{Font: font(total, false, 12), Border: border, CustomNumFmt: &pct,
			Alignment: &excelize.Alignment{Vertical: "center"}})
	}
	return x, err
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func (x *xstyles) write(f *excelize.File, sh xsheet) error {
	n := len(sh.Cols)
	row := 1
	for i, line := range sh.Title {
		if err := f.SetCellValue(sh.Name, cell(1, row), line); err != nil {
			return err
		}
		if n > 1 {
			if err := f.MergeCell(sh.Name, cell(1, row), cell(n, row)); err != nil {
				return err
			}
		}
		style := x.sub
		if i == 0 {
			style = x.title
		}
		if err := f.SetCellStyle(sh.Name, cell(1, row), cell(n, row), style); err != nil {
			return err
		}
		row++
	}
	if len(sh.Title) > 0 {
		row++
	}
	headerRow := row
	header := make([]any, n)
	for i, c := range sh.Cols {
		header[i] = c.Title
		colName, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh.Name, colName, colName, c.Width); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sh.Name, cell(1, row), &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh.Name, cell(1, row), cell(n, row), x.header); err != nil {
		return err
	}
	row++
	put := func(values []any, styles map[cellKind]int) error {
		if err := f.SetSheetRow(sh.Name, cell(1, row), &values); err != nil {
			return err
		}
		for i, c := range sh.Cols {
			if err := f.SetCellStyle(sh.Name, cell(i+1, row), cell(i+1, row), styles[c.Kind]); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	for _, r := range sh.Rows {
		if err := put(r, x.body); err != nil {
			return err
		}
	}
	if sh.Total != nil {
		if err := put(sh.Total, x.bodyTotal); err != nil {
			return err
		}
	}
	for _, note := range sh.Notes {
		row++
		if err := f.SetCellValue(sh.Name, cell(1, row), note); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.Name, cell(1, row), cell(1, row), x.note); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh.Name, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, headerRow+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	a4 := 9
	orient := "portrait"
	if sh.Landscape {
		orient = "landscape"
	}
	one, zero := 1, 0
	if err := f.SetPageLayout(sh.Name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sh.Name, &excelize.HeaderFooterOptions{OddFooter: "&CTrang &P/&N"}); err != nil {
		return err
	}
	hr := strconv.Itoa(headerRow)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh.Name,
		RefersTo: "'" + sh.Name + "'!$" + hr + ":$" + hr})
}

// SignInXLSX is the sign-in sheet as a spreadsheet (same rows as SignInPDF).
func (s *Service) SignInXLSX(ctx context.Context, iss Issuer, sessionID int64) (*Report, error) {
	ro, err := s.SessionRoster(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, len(ro.Entries))
	for i, e := range ro.Entries {
		rows[i] = []any{i + 1, e.FullName, e.Organization, e.Position, ""}
	}
	b, err := writeXLSX(SignInTitle, xsheet{
		Name:  "Ký nhận",
		Title: []string{SignInTitle, ro.Course.Title, SessionLine(ro.Session), signInSubtitle(ro)},
		Cols: []xcol{{"STT", 6, kInt}, {"Họ và tên", 28, kText}, {"Đơn vị", 40, kText},
			{"Chức vụ", 20, kText}, {"Chữ ký", 18, kText}},
		Rows:  rows,
		Notes: []string{fmt.Sprintf("Danh sách có %d người.", len(rows))},
	})
	if err != nil {
		return nil, err
	}
	return &Report{Name: signInName(ro) + ".xlsx", ContentType: XLSXType, Data: b}, nil
}

// MatrixXLSX is the attendance summary as a spreadsheet: the statuses in words, the
// sessions attended and the percent.
func (s *Service) MatrixXLSX(ctx context.Context, iss Issuer, courseID int64) (*Report, error) {
	course, mx, err := s.courseMatrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	b, err := matrixXLSX(course.Title, courseDates(course), mx)
	if err != nil {
		return nil, err
	}
	return &Report{Name: fileStem("diem-danh-lop", courseID) + ".xlsx", ContentType: XLSXType, Data: b}, nil
}

func matrixXLSX(title, dates string, mx *Matrix) ([]byte, error) {
	n := len(mx.Sessions)
	cols := []xcol{{"STT", 6, kInt}, {"Họ và tên", 28, kText}, {"Đơn vị", 36, kText}}
	for _, sess := range mx.Sessions {
		cols = append(cols, xcol{sessionHead(sess, false), 12, kCenter})
	}
	cols = append(cols, xcol{"Số buổi có mặt", 10, kInt}, xcol{"Tỷ lệ", 10, kPercent})
	rows := make([][]any, len(mx.Rows))
	marks := 0
	for i, r := range mx.Rows {
		row := []any{i + 1, r.Registration.FullName, r.Registration.Organization}
		for _, sess := range mx.Sessions {
			row = append(row, StatusLabel(r.Marks[sess.ID]))
		}
		rows[i] = append(row, r.Attended, r.Percent/100)
		marks += r.Attended
	}
	total := []any{"", "Số người có mặt", ""}
	counts := mx.AttendedCount()
	for _, sess := range mx.Sessions {
		total = append(total, counts[sess.ID])
	}
	total = append(total, marks, Percent(marks, n*len(mx.Rows))/100)
	return writeXLSX(MatrixTitle, xsheet{
		Name: "Điểm danh", Title: []string{MatrixTitle, title, dates}, Cols: cols, Rows: rows, Total: total,
		Notes: []string{"Tỷ lệ = số buổi có mặt (kể cả đi muộn) / tổng số buổi của lớp."}, Landscape: n > 4,
	})
}

// StatisticsXLSX is the statistics as a workbook: the totals, the courses, and a sheet per
// breakdown.
func (s *Service) StatisticsXLSX(ctx context.Context, iss Issuer, st *Statistics) (*Report, error) {
	lines := st.statLines()
	totals := [][]any{{lines[0][0], len(st.Courses)}, {lines[1][0], st.Trainees}, {lines[2][0], st.Attended},
		{lines[3][0], st.Persons}, {lines[4][0], st.SessionAttendances}, {lines[5][0], lines[5][1]}}
	sheets := []xsheet{{Name: "Tổng hợp", Title: []string{StatisticsTitle, iss.Name, st.Scope()},
		Cols: []xcol{{"Chỉ tiêu", 44, kText}, {"Số lượng", 16, kCenter}}, Rows: totals}}
	var courseRows [][]any
	for i, c := range st.Courses {
		courseRows = append(courseRows, []any{i + 1, c.Title, isoToVN(c.StartsOn), isoToVN(c.EndsOn), c.Sessions,
			c.Trainees, c.Attended, c.Percent / 100})
	}
	sheets = append(sheets, xsheet{Name: "Các lớp", Cols: []xcol{{"STT", 6, kInt}, {"Lớp", 50, kText},
		{"Từ ngày", 12, kCenter}, {"Đến ngày", 12, kCenter}, {"Số buổi", 9, kInt}, {"Đăng ký", 10, kInt},
		{"Tham dự", 10, kInt}, {"Tỷ lệ có mặt", 12, kPercent}}, Rows: courseRows})
	for _, b := range st.Breakdowns() {
		var rows [][]any
		for _, g := range b.Groups {
			rows = append(rows, []any{g.Label, g.Trainees, g.Attended, g.Persons})
		}
		sheets = append(sheets, xsheet{Name: b.Sheet, Title: []string{b.Title},
			Cols: []xcol{{"Nhóm", 44, kText}, {"Lượt đăng ký", 14, kInt}, {"Lượt tham dự", 14, kInt},
				{"Số người", 12, kInt}}, Rows: rows})
	}
	b, err := writeXLSX(StatisticsTitle, sheets...)
	if err != nil {
		return nil, err
	}
	return &Report{Name: statsStem(st) + ".xlsx", ContentType: XLSXType, Data: b}, nil
}
