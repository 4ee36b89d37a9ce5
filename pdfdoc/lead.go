package pdfdoc

import (
	"fmt"
	"strings"
)

// LeadParagraph draws s like Paragraph, but with its first line indented by indent mm and
// started by lead in leadStyle (e.g. "Điều 1." in bold, as official documents number their
// articles), followed by a space. The rest of s is in the current style. Page breaks, the
// cursor and the return value are as for Paragraph.
func (d *Doc) LeadParagraph(w, indent float64, lead string, leadStyle Style, s string, a Align) float64 {
	if !d.canDraw() {
		return 0
	}
	if w <= 0 {
		w = d.pageW - d.right - d.x
	}
	lead, s = clean(lead, false), clean(s, true)
	style, size := d.style, d.size
	var leadW float64
	if lead != "" {
		d.SetFont(leadStyle, size)
		leadW = d.e.stringWidth(lead + " ")
		d.SetFont(style, size)
	}
	first, rest, _ := strings.Cut(s, "\n")
	// Fill the first line after the indent and the lead, word by word.
	words := strings.Fields(first)
	room := w - indent - leadW
	line, n := "", 0
	for n < len(words) {
		cand := words[n]
		if line != "" {
			cand = line + " " + words[n]
		}
		if d.e.stringWidth(cand) > room+1e-6 {
			// A first word too long for what is left of the line goes to the next
			// lines, where wrap cuts it if it is wider than a whole line.
			break
		}
		line, n = cand, n+1
	}
	remaining := strings.Join(words[n:], " ")
	if rest != "" {
		remaining = strings.TrimLeft(remaining+"\n"+rest, "\n")
	}
	x, lh := d.x, d.LineHeight()
	if d.y+lh > d.pageH-d.bottom && d.y > d.top {
		d.AddPage()
		d.x = x
	}
	if lead != "" {
		d.SetFont(leadStyle, size)
		d.e.text(x+indent, d.y, leadW, lh, lead, Left)
		d.SetFont(style, size)
	}
	d.drawLine(x+indent+leadW, d.y, room, lh, wrapped{text: line, last: n == len(words)}, a)
	d.y += lh
	used := lh
	if remaining != "" {
		used += d.drawLines(d.wrap(remaining, w), w, a)
	}
	d.x = x
	return used
}

// NumberPagesTop writes the page numbers the way Decree 30/2020/NĐ-CP asks of official
// documents: Arabic digits, upright, size pt, centred in the top margin, none on the first
// page. Call it once the last page is drawn, before Bytes; drawing afterwards continues on
// the last page.
func (d *Doc) NumberPagesTop(size float64) {
	if d.Err() != nil || d.written {
		return
	}
	n := d.e.pageCount()
	if n < 2 {
		return
	}
	style, cur := d.style, d.size
	h := size * ptToMM * lineSpacing
	y := d.top/2 - h/2
	for p := 2; p <= n; p++ {
		d.e.setPage(p)
		d.SetFont(Regular, size)
		d.e.text(d.left, y, d.ContentWidth(), h, fmt.Sprint(p), Center)
	}
	d.e.setPage(n)
	d.SetFont(style, cur)
}
