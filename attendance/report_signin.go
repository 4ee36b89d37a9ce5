package attendance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taphuan/pdfdoc"
	"taphuan/vn"
)

// SignInTitle is the title of the sign-in sheet.
const SignInTitle = "DANH SÁCH KÝ NHẬN / ĐIỂM DANH"

// SignInPDF returns the sign-in sheet of a session (A4 portrait): the header block, the
// title, the course, the session's day and time, and a table of the confirmed trainees in
// Vietnamese order (STT, họ và tên, đơn vị, chức vụ, chữ ký) whose header repeats on every
// page, with page numbers. The tick-back page lists them in the same order. Returns
// ErrNotFound for an unknown session.
func (s *Service) SignInPDF(ctx context.Context, iss Issuer, sessionID int64) (*Report, error) {
	ro, err := s.SessionRoster(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	b, err := signInPDF(iss, ro, time.Now())
	if err != nil {
		return nil, err
	}
	return &Report{Name: signInName(ro) + ".pdf", ContentType: PDFType, Data: b}, nil
}

func signInName(ro *Roster) string {
	return fmt.Sprintf("ky-nhan-lop-%d-%s", ro.Course.ID, ro.Session.StartsAt.In(vn.Location).Format("2006-01-02-1504"))
}

// signInSubtitle names the module and the place under the session line.
func signInSubtitle(ro *Roster) string {
	var parts []string
	if ro.Session.ModuleTitle != "" {
		parts = append(parts, "Chuyên đề: "+ro.Session.ModuleTitle)
	}
	place := ro.Course.Venue
	if ro.Session.Room != "" {
		if place != "" {
			place += " – "
		}
		place += ro.Session.Room
	}
	if place != "" {
		parts = append(parts, "Địa điểm: "+place)
	}
	return strings.Join(parts, ". ")
}

func signInPDF(iss Issuer, ro *Roster, now time.Time) ([]byte, error) {
	d, err := newDoc(pdfdoc.Portrait, iss, SignInTitle, now)
	if err != nil {
		return nil, err
	}
	titleBlock(d, SignInTitle, ro.Course.Title, SessionLine(ro.Session), signInSubtitle(ro))
	rows := make([][]string, len(ro.Entries))
	for i, e := range ro.Entries {
		rows[i] = []string{stt(i), e.FullName, e.Organization, e.Position, ""}
	}
	d.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{
			{Title: "STT", Width: 12, Align: pdfdoc.Center},
			{Title: "Họ và tên", Width: 44},
			{Title: "Đơn vị", Width: 52},
			{Title: "Chức vụ", Width: 27},
			{Title: "Chữ ký", Width: 30},
		},
		Rows:         rows,
		FontSize:     12,
		MinRowHeight: 9,
	})
	d.Ln(2)
	d.SetFont(pdfdoc.Italic, 12)
	if len(rows) == 0 {
		d.Paragraph(0, "Lớp chưa có học viên được xác nhận.", pdfdoc.Left)
	} else {
		d.Paragraph(0, fmt.Sprintf("Danh sách có %d người.", len(rows)), pdfdoc.Left)
	}
	d.Signatures("", "NGƯỜI LẬP DANH SÁCH", "ĐẠI DIỆN ĐƠN VỊ TỔ CHỨC")
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("attendance: sign-in sheet: %w", err)
	}
	return b, nil
}
