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
	if n > 2 {
		o = pdfdoc.Landscape
	}
	d, err := newDoc(o, iss, MatrixTitle, now)
	if err != nil {
		return nil, err
	}
	titleBlock(d, MatrixTitle, course.Title, courseDates(course))

	// Widths in mm: the session columns get 16 each while the unit keeps 36; then they
	// shrink to 11; past that the unit column goes and the sessions share its room.
	const sttW, name, count, pct, unitMin, unitMax, sessMax, sessMin = 11.0, 44.0, 15.0, 17.0, 36.0, 85.0, 16.0, 11.0
	avail := d.ContentWidth() - sttW - name - count - pct
	sw, unit := sessMax, 0.0
	if n > 0 {
		unit = avail - float64(n)*sw
		if unit < unitMin {
			sw, unit = (avail-unitMin)/float64(n), unitMin
		}
		if sw < sessMin {
			sw, unit = avail/float64(n), 0
		}
	}
	withUnit := n == 0 || unit > 0
	// Room left over widens the unit (fewer wrapped lines), then the name, then the
	// sessions.
	extraName := 0.0
	if withUnit && unit > unitMax {
		extraName, unit = unit-unitMax, unitMax
		if extraName > 20 {
			sw += (extraName - 20) / float64(max(n, 1))
			extraName = 20
		}
	}
	cols := []pdfdoc.Column{{Title: "STT", Width: sttW, Align: pdfdoc.Center}, {Title: "Họ và tên", Width: name + extraName}}
	if withUnit {
		cols = append(cols, pdfdoc.Column{Title: "Đơn vị", Width: max(unit, unitMin)})
	}
	for _, sess := range mx.Sessions {
		cols = append(cols, pdfdoc.Column{Title: sessionHead(sess, sw < 13), Width: sw, Align: pdfdoc.Center})
	}
	cols = append(cols, pdfdoc.Column{Title: "Số buổi", Width: count, Align: pdfdoc.Center},
		pdfdoc.Column{Title: "Tỷ lệ", Width: pct, Align: pdfdoc.Right})
	size := 11.0
	if sw < 13 {
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
	d.Signatures(vn.DateLine(course.PlaceName, now), "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ")
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("attendance: matrix: %w", err)
	}
	return b, nil
}
