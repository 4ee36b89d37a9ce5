package pdfdoc

// This is the only file that imports the PDF library. Everything else in the
// package talks to the small engine type below, so moving to
// github.com/go-pdf/fpdf (same API, new import path) or another library means
// rewriting this file only.

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// fontFamily is the family name fonts are registered under inside the engine.
const fontFamily = "serif"

// engine is a thin, position-explicit wrapper over gofpdf: every drawing call
// takes absolute coordinates in millimetres, so the cursor logic lives in Doc
// and does not depend on the library's own flow model.
type engine struct {
	f *gofpdf.Fpdf
}

func newEngine(o Orientation, left, top, right, bottom float64) *engine {
	orient := "P"
	if o == Landscape {
		orient = "L"
	}
	f := gofpdf.New(orient, "mm", "A4", "")
	f.SetMargins(left, top, right)
	// Doc decides where pages break (tables keep rows whole); the library's
	// automatic break would split a row or add pages behind Doc's back.
	f.SetAutoPageBreak(false, bottom)
	// Doc adds its own horizontal padding; the default 1 mm would be added twice.
	f.SetCellMargin(0)
	// Fonts and images are emitted in a stable order, so equal input gives
	// equal bytes once the dates are fixed too.
	f.SetCatalogSort(true)
	f.SetDrawColor(0, 0, 0)
	f.SetTextColor(0, 0, 0)
	f.SetFillColor(0, 0, 0)
	return &engine{f: f}
}

// addFont registers a TrueType font for a style. gofpdf's AddUTF8FontFromBytes
// does not set the document error when the font fails to parse (it prints to
// stdout and returns), so the font is selected once to prove it was registered.
//
// gofpdf gets its own copy of the bytes: when it subsets the font it appends
// padding to slices of them (utf8FontFile.generateChecksum), writing into the
// array they share, so two documents written at once from the one embedded
// font are a data race.
func (e *engine) addFont(style Style, ttf []byte) error {
	e.f.AddUTF8FontFromBytes(fontFamily, string(style), bytes.Clone(ttf))
	if err := e.f.Error(); err != nil {
		return err
	}
	// SetFont on a document with no page only records the selection.
	e.f.SetFont(fontFamily, string(style), 12)
	return e.f.Error()
}

// setFont selects the style and size and always writes the selection into the
// current page's content stream: gofpdf skips SetFont when the selection looks
// unchanged, which is wrong after setPage moved to a page whose stream last
// selected another font.
func (e *engine) setFont(style Style, sizePt float64) {
	e.f.SetFont(fontFamily, string(style), sizePt)
	e.f.SetFontSize(sizePt)
}

// stringWidth returns the width in mm of s in the current font.
func (e *engine) stringWidth(s string) float64 { return e.f.GetStringWidth(s) }

// text draws s on one line inside the box (x, y, w, h), vertically centred,
// aligned horizontally within w. Nothing is clipped.
func (e *engine) text(x, y, w, h float64, s string, a Align) {
	al := "L"
	switch a {
	case Center:
		al = "C"
	case Right:
		al = "R"
	}
	e.f.SetXY(x, y)
	e.f.CellFormat(w, h, s, "", 0, al, false, 0, "")
}

func (e *engine) setLineWidth(w float64) { e.f.SetLineWidth(w) }

func (e *engine) line(x1, y1, x2, y2 float64) { e.f.Line(x1, y1, x2, y2) }

func (e *engine) strokeRect(x, y, w, h float64) { e.f.Rect(x, y, w, h, "D") }

func (e *engine) fillRect(x, y, w, h float64) { e.f.Rect(x, y, w, h, "F") }

// image draws a PNG or JPEG (kind "png" or "jpg"); name identifies the
// image inside the document so the same bytes are embedded once.
func (e *engine) image(name, kind string, data []byte, x, y, w, h float64) error {
	opt := gofpdf.ImageOptions{ImageType: kind, ReadDpi: false}
	info := e.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(data))
	if err := e.f.Error(); err != nil {
		return err
	}
	if info == nil {
		return fmt.Errorf("image %s not registered", name)
	}
	e.f.ImageOptions(name, x, y, w, h, false, opt, 0, "")
	return e.f.Error()
}

func (e *engine) addPage()                 { e.f.AddPage() }
func (e *engine) setPage(n int)            { e.f.SetPage(n) }
func (e *engine) pageCount() int           { return e.f.PageCount() }
func (e *engine) pageNo() int              { return e.f.PageNo() }
func (e *engine) err() error               { return e.f.Error() }
func (e *engine) pageSize() (w, h float64) { return e.f.GetPageSize() }

// setDates fixes CreationDate and ModDate (written as local time of t).
func (e *engine) setDates(t time.Time) {
	e.f.SetCreationDate(t)
	e.f.SetModificationDate(t)
}

func (e *engine) setInfo(title, author string) {
	if title != "" {
		e.f.SetTitle(title, true)
	}
	if author != "" {
		e.f.SetAuthor(author, true)
	}
	e.f.SetCreator("taphuan", true)
}

// output writes the finished document; the engine cannot be drawn on after.
func (e *engine) output(w io.Writer) error { return e.f.Output(w) }
