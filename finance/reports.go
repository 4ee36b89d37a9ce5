package finance

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"taphuan/attendance"
	"taphuan/errs"
	"taphuan/vn"
)

// Report kinds, as in API.md's /reports/{kind}.
const (
	KindEstimate   = "estimate"
	KindHonoraria  = "honoraria"
	KindSupport    = "support"
	KindSettlement = "settlement"
)

// Kinds returns the report kinds (a fresh slice each call).
func Kinds() []string { return []string{KindEstimate, KindSupport, KindHonoraria, KindSettlement} }

// Titles of the reports.
const (
	EstimateTitle   = "DỰ TOÁN KINH PHÍ"
	SupportTitle    = "DANH SÁCH NHẬN TIỀN HỖ TRỢ"
	HonorariaTitle  = "DANH SÁCH CHI THÙ LAO BÁO CÁO VIÊN"
	SettlementTitle = "QUYẾT TOÁN KINH PHÍ"
)

// ReportOptions are the optional columns of the support list.
type ReportOptions struct {
	IDNumber    bool // CCCD column
	BankAccount bool // bank account column, to fill by hand
}

// ErrUnknownReport is a report kind or format that does not exist.
var ErrUnknownReport = errs.New(errs.NotFound, "err.not_found")

// ReportFile renders a report of a course as "pdf" or "xlsx".
func (s *Service) ReportFile(ctx context.Context, iss attendance.Issuer, courseID int64, kind, format string, opt ReportOptions) (*attendance.Report, error) {
	sc, err := s.loadScene(ctx, courseID)
	if err != nil {
		return nil, err
	}
	var r *report
	switch kind {
	case KindEstimate:
		e := sc.estimate()
		r = estimateReport(e)
		r.flags = len(e.Flags)
	default:
		mx, err := s.attend.Matrix(ctx, courseID)
		if err != nil {
			return nil, err
		}
		switch kind {
		case KindSupport:
			sp := sc.support(mx)
			r = supportReport(sp, opt)
			r.flags = len(sp.Flags)
		case KindHonoraria:
			h := sc.honoraria(mx)
			r = honorariaReport(h)
			r.flags = len(h.Flags)
		case KindSettlement:
			st := sc.settlement(mx)
			r = settlementReport(st)
			r.flags = len(st.Flags)
		default:
			return nil, fmt.Errorf("finance: report %q: %w", kind, ErrUnknownReport)
		}
	}
	r.Sub = append([]string{sc.course.Title, courseDates(sc.course)}, r.Sub...)
	if r.flags > 0 {
		// The list leaves out what it could not price; say so on the paper too.
		r.Notes = append(r.Notes, fmt.Sprintf("Lưu ý: còn %d mục chưa tính được (buổi chưa có báo cáo viên, ngày chưa có định mức…), xem trang Kinh phí của lớp.", r.flags))
	}
	switch format {
	case "pdf":
		return r.pdf(iss, sc.course, time.Now())
	case "xlsx":
		return r.xlsx()
	}
	return nil, fmt.Errorf("finance: report format %q: %w", format, ErrUnknownReport)
}

func sttCell(i int) rcell { return txt(strconv.Itoa(i + 1)) }

func estimateReport(e *Estimate) *report {
	r := &report{Title: EstimateTitle, Stem: stem("du-toan", e.Course.ID), Sheet: "Dự toán", Words: e.Total,
		Cols: []rcol{{"STT", 12, 6, kCenter, false}, {"Nội dung chi", 62, 44, kText, false},
			{"Đơn vị tính", 22, 12, kCenter, false}, {"Số lượng", 18, 10, kInt, false},
			{"Đơn giá (đồng)", 28, 14, kMoney, false}, {"Thành tiền (đồng)", 30, 16, kMoney, true}}}
	for i, l := range e.Lines {
		r.Rows = append(r.Rows, []rcell{sttCell(i), txt(l.Label), txt(l.Unit), num(l.Quantity), num(l.UnitPrice),
			fx(l.Amount, "D{r}*E{r}")})
	}
	r.Notes = basisNotes(e.Lines)
	return r
}

// basisNotes names the legal bases of the rates used, once each.
func basisNotes(lines []Line) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lines {
		if l.Basis != "" && !seen[l.Basis] {
			seen[l.Basis] = true
			out = append(out, "Căn cứ: "+l.Basis+".")
		}
	}
	return out
}

func supportReport(sp *Support, opt ReportOptions) *report {
	cols := []rcol{{"STT", 12, 6, kCenter, false}, {"Họ và tên", 40, 26, kText, false}, {"Đơn vị", 45, 34, kText, false}}
	if opt.IDNumber {
		cols = append(cols, rcol{"Số CCCD", 32, 16, kCenter, false})
	}
	cols = append(cols, rcol{"Số ngày", 14, 9, kInt, true}, rcol{"Số tiền (đồng)", 25, 15, kMoney, true})
	if opt.BankAccount {
		cols = append(cols, rcol{"Số tài khoản", 30, 18, kText, false})
	}
	cols = append(cols, rcol{"Ký nhận", 26, 16, kText, false})
	r := &report{Title: SupportTitle, Stem: stem("ho-tro", sp.Course.ID), Sheet: "Hỗ trợ", Words: sp.Total,
		Cols: cols, RowHeight: 9, Landscape: opt.IDNumber && opt.BankAccount}
	for i, l := range sp.Lines {
		row := []rcell{sttCell(i), txt(l.FullName), txt(l.Organization)}
		if opt.IDNumber {
			row = append(row, txt(l.IDNumber))
		}
		row = append(row, num(l.Days), num(l.Amount))
		if opt.BankAccount {
			row = append(row, txt(""))
		}
		r.Rows = append(r.Rows, append(row, txt("")))
	}
	for _, d := range sp.Days {
		t, _ := vn.ParseDate(d.Day)
		if d.Known {
			line := "Ngày " + vn.FormatDate(t) + ": " + vn.FormatInt(d.Amount) + " đồng/người"
			if d.Basis != "" {
				line += " (" + d.Basis + ")"
			}
			r.Sub = append(r.Sub, line)
		}
	}
	r.Notes = []string{"Số ngày là số ngày học viên có mặt (kể cả đi muộn) ít nhất một buổi."}
	return r
}

func honorariaReport(h *Honoraria) *report {
	r := &report{Title: HonorariaTitle, Stem: stem("thu-lao", h.Course.ID), Sheet: "Thù lao", Words: h.Total,
		Landscape: true, RowHeight: 9,
		Cols: []rcol{{"STT", 12, 6, kCenter, false}, {"Họ và tên", 48, 28, kText, false},
			{"Cấp / đơn vị công tác", 60, 34, kText, false}, {"Số buổi", 16, 9, kInt, true},
			{"Thành tiền (đồng)", 28, 15, kMoney, true}, {"Thuế TNCN (đồng)", 26, 14, kMoney, true},
			{"Thực nhận (đồng)", 28, 15, kMoney, true}, {"Ký nhận", 36, 16, kText, false}}}
	taxF := fmt.Sprintf("IF(E{r}>=%d,ROUND(E{r}*%d/10000,0),0)", h.Tax.Threshold, h.Tax.RateBP)
	for i, l := range h.Lines {
		who := TierLabel(l.Tier)
		if l.Workplace != "" {
			who += " – " + l.Workplace
		}
		r.Rows = append(r.Rows, []rcell{sttCell(i), txt(l.Name), txt(who), num(l.Sessions), num(l.Gross),
			fx(l.Tax, taxF), fx(l.Amount, "E{r}-F{r}"), txt("")})
	}
	r.Sub = []string{fmt.Sprintf("Thuế thu nhập cá nhân khấu trừ %s đối với khoản chi từ %s đồng trở lên",
		vn.FormatPercent(float64(h.Tax.RateBP)/100, 0), vn.FormatInt(h.Tax.Threshold))}
	r.Notes = []string{"Số buổi là số buổi đã giảng (có học viên điểm danh có mặt hoặc đi muộn); mỗi buổi tính theo mức của cấp báo cáo viên hiện hành vào ngày giảng."}
	return r
}

func settlementReport(st *Settlement) *report {
	r := &report{Title: SettlementTitle, Stem: stem("quyet-toan", st.Course.ID), Sheet: "Quyết toán", Words: st.Total,
		Cols: []rcol{{"STT", 12, 6, kCenter, false}, {"Nội dung chi", 64, 44, kText, false},
			{"Dự toán (đồng)", 28, 15, kMoney, true}, {"Thực hiện (đồng)", 28, 15, kMoney, true},
			{"Chênh lệch (đồng)", 28, 15, kMoney, true}, {"Ghi chú", 26, 16, kText, false}}}
	for i, l := range st.Lines {
		note := ""
		if !l.Known {
			note = "Chưa nhập thực chi"
		}
		r.Rows = append(r.Rows, []rcell{sttCell(i), txt(l.Label), num(l.Estimate), num(l.Actual),
			fx(l.Amount, "D{r}-C{r}"), txt(note)})
	}
	r.Notes = []string{"Chênh lệch = thực hiện − dự toán. Bằng chữ là tổng số thực hiện."}
	return r
}
