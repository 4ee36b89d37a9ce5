// Package pdftest reads PDFs back the way a person checks them, for the tests of every
// package that writes PDFs (pdfdoc, attendance, certificates): the text of each page
// (poppler's pdftotext, failing on anything poppler complains about), the position of the
// words, and a page rasterised with pdftoppm to look for missing glyphs; and the bare
// gofpdf page their benchmarks are measured against (floor.go). Without poppler-utils the
// tests fail rather than pass vacuously.
package pdftest

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Tool returns the path of a poppler-utils program.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install poppler-utils (scripts/test.sh does) to read the PDFs back", name)
	}
	return p
}

// File writes pdf into t's temporary directory and returns its path, for other tools.
func File(t testing.TB, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func run(t testing.TB, tool string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(Tool(t, tool), args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%s: %v\n%s", tool, err, stderr.String())
	}
	return out
}

// Text returns pdftotext's text of pdf, one string per page; args go before the file (e.g.
// "-layout").
func Text(t testing.TB, pdf []byte, args ...string) []string {
	t.Helper()
	out := run(t, "pdftotext", append(args, File(t, pdf), "-")...)
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1] // pdftotext ends every page with a form feed
}

// Word is one word of page 1, in points from the page's top-left corner.
type Word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

var wordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// Words returns the words of page 1 with their boxes (pdftotext -bbox).
func Words(t testing.TB, pdf []byte) []Word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", File(t, pdf), "-")
	var ws []Word
	for _, m := range wordRE.FindAllStringSubmatch(string(out), -1) {
		w := Word{Text: html.UnescapeString(m[5])}
		for i, p := range []*float64{&w.XMin, &w.YMin, &w.XMax, &w.YMax} {
			v, err := strconv.ParseFloat(m[i+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			*p = v
		}
		ws = append(ws, w)
	}
	return ws
}

// Render rasterises one page at dpi with pdftoppm; crop, if not nil, is a rectangle in
// pixels at that resolution. It returns the image and its PNG bytes (to keep for a look).
func Render(t testing.TB, pdf []byte, page, dpi int, crop *image.Rectangle) (image.Image, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "page")
	pg := strconv.Itoa(page)
	args := []string{"-png", "-r", strconv.Itoa(dpi), "-f", pg, "-l", pg, "-singlefile"}
	if crop != nil {
		args = append(args, "-x", strconv.Itoa(crop.Min.X), "-y", strconv.Itoa(crop.Min.Y),
			"-W", strconv.Itoa(crop.Dx()), "-H", strconv.Itoa(crop.Dy()))
	}
	run(t, "pdftoppm", append(args, File(t, pdf), out)...)
	b, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img, b
}

// Dark reports whether the pixel at x, y is closer to black than to white.
func Dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0x8000
}

// DarkShare returns the share of dark pixels of img within r (0 for an empty r).
func DarkShare(img image.Image, r image.Rectangle) float64 {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if Dark(img, x, y) {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}
