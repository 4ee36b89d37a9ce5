package documents

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/errs"
	"taphuan/pdfdoc/pdftest"
)

// common are the parts every drafted document holds: the header block of Decree 30, the
// place and date line, the recipients and the signer.
var common = []string{"UBND TỈNH KHÁNH HÒA", "SỞ THÔNG TIN VÀ TRUYỀN", "THÔNG TỈNH KHÁNH HÒA",
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Khánh Hòa, ngày", "năm 2023",
	"Nơi nhận:", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Đức"}

// required returns what the document kind must hold, beyond common, in the scene.
func (sc *scene) required(t *testing.T, kind string) []string {
	switch kind {
	case KindDecision:
		return []string{"/QĐ-STTTT", "QUYẾT ĐỊNH Về việc mở lớp tập huấn nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023",
			"GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH KHÁNH HÒA", "Căn cứ Thông tư số 36/2018/TT-BTC", "QUYẾT ĐỊNH:",
			"Điều 1. Mở lớp tập huấn", "từ ngày 04/12/2023 đến ngày 05/12/2023", "số lượng: 10 học viên", "Số lượng (người)", "Tổng cộng 10", "Điều 2.", "Điều 3.",
			"- Như Điều 3;", "KẾ HOẠCH", "(Kèm theo Quyết định số", "I. MỤC ĐÍCH, YÊU CẦU", "Cập nhật quy định mới",
			"II. THÀNH PHẦN, SỐ LƯỢNG HỌC VIÊN", unitA, unitB, unitC, "IV. NỘI DUNG, CHƯƠNG TRÌNH",
			"Quy định về hoạt động thông tin cơ sở", "ThS. Nguyễn Văn Hùng", "V. KINH PHÍ", "Chương trình mục tiêu quốc gia",
			"VI. TỔ CHỨC THỰC HIỆN"}
	case KindSummonsAll:
		return []string{"Số:", "/STTTT", "V/v triệu tập học viên tham dự lớp tập huấn", "Kính gửi:", "BẢNG PHÂN BỔ CHỈ TIÊU",
			unitA, unitB, unitC, unitD, "Chỉ tiêu (người)", "Tổng cộng 9 6", "- Như trên;"}
	case KindSummons:
		want := []string{"/GTT-STTTT", "GIẤY TRIỆU TẬP", "Tham dự lớp tập huấn", "triệu tập 4 (bốn) cán bộ của " + unitA,
			"Chỉ tiêu của đơn vị: 4 người", "Thời gian: từ ngày 04/12/2023", "- " + unitA + ";"}
		for _, r := range sc.regs[unitA] {
			want = append(want, r.FullName)
		}
		return want
	case KindCertificateDecision:
		want := []string{"/QĐ-STTTT", "Về việc cấp giấy chứng nhận hoàn thành lớp tập huấn", "QUYẾT ĐỊNH:", "Điều 1.",
			"cho 4 học viên", "DANH SÁCH", "Họ và tên", "Ngày sinh", "Đơn vị", "Số giấy chứng nhận"}
		list, _, err := sc.certs.List(context.Background(), certificates.Filter{CourseID: sc.course.ID, Statuses: []string{certificates.Valid}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			want = append(want, c.FullName, c.Number)
		}
		return want
	case KindReport:
		return []string{"/BC-STTTT", "BÁO CÁO Kết quả tổ chức lớp tập huấn", "I. TÌNH HÌNH TỔ CHỨC LỚP",
			"được triệu tập: 10; đã xác nhận tham dự: 6; thực tế tham dự: 5 (đạt 50%", "Tổng cộng 10 6 5", "nam 3, nữ 2; người dân tộc thiểu số 2",
			"Chuyên cần", "Tỷ lệ chuyên cần bình quân", "Số học viên được cấp giấy chứng nhận hoàn thành lớp: 4",
			"III. ĐÁNH GIÁ CHUNG", "IV. ĐỀ XUẤT, KIẾN NGHỊ"}
	}
	t.Fatalf("no parts for %s", kind)
	return nil
}

var spaces = regexp.MustCompile(`\s+`)

// flat is the text of all pages on one line, spaces collapsed.
func flat(pages []string) string { return spaces.ReplaceAllString(strings.Join(pages, " "), " ") }

func holds(t *testing.T, what, text string, parts []string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q", what, p)
		}
	}
	if t.Failed() {
		t.Logf("%s:\n%s", what, text)
	}
}

// margins measures the margins of page 1 from its pixels, in mm: the box of the dark pixels.
func margins(t *testing.T, pdf []byte) (left, top, right, bottom float64) {
	t.Helper()
	const dpi = 100
	img, _ := pdftest.Render(t, pdf, 1, dpi, nil)
	b := img.Bounds()
	box := image.Rectangle{Min: b.Max, Max: b.Min}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if pdftest.Dark(img, x, y) {
				box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
				box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
			}
		}
	}
	mm := func(px int) float64 { return float64(px) * 25.4 / dpi }
	return mm(box.Min.X), mm(box.Min.Y), mm(b.Dx()) - mm(box.Max.X), mm(b.Dy()) - mm(box.Max.Y)
}

// checkMargins: Decree 30 wants top and bottom 20–25 mm, left 30–35, right 15–20. Text
// sits a little inside its line box, so the ink may start up to a few mm further in; the
// justified lines and the tables reach the left and right margins.
func checkMargins(t *testing.T, what string, pdf []byte) {
	t.Helper()
	l, tp, r, b := margins(t, pdf)
	t.Logf("%s page 1 ink margins: left %.1f top %.1f right %.1f bottom %.1f mm", what, l, tp, r, b)
	if l < 29.5 || l > 31.5 {
		t.Errorf("%s: left margin %.1f mm, want 30 (30–35)", what, l)
	}
	if r < 14.5 || r > 17 {
		t.Errorf("%s: right margin %.1f mm, want 15 (15–20)", what, r)
	}
	if tp < 20 || tp > 25 {
		t.Errorf("%s: top margin %.1f mm, want 20–25", what, tp)
	}
	if b < 19.5 {
		t.Errorf("%s: bottom margin %.1f mm, want at least 20", what, b)
	}
}

// checkPageNumbers: from the second page on, the number stands first (in the top margin);
// the first page has none (its top margin is empty, checkMargins sees to it).
func checkPageNumbers(t *testing.T, what string, pages []string) {
	t.Helper()
	for i, p := range pages[1:] {
		if f := strings.Fields(p); len(f) == 0 || f[0] != strconv.Itoa(i+2) {
			t.Errorf("%s: page %d does not start with its number: %.40q", what, i+2, p)
		}
	}
}

func TestPDFDocuments(t *testing.T) {
	sc := newScene(t, Sources{})
	ctx := context.Background()
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			f, err := sc.svc.Draft(ctx, sc.course.ID, kind, FormatPDF, Unit{Name: unitA})
			if err != nil {
				t.Fatal(err)
			}
			if f.ContentType != "application/pdf" || !bytes.HasPrefix(f.Data, []byte("%PDF-")) {
				t.Fatalf("%s: not a PDF (%s)", f.Name, f.ContentType)
			}
			pages := pdftest.Text(t, f.Data)
			text := flat(pages)
			holds(t, f.Name, text, append(append([]string{}, common...), sc.required(t, kind)...))
			checkMargins(t, f.Name, f.Data)
			checkPageNumbers(t, f.Name, pages)
			if kind == KindDecision && len(pages) < 2 {
				t.Errorf("the decision and its plan on %d page", len(pages))
			}
			if dir := os.Getenv("TAPHUAN_DOCUMENTS"); dir != "" {
				_, png := pdftest.Render(t, f.Data, 1, 60, nil)
				if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(f.Name, ".pdf")+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestDOCXOpensInLibreOffice converts the five DOCX files to PDF with LibreOffice in one
// call: a real word processor opens them, lays them out on the same page with the same
// margins, in Liberation Serif (its Times New Roman), and they hold the same parts.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice not found: install libreoffice-writer-nogui (scripts/test.sh does)")
	}
	sc := newScene(t, Sources{})
	ctx := context.Background()
	dir := t.TempDir()
	names := map[string]string{}
	for _, kind := range Kinds() {
		f, err := sc.svc.Draft(ctx, sc.course.ID, kind, FormatDOCX, Unit{Name: unitA})
		if err != nil {
			t.Fatal(err)
		}
		if f.ContentType != DocxType || !bytes.HasPrefix(f.Data, []byte("PK")) {
			t.Fatalf("%s: not a DOCX (%s)", f.Name, f.ContentType)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		names[kind] = strings.TrimSuffix(f.Name, ".docx")
	}
	out := filepath.Join(dir, "out")
	args := []string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", out}
	for _, n := range names {
		args = append(args, filepath.Join(dir, n+".docx"))
	}
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			pdf, err := os.ReadFile(filepath.Join(out, names[kind]+".pdf"))
			if err != nil {
				t.Fatalf("LibreOffice did not convert %s: %v", names[kind], err)
			}
			pages := pdftest.Text(t, pdf)
			text := flat(pages)
			holds(t, names[kind]+".docx (LibreOffice)", text, append(append([]string{}, common...), sc.required(t, kind)...))
			checkMargins(t, names[kind]+".docx (LibreOffice)", pdf)
			checkPageNumbers(t, names[kind]+".docx (LibreOffice)", pages)
			fonts, err := exec.Command("pdffonts", pdftest.File(t, pdf)).CombinedOutput()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(fonts), "LiberationSerif") || strings.Contains(string(fonts), "DejaVu") {
				t.Errorf("fonts of the converted document:\n%s", fonts)
			}
			if dir := os.Getenv("TAPHUAN_DOCUMENTS"); dir != "" {
				_, png := pdftest.Render(t, pdf, 1, 60, nil)
				if err := os.WriteFile(filepath.Join(dir, names[kind]+"-docx.png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestSummonsNamesExactlyTheUnit: the call-up letter of a unit names its confirmed
// trainees and quota — not the waiting list, not the cancelled, not another unit's.
func TestSummonsNamesExactlyTheUnit(t *testing.T) {
	sc := newScene(t, Sources{})
	ctx := context.Background()
	uf, regs, err := sc.svc.UnitPeople(ctx, sc.course.ID, Unit{Name: "phong van hoa va thong tin huyen dien khanh"})
	if err != nil {
		t.Fatal(err)
	}
	if uf.Seats == nil || *uf.Seats != 4 {
		t.Errorf("quota %v, want 4", uf.Seats)
	}
	var got []string
	for _, r := range regs {
		got = append(got, r.FullName)
	}
	if want := []string{"Trần Văn Bình", "Lê Minh Châu", "Nguyễn Thị Hải Yến"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("people %v, want %v (Vietnamese order)", got, want)
	}
	f, err := sc.svc.Draft(ctx, sc.course.ID, KindSummons, FormatPDF, Unit{Name: unitB})
	if err != nil {
		t.Fatal(err)
	}
	text := flat(pdftest.Text(t, f.Data))
	holds(t, f.Name, text, []string{"triệu tập 2 (hai) cán bộ của " + unitB, "Chỉ tiêu của đơn vị: 2 người", "Phạm Quốc Dũng", "Võ Thị Én"})
	for _, other := range []string{"Nguyễn Thị Hải Yến", "Cao Văn Giang", sc.waitlisted.FullName, sc.cancelled.FullName, "còn"} {
		if strings.Contains(text, other) {
			t.Errorf("the letter to %s names %q", unitB, other)
		}
	}
	if n := strings.Count(text, "Chuyên viên"); n != 2 {
		t.Errorf("%d rows of people, want 2", n)
	}
	// The unit of quota 3 with nobody yet is called up with an empty list.
	f, err = sc.svc.Draft(ctx, sc.course.ID, KindSummons, FormatPDF, Unit{Name: unitC})
	if err != nil {
		t.Fatal(err)
	}
	holds(t, f.Name, flat(pdftest.Text(t, f.Data)), []string{"triệu tập 3 (ba) cán bộ", "Đơn vị chưa gửi danh sách", "Đơn vị còn 3 chỉ tiêu"})

	for _, u := range []Unit{{Name: "Sở Tài chính"}, {Name: ""}, {ID: 7}} {
		if _, err := sc.svc.Draft(ctx, sc.course.ID, KindSummons, FormatPDF, u); !errors.Is(err, ErrNoUnit) {
			t.Errorf("unit %+v: %v, want ErrNoUnit", u, err)
		}
	}
}

func TestSummonsByUnitID(t *testing.T) {
	t.Parallel()
	sc := newScene(t, Sources{})
	f, err := sc.svc.Draft(context.Background(), sc.course.ID, KindSummons, FormatPDF, Unit{ID: sc.unitIDs[unitB]})
	if err != nil {
		t.Fatal(err)
	}
	holds(t, f.Name, flat(pdftest.Text(t, f.Data)), []string{"Phạm Quốc Dũng", "Võ Thị Én"})
	if _, err := sc.svc.Draft(context.Background(), sc.course.ID, KindSummons, FormatPDF, Unit{ID: sc.unitIDs[unitB] + 1000}); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown unit id: %v", err)
	}
}

// TestCertificateListMatchesRegister: the decision's list is the register's valid
// certificates in register order, and follows a revocation and a reissue.
func TestCertificateListMatchesRegister(t *testing.T) {
	sc := newScene(t, Sources{})
	ctx := context.Background()
	check := func() {
		t.Helper()
		list, _, err := sc.certs.List(ctx, certificates.Filter{CourseID: sc.course.ID, Statuses: []string{certificates.Valid}})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := sc.svc.CertificateList(ctx, sc.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(list) {
			t.Fatalf("%d rows, %d valid certificates", len(rows), len(list))
		}
		f, err := sc.svc.Draft(ctx, sc.course.ID, KindCertificateDecision, FormatPDF, Unit{})
		if err != nil {
			t.Fatal(err)
		}
		text := flat(pdftest.Text(t, f.Data))
		at := 0
		for i, c := range list {
			r, err := sc.cs.FindRegistrationByID(ctx, c.RegistrationID)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{rows[i][0], c.FullName, r.BirthDate[8:10] + "/" + r.BirthDate[5:7] + "/" + r.BirthDate[:4], r.Organization, c.Number}
			if strings.Join(rows[i], "|") != strings.Join(want, "|") {
				t.Errorf("row %d = %q, want %q", i+1, rows[i], want)
			}
			j := strings.Index(text[at:], c.Number)
			if j < 0 {
				t.Errorf("the PDF lacks %s after position %d (register order)", c.Number, at)
				continue
			}
			at += j
		}
		if !strings.Contains(text, "cho "+itoa(len(list))+" học viên") {
			t.Errorf("Điều 1 does not count %d", len(list))
		}
	}
	check()
	list, _, _ := sc.certs.List(ctx, certificates.Filter{CourseID: sc.course.ID})
	if _, err := sc.certs.Revoke(ctx, certificates.RevokeInput{CertificateID: list[0].ID, Reason: "Sai ngày sinh", UserID: sc.user.ID}); err != nil {
		t.Fatal(err)
	}
	check()
	f, _ := sc.svc.Draft(ctx, sc.course.ID, KindCertificateDecision, FormatPDF, Unit{})
	if strings.Contains(flat(pdftest.Text(t, f.Data)), list[0].Number) {
		t.Errorf("the revoked %s is still listed", list[0].Number)
	}
}

type fixed struct {
	total int64
	lines []string
}

func (f fixed) EstimateTotal(context.Context, int64) (int64, bool, error) { return f.total, true, nil }
func (f fixed) SettlementTotal(context.Context, int64) (int64, bool, error) {
	return f.total - 1_000_000, true, nil
}
func (f fixed) EvaluationSummary(context.Context, int64) ([]string, bool, error) {
	return f.lines, true, nil
}

// TestSourcesAndTexts: the estimate, the evaluation and the settlement appear where they
// exist; the report's assessment and proposals are the course's saved texts.
func TestSourcesAndTexts(t *testing.T) {
	src := fixed{total: 45_500_000, lines: []string{"Số phiếu thu về: 5/6.", "Mức độ hài lòng chung: 4,6/5."}}
	sc := newScene(t, Sources{Estimate: src, Evaluation: src, Settlement: src})
	ctx := context.Background()
	if _, err := sc.svc.SaveReportTexts(ctx, sc.course.ID, ReportText{Assessment: " Lớp học   đạt mục tiêu đề ra.\n\nHọc viên tích cực. ",
		Proposals: "Đề nghị mở thêm lớp năm 2024."}); err != nil {
		t.Fatal(err)
	}
	f, err := sc.svc.Draft(ctx, sc.course.ID, KindReport, FormatPDF, Unit{})
	if err != nil {
		t.Fatal(err)
	}
	holds(t, f.Name, flat(pdftest.Text(t, f.Data)), []string{"4. Đánh giá của học viên", "Mức độ hài lòng chung: 4,6/5.",
		"5. Kinh phí", "44.500.000 đồng", "Lớp học đạt mục tiêu đề ra.", "Học viên tích cực.", "Đề nghị mở thêm lớp năm 2024."})
	f, err = sc.svc.Draft(ctx, sc.course.ID, KindDecision, FormatPDF, Unit{})
	if err != nil {
		t.Fatal(err)
	}
	holds(t, f.Name, flat(pdftest.Text(t, f.Data)), []string{"Tổng dự toán: 45.500.000 đồng (bằng chữ: Bốn mươi lăm triệu năm trăm nghìn đồng)."})

	long := strings.Repeat("x", MaxReportText+1)
	_, err = sc.svc.SaveReportTexts(ctx, sc.course.ID, ReportText{Assessment: long})
	var e *errs.Error
	if !errors.As(err, &e) || e.Fields["assessment"].Key != "err.too_long" {
		t.Errorf("a too long assessment: %v", err)
	}
	rt, _ := sc.svc.ReportTexts(ctx, sc.course.ID)
	if rt.Assessment != "Lớp học đạt mục tiêu đề ra.\nHọc viên tích cực." {
		t.Errorf("stored assessment %q (a refused save must not change it)", rt.Assessment)
	}
}

// TestSettings: the organization's defaults, a course's own copy used for its documents
// only, the reset, and the validation of every field.
func TestSettings(t *testing.T) {
	sc := newScene(t, Sources{})
	ctx := context.Background()
	st, saved, err := sc.svc.OrgSettings(ctx, sc.org.ID)
	if err != nil || saved {
		t.Fatal(err, saved)
	}
	if st.Symbol != "STTTT" || st.Place != "Khánh Hòa" || st.Decision.SignerName != "Trần Văn Đức" || st.Decision.SignerAuthority != "KT. GIÁM ĐỐC" {
		t.Errorf("defaults %+v", st)
	}
	st.Decision.SignerName = "Nguyễn   Văn An"
	st.Decision.Recipients = []string{"Như Điều 3;", "", "- UBND tỉnh (b/c);", "–", "Lưu: VT."}
	if _, err := sc.svc.SaveOrgSettings(ctx, sc.org.ID, *st); err != nil {
		t.Fatal(err)
	}
	other := coursestestCourse(t, sc)
	own := *st
	own.Decision.SignerName = "Lê Văn Riêng"
	own.Symbol = "skhcn"
	if _, err := sc.svc.SaveCourseSettings(ctx, sc.course.ID, own); err != nil {
		t.Fatal(err)
	}
	text := func(courseID int64) string {
		f, err := sc.svc.Draft(ctx, courseID, KindDecision, FormatPDF, Unit{})
		if err != nil {
			t.Fatal(err)
		}
		return flat(pdftest.Text(t, f.Data))
	}
	own1 := text(sc.course.ID)
	holds(t, "own", own1, []string{"Lê Văn Riêng", "/QĐ-SKHCN", "- Như Điều 3; - UBND tỉnh (b/c); - Lưu: VT."})
	holds(t, "other course", text(other.ID), []string{"Nguyễn Văn An", "/QĐ-STTTT"})
	own.Invitation = true
	if _, err := sc.svc.SaveCourseSettings(ctx, sc.course.ID, own); err != nil {
		t.Fatal(err)
	}
	f, err := sc.svc.Draft(ctx, sc.course.ID, KindSummons, FormatPDF, Unit{Name: unitB})
	if err != nil {
		t.Fatal(err)
	}
	letter := flat(pdftest.Text(t, f.Data))
	holds(t, "invitation", letter, []string{"GIẤY MỜI", "/GM-SKHCN", "trân trọng kính mời 2 (hai) cán bộ"})
	if strings.Contains(letter, "TRIỆU TẬP") {
		t.Errorf("an invitation says TRIỆU TẬP:\n%s", letter)
	}
	if err := sc.svc.ResetCourseSettings(ctx, sc.course.ID); err != nil {
		t.Fatal(err)
	}
	holds(t, "after reset", text(sc.course.ID), []string{"Nguyễn Văn An", "/QĐ-STTTT"})

	bad := *st
	bad.Symbol = "QĐ/STTTT"
	bad.Place = ""
	bad.Report.SignerTitle = " "
	bad.Summons.Recipients = []string{strings.Repeat("a", MaxLine+1)}
	bad.Decision.Bases = make([]string, MaxItems+1)
	for i := range bad.Decision.Bases {
		bad.Decision.Bases[i] = "Căn cứ"
	}
	_, err = sc.svc.SaveOrgSettings(ctx, sc.org.ID, bad)
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("bad settings: %v", err)
	}
	for field, key := range map[string]string{"symbol": "doc.err.symbol", "place": "err.required",
		"report_signer_title": "err.required", "summons_recipients": "err.too_long", "decision_bases": "doc.err.items"} {
		if e.Fields[field].Key != key {
			t.Errorf("field %s: %q, want %q", field, e.Fields[field].Key, key)
		}
	}
	if got, _, _ := sc.svc.OrgSettings(ctx, sc.org.ID); got.Place != "Khánh Hòa" {
		t.Errorf("refused settings were stored: %+v", got)
	}
}

func coursestestCourse(t *testing.T, sc *scene) *courses.Course {
	t.Helper()
	c, err := sc.cs.FindCourseByID(context.Background(), sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	other := *c
	err = sc.db.W.Get(&other.ID, `INSERT INTO courses (organization_id, title, title_folded, venue, place_name, starts_on, ends_on,
		capacity, registration_mode, min_attendance_percent, status, created_at, updated_at)
		SELECT organization_id, title || ' (2)', title_folded, venue, place_name, starts_on, ends_on, capacity,
		registration_mode, min_attendance_percent, status, created_at, updated_at FROM courses WHERE id = ? RETURNING id`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &other
}

func TestDraftRefusesUnknownKindAndFormat(t *testing.T) {
	sc := newScene(t, Sources{})
	ctx := context.Background()
	_, err := sc.svc.Draft(ctx, sc.course.ID, "memo", "odt", Unit{})
	var e *errs.Error
	if !errors.As(err, &e) || e.Fields["kind"].Key != "doc.err.kind" || e.Fields["format"].Key != "doc.err.format" {
		t.Errorf("unknown kind and format: %v", err)
	}
	if _, err := sc.svc.Draft(ctx, 999, KindDecision, FormatPDF, Unit{}); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown course: %v", err)
	}
	items, err := sc.svc.List(ctx, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	var summons []string
	for _, it := range items {
		if it.Kind == KindSummons {
			summons = append(summons, it.Unit)
		}
	}
	if len(items) != 8 || len(summons) != 4 {
		t.Errorf("items %+v", items)
	}
}

// TestDOCXPackage: the file is a package Word opens: its parts are well-formed XML, the
// core properties name the document and the agency (not the template's), every
// relationship of the package points to a part that is there, and the body has real
// paragraphs and tables, not text boxes.
func TestDOCXPackage(t *testing.T) {
	sc := newScene(t, Sources{})
	f, err := sc.svc.Draft(context.Background(), sc.course.ID, KindSummonsAll, FormatDOCX, Unit{})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[zf.Name] = string(b)
		if strings.HasSuffix(zf.Name, ".xml") || strings.HasSuffix(zf.Name, ".rels") {
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s: not well-formed: %v", zf.Name, err)
					break
				}
			}
		}
	}
	core := parts["docProps/core.xml"]
	if !strings.Contains(core, "<dc:title>Công văn triệu tập lớp tập huấn") || !strings.Contains(core, "<dc:creator>Sở Thông tin và Truyền thông tỉnh Khánh Hòa</dc:creator>") ||
		strings.Contains(core, "gomutex") {
		t.Errorf("core properties: %s", core)
	}
	for _, m := range regexp.MustCompile(`Target="([^"]+)"`).FindAllStringSubmatch(parts["_rels/.rels"], -1) {
		if _, ok := parts[m[1]]; !ok {
			t.Errorf("the package points to the missing part %s", m[1])
		}
	}
	body := parts["word/document.xml"]
	for _, want := range []string{"<w:tbl>", "<w:tblHeader", `w:ascii="Times New Roman"`, `<w:pgSz w:w="11906" w:h="16838"`,
		`w:top="1191"`, `w:left="1701"`, `w:right="850"`, `w:bottom="1134"`, `xml:space="preserve"`} {
		if !strings.Contains(body, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	for _, not := range []string{"<w:txbxContent", "<v:textbox", "<wps:txbx"} {
		if strings.Contains(body, not) {
			t.Errorf("document.xml has a text box (%s)", not)
		}
	}
}
