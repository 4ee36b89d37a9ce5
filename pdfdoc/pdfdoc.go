// Package pdfdoc holds the PDF building blocks shared by the attendance
// reports (sign-in sheets, attendance matrix, payment list) and the
// certificate renderer: A4 pages, the embedded Liberation Serif fonts, text
// that wraps or shrinks to fit, the Vietnamese official header block, tables
// whose header repeats on every page, page numbers, images and QR codes.
//
// It is the only package that uses the PDF library, and within it only
// gofpdf.go does (plus the bare-library floor of the benchmarks, pdftest/floor.go), so
// changing library is a one-file change.
//
// Units are millimetres and font sizes are points. The cursor (X, Y) is the
// top-left corner of the next thing drawn; flowing calls (Paragraph, FitText,
// Table, OfficialHeader) move it down and back to the X where they started.
//
// All text is normalised to NFC before it is measured or drawn: decomposed
// (NFD) input, common from some keyboards and Excel, would otherwise render
// its tone marks beside the letters instead of on them.
//
// Drawing methods do not return errors: the first failure is kept and
// returned by Bytes and WriteTo (and Err), and later drawing calls do nothing.
package pdfdoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Orientation of the A4 pages of a Doc.
type Orientation int

const (
	Portrait  Orientation = iota // 210 × 297 mm
	Landscape                    // 297 × 210 mm
)

// Align is the horizontal alignment of text within its width.
type Align int

const (
	Left Align = iota
	Center
	Right
	// Justify stretches the spaces of every wrapped line but the last of each
	// paragraph to fill the width; single-line calls treat it as Left.
	Justify
)

// Style selects a face of Liberation Serif.
type Style string

const (
	Regular    Style = ""
	Bold       Style = "B"
	Italic     Style = "I"
	BoldItalic Style = "BI"
)

// DefaultFontSize is the font size of a new Doc: Decree 30/2020/NĐ-CP asks
// for 13–14 pt body text.
const DefaultFontSize = 13

// lineSpacing is the line height as a multiple of the font size. It leaves
// room for the stacked marks of capitals such as Ệ and Ỗ.
const lineSpacing = 1.2

const ptToMM = 25.4 / 72

// ErrNoPage is recorded when something is drawn before the first AddPage.
var ErrNoPage = errors.New("pdfdoc: drawing before the first AddPage")

// ErrWritten is recorded when a Doc is drawn on after Bytes or WriteTo.
var ErrWritten = errors.New("pdfdoc: document already written")

// Option configures New.
type Option func(*config)

type config struct {
	left, top, right, bottom float64
	created                  time.Time
	title, author            string
}

// WithMargins sets the page margins in mm. The default, after Decree
// 30/2020/NĐ-CP, is left 30, top 20, right 15, bottom 20.
func WithMargins(left, top, right, bottom float64) Option {
	return func(c *config) { c.left, c.top, c.right, c.bottom = left, top, right, bottom }
}

// WithCreationDate fixes the document's creation and modification dates
// (written in t's location). Without it the time of writing is used, so
// two runs over the same input give different bytes.
func WithCreationDate(t time.Time) Option {
	return func(c *config) { c.created = t }
}

// WithTitle sets the document title shown by PDF viewers.
func WithTitle(title string) Option {
	return func(c *config) { c.title = norm.NFC.String(title) }
}

// WithAuthor sets the document author, e.g. the issuing agency.
func WithAuthor(author string) Option {
	return func(c *config) { c.author = norm.NFC.String(author) }
}

// Doc is an A4 PDF document being drawn. It is not safe for concurrent use.
type Doc struct {
	e                        *engine
	pageW, pageH             float64
	left, top, right, bottom float64
	x, y                     float64
	style                    Style
	size                     float64
	loaded                   map[Style]bool
	pageFormat               string
	err                      error
	out                      []byte
	written                  bool
}

// New returns an empty A4 document with Liberation Serif Regular at
// DefaultFontSize selected. Call AddPage before drawing. It fails only if
// the options are invalid or the embedded font cannot be loaded.
func New(o Orientation, opts ...Option) (*Doc, error) {
	if o != Portrait && o != Landscape {
		return nil, fmt.Errorf("pdfdoc: unknown orientation %d", o)
	}
	c := config{left: 30, top: 20, right: 15, bottom: 20}
	for _, opt := range opts {
		opt(&c)
	}
	if c.left < 0 || c.top < 0 || c.right < 0 || c.bottom < 0 {
		return nil, fmt.Errorf("pdfdoc: negative margin")
	}
	e := newEngine(o, c.left, c.top, c.right, c.bottom)
	d := &Doc{
		e:    e,
		left: c.left, top: c.top, right: c.right, bottom: c.bottom,
		loaded: make(map[Style]bool, 4),
	}
	d.pageW, d.pageH = e.pageSize()
	if d.left+d.right >= d.pageW || d.top+d.bottom >= d.pageH {
		return nil, fmt.Errorf("pdfdoc: margins leave no room on the page")
	}
	if !c.created.IsZero() {
		e.setDates(c.created)
	}
	e.setInfo(c.title, c.author)
	d.SetFont(Regular, DefaultFontSize)
	if d.err != nil {
		return nil, d.err
	}
	d.x, d.y = d.left, d.top
	return d, nil
}

// Err returns the first error recorded while drawing, or nil.
func (d *Doc) Err() error {
	if d.err == nil {
		if err := d.e.err(); err != nil {
			d.err = fmt.Errorf("pdfdoc: %w", err)
		}
	}
	return d.err
}

// fail records err if no error has been recorded yet.
func (d *Doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// canDraw reports whether drawing may proceed, recording why not.
func (d *Doc) canDraw() bool {
	if d.Err() != nil {
		return false
	}
	if d.written {
		d.fail(ErrWritten)
		return false
	}
	if d.e.pageNo() == 0 {
		d.fail(ErrNoPage)
		return false
	}
	return true
}

// AddPage starts a new page and puts the cursor at the top-left margin.
func (d *Doc) AddPage() {
	if d.Err() != nil {
		return
	}
	if d.written {
		d.fail(ErrWritten)
		return
	}
	d.e.addPage()
	d.e.setFont(d.style, d.size)
	d.x, d.y = d.left, d.top
}

// PageCount returns the number of pages so far.
func (d *Doc) PageCount() int { return d.e.pageCount() }

// SetFont selects the style and size (pt) for the text drawn next. A size
// <= 0 keeps the current size. Each face is parsed on its first use, since
// adding a TrueType font costs a few milliseconds per document.
func (d *Doc) SetFont(style Style, size float64) {
	if d.Err() != nil {
		return
	}
	if size <= 0 {
		size = d.size
	}
	if !d.loaded[style] {
		ttf := fontFor(style)
		if ttf == nil {
			d.fail(fmt.Errorf("pdfdoc: unknown font style %q", string(style)))
			return
		}
		if err := d.e.addFont(style, ttf); err != nil {
			d.fail(fmt.Errorf("pdfdoc: load Liberation Serif %q: %w", string(style), err))
			return
		}
		d.loaded[style] = true
	}
	d.style, d.size = style, size
	d.e.setFont(style, size)
}

// FontSize returns the current font size in points.
func (d *Doc) FontSize() float64 { return d.size }

// FontStyle returns the current font style.
func (d *Doc) FontStyle() Style { return d.style }

// LineHeight returns the height in mm of one line of text in the current font.
func (d *Doc) LineHeight() float64 { return d.size * ptToMM * lineSpacing }

// StringWidth returns the width in mm of s in the current font.
func (d *Doc) StringWidth(s string) float64 { return d.e.stringWidth(clean(s, false)) }

// PageWidth returns the page width in mm (210 portrait, 297 landscape).
func (d *Doc) PageWidth() float64 { return d.pageW }

// PageHeight returns the page height in mm.
func (d *Doc) PageHeight() float64 { return d.pageH }

// Margins returns the page margins in mm.
func (d *Doc) Margins() (left, top, right, bottom float64) {
	return d.left, d.top, d.right, d.bottom
}

// ContentWidth returns the width between the left and right margins.
func (d *Doc) ContentWidth() float64 { return d.pageW - d.left - d.right }

// SpaceLeft returns the height between the cursor and the bottom margin, so
// a caller can move a block that must stay whole (a signature block) to a
// new page.
func (d *Doc) SpaceLeft() float64 { return d.pageH - d.bottom - d.y }

// GetXY returns the cursor position.
func (d *Doc) GetXY() (x, y float64) { return d.x, d.y }

// SetXY moves the cursor.
func (d *Doc) SetXY(x, y float64) { d.x, d.y = x, y }

// Ln moves the cursor to the left margin, h mm lower; h <= 0 means one line
// of the current font.
func (d *Doc) Ln(h float64) {
	if h <= 0 {
		h = d.LineHeight()
	}
	d.x = d.left
	d.y += h
}

// SetLineWidth sets the width in mm of lines, rules and borders drawn next
// (default 0.2).
func (d *Doc) SetLineWidth(w float64) {
	if d.Err() == nil {
		d.e.setLineWidth(w)
	}
}

// Line draws a straight line.
func (d *Doc) Line(x1, y1, x2, y2 float64) {
	if d.canDraw() {
		d.e.line(x1, y1, x2, y2)
	}
}

// Rect draws the outline of a rectangle, e.g. a certificate border.
func (d *Doc) Rect(x, y, w, h float64) {
	if d.canDraw() {
		d.e.strokeRect(x, y, w, h)
	}
}

// Cell draws s on one line in a box of width w and height h at the cursor,
// text vertically centred, then moves the cursor right by w. w <= 0 means up
// to the right margin, h <= 0 one line of the current font. Text is not
// wrapped nor clipped; use Paragraph or FitText when it may be too long.
func (d *Doc) Cell(w, h float64, s string, a Align) {
	if !d.canDraw() {
		return
	}
	if w <= 0 {
		w = d.pageW - d.right - d.x
	}
	if h <= 0 {
		h = d.LineHeight()
	}
	if a == Justify {
		a = Left
	}
	d.e.text(d.x, d.y, w, h, clean(s, false), a)
	d.x += w
}

// Paragraph draws s wrapped to width w starting at the cursor, breaking at
// spaces (and inside a word only when the word alone is wider than w); "\n"
// starts a new line. w <= 0 means up to the right margin. When a line would
// cross the bottom margin a new page is started and the text continues at
// the top margin. Afterwards the cursor is below the text at the X where it
// started. Returns the height used (summed over pages).
func (d *Doc) Paragraph(w float64, s string, a Align) float64 {
	if !d.canDraw() {
		return 0
	}
	if w <= 0 {
		w = d.pageW - d.right - d.x
	}
	return d.drawLines(d.wrap(clean(s, true), w), w, a)
}

// drawLines draws already wrapped lines at the cursor with page breaks.
func (d *Doc) drawLines(lines []wrapped, w float64, a Align) float64 {
	x, lh := d.x, d.LineHeight()
	var used float64
	for _, ln := range lines {
		if d.y+lh > d.pageH-d.bottom && d.y > d.top {
			d.AddPage()
			d.x = x
		}
		d.drawLine(x, d.y, w, lh, ln, a)
		d.y += lh
		used += lh
	}
	d.x = x
	return used
}

// FitText draws s on one line of width w at the cursor, in the current
// style, at the current size or, if s is too wide, the largest smaller size
// (in 0.5 pt steps) down to minSize at which it fits. If it does not fit
// even at minSize it is wrapped at minSize. The cursor moves below the text
// (back to the X where it started) and the font size is restored. Returns
// the size used. Meant for names on certificates, which vary in length.
func (d *Doc) FitText(w float64, s string, a Align, minSize float64) float64 {
	if !d.canDraw() {
		return 0
	}
	if w <= 0 {
		w = d.pageW - d.right - d.x
	}
	s = clean(s, false)
	orig := d.size
	if minSize <= 0 || minSize > orig {
		minSize = orig
	}
	size := orig
	for size > minSize && d.e.stringWidth(s) > w {
		size = max(size-0.5, minSize)
		d.SetFont(d.style, size)
	}
	if a == Justify {
		a = Left
	}
	d.drawLines(d.wrap(s, w), w, a)
	d.SetFont(d.style, orig)
	return size
}

// wrapped is one output line; last marks the end of a paragraph, which a
// justified paragraph leaves ragged.
type wrapped struct {
	text string
	last bool
}

// wrap breaks s into lines no wider than w in the current font.
func (d *Doc) wrap(s string, w float64) []wrapped {
	const eps = 1e-6
	var lines []wrapped
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if d.e.stringWidth(cand) <= w+eps {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, wrapped{text: line})
			}
			// A word wider than the whole line is cut where it overflows.
			for d.e.stringWidth(word) > w+eps {
				rs := []rune(word)
				n := 1
				for n < len(rs) && d.e.stringWidth(string(rs[:n+1])) <= w+eps {
					n++
				}
				if n == len(rs) {
					break
				}
				lines = append(lines, wrapped{text: string(rs[:n])})
				word = string(rs[n:])
			}
			line = word
		}
		lines = append(lines, wrapped{text: line, last: true})
	}
	return lines
}

// drawLine draws one wrapped line in the box (x, y, w, h).
func (d *Doc) drawLine(x, y, w, h float64, ln wrapped, a Align) {
	if a != Justify {
		d.e.text(x, y, w, h, ln.text, a)
		return
	}
	words := strings.Fields(ln.text)
	if ln.last || len(words) < 2 {
		d.e.text(x, y, w, h, ln.text, Left)
		return
	}
	var total float64
	for _, wd := range words {
		total += d.e.stringWidth(wd)
	}
	gap := (w - total) / float64(len(words)-1)
	for _, wd := range words {
		ww := d.e.stringWidth(wd)
		d.e.text(x, y, ww, h, wd, Left)
		x += ww + gap
	}
}

// PageNumbers asks for a page number centred in the bottom margin of every
// page, written when the document is output. format is given to fmt.Sprintf
// with the page number and the page count, e.g. "Trang %d/%d"; use
// "Trang %[1]d" for the number alone. An empty format turns numbering off.
func (d *Doc) PageNumbers(format string) { d.pageFormat = clean(format, false) }

// numberPages writes the page numbers once the page count is known.
// gofpdf's {nb} alias is not used: the digits it substitutes are missing
// from the embedded font subset unless they occur elsewhere in the text.
func (d *Doc) numberPages() {
	if d.pageFormat == "" {
		return
	}
	n := d.e.pageCount()
	const size = 10
	h := size * ptToMM * lineSpacing
	y := d.pageH - d.bottom/2 - h/2
	for p := 1; p <= n; p++ {
		d.e.setPage(p)
		d.e.setFont(Regular, size)
		d.e.text(d.left, y, d.ContentWidth(), h, fmt.Sprintf(d.pageFormat, p, n), Center)
	}
}

// Bytes finishes the document (writing the page numbers) and returns the
// PDF, or the first error recorded while drawing. A document with no page
// gets one blank page. Later calls return the same bytes; drawing after
// Bytes does nothing and records ErrWritten, which later calls also return.
func (d *Doc) Bytes() ([]byte, error) {
	if d.written {
		return d.out, d.Err()
	}
	if d.Err() != nil {
		return nil, d.err
	}
	if d.e.pageCount() == 0 {
		d.AddPage()
	}
	d.numberPages()
	var buf bytes.Buffer
	if err := d.e.output(&buf); err != nil {
		d.fail(fmt.Errorf("pdfdoc: output: %w", err))
		return nil, d.err
	}
	d.written = true
	d.out = buf.Bytes()
	return d.out, nil
}

// WriteTo writes the finished document to w (see Bytes).
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	b, err := d.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// clean normalises s to NFC and removes what the font cannot show: runes
// outside the Basic Multilingual Plane (emoji) become "?" because gofpdf's
// font subsetting panics on them, and control characters become spaces.
// Newlines survive only when keepNewlines is set.
func clean(s string, keepNewlines bool) string {
	s = norm.NFC.String(s)
	ok := true
	for _, r := range s {
		if r > 0xFFFF || unicode.IsControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && keepNewlines:
			return r
		case r == '\r':
			return -1
		case r > 0xFFFF:
			return '?'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}
