package pdftest

// The bare-library floor that the PDF benchmarks of pdfdoc, attendance and certificates are
// measured against. Like pdfdoc/gofpdf.go it imports the PDF library, so a change of
// library touches this file too.

import (
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// FloorLines is the page of text of the floor (and of pdfdoc's BenchmarkDocPage).
var FloorLines = func() []string {
	l := make([]string, 40)
	for i := range l {
		l[i] = fmt.Sprintf("%d. Nguyễn Thị Hải Yến - Trung tâm Văn hóa - Thông tin - Thể thao huyện Cam Lâm", i+1)
	}
	return l
}()

// BarePage writes, with bare gofpdf and nothing of taphuan, one A4 page of FloorLines in
// the UTF-8 font ttf at 12 pt, dated created, to w.
func BarePage(w io.Writer, ttf []byte, created time.Time) error {
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.AddUTF8FontFromBytes("serif", "", ttf)
	f.SetFont("serif", "", 12)
	f.AddPage()
	for _, l := range FloorLines {
		f.CellFormat(0, 6, l, "", 1, "L", false, 0, "")
	}
	return f.Output(w)
}
