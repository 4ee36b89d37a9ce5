package attendance

// Benchmarks of the reports of a 2,000-person course (two days, four sessions): the
// sign-in sheet and the attendance matrix as PDF, the queries behind them, and as the floor
// measured in the same run the bare gofpdf page of pdfdoc/pdftest/floor.go (new document,
// the font from bytes, one page of 40 lines). Like that file, this one imports the PDF
// library for the floor only.
//
//	go test ./attendance/ -run '^$' -bench . -benchtime 10x

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/vn"
)

var benchTime = time.Date(2023, 12, 4, 8, 30, 0, 0, vn.Location)

// bigCourse is a course of n confirmed trainees over two days, every session marked.
func bigCourse(b *testing.B, n int) (*Service, *courses.Course, []courses.Session) {
	b.Helper()
	db := dbtest.New(b)
	svc := New(db, courses.New(db))
	org := coursestest.Org(b, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(b, db, org.ID, func(c *courses.Course) { c.Capacity = n })
	coursestest.Day(b, db, course.ID, "2023-12-04")
	coursestest.Day(b, db, course.ID, "2023-12-05")
	surnames := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middles := []string{"Thị", "Văn", "Hữu", "Ngọc", "Thị Hải", "Minh", "Thanh", "Quốc"}
	givens := []string{"Yến", "Đức", "Ánh", "Thưởng", "Hương", "Dũng", "Nguyệt", "Lữ", "Ước", "Mỹ", "Khởi", "Oanh", "Hòa", "Tùng", "Phúc", "Quyên", "Sơn", "Thủy"}
	units := []string{"Phòng Văn hóa và Thông tin huyện Diên Khánh", "Trung tâm Văn hóa - Thông tin - Thể thao huyện Cam Lâm",
		"Đài Truyền thanh xã Ninh Ích", "Báo Khánh Hòa"}
	for i := range n {
		name := fmt.Sprintf("%s %s %s", surnames[i%len(surnames)], middles[(i/7)%len(middles)], givens[(i/3)%len(givens)])
		coursestest.Registration(b, db, course.ID, coursestest.Person{FullName: name, Organization: units[i%len(units)],
			Position: "Chuyên viên", Phone: fmt.Sprintf("09%08d", i)}, courses.RegConfirmed)
	}
	sessions, err := svc.courses.ListSessions(context.Background(), course.ID)
	if err != nil {
		b.Fatal(err)
	}
	regs, _, _ := svc.courses.ListRegistrations(context.Background(), courses.RegistrationFilter{CourseID: course.ID})
	statuses := Statuses()
	for si, sess := range sessions {
		marks := make(map[int64]string, len(regs))
		for i, r := range regs {
			marks[r.ID] = statuses[(i+si)%7%4]
		}
		if _, err := svc.SetMarks(context.Background(), sess.ID, 0, SourcePaper, marks); err != nil {
			b.Fatal(err)
		}
	}
	return svc, course, sessions
}

var benchIssuer = Issuer{ParentName: "UBND TỈNH KHÁNH HÒA", Name: "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"}

// BenchmarkBareGofpdfPage is the floor: pdfdoc's bare gofpdf page, run here.
func BenchmarkBareGofpdfPage(b *testing.B) {
	ttf, err := os.ReadFile("../pdfdoc/fonts/LiberationSerif-Regular.ttf")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := pdftest.BarePage(&buf, ttf, benchTime); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignInSheetPDF2000 renders the sign-in sheet of one session (roster loaded).
func BenchmarkSignInSheetPDF2000(b *testing.B) {
	svc, _, sessions := bigCourse(b, 2000)
	ro, err := svc.SessionRoster(context.Background(), sessions[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	var size, pages int
	for b.Loop() {
		pdf, err := signInPDF(benchIssuer, ro, benchTime)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
		pages = bytes.Count(pdf, []byte("/Type /Page\n"))
	}
	b.ReportMetric(float64(size)/1024, "KiB")
	b.ReportMetric(float64(pages), "pages")
}

// BenchmarkSessionRoster2000 is the query behind the sign-in sheet.
func BenchmarkSessionRoster2000(b *testing.B) {
	svc, _, sessions := bigCourse(b, 2000)
	for b.Loop() {
		if _, err := svc.SessionRoster(context.Background(), sessions[0].ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrixQuery2000 is Matrix: 2,000 trainees × 4 sessions.
func BenchmarkMatrixQuery2000(b *testing.B) {
	svc, course, _ := bigCourse(b, 2000)
	for b.Loop() {
		mx, err := svc.Matrix(context.Background(), course.ID)
		if err != nil || len(mx.Rows) != 2000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrixPDF2000 renders the attendance matrix (matrix loaded).
func BenchmarkMatrixPDF2000(b *testing.B) {
	svc, course, _ := bigCourse(b, 2000)
	mx, err := svc.Matrix(context.Background(), course.ID)
	if err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		pdf, err := matrixPDF(benchIssuer, course, mx, benchTime)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size)/1024, "KiB")
}

// BenchmarkMatrixXLSX2000 writes the matrix as a spreadsheet (matrix loaded).
func BenchmarkMatrixXLSX2000(b *testing.B) {
	svc, course, _ := bigCourse(b, 2000)
	mx, err := svc.Matrix(context.Background(), course.ID)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := matrixXLSX(course.Title, courseDates(course), mx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignInPDFEndToEnd2000 is what a download costs: query and render.
func BenchmarkSignInPDFEndToEnd2000(b *testing.B) {
	svc, _, sessions := bigCourse(b, 2000)
	for b.Loop() {
		if _, err := svc.SignInPDF(context.Background(), benchIssuer, sessions[0].ID); err != nil {
			b.Fatal(err)
		}
	}
}
