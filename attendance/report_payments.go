package attendance

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"taphuan/pdfdoc"
	"taphuan/vn"
)

// PaymentsTitle is the title of the support payment list.
const PaymentsTitle = "DANH SÁCH NHẬN TIỀN HỖ TRỢ"

// PaymentsPDF returns the support payment list of a course: STT, họ và tên, đơn vị, số
// ngày, số tiền, ký nhận for every trainee with an attended day, the total in figures and
// in words ("Bằng chữ: …"), and the signers. Returns ErrNotFound for an unknown course.
func (s *Service) PaymentsPDF(ctx context.Context, iss Issuer, courseID int64) (*Report, error) {
	pl, err := s.Payments(ctx, courseID)
	if err != nil {
		return nil, err
	}
	b, err := paymentsPDF(iss, pl, time.Now())
	if err != nil {
		return nil, err
	}
	return &Report{Name: fileStem("ho-tro-lop", courseID) + ".pdf", ContentType: PDFType, Data: b}, nil
}

// AmountWords is the "Bằng chữ" line of a total.
func AmountWords(total int64) string { return "Bằng chữ: " + vn.AmountInWords(total) + "." }

func paymentsPDF(iss Issuer, pl *PaymentList, now time.Time) ([]byte, error) {
	d, err := newDoc(pdfdoc.Portrait, iss, PaymentsTitle, now)
	if err != nil {
		return nil, err
	}
	titleBlock(d, PaymentsTitle, pl.Course.Title, courseDates(pl.Course),
		"Mức hỗ trợ: "+vn.FormatInt(pl.Rate)+" đồng/người/ngày")
	rows := make([][]string, len(pl.Rows))
	for i, r := range pl.Rows {
		rows[i] = []string{stt(i), r.Registration.FullName, r.Registration.Organization, strconv.Itoa(r.Days),
			vn.FormatInt(r.Amount), ""}
	}
	d.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{
			{Title: "STT", Width: 12, Align: pdfdoc.Center},
			{Title: "Họ và tên", Width: 40},
			{Title: "Đơn vị", Width: 45},
			{Title: "Số ngày", Width: 15, Align: pdfdoc.Center},
			{Title: "Số tiền (đồng)", Width: 25, Align: pdfdoc.Right},
			{Title: "Ký nhận", Width: 28},
		},
		Rows:         rows,
		Total:        []string{"Tổng cộng", strconv.Itoa(pl.TotalDays), vn.FormatInt(pl.Total), ""},
		TotalSpan:    3,
		FontSize:     12,
		MinRowHeight: 9,
	})
	d.Ln(2)
	d.SetFont(pdfdoc.Italic, 12)
	d.Paragraph(0, AmountWords(pl.Total), pdfdoc.Left)
	d.SetFont(pdfdoc.Regular, 11)
	d.Paragraph(0, "Số ngày là số ngày học viên có mặt (kể cả đi muộn) ít nhất một buổi.", pdfdoc.Left)
	signatures(d, vn.DateLine(pl.Course.PlaceName, now), "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ")
	b, err := d.Bytes()
	if err != nil {
		return nil, fmt.Errorf("attendance: payment list: %w", err)
	}
	return b, nil
}
