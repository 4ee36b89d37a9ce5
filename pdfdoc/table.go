package pdfdoc

import "fmt"

// Column describes one column of a Table.
type Column struct {
	// Title is the header text, drawn bold and centred; it may wrap.
	Title string
	// Width is the column's share of the table width: widths are scaled so
	// they add up to Table.Width. Giving widths in mm that add up to the
	// table width therefore gives exactly those widths. Must be > 0.
	Width float64
	// Align aligns the body cells (Justify is treated as Left).
	Align Align
}

// Table is a bordered table drawn by Doc.Table.
type Table struct {
	Columns []Column
	// Rows holds the body cells, one string per column; a cell wraps onto
	// as many lines as it needs and the row is as tall as its tallest cell.
	Rows [][]string
	// Total, if not nil, is a bold row after the body (e.g. "Tổng cộng").
	// Its first cell spans TotalSpan columns (0 means 1) and the remaining
	// cells fill the columns after it, so len(Total) must be
	// len(Columns) - TotalSpan + 1.
	Total     []string
	TotalSpan int
	// Width is the table width in mm; 0 means the content width. A narrower
	// table is centred between the margins.
	Width float64
	// FontSize is the text size in pt; 0 means the current size.
	FontSize float64
	// MinRowHeight is the minimum height of body rows in mm, e.g. room for
	// a signature; 0 means one line.
	MinRowHeight float64
}

// Cell padding inside table borders, mm.
const (
	cellPadX = 1.5
	cellPadY = 1.0
)

// tableCell is one cell of a laid-out row; span cells are merged already.
type tableCell struct {
	w     float64
	align Align
	lines []wrapped
}

// Table draws t at the cursor's Y. The header row is repeated at the top of
// every page the table continues on, and a row is never split across
// pages: a row that does not fit starts a new page (a single row taller
// than a whole page overflows the bottom margin). The cursor ends at the
// left margin below the table; the font is restored.
//
// A row with the wrong number of cells records an error.
func (d *Doc) Table(t Table) {
	if !d.canDraw() {
		return
	}
	if err := t.check(); err != nil {
		d.fail(err)
		return
	}
	defer d.SetFont(d.style, d.size)
	size := d.size
	if t.FontSize > 0 {
		size = t.FontSize
	}

	tw := t.Width
	if tw <= 0 {
		tw = d.ContentWidth()
	}
	var sum float64
	for _, c := range t.Columns {
		sum += c.Width
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = c.Width * tw / sum
	}
	x0 := d.left + max(0, (d.ContentWidth()-tw)/2)

	layout := func(st Style, cells []string, span int, minH float64) ([]tableCell, float64) {
		d.SetFont(st, size)
		row := make([]tableCell, 0, len(cells))
		col := 0
		h := minH
		for i, s := range cells {
			n := 1
			if i == 0 {
				n = span
			}
			var w float64
			for _, cw := range widths[col : col+n] {
				w += cw
			}
			al := t.Columns[col].Align
			if n > 1 {
				al = Center
			}
			c := tableCell{w: w, align: al, lines: d.wrap(clean(s, true), w-2*cellPadX)}
			row = append(row, c)
			h = max(h, float64(len(c.lines))*d.LineHeight()+2*cellPadY)
			col += n
		}
		return row, h
	}

	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
	}
	header, headerH := layout(Bold, titles, 1, 0)
	for i := range header {
		header[i].align = Center
	}

	draw := func(st Style, row []tableCell, h float64) {
		d.SetFont(st, size)
		lh := d.LineHeight()
		x := x0
		for _, c := range row {
			d.e.strokeRect(x, d.y, c.w, h)
			ty := d.y + (h-float64(len(c.lines))*lh)/2
			for _, ln := range c.lines {
				d.drawLine(x+cellPadX, ty, c.w-2*cellPadX, lh, ln, c.align)
				ty += lh
			}
			x += c.w
		}
		d.y += h
	}

	bottom := d.pageH - d.bottom
	// place starts a new page (repeating the header) when a row of height h
	// does not fit under the cursor, unless the page holds nothing but the
	// header already, where a new page would not help.
	headerDrawn := false
	place := func(h float64) {
		needHeader := !headerDrawn
		need := h
		if needHeader {
			need += headerH
		}
		atTop := d.y <= d.top+1e-6 || (headerDrawn && d.y <= d.top+headerH+1e-6)
		if d.y+need > bottom+1e-6 && !atTop {
			d.AddPage()
			needHeader = true
		}
		if needHeader {
			draw(Bold, header, headerH)
			headerDrawn = true
		}
	}

	for _, cells := range t.Rows {
		row, h := layout(Regular, cells, 1, t.MinRowHeight)
		place(h)
		draw(Regular, row, h)
	}
	if t.Total != nil {
		span := max(t.TotalSpan, 1)
		row, h := layout(Bold, t.Total, span, 0)
		place(h)
		draw(Bold, row, h)
	}
	if !headerDrawn {
		place(0)
	}
	d.x = d.left
}

// check reports a malformed table.
func (t Table) check() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("pdfdoc: table has no columns")
	}
	for i, c := range t.Columns {
		if c.Width <= 0 {
			return fmt.Errorf("pdfdoc: table column %d (%q) has width %g", i, c.Title, c.Width)
		}
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("pdfdoc: table row %d has %d cells, want %d", i, len(r), len(t.Columns))
		}
	}
	if t.Total != nil {
		span := max(t.TotalSpan, 1)
		if span > len(t.Columns) {
			return fmt.Errorf("pdfdoc: table total spans %d of %d columns", span, len(t.Columns))
		}
		if want := len(t.Columns) - span + 1; len(t.Total) != want {
			return fmt.Errorf("pdfdoc: table total has %d cells, want %d", len(t.Total), want)
		}
	}
	return nil
}
