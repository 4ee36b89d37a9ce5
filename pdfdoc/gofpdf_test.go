package pdfdoc_test

// The bare-library floor for BenchmarkDocPage. Like gofpdf.go it imports the
// PDF library, so a change of library touches this file too.

import (
	"bytes"
	"os"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// BenchmarkBareGofpdfPage: new gofpdf document, the same UTF-8 font from
// bytes, one page of the same 40 lines, output to memory.
func BenchmarkBareGofpdfPage(b *testing.B) {
	ttf, err := os.ReadFile("fonts/LiberationSerif-Regular.ttf")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		f := gofpdf.New("P", "mm", "A4", "")
		f.SetCreationDate(issued)
		f.SetModificationDate(issued)
		f.AddUTF8FontFromBytes("serif", "", ttf)
		f.SetFont("serif", "", 12)
		f.AddPage()
		for _, l := range benchLines {
			f.CellFormat(0, 6, l, "", 1, "L", false, 0, "")
		}
		buf.Reset()
		if err := f.Output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
