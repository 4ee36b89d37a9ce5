package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrMatrix returns the modules of the QR code for content, without quiet
// zone: m[row][col] is true for a dark module. Level M (15% recovery)
// survives a scuffed printout while keeping a verification URL's symbol
// coarse enough to scan at 20–25 mm.
func qrMatrix(content string) ([][]bool, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: qr code: %w", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// QRCode draws content as a QR code (error correction level M) filling the square of side size mm with
// its top-left corner at (x, y). The symbol is drawn as vector rectangles
// (sharp at any zoom, no image to decode) without the quiet zone, so leave
// white space of at least 4 modules (about 12% of size) around it. The
// cursor does not move. An error (content too long) leaves the document
// unchanged and is not recorded.
func (d *Doc) QRCode(content string, x, y, size float64) error {
	if !d.canDraw() {
		return d.Err()
	}
	m, err := qrMatrix(content)
	if err != nil {
		return err
	}
	mod := size / float64(len(m))
	// Rows overlap slightly so renderers that anti-alias each rectangle do
	// not leave hairlines between dark modules of adjacent rows.
	const overlap = 0.05
	for r, row := range m {
		h := mod
		if r < len(m)-1 {
			h += overlap
		}
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			d.e.fillRect(x+float64(start)*mod, y+float64(r)*mod, float64(c-start)*mod, h)
		}
	}
	return nil
}

// Image draws a PNG or JPEG (e.g. an organisation logo) with its top-left
// corner at (x, y), w × h mm. If one of w, h is 0 it follows from the
// other and the image's aspect ratio. The same bytes used on many pages
// are embedded once. The cursor does not move.
//
// Data that is neither PNG nor JPEG is refused without touching the
// document; an image the PDF library cannot read (e.g. interlaced PNG) is
// recorded as the document's error as well as returned.
func (d *Doc) Image(data []byte, x, y, w, h float64) error {
	if !d.canDraw() {
		return d.Err()
	}
	var kind string
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		kind = "png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		kind = "jpg"
	default:
		return fmt.Errorf("pdfdoc: image is neither PNG nor JPEG")
	}
	if w <= 0 && h <= 0 {
		return fmt.Errorf("pdfdoc: image needs a width or a height")
	}
	sum := sha256.Sum256(data)
	name := "img" + hex.EncodeToString(sum[:12])
	if err := d.e.image(name, kind, data, x, y, w, h); err != nil {
		d.fail(fmt.Errorf("pdfdoc: image: %w", err))
		return d.err
	}
	return nil
}
