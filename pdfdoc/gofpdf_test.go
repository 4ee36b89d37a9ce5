package pdfdoc_test

import (
	"bytes"
	"os"
	"testing"

	"taphuan/pdfdoc/pdftest"
)

// BenchmarkBareGofpdfPage is the floor of BenchmarkDocPage: new gofpdf document, the same
// UTF-8 font from bytes, one page of the same 40 lines, output to memory.
func BenchmarkBareGofpdfPage(b *testing.B) {
	ttf, err := os.ReadFile("fonts/LiberationSerif-Regular.ttf")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := pdftest.BarePage(&buf, ttf, issued); err != nil {
			b.Fatal(err)
		}
	}
}
