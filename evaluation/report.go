package evaluation

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/go-analyze/charts"
	"github.com/xuri/excelize/v2"

	"taphuan/courses"
	"taphuan/pdfdoc"
	"taphuan/vn"
)

// ResultsTitle is the title of the results report.
const ResultsTitle = "KẾT QUẢ KHẢO SÁT ĐÁNH GIÁ KHÓA HỌC"

// Issuer is the organization printed in the header.
type Issuer struct{ Parent, Name string }

func mean(q *QuestionResult) string {
	if q.Mean == nil {
		return "—"
	}
	return MeanText(*q.Mean)
}

// MeanText writes a mean the Vietnamese way with two decimals: "3,17".
func MeanText(m float64) string {
	s := vn.FormatPercent(m, 2)
	return s[:len(s)-1]
}

// MeansChartPNG draws the mean rating of each question of a section as bars on 0–5,
// labelled C1, C2, … (the report's table names them); nil when it has no ratings. Chart
// labels are digits only: the chart library's font has no Vietnamese letters.
func MeansChartPNG(qs []QuestionResult) ([]byte, error) {
	var vals []float64
	var labels []string
	for i, q := range qs {
		if q.Kind != Rating || q.Mean == nil {
			continue
		}
		vals = append(vals, *q.Mean)
		labels = append(labels, "C"+strconv.Itoa(i+1))
	}
	if len(vals) == 0 {
		return nil, nil // nothing to draw: no chart (the report leaves it out)
	}
	p, err := charts.BarRender([][]float64{vals},
		charts.PNGOutputOptionFunc(),
		charts.DimensionsOptionFunc(720, 260),
		charts.XAxisLabelsOptionFunc(labels),
		func(opt *charts.ChartOption) {
			opt.YAxis = []charts.YAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(5.0)}}
			opt.SeriesList[0].Label.Show = charts.Ptr(true)
			opt.SeriesList[0].Label.ValueFormatter = func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
		})
	if err != nil {
		return nil, fmt.Errorf("evaluation: chart: %w", err)
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("evaluation: chart: %w", err)
	}
	return b, nil
}

// sections groups the results by section, live questions first (retired ones last, under
// their own old section name).
func sectionsOf(res *Results) [][]QuestionResult {
	var out [][]QuestionResult
	last := ""
	for _, q := range res.Questions {
		key := q.Section
		if q.Retired {
			key = "\x00" + key
		}
		if len(out) == 0 || key != last {
			out = append(out, nil)
			last = key
		}
		out[len(out)-1] = append(out[len(out)-1], q)
	}
	return out
}

// ResultsPDF is the results report: the response rate, then per section a chart of the
// means and a table of every question (count, distribution, mean), then the open answers —
// all drawn as text, so nothing in an answer is ever interpreted.
func ResultsPDF(iss Issuer, course *courses.Course, res *Results) ([]byte, error) {
	now := time.Now()
	d, err := pdfdoc.NewReport(pdfdoc.Portrait, ResultsTitle, pdfdoc.Header{ParentAgency: iss.Parent, Agency: iss.Name}, now)
	if err != nil {
		return nil, fmt.Errorf("evaluation: %w", err)
	}
	d.Ln(2)
	d.SetFont(pdfdoc.Bold, 14)
	d.Paragraph(0, ResultsTitle, pdfdoc.Center)
	d.SetFont(pdfdoc.Bold, 13)
	d.Paragraph(0, course.Title, pdfdoc.Center)
	d.SetFont(pdfdoc.Italic, 12)
	dates := vn.FormatDate(course.StartDate())
	if course.EndsOn != course.StartsOn {
		dates += " – " + vn.FormatDate(course.EndDate())
	}
	d.Paragraph(0, dates, pdfdoc.Center)
	d.Ln(3)
	d.SetFont(pdfdoc.Regular, 12)
	d.Paragraph(0, fmt.Sprintf("Số phiếu thu về: %d/%d học viên (tỷ lệ %s), trong đó %d phiếu giấy.",
		res.Responses, res.Invited, vn.FormatPercent(res.Rate(), 1), res.Paper), pdfdoc.Left)
	d.Paragraph(0, "Thang điểm: 1 – Rất không hài lòng; 2 – Không hài lòng; 3 – Bình thường; 4 – Hài lòng; 5 – Rất hài lòng.", pdfdoc.Left)
	for _, sec := range sectionsOf(res) {
		if d.SpaceLeft() < 70 {
			d.AddPage()
		}
		d.Ln(2)
		d.SetFont(pdfdoc.Bold, 13)
		title := sec[0].Section
		if sec[0].Retired {
			title += " (câu hỏi cũ, đã sửa)"
		}
		d.Paragraph(0, title, pdfdoc.Left)
		png, err := MeansChartPNG(sec)
		if err != nil {
			return nil, err
		}
		if png != nil {
			x, y := d.GetXY()
			w := d.ContentWidth()
			h := w * 260 / 720
			if err := d.Image(png, x, y, w, h); err != nil {
				return nil, fmt.Errorf("evaluation: chart: %w", err)
			}
			d.SetXY(x, y+h+2)
		}
		var rows [][]string
		for i, q := range sec {
			if q.Kind == Text {
				continue
			}
			dist := ""
			for _, l := range q.Levels() {
				if dist != "" {
					dist += "; "
				}
				label := strconv.Itoa(l.Value)
				if q.Kind == Choice {
					label = l.Label
				}
				dist += fmt.Sprintf("%s: %d", label, l.Count)
			}
			rows = append(rows, []string{"C" + strconv.Itoa(i+1), q.Text, strconv.Itoa(q.Count), dist, mean(&q)})
		}
		if len(rows) > 0 {
			d.SetFont(pdfdoc.Regular, 11)
			d.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Title: "Câu", Width: 12, Align: pdfdoc.Center},
				{Title: "Nội dung", Width: 70}, {Title: "Số trả lời", Width: 18, Align: pdfdoc.Right},
				{Title: "Phân bố", Width: 45}, {Title: "Điểm TB", Width: 20, Align: pdfdoc.Right}}, Rows: rows, FontSize: 11})
		}
		for _, q := range sec {
			if q.Kind != Text {
				continue
			}
			d.SetFont(pdfdoc.Bold, 12)
			d.Paragraph(0, fmt.Sprintf("%s (%d ý kiến)", q.Text, len(q.Answers)), pdfdoc.Left)
			d.SetFont(pdfdoc.Regular, 12)
			for _, a := range q.Answers {
				d.Paragraph(0, "– "+a, pdfdoc.Left)
			}
		}
	}
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("evaluation: results pdf: %w", err)
	}
	return b, nil
}

// ResultsXLSX is the results workbook: a sheet of figures (one row per question, the
// distribution in columns) and a sheet of the open answers. Every cell is written as a
// value (SetCellStr / numbers), never as a formula, whatever an answer starts with.
func ResultsXLSX(course *courses.Course, res *Results) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sum, open = "Tổng hợp", "Ý kiến"
	if err := f.SetSheetName("Sheet1", sum); err != nil {
		return nil, fmt.Errorf("evaluation: xlsx: %w", err)
	}
	if _, err := f.NewSheet(open); err != nil {
		return nil, fmt.Errorf("evaluation: xlsx: %w", err)
	}
	str := func(sheet string, col, row int, s string) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		_ = f.SetCellStr(sheet, cell, s)
	}
	val := func(sheet string, col, row int, v any) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		_ = f.SetCellValue(sheet, cell, v)
	}
	str(sum, 1, 1, ResultsTitle)
	str(sum, 1, 2, course.Title)
	str(sum, 1, 3, "Số phiếu")
	val(sum, 2, 3, res.Responses)
	str(sum, 3, 3, "Số học viên")
	val(sum, 4, 3, res.Invited)
	str(sum, 5, 3, "Phiếu giấy")
	val(sum, 6, 3, res.Paper)
	headers := []string{"Phần", "Câu hỏi", "Loại", "Số trả lời", "Điểm TB", "1", "2", "3", "4", "5", "Ghi chú"}
	for i, h := range headers {
		str(sum, i+1, 5, h)
	}
	row := 6
	for _, q := range res.Questions {
		if q.Kind == Text {
			continue
		}
		str(sum, 1, row, q.Section)
		str(sum, 2, row, q.Text)
		str(sum, 3, row, map[string]string{Rating: "Thang 1–5", Choice: "Một lựa chọn"}[q.Kind])
		val(sum, 4, row, q.Count)
		if q.Mean != nil {
			val(sum, 5, row, *q.Mean)
		}
		note := ""
		for _, l := range q.Levels() {
			if l.Value <= 5 {
				val(sum, 5+l.Value, row, l.Count)
			}
			if q.Kind == Choice {
				note += fmt.Sprintf("%d = %s; ", l.Value, l.Label)
			}
		}
		if q.Retired {
			note += "câu hỏi cũ, đã sửa"
		}
		str(sum, 11, row, note)
		row++
	}
	str(open, 1, 1, "Câu hỏi")
	str(open, 2, 1, "Ý kiến")
	row = 2
	for _, q := range res.Questions {
		for _, a := range q.Answers {
			str(open, 1, row, q.Text)
			str(open, 2, row, a)
			row++
		}
	}
	_ = f.SetColWidth(sum, "A", "B", 45)
	_ = f.SetColWidth(open, "A", "B", 60)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("evaluation: xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
