package certificates

import (
	"os"
	"strings"
	"testing"

	"taphuan/attendance"
	"taphuan/errs"
	"taphuan/pdfdoc/pdftest"
)

// TestCourseSigners: a course's own signer replaces the organization's and a co-organizer's
// block is printed beside it, in the PDF issued; both blocks stay on the page.
func TestCourseSigners(t *testing.T) {
	sc := newScene(t)
	ctx := t.Context()
	course, sessions := sc.newCourse()
	reg := sc.trainee(course.ID, "Nguyễn Thị Hải Yến", "Nữ")
	sc.marks(reg, sessions, attendance.Present, attendance.Present, attendance.Present, attendance.Present)

	_, err := sc.svc.SaveCourseSigners(ctx, CourseSigners{CourseID: course.ID, CoName: "Lê Văn Phối"})
	if e, ok := err.(*errs.Error); !ok || e.Fields["co_title"].Key != "cert.err.title_needed" {
		t.Fatalf("a co-signer without a title: %v", err)
	}
	if _, err := sc.svc.SaveCourseSigners(ctx, CourseSigners{CourseID: course.ID, SignerTitle: "kt. giám đốc",
		SignerSubtitle: "Phó Giám đốc", SignerName: "Phạm Thị Ký", CoAgency: "Tỉnh Đoàn Khánh Hòa",
		CoTitle: "TM. Ban Thường vụ", CoSubtitle: "Phó Bí thư", CoName: "Lê Văn Phối"}); err != nil {
		t.Fatal(err)
	}
	res := sc.issue(course.ID)
	if len(res.Issued) != 1 {
		t.Fatalf("issued %+v", res)
	}
	pdf, _, err := sc.svc.PDF(ctx, res.Issued[0].CertificateID)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " ")
	for _, s := range []string{"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Thị Ký", "TỈNH ĐOÀN KHÁNH HÒA", "TM. BAN THƯỜNG VỤ",
		"PHÓ BÍ THƯ", "Lê Văn Phối"} {
		if !strings.Contains(text, s) {
			t.Errorf("the certificate lacks %q: %s", s, text)
		}
	}
	if strings.Contains(text, "Trần Văn Đức") {
		t.Error("the organization's signer is printed although the course overrides it")
	}
	// The co-organizer's block is left of the issuer's, both inside the page.
	var co, own pdftest.Word
	for _, w := range pdftest.Words(t, pdf) {
		switch w.Text {
		case "Phối":
			co = w
		case "Ký":
			own = w
		}
	}
	if co.XMax == 0 || own.XMin == 0 || co.XMax >= own.XMin || own.XMax > 842-40 {
		t.Errorf("blocks misplaced: co-organizer %+v, signer %+v", co, own)
	}
	img, png := pdftest.Render(t, pdf, 1, 50, nil)
	_ = img
	if dir := os.Getenv("TAPHUAN_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(dir+"/certificate_two_signers.png", png, 0o644)
	}
}
