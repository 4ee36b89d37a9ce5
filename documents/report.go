package documents

import (
	"context"
	"strconv"

	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/vn"
)

// ReportFigures are the counts of the result report.
type ReportFigures struct {
	Units                        []UnitResult
	Invited, Confirmed           int // invited: the quotas (or, without quotas, the confirmed)
	Attended                     int // confirmed trainees present or late at one session at least
	Men, Women                   int // of the attended
	Minority                     int // of the attended
	Sessions                     []SessionResult
	Certificates                 int // valid certificates
	EvaluationLines              []string
	SettlementTotal              int64
	HasEvaluation, HasSettlement bool
}

// UnitResult is one unit's line of the report.
type UnitResult struct {
	Unit                string
	Invited             *int // its quota; nil when none
	Confirmed, Attended int
}

// SessionResult is the attendance of one session.
type SessionResult struct {
	Label    string
	Attended int
}

// Figures counts what the result report says of a course.
func (s *Service) Figures(ctx context.Context, courseID int64) (*ReportFigures, error) {
	units, err := s.courses.QuotaFill(ctx, courseID)
	if err != nil {
		return nil, err
	}
	mx, err := s.attend.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	f := &ReportFigures{}
	attendedBy := map[string]int{}
	for _, r := range mx.Rows {
		if r.Attended == 0 {
			continue
		}
		f.Attended++
		attendedBy[unitKey(r.Registration.UnitID, r.Registration.Organization)]++
		switch r.Registration.Gender {
		case "Nam":
			f.Men++
		case "Nữ":
			f.Women++
		}
		if attendance.EthnicClass(r.Registration.Ethnicity) == attendance.EthnicMinority {
			f.Minority++
		}
	}
	for _, u := range units {
		if u.Seats == nil && u.Confirmed == 0 {
			continue
		}
		var id *int64
		if u.UnitID != 0 {
			id = &u.UnitID
		}
		ur := UnitResult{Unit: unitLabel(u.Name), Invited: u.Seats, Confirmed: u.Confirmed, Attended: attendedBy[unitKey(id, u.Name)]}
		if u.Seats != nil {
			f.Invited += *u.Seats
		} else {
			f.Invited += u.Confirmed
		}
		f.Confirmed += u.Confirmed
		f.Units = append(f.Units, ur)
	}
	counts := mx.AttendedCount()
	for i := range mx.Sessions {
		ss := &mx.Sessions[i]
		f.Sessions = append(f.Sessions, SessionResult{Label: attendance.SessionLine(ss), Attended: counts[ss.ID]})
	}
	_, f.Certificates, err = s.certs.List(ctx, certificates.Filter{CourseID: courseID, Statuses: []string{certificates.Valid}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if s.src.Evaluation != nil {
		f.EvaluationLines, f.HasEvaluation, err = s.src.Evaluation.EvaluationSummary(ctx, courseID)
		if err != nil {
			return nil, err
		}
	}
	if s.src.Settlement != nil {
		f.SettlementTotal, f.HasSettlement, err = s.src.Settlement.SettlementTotal(ctx, courseID)
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

func percentOf(n, of int) string {
	if of == 0 {
		return "0%"
	}
	return attendance.PercentText(float64(n) * 100 / float64(of))
}

func (s *Service) report(ctx context.Context, d *draft) (*Document, error) {
	c, k := d.course, d.st.Report
	f, err := s.Figures(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	texts, err := s.ReportTexts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	name := courseName(c)
	p := Part{
		Header:  d.header("BC"),
		Type:    "BÁO CÁO",
		Summary: "Kết quả tổ chức " + name,
	}
	b := &p.Body
	*b = append(*b, heading("I. TÌNH HÌNH TỔ CHỨC LỚP"),
		para(d.org.Name+" đã tổ chức "+name+", "+dates(c)+", tại "+c.Venue+"."))
	if c.Program != "" {
		*b = append(*b, para("Lớp thuộc "+c.Program+"."))
	}
	*b = append(*b, heading("II. KẾT QUẢ"), heading("1. Học viên"),
		para("Số học viên được triệu tập: "+itoa(f.Invited)+"; đã xác nhận tham dự: "+itoa(f.Confirmed)+
			"; thực tế tham dự: "+itoa(f.Attended)+" (đạt "+percentOf(f.Attended, f.Invited)+" so với số được triệu tập)."))
	if len(f.Units) > 0 {
		t := &Table{Columns: []Column{{Title: "STT", Width: 12, Center: true}, {Title: "Đơn vị", Width: 81},
			{Title: "Triệu tập", Width: 24, Right: true}, {Title: "Xác nhận", Width: 24, Right: true}, {Title: "Tham dự", Width: 24, Right: true}}}
		for i, u := range f.Units {
			inv := "—"
			if u.Invited != nil {
				inv = itoa(*u.Invited)
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), u.Unit, inv, itoa(u.Confirmed), itoa(u.Attended)})
		}
		t.Total, t.TotalSpan = []string{"Tổng cộng", itoa(f.Invited), itoa(f.Confirmed), itoa(f.Attended)}, 2
		*b = append(*b, tableBlock(t))
	}
	*b = append(*b, para("Trong số học viên tham dự: nam "+itoa(f.Men)+", nữ "+itoa(f.Women)+
		"; người dân tộc thiểu số "+itoa(f.Minority)+" ("+percentOf(f.Minority, f.Attended)+")."))
	*b = append(*b, heading("2. Chuyên cần"))
	if len(f.Sessions) > 0 {
		t := &Table{Columns: []Column{{Title: "Buổi học", Width: 95}, {Title: "Có mặt", Width: 35, Right: true}, {Title: "Tỷ lệ", Width: 35, Right: true}}}
		sum := 0
		for _, ss := range f.Sessions {
			t.Rows = append(t.Rows, []string{ss.Label, itoa(ss.Attended), percentOf(ss.Attended, f.Confirmed)})
			sum += ss.Attended
		}
		*b = append(*b, tableBlock(t), para("Tỷ lệ chuyên cần bình quân: "+percentOf(sum, f.Confirmed*len(f.Sessions))+"."))
	} else {
		*b = append(*b, para("Lớp chưa có buổi học nào được điểm danh."))
	}
	*b = append(*b, heading("3. Giấy chứng nhận"),
		para("Số học viên được cấp giấy chứng nhận hoàn thành lớp: "+itoa(f.Certificates)+"."))
	n := 4
	if f.HasEvaluation {
		*b = append(*b, heading(strconv.Itoa(n)+". Đánh giá của học viên"))
		for _, l := range f.EvaluationLines {
			*b = append(*b, para(l))
		}
		n++
	}
	if f.HasSettlement {
		*b = append(*b, heading(strconv.Itoa(n)+". Kinh phí"),
			para("Tổng kinh phí quyết toán: "+vn.FormatInt(f.SettlementTotal)+" đồng (bằng chữ: "+vn.AmountInWords(f.SettlementTotal)+")."))
	}
	*b = append(*b, heading("III. ĐÁNH GIÁ CHUNG"))
	*b = append(*b, textOrBlank(texts.Assessment)...)
	*b = append(*b, heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
	*b = append(*b, textOrBlank(texts.Proposals)...)
	p.Recipients = k.Recipients
	p.Signer = signer(k)
	return &Document{Title: "Báo cáo kết quả tổ chức " + name, Parts: []Part{p}}, nil
}

// textOrBlank is a saved text as paragraphs, or dotted lines for the clerk to fill.
func textOrBlank(s string) []Block {
	lines := Lines(s)
	if len(lines) == 0 {
		return []Block{para("…………………………………………………………………………………………………")}
	}
	out := make([]Block, len(lines))
	for i, l := range lines {
		out[i] = para(l)
	}
	return out
}

// unitKey is how the report counts a unit: by its id in the directory, or by the text as
// written when it matched none.
func unitKey(id *int64, text string) string {
	if id != nil {
		return "id:" + strconv.FormatInt(*id, 10)
	}
	return "text:" + vn.Fold(text)
}
