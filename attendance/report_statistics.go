package attendance

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"taphuan/pdfdoc"
	"taphuan/vn"
)

// StatisticsTitle is the title of the statistics report.
const StatisticsTitle = "BÁO CÁO THỐNG KÊ HỌC VIÊN THAM DỰ TẬP HUẤN"

// Scope describes what the statistics count: the course, or the courses of a date range.
func (st *Statistics) Scope() string {
	if st.Filter.CourseID != 0 && len(st.Courses) == 1 {
		c := st.Courses[0]
		return "Lớp: " + c.Title + " (" + dateRange(c.StartsOn, c.EndsOn) + ")"
	}
	if st.ProgramPath != "" {
		return st.dateScope() + " thuộc " + st.ProgramPath + " (kể cả các dự án, tiểu dự án)"
	}
	return st.dateScope()
}

// dateScope is the date range part of Scope.
func (st *Statistics) dateScope() string {
	from, to := isoToVN(st.Filter.From), isoToVN(st.Filter.To)
	switch {
	case from != "" && to != "":
		return "Các lớp khai giảng từ ngày " + from + " đến ngày " + to
	case from != "":
		return "Các lớp khai giảng từ ngày " + from
	case to != "":
		return "Các lớp khai giảng đến ngày " + to
	}
	return "Tất cả các lớp"
}

func isoToVN(d string) string {
	if t, err := vn.ParseDate(d); err == nil {
		return vn.FormatDate(t)
	}
	return d
}

func dateRange(from, to string) string {
	if from == to {
		return isoToVN(from)
	}
	return isoToVN(from) + " – " + isoToVN(to)
}

// StatisticsPDF returns the statistics as a report: the totals (courses, registrations,
// person-times, distinct persons, session attendances), the courses, and the breakdowns by
// gender, ethnicity, unit and locality.
func (s *Service) StatisticsPDF(ctx context.Context, iss Issuer, st *Statistics) (*Report, error) {
	b, err := statisticsPDF(iss, st, time.Now())
	if err != nil {
		return nil, err
	}
	return &Report{Name: statsStem(st) + ".pdf", ContentType: PDFType, Data: b}, nil
}

func statsStem(st *Statistics) string {
	if st.Filter.CourseID != 0 {
		return fileStem("thong-ke-lop", st.Filter.CourseID)
	}
	return "thong-ke"
}

// statLines are the totals as label / value lines.
func (st *Statistics) statLines() [][2]string {
	return [][2]string{
		{"Số lớp", strconv.Itoa(len(st.Courses))},
		{"Số lượt đăng ký (đã xác nhận)", vn.FormatInt(int64(st.Trainees))},
		{"Số lượt học viên tham dự", vn.FormatInt(int64(st.Attended))},
		{"Số người tham dự (không tính trùng)", vn.FormatInt(int64(st.Persons))},
		{"Số lượt có mặt theo buổi", vn.FormatInt(int64(st.SessionAttendances))},
		{"Tỷ lệ tham dự", PercentText(st.AttendanceRate)},
		{"Tỷ lệ có mặt", PercentText(st.PresenceRate)},
	}
}

// Breakdown is one breakdown of the statistics with its key (gender, ethnicity,
// ethnic_group, unit, locality) and its Vietnamese title.
type Breakdown struct {
	Key    string
	Title  string
	Sheet  string // its sheet's name in the XLSX (at most 31 characters)
	Groups []Group
}

// Breakdowns lists the breakdowns in the order the reports print them.
func (st *Statistics) Breakdowns() []Breakdown {
	return []Breakdown{
		{"gender", "Theo giới tính", "Giới tính", st.ByGender},
		{"ethnicity", "Theo dân tộc", "Dân tộc", st.ByEthnicity},
		{"ethnic_group", "Dân tộc thiểu số, theo từng dân tộc", "Từng dân tộc", st.ByEthnicGroup},
		{"unit", "Theo đơn vị công tác", "Đơn vị", st.ByUnit},
		{"locality", "Theo địa phương", "Địa phương", st.ByLocality},
		{"level", "Theo cấp địa phương", "Cấp địa phương", st.ByLevel},
		{"age", "Theo độ tuổi (tại ngày khai giảng)", "Độ tuổi", st.ByAge},
	}
}

func statisticsPDF(iss Issuer, st *Statistics, now time.Time) ([]byte, error) {
	d, err := newDoc(pdfdoc.Portrait, iss, StatisticsTitle, now)
	if err != nil {
		return nil, err
	}
	titleBlock(d, StatisticsTitle, st.Scope())
	heading := func(s string) {
		if d.SpaceLeft() < 30 {
			d.AddPage()
		}
		d.Ln(2)
		d.SetFont(pdfdoc.Bold, 13)
		d.Paragraph(0, s, pdfdoc.Left)
		d.SetFont(pdfdoc.Regular, 12)
	}
	heading("1. Tổng hợp")
	var rows [][]string
	for _, l := range st.statLines() {
		rows = append(rows, []string{l[0], l[1]})
	}
	d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Title: "Chỉ tiêu", Width: 115},
		{Title: "Số lượng", Width: 50, Align: pdfdoc.Right}}, Rows: rows, FontSize: 12})

	heading("2. Các lớp")
	rows = nil
	for i, c := range st.Courses {
		rows = append(rows, []string{stt(i), c.Title, dateRange(c.StartsOn, c.EndsOn), strconv.Itoa(c.Sessions),
			vn.FormatInt(int64(c.Trainees)), vn.FormatInt(int64(c.Attended)), PercentText(c.Percent)})
	}
	d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{
		// STT needs 12 mm at 11 pt bold, or it wraps as "ST/T".
		{Title: "STT", Width: 12, Align: pdfdoc.Center}, {Title: "Lớp", Width: 53}, {Title: "Thời gian", Width: 28},
		{Title: "Số buổi", Width: 14, Align: pdfdoc.Center}, {Title: "Đăng ký", Width: 19, Align: pdfdoc.Right},
		{Title: "Tham dự", Width: 19, Align: pdfdoc.Right}, {Title: "Tỷ lệ có mặt", Width: 20, Align: pdfdoc.Right},
	}, Rows: rows, FontSize: 11})

	for i, b := range st.Breakdowns() {
		if len(b.Groups) == 0 {
			continue
		}
		heading(fmt.Sprintf("%d. %s", i+3, b.Title))
		rows = nil
		for _, g := range b.Groups {
			rows = append(rows, []string{g.Label, vn.FormatInt(int64(g.Trainees)), vn.FormatInt(int64(g.Attended)),
				vn.FormatInt(int64(g.Persons))})
		}
		d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Title: "Nhóm", Width: 81},
			{Title: "Lượt đăng ký", Width: 28, Align: pdfdoc.Right}, {Title: "Lượt tham dự", Width: 28, Align: pdfdoc.Right},
			{Title: "Số người", Width: 28, Align: pdfdoc.Right}}, Rows: rows, FontSize: 11})
	}
	d.Ln(2)
	d.SetFont(pdfdoc.Italic, 11)
	d.Paragraph(0, "Lượt tham dự: học viên có mặt (kể cả đi muộn) ít nhất một buổi của lớp; một người dự hai lớp "+
		"tính hai lượt và một người.", pdfdoc.Left)
	for _, def := range rateDefinitions {
		d.Paragraph(0, def[0]+": "+def[1], pdfdoc.Left)
	}
	if err := statisticsCharts(d, st, len(st.Breakdowns())+3); err != nil {
		return nil, err
	}
	d.Signatures(vn.DateLine("", now), "NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG ĐƠN VỊ")
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("attendance: statistics: %w", err)
	}
	return b, nil
}

// rateDefinitions say what each rate counts, on the page and in the PDF (Vietnamese; the
// page has them translated).
var rateDefinitions = [][2]string{
	{"Tỷ lệ tham dự", "số lượt học viên có mặt ít nhất một buổi chia cho số lượt đăng ký đã xác nhận"},
	{"Tỷ lệ có mặt", "số lượt có mặt theo buổi (kể cả đi muộn) chia cho số học viên đã xác nhận nhân với số buổi của lớp"},
}

// statisticsCharts draws the charts, as PNG, two to a page, numbered after section n.
func statisticsCharts(d *pdfdoc.Doc, st *Statistics, n int) error {
	list, err := st.Charts(false, nil)
	if err != nil {
		return err
	}
	w := d.ContentWidth()
	h := w * chartHeight / chartWidth
	first := true
	for _, ch := range list {
		if ch.Empty {
			continue
		}
		if first || d.SpaceLeft() < h+15 {
			d.AddPage()
		}
		if first {
			d.SetFont(pdfdoc.Bold, 13)
			d.Paragraph(0, fmt.Sprintf("%d. Biểu đồ", n), pdfdoc.Left)
			first = false
		}
		d.SetFont(pdfdoc.Italic, 12)
		d.Paragraph(0, ch.Title, pdfdoc.Center)
		left, _, _, _ := d.Margins()
		_, y := d.GetXY()
		if err := d.Image(ch.Data, left, y, w, h); err != nil {
			return fmt.Errorf("attendance: chart %s in the PDF: %w", ch.Kind, err)
		}
		d.SetXY(left, y+h+4)
	}
	d.SetFont(pdfdoc.Regular, 12)
	return d.Err()
}

// Dates is the course's dates as printed: "04/12/2023 – 05/12/2023".
func (c CourseStats) Dates() string { return dateRange(c.StartsOn, c.EndsOn) }
