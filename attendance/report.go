package attendance

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"taphuan/courses"
	"taphuan/pdfdoc"
	"taphuan/vn"
)

// Issuer is the organization a report is printed for: the header block's agencies and the
// place of the date line.
type Issuer struct {
	ParentName string // e.g. "UBND TỈNH KHÁNH HÒA"
	Name       string // e.g. "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"
}

// Report is a finished file and the name to download it as.
type Report struct {
	Name        string
	ContentType string
	Data        []byte
}

// Content types of the reports.
const (
	PDFType  = "application/pdf"
	XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Symbols of the statuses in the matrix, as on paper attendance sheets; the legend under
// the table spells them out.
var symbols = map[string]string{Present: "x", Late: "M", Excused: "P", Absent: "V"}

// StatusLabel is the Vietnamese name of a status.
func StatusLabel(st string) string {
	switch st {
	case Present:
		return "Có mặt"
	case Late:
		return "Đi muộn"
	case Excused:
		return "Vắng có phép"
	case Absent:
		return "Vắng"
	}
	return ""
}

const legend = "Ký hiệu: x – có mặt; M – đi muộn; P – vắng có phép; V – vắng; ô trống – chưa điểm danh" +
	" (S, C, T ở đầu cột – buổi sáng, chiều, tối). Tỷ lệ = số buổi có mặt (kể cả đi muộn) / tổng số buổi của lớp."

// PercentText writes an attendance percent: whole numbers without decimals ("75%"),
// others with one ("66,7%").
func PercentText(p float64) string {
	if p == math.Trunc(p) {
		return vn.FormatPercent(p, 0)
	}
	return vn.FormatPercent(p, 1)
}

// newDoc starts an A4 document with the header block of iss and page numbers.
func newDoc(o pdfdoc.Orientation, iss Issuer, title string, now time.Time) (*pdfdoc.Doc, error) {
	d, err := pdfdoc.NewReport(o, title, pdfdoc.Header{ParentAgency: iss.ParentName, Agency: iss.Name}, now)
	if err != nil {
		return nil, fmt.Errorf("attendance: %w", err)
	}
	return d, nil
}

// titleBlock draws the report title, then each line centred (the first bold).
func titleBlock(d *pdfdoc.Doc, title string, lines ...string) {
	d.Ln(2)
	d.SetFont(pdfdoc.Bold, 14)
	d.Paragraph(0, title, pdfdoc.Center)
	for i, l := range lines {
		if l == "" {
			continue
		}
		st := pdfdoc.Italic
		if i == 0 {
			st = pdfdoc.Bold
		}
		d.SetFont(st, 13)
		d.Paragraph(0, l, pdfdoc.Center)
	}
	d.Ln(3)
	d.SetFont(pdfdoc.Regular, 12)
}

// courseDates is "Từ ngày 04/12/2023 đến ngày 05/12/2023", or "Ngày 04/12/2023".
func courseDates(c *courses.Course) string {
	if c.StartsOn == c.EndsOn {
		return "Ngày " + vn.FormatDate(c.StartDate())
	}
	return "Từ ngày " + vn.FormatDate(c.StartDate()) + " đến ngày " + vn.FormatDate(c.EndDate())
}

// sessionHead is a matrix column header: "04/12\nSáng", or "04/12\nS" when short (the
// legend then spells S, C, T out).
func sessionHead(sess courses.Session, short bool) string {
	t := sess.StartsAt.In(vn.Location)
	part := partOfDay(t)
	if short {
		part = part[:1]
	}
	return t.Format("02/01") + "\n" + part
}

// partOfDay names the part of the day a session starts in (courses.PartOfDay), as the
// reports print it: "Sáng", "Chiều" or "Tối".
func partOfDay(t time.Time) string {
	switch courses.PartOfDay(t) {
	case courses.PartEvening:
		return "Tối"
	case courses.PartAfternoon:
		return "Chiều"
	}
	return "Sáng"
}

func stt(i int) string { return strconv.Itoa(i + 1) }

// fileStem is the download name of a course's report: "diem-danh-lop-12".
func fileStem(kind string, id int64) string { return kind + "-" + strconv.FormatInt(id, 10) }
