//go:build unix

package certificates

// Benchmarks of issuing, with their floor measured in the same run: bare gofpdf writing
// the same number of one-page files with the same font. Like pdfdoc's bare benchmark,
// this file imports the PDF library directly, so a change of library touches it too.
//
//	go test ./certificates/ -run '^$' -bench . -benchtime 3x
//
// Each reports the wall time per certificate and the CPU time per certificate (user and
// system, all threads, SQLite included): on a machine shared with other work the wall
// clock also measures the neighbours, the CPU time much less so. Issuing renders on every
// core, the floor on one, so their wall times compare only on an otherwise idle machine.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
)

const benchCount = 200

// BenchmarkIssue200 issues the certificates of a course of 200 eligible trainees: the
// eligibility rule over the attendance matrix, rendering, storing the files and
// registering the numbers. The register is emptied between runs, outside the timer.
func BenchmarkIssue200(b *testing.B) {
	sc := newScene(b)
	ctx := context.Background()
	regs := make([]int64, benchCount)
	for i := range benchCount {
		regs[i] = coursestest.Registration(b, sc.db, sc.course.ID, coursestest.Person{
			FullName: fmt.Sprintf("Nguyễn Thị Hải Yến %03d", i), Organization: "Phòng Văn hóa và Thông tin huyện Diên Khánh"},
			courses.RegConfirmed).ID
	}
	// The writer is one connection: the fixtures above must be done before this transaction.
	tx := sc.db.W.MustBegin()
	for _, id := range regs {
		for _, s := range sc.sessions {
			tx.MustExec(`INSERT INTO attendance_marks (session_id, registration_id, status, updated_at) VALUES (?, ?, 'present', ?)`,
				s.ID, id, database.Now())
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var cpu cpuClock
	cpu.start()
	for range b.N {
		res, err := sc.svc.Issue(ctx, IssueInput{CourseID: sc.course.ID, UserID: sc.user.ID, VerifyBase: verifyBase})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Issued) != benchCount {
			b.Fatalf("issued %d, want %d", len(res.Issued), benchCount)
		}
		b.StopTimer()
		cpu.stop()
		sc.db.W.MustExec(`DELETE FROM certificates`)
		sc.db.W.MustExec(`DELETE FROM certificate_counters`)
		cpu.start()
		b.StartTimer()
	}
	cpu.stop()
	reportPerCertificate(b, &cpu)
}

// BenchmarkRenderSequential200 renders 200 certificates one after the other, nothing else.
func BenchmarkRenderSequential200(b *testing.B) {
	c := sampleContent()
	var cpu cpuClock
	cpu.start()
	for range b.N {
		for i := range benchCount {
			c.Number = fmt.Sprintf("%03d/GCN-STTTT", i+1)
			if _, err := Render(c); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu.stop()
	reportPerCertificate(b, &cpu)
}

// BenchmarkBareGofpdf200 is the floor: bare gofpdf writes 200 one-page files of the same
// certificate — the same three faces of Liberation Serif from the same bytes, the same
// lines of text, the same QR code as rectangles — to disk, one after the other.
func BenchmarkBareGofpdf200(b *testing.B) {
	fonts := benchFonts(b)
	c := sampleContent()
	q, err := qrcode.New(c.VerifyURL, qrcode.Medium)
	if err != nil {
		b.Fatal(err)
	}
	q.DisableBorder = true
	modules := q.Bitmap()
	dir := b.TempDir()
	b.ResetTimer()
	var cpu cpuClock
	cpu.start()
	lines := []struct {
		style string
		size  float64
		y     float64
		text  string
	}{
		{"", 13, 16, "UBND TỈNH KHÁNH HÒA"}, {"B", 13, 22, "SỞ THÔNG TIN VÀ TRUYỀN"}, {"B", 13, 28, "THÔNG TỈNH KHÁNH HÒA"},
		{"B", 13, 16, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}, {"B", 13, 22, "Độc lập - Tự do - Hạnh phúc"},
		{"", 13, 36, "Số: 012/GCN-STTTT"}, {"B", 36, 60, "GIẤY CHỨNG NHẬN"},
		{"", 19, 76, "Chứng nhận Bà: Nguyễn Thị Hải Yến"}, {"", 18, 88, "Ngày sinh: 15/03/1985"},
		{"", 18, 96, "Đơn vị công tác: Phòng Văn hóa và Thông tin huyện Diên Khánh"},
		{"", 18, 106, "Đã hoàn thành lớp tập huấn"},
		{"B", 20, 114, "Nâng cao năng lực cán bộ thông tin và truyền thông cơ sở năm 2023"},
		{"I", 18, 123, "Thời gian: từ ngày 04/12/2023 đến ngày 05/12/2023"},
		{"I", 14, 148, "Khánh Hòa, ngày 05 tháng 12 năm 2023"}, {"B", 14, 154, "KT. GIÁM ĐỐC"}, {"B", 14, 160, "PHÓ GIÁM ĐỐC"},
		{"B", 14, 189, "Trần Văn Đức"}, {"I", 10, 175, "Quét mã QR hoặc truy cập địa chỉ dưới đây để kiểm tra giấy chứng nhận:"},
		{"", 9, 181, c.VerifyURL},
	}
	for range b.N {
		for i := range benchCount {
			f := gofpdf.New("L", "mm", "A4", "")
			f.SetCreationDate(testIssued)
			f.SetModificationDate(testIssued)
			f.SetAutoPageBreak(false, 0)
			for _, st := range []string{"", "B", "I"} {
				f.AddUTF8FontFromBytes("serif", st, fonts[st])
			}
			f.AddPage()
			f.SetLineWidth(1.1)
			f.Rect(8, 8, 281, 194, "D")
			for _, l := range lines {
				f.SetFont("serif", l.style, l.size)
				f.SetXY(22, l.y)
				f.CellFormat(253, l.size*0.42, l.text, "", 0, "C", false, 0, "")
			}
			mod := qrSize / float64(len(modules))
			for r, row := range modules {
				for col, dark := range row {
					if dark {
						f.Rect(qrX+float64(col)*mod, 167+float64(r)*mod, mod, mod, "F")
					}
				}
			}
			if err := f.OutputFileAndClose(filepath.Join(dir, fmt.Sprintf("%03d.pdf", i))); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu.stop()
	reportPerCertificate(b, &cpu)
}

// BenchmarkBareGofpdf200OneFace is the plainest floor: 200 one-page files in the regular
// face only, a page of 40 lines of text (pdfdoc's BenchmarkBareGofpdfPage, to disk).
func BenchmarkBareGofpdf200OneFace(b *testing.B) {
	fonts := benchFonts(b)
	dir := b.TempDir()
	var cpu cpuClock
	cpu.start()
	for range b.N {
		for i := range benchCount {
			out, err := os.Create(filepath.Join(dir, fmt.Sprintf("%03d.pdf", i)))
			if err != nil {
				b.Fatal(err)
			}
			if err := errors.Join(pdftest.BarePage(out, fonts[""], testIssued), out.Close()); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu.stop()
	reportPerCertificate(b, &cpu)
}

// reportPerCertificate reports the wall and CPU time per certificate of the run.
func reportPerCertificate(b *testing.B, cpu *cpuClock) {
	n := float64(b.N * benchCount)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "ms/certificate")
	b.ReportMetric(float64(cpu.total.Microseconds())/1000/n, "cpu-ms/certificate")
}

// cpuClock adds up the CPU time the process spends between start and stop.
type cpuClock struct{ total, from time.Duration }

func (c *cpuClock) start() { c.from = processCPU() }
func (c *cpuClock) stop()  { c.total += processCPU() - c.from }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchFonts(b *testing.B) map[string][]byte {
	b.Helper()
	fonts := map[string][]byte{}
	for st, name := range map[string]string{"": "Regular", "B": "Bold", "I": "Italic"} {
		ttf, err := os.ReadFile(filepath.Join("..", "pdfdoc", "fonts", "LiberationSerif-"+name+".ttf"))
		if err != nil {
			b.Fatal(err)
		}
		fonts[st] = ttf
	}
	return fonts
}
