package pdfdoc

import "time"

// NewReport starts a report of an agency (the attendance matrix, the payment lists, the
// evaluation results): an A4 document in orientation o — landscape with a wider left
// margin for binding — with page numbers "Trang n/m", its first page, and the official
// header h at the top. title and h.Agency go in the file's metadata, now is its creation
// date.
func NewReport(o Orientation, title string, h Header, now time.Time) (*Doc, error) {
	opts := []Option{WithCreationDate(now), WithTitle(title), WithAuthor(h.Agency)}
	if o == Landscape {
		opts = append(opts, WithMargins(20, 15, 15, 15))
	}
	d, err := New(o, opts...)
	if err != nil {
		return nil, err
	}
	d.PageNumbers("Trang %d/%d")
	d.AddPage()
	d.OfficialHeader(h)
	return d, nil
}
