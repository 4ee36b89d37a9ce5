package attendance

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"taphuan/courses"
	"taphuan/pdfdoc"
	"taphuan/vn"
)

// MatrixTitle is the title of the attendance summary.
const MatrixTitle = "BẢNG TỔNG HỢP ĐIỂM DANH"

// MatrixPDF returns the attendance summary of a course: trainees × sessions with the
// status symbols, the sessions attended and the percent, a row of the attended count per
// session, and the legend. Up to four sessions fit on a portrait page; more turn the page
// to landscape, and past sixteen the unit column gives way. Returns ErrNotFound for an
// unknown course.
func (s *Service) MatrixPDF(ctx context.Context, iss Issuer, courseID int64) (*Report, error) {
	course, mx, err := s.courseMatrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	b, err := matrixPDF(iss, course, mx, time.Now())
	if err != nil {
		return nil, err
	}
	return &Report{Name: fileStem("diem-danh-lop", courseID) + ".pdf", ContentType: PDFType, Data: b}, nil
}

func (s *Service) courseMatrix(ctx context.Context, courseID int64) (*courses.Course, *Matrix, error) {
	course, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, nil, notFound(err)
	}
	mx, err := s.Matrix(ctx, courseID)
	if err != nil {
		return nil, nil, err
	}
	return course, mx, nil
}

func matrixPDF(iss Issuer, course *courses.Course, mx *Matrix, now time.Time) ([]byte, error) {
	n := len(mx.Sessions)
	o := pdfdoc.Portrait
	if n > 4 {
		o = pdfdoc.Landscape
	}
	d, err := newDoc(o, iss, MatrixTitle, now)
	if err != nil {
		return nil, err
	}
	titleBlock(d, MatrixTitle, course.Title, courseDates(course))

	withUnit := n <= 16
	cols := []pdfdoc.Column{{Title: "STT", Width: 10, Align: pdfdoc.Center}, {Title: "Họ và tên", Width: 42}}
	if withUnit {
		cols = append(cols, pdfdoc.Column{Title: "Đơn vị", Width: 46})
	}
	fixed := 0.0
	for _, c := range cols {
		fixed += c.Width
	}
	fixed += 14 + 16
	sw := max(7, (d.ContentWidth()-fixed)/float64(max(n, 1)))
	for _, sess := range mx.Sessions {
		cols = append(cols, pdfdoc.Column{Title: sessionHead(sess), Width: sw, Align: pdfdoc.Center})
	}
	cols = append(cols, pdfdoc.Column{Title: "Số buổi", Width: 14, Align: pdfdoc.Center},
		pdfdoc.Column{Title: "Tỷ lệ", Width: 16, Align: pdfdoc.Right})
	size := 11.0
	if sw < 9 {
		size = 9
	}

	rows := make([][]string, len(mx.Rows))
	var marks int
	for i, r := range mx.Rows {
		row := []string{stt(i), r.Registration.FullName}
		if withUnit {
			row = append(row, r.Registration.Organization)
		}
		for _, sess := range mx.Sessions {
			row = append(row, symbols[r.Marks[sess.ID]])
		}
		row = append(row, fmt.Sprintf("%d/%d", r.Attended, n), PercentText(r.Percent))
		rows[i] = row
		marks += r.Attended
	}
	span := len(cols) - n - 2
	total := []string{"Số người có mặt"}
	counts := mx.AttendedCount()
	for _, sess := range mx.Sessions {
		total = append(total, strconv.Itoa(counts[sess.ID]))
	}
	total = append(total, strconv.Itoa(marks), PercentText(Percent(marks, n*len(mx.Rows))))
	d.Table(pdfdoc.Table{Columns: cols, Rows: rows, Total: total, TotalSpan: span, FontSize: size})
	d.Ln(2)
	d.SetFont(pdfdoc.Italic, 11)
	d.Paragraph(0, legend, pdfdoc.Left)
	d.SetFont(pdfdoc.Regular, 12)
	d.Paragraph(0, fmt.Sprintf("Tổng số học viên: %s. Số buổi: %d.", vn.FormatInt(int64(len(mx.Rows))), n), pdfdoc.Left)
	signatures(d, vn.DateLine(course.PlaceName, now), "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ")
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("attendance: matrix: %w", err)
	}
	return b, nil
}
