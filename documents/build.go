package documents

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/vn"
)

// draft is what every document of a course is made from.
type draft struct {
	course *courses.Course
	org    *Org
	st     *Settings
	year   int
}

// Build assembles the document kind of a course; it also returns the issuing agency's
// name (the PDF's author).
func (s *Service) Build(ctx context.Context, courseID int64, kind string, unit Unit) (*Document, string, error) {
	if !ValidKind(kind) {
		f := errs.Fields{}
		f.Add("kind", "doc.err.kind")
		return nil, "", f.Err()
	}
	c, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, "", err
	}
	org, err := s.org(ctx, c.OrganizationID)
	if err != nil {
		return nil, "", err
	}
	st, _, err := s.CourseSettings(ctx, c.ID, c.OrganizationID)
	if err != nil {
		return nil, "", err
	}
	d := &draft{course: c, org: org, st: st, year: s.now().In(vn.Location).Year()}
	var doc *Document
	switch kind {
	case KindDecision:
		doc, err = s.decision(ctx, d)
	case KindSummons:
		doc, err = s.summons(ctx, d, unit)
	case KindSummonsAll:
		doc, err = s.summonsAll(ctx, d)
	case KindCertificateDecision:
		doc, err = s.certificateDecision(ctx, d)
	case KindReport:
		doc, err = s.report(ctx, d)
	}
	if err != nil {
		return nil, "", err
	}
	return doc, org.Name, nil
}

// header is the header block with the number left blank: "Số:         /QĐ-STTTT".
func (d *draft) header(code string) *Header {
	n := "Số:" + blank + "/" + d.st.Symbol
	if code != "" {
		n = "Số:" + blank + "/" + code + "-" + d.st.Symbol
	}
	return &Header{
		ParentAgency: d.org.ParentName,
		Agency:       d.org.Name,
		Number:       n,
		Date:         d.st.Place + ", ngày" + blank + "tháng" + blank + "năm " + strconv.Itoa(d.year),
	}
}

// refDecision is how an annex names the decision it is attached to, left blank.
func (d *draft) refDecision() string {
	return "(Kèm theo Quyết định số " + dots + "/QĐ-" + d.st.Symbol + " ngày " + dots + " tháng " + dots +
		" năm " + strconv.Itoa(d.year) + " của " + d.org.Name + ")"
}

// dots stand for what the clerk fills in inside a sentence (where spaces would close up).
const dots = "……"

func signer(k KindSettings) *Signer {
	return &Signer{Authority: k.SignerAuthority, Title: k.SignerTitle, Name: k.SignerName}
}

// courseName is the course as a sentence names it: "lớp tập huấn …".
func courseName(c *courses.Course) string {
	t := lowerFirst(c.Title)
	if strings.HasPrefix(vn.Fold(t), "lop ") {
		return t
	}
	return "lớp " + t
}

// lowerFirst lowers the first letter of a title unless the first word is an acronym.
func lowerFirst(s string) string {
	s = vn.Clean(s)
	w, _, _ := strings.Cut(s, " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || strings.ToUpper(w) == w {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// dates is "từ ngày 04/12/2023 đến ngày 05/12/2023", or "ngày 04/12/2023".
func dates(c *courses.Course) string {
	if c.StartsOn == c.EndsOn {
		return "ngày " + vn.FormatDate(c.StartDate())
	}
	return "từ ngày " + vn.FormatDate(c.StartDate()) + " đến ngày " + vn.FormatDate(c.EndDate())
}

func itoa(n int) string { return vn.FormatInt(int64(n)) }

// unitLine is one unit of the quota tables.
type unitLine struct {
	unit      string
	seats     *int // the quota; nil when none
	confirmed int
}

// planned is what the plan counts for the unit: its quota, or without one the trainees
// it has confirmed.
func (u unitLine) planned() int {
	if u.seats != nil {
		return *u.seats
	}
	return u.confirmed
}

// unitLines are the units of the quota tables: every unit with a quota or a confirmed
// trainee, and the number the plan counts.
func unitLines(units []courses.UnitFill) (lines []unitLine, planned int) {
	for _, u := range units {
		if u.Seats == nil && u.Confirmed == 0 {
			continue
		}
		l := unitLine{unit: unitLabel(u.Name), seats: u.Seats, confirmed: u.Confirmed}
		planned += l.planned()
		lines = append(lines, l)
	}
	return lines, planned
}

// unitLabel names a unit in a table; trainees who named none are one line.
func unitLabel(u string) string {
	if vn.Fold(u) == "" {
		return "(Không ghi đơn vị)"
	}
	return u
}

func (s *Service) decision(ctx context.Context, d *draft) (*Document, error) {
	c, st := d.course, d.st
	units, err := s.courses.QuotaFill(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	modules, err := s.courses.ListModules(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	sessions, err := s.courses.ListSessions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	name := courseName(c)
	lines, planned := unitLines(units)
	number := c.Capacity
	if planned > 0 {
		number = planned
	}
	k := st.Decision
	dec := Part{
		Header:    d.header("QĐ"),
		Type:      "QUYẾT ĐỊNH",
		Summary:   "Về việc mở " + name,
		Authority: st.Authority,
		Bases:     k.Bases,
		Decides:   true,
		Body: []Block{
			lead("Điều 1.", "Mở "+name+", "+dates(c)+", tại "+c.Venue+"; số lượng: "+itoa(number)+" học viên."+
				" (Có Kế hoạch tổ chức lớp kèm theo)."),
			lead("Điều 2.", "Giao các phòng, đơn vị liên quan tổ chức lớp theo Kế hoạch kèm theo Quyết định này. "+
				firstLine(st.Funding)),
			lead("Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Trưởng các phòng, đơn vị liên quan"+
				" và các học viên có tên trong danh sách triệu tập chịu trách nhiệm thi hành Quyết định này."),
		},
		Recipients: k.Recipients,
		Signer:     signer(k),
	}
	plan := Part{
		Type:    "KẾ HOẠCH",
		Summary: "Tổ chức " + name,
		Note:    d.refDecision(),
	}
	b := &plan.Body
	*b = append(*b, heading("I. MỤC ĐÍCH, YÊU CẦU"))
	purpose := c.Description
	if purpose == "" {
		purpose = "Trang bị, cập nhật kiến thức, kỹ năng cho học viên theo nội dung chương trình của lớp."
	}
	for _, l := range Lines(purpose) {
		*b = append(*b, para(l))
	}
	*b = append(*b, heading("II. THÀNH PHẦN, SỐ LƯỢNG HỌC VIÊN"))
	if c.TargetAudience != "" {
		*b = append(*b, para("Thành phần: "+c.TargetAudience))
	}
	*b = append(*b, para("Số lượng: "+itoa(number)+" học viên"+map[bool]string{true: ", phân bổ theo đơn vị như sau:", false: "."}[len(lines) > 0]))
	if len(lines) > 0 {
		*b = append(*b, tableBlock(planTable(lines, planned)))
	}
	*b = append(*b, heading("III. THỜI GIAN, ĐỊA ĐIỂM"))
	*b = append(*b, para("Thời gian: "+dates(c)+"."), para("Địa điểm: "+c.Venue+"."))
	*b = append(*b, heading("IV. NỘI DUNG, CHƯƠNG TRÌNH"))
	switch {
	case len(sessions) > 0:
		t := &Table{Columns: []Column{{Title: "Thời gian", Width: 42}, {Title: "Nội dung", Width: 80}, {Title: "Báo cáo viên", Width: 43}}}
		for _, ss := range sessions {
			t.Rows = append(t.Rows, []string{sessionWhen(&ss), ss.ModuleTitle, ss.Lecturer})
		}
		*b = append(*b, tableBlock(t))
	case len(modules) > 0:
		t := &Table{Columns: []Column{{Title: "STT", Width: 12, Center: true}, {Title: "Chuyên đề", Width: 105}, {Title: "Báo cáo viên", Width: 48}}}
		for i, m := range modules {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), m.Title, m.Lecturer})
		}
		*b = append(*b, tableBlock(t))
	default:
		*b = append(*b, para("Chương trình chi tiết sẽ được thông báo sau."))
	}
	*b = append(*b, heading("V. KINH PHÍ"))
	for _, l := range Lines(st.Funding) {
		*b = append(*b, para(l))
	}
	if c.Program != "" {
		*b = append(*b, para("Thuộc: "+c.Program+"."))
	}
	if s.src.Estimate != nil {
		total, ok, err := s.src.Estimate.EstimateTotal(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			*b = append(*b, para("Tổng dự toán: "+vn.FormatInt(total)+" đồng (bằng chữ: "+vn.AmountInWords(total)+")."))
		}
	} else {
		*b = append(*b, para("Dự toán kinh phí: theo dự toán được cấp có thẩm quyền phê duyệt."))
	}
	*b = append(*b, heading("VI. TỔ CHỨC THỰC HIỆN"))
	for _, l := range Lines(st.Assignments) {
		*b = append(*b, para(l))
	}
	return &Document{Title: "Quyết định mở " + name, Parts: []Part{dec, plan}}, nil
}

// sessionWhen is "Sáng 04/12/2023\n07:30 – 11:30".
func sessionWhen(ss *courses.Session) string {
	start, end := ss.StartsAt.In(vn.Location), ss.EndsAt.In(vn.Location)
	label := strings.TrimPrefix(attendance.SessionLabel(ss), "Buổi ")
	return strings.ToUpper(label[:1]) + label[1:] + " " + vn.FormatDate(start) + "\n" + start.Format("15:04") + " – " + end.Format("15:04")
}

// firstLine returns the first line of a multi-line text.
func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// planTable is the plan's table of numbers by unit.
func planTable(lines []unitLine, planned int) *Table {
	t := &Table{Columns: []Column{{Title: "STT", Width: 14, Center: true}, {Title: "Đơn vị", Width: 105},
		{Title: "Số lượng (người)", Width: 46, Right: true}}}
	for i, l := range lines {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), l.unit, itoa(l.planned())})
	}
	t.Total, t.TotalSpan = []string{"Tổng cộng", itoa(planned)}, 2
	return t
}

// quotaTable is the letter's table: STT, unit, quota ("—" for none), registered so far.
func quotaTable(lines []unitLine) *Table {
	t := &Table{Columns: []Column{{Title: "STT", Width: 14, Center: true}, {Title: "Đơn vị", Width: 85},
		{Title: "Chỉ tiêu (người)", Width: 33, Right: true}, {Title: "Đã đăng ký", Width: 33, Right: true}}}
	seats, confirmed := 0, 0
	for i, l := range lines {
		q := "—"
		if l.seats != nil {
			q = itoa(*l.seats)
			seats += *l.seats
		}
		confirmed += l.confirmed
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), l.unit, q, itoa(l.confirmed)})
	}
	t.Total, t.TotalSpan = []string{"Tổng cộng", itoa(seats), itoa(confirmed)}, 2
	return t
}

// resolveUnit finds the unit of a call-up letter among the course's units: by its id in
// the units directory, or by its name (a unit text that matched none has only that).
func (s *Service) resolveUnit(ctx context.Context, courseID int64, u Unit) (*courses.UnitFill, error) {
	key := vn.Fold(u.Name)
	if u.ID == 0 && key == "" {
		return nil, ErrNoUnit
	}
	units, err := s.courses.QuotaFill(ctx, courseID)
	if err != nil {
		return nil, err
	}
	for i := range units {
		uf := &units[i]
		if uf.Seats == nil && uf.Confirmed == 0 {
			continue
		}
		if (u.ID != 0 && uf.UnitID == u.ID) || (u.ID == 0 && vn.Fold(uf.Name) == key) {
			return uf, nil
		}
	}
	return nil, ErrNoUnit
}

// UnitPeople returns the unit's quota (nil: none) and its confirmed trainees, in
// Vietnamese order: exactly who its call-up letter names.
func (s *Service) UnitPeople(ctx context.Context, courseID int64, u Unit) (*courses.UnitFill, []courses.Registration, error) {
	uf, err := s.resolveUnit(ctx, courseID, u)
	if err != nil {
		return nil, nil, err
	}
	f := courses.RegistrationFilter{CourseID: courseID, Statuses: []string{courses.RegConfirmed}, UnitID: uf.UnitID}
	if uf.UnitID == 0 {
		f.UnitID, f.Unit = -1, uf.Name // a text that matched no unit: its registrations as written
	}
	regs, _, err := s.courses.ListRegistrations(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	return uf, regs, nil
}

func (s *Service) summons(ctx context.Context, d *draft, u Unit) (*Document, error) {
	c, k := d.course, d.st.Summons
	uf, regs, err := s.UnitPeople(ctx, c.ID, u)
	if err != nil {
		return nil, err
	}
	name := courseName(c)
	quota := len(regs)
	if uf.Seats != nil {
		quota = *uf.Seats
	}
	p := Part{
		Header:  d.header(map[bool]string{false: "GTT", true: "GM"}[d.st.Invitation]),
		Type:    map[bool]string{false: "GIẤY TRIỆU TẬP", true: "GIẤY MỜI"}[d.st.Invitation],
		Summary: "Tham dự " + name,
	}
	p.Body = []Block{
		para(d.org.Name + map[bool]string{false: " triệu tập ", true: " trân trọng kính mời "}[d.st.Invitation] + itoa(quota) + " (" + strings.ToLower(numberWords(quota)) + ") cán bộ của " +
			uf.Name + " tham dự " + name + "."),
		para("Chỉ tiêu của đơn vị: " + itoa(quota) + " người. Danh sách cán bộ được " +
			map[bool]string{false: "triệu tập", true: "mời"}[d.st.Invitation] + ":"),
	}
	t := &Table{Columns: []Column{{Title: "STT", Width: 12, Center: true}, {Title: "Họ và tên", Width: 55},
		{Title: "Chức vụ", Width: 50}, {Title: "Điện thoại", Width: 48}}}
	for i, r := range regs {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), r.FullName, r.Position, r.Phone})
	}
	if len(regs) > 0 {
		p.Body = append(p.Body, tableBlock(t))
	} else {
		p.Body = append(p.Body, para("(Đơn vị chưa gửi danh sách; đề nghị cử cán bộ theo chỉ tiêu trên.)"))
	}
	if len(regs) < quota {
		p.Body = append(p.Body, para("Đơn vị còn "+itoa(quota-len(regs))+" chỉ tiêu; đề nghị cử bổ sung và gửi danh sách trước ngày khai giảng."))
	}
	p.Body = append(p.Body,
		lead("Thời gian:", dates(c)+"."),
		lead("Địa điểm:", c.Venue+"."),
		para("Đề nghị "+uf.Name+" tạo điều kiện để cán bộ có tên trên tham dự đầy đủ thời gian lớp."))
	p.Recipients = append([]string{uf.Name + ";"}, k.Recipients...)
	p.Signer = signer(k)
	title := map[bool]string{false: "Giấy triệu tập ", true: "Giấy mời "}[d.st.Invitation]
	return &Document{Title: title + uf.Name, Parts: []Part{p}}, nil
}

// numberWords is a count in words ("mười hai"), from the amount-in-words of vn.
func numberWords(n int) string {
	w := vn.AmountInWords(int64(n))
	w = strings.TrimSuffix(strings.TrimSuffix(w, " đồng"), " đồng chẵn")
	return w
}

func (s *Service) summonsAll(ctx context.Context, d *draft) (*Document, error) {
	c, k := d.course, d.st.Summons
	units, err := s.courses.QuotaFill(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	lines, _ := unitLines(units)
	name := courseName(c)
	h := d.header("")
	h.LetterSummary = "V/v triệu tập học viên tham dự " + name
	p := Part{
		Header:     h,
		Addressees: []string{"Các đơn vị có tên tại bảng phân bổ kèm theo"},
	}
	p.Body = []Block{
		para("Thực hiện kế hoạch năm " + strconv.Itoa(d.year) + ", " + d.org.Name + " tổ chức " + name + ", " + dates(c) +
			", tại " + c.Venue + "."),
		para("Đề nghị các đơn vị cử cán bộ tham dự theo chỉ tiêu được phân bổ dưới đây và gửi danh sách (họ và tên, chức vụ, điện thoại) về " +
			d.org.Name + " trước ngày khai giảng."),
	}
	if c.TargetAudience != "" {
		p.Body = append(p.Body, para("Thành phần: "+c.TargetAudience))
	}
	if len(lines) > 0 {
		p.Body = append(p.Body, centered("BẢNG PHÂN BỔ CHỈ TIÊU"), tableBlock(quotaTable(lines)))
	} else {
		p.Body = append(p.Body, para("(Chưa phân bổ chỉ tiêu cho đơn vị nào.)"))
	}
	p.Body = append(p.Body, para("Trân trọng./."))
	p.Recipients = k.Recipients
	p.Signer = signer(k)
	return &Document{Title: "Công văn triệu tập " + name, Parts: []Part{p}}, nil
}

// CertificateList returns the rows of the certificate decision's list: the valid
// certificates of the course in register order, with the holder's birth date and unit.
func (s *Service) CertificateList(ctx context.Context, courseID int64) ([][]string, error) {
	certs, _, err := s.certs.List(ctx, certificates.Filter{CourseID: courseID, Statuses: []string{certificates.Valid}})
	if err != nil {
		return nil, err
	}
	regs, _, err := s.courses.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: courseID})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*courses.Registration, len(regs))
	for i := range regs {
		byID[regs[i].ID] = &regs[i]
	}
	rows := make([][]string, 0, len(certs))
	for i, ct := range certs {
		birth, unit := "", ""
		if r := byID[ct.RegistrationID]; r != nil {
			unit = r.Organization
			if t, err := vn.ParseDate(r.BirthDate); err == nil {
				birth = vn.FormatDate(t)
			}
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), ct.FullName, birth, unit, ct.Number})
	}
	return rows, nil
}

func (s *Service) certificateDecision(ctx context.Context, d *draft) (*Document, error) {
	c, st := d.course, d.st
	k := st.CertificateDecision
	rows, err := s.CertificateList(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	name := courseName(c)
	bases := append([]string{}, k.Bases...)
	if len(bases) > 0 {
		// The decision that opened the course comes before the last line ("Xét …").
		open := "Căn cứ Quyết định số " + dots + "/QĐ-" + st.Symbol + " ngày " + dots + " về việc mở " + name + ";"
		bases = append(bases[:len(bases)-1:len(bases)-1], open, bases[len(bases)-1])
	}
	dec := Part{
		Header:    d.header("QĐ"),
		Type:      "QUYẾT ĐỊNH",
		Summary:   "Về việc cấp giấy chứng nhận hoàn thành " + name,
		Authority: st.Authority,
		Bases:     bases,
		Decides:   true,
		Body: []Block{
			lead("Điều 1.", "Cấp giấy chứng nhận hoàn thành "+name+" ("+dates(c)+") cho "+itoa(len(rows))+
				" học viên có tên trong danh sách kèm theo Quyết định này."),
			lead("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
			lead("Điều 3.", "Chánh Văn phòng, Trưởng các phòng, đơn vị liên quan và các học viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."),
		},
		Recipients: k.Recipients,
		Signer:     signer(k),
	}
	list := Part{
		Type:    "DANH SÁCH",
		Summary: "Học viên được cấp giấy chứng nhận hoàn thành " + name,
		Note:    d.refDecision(),
	}
	t := &Table{Columns: []Column{{Title: "STT", Width: 12, Center: true}, {Title: "Họ và tên", Width: 42},
		{Title: "Ngày sinh", Width: 24, Center: true}, {Title: "Đơn vị", Width: 49}, {Title: "Số giấy chứng nhận", Width: 38, Center: true}}}
	t.Rows = rows
	if len(rows) > 0 {
		list.Body = []Block{tableBlock(t), para("Danh sách có " + itoa(len(rows)) + " học viên.")}
	} else {
		list.Body = []Block{para("(Chưa cấp giấy chứng nhận nào.)")}
	}
	return &Document{Title: "Quyết định cấp giấy chứng nhận " + name, Parts: []Part{dec, list}}, nil
}
