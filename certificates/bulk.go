package certificates

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"taphuan/vn"
)

// FileName is the name a certificate's file is downloaded under, ASCII only so every
// system and mail client keeps it: "012-GCN-STTTT_Nguyen-Thi-Hai-Yen.pdf".
func FileName(number, fullName string) string {
	n := asciiFold(number)
	if name := asciiFold(fullName); name != "" {
		n += "_" + name
	}
	if n == "" {
		n = "giay-chung-nhan"
	}
	return n + ".pdf"
}

// asciiFold keeps letters and digits without their marks (đ → d), keeps case, and turns
// every run of anything else into one hyphen.
func asciiFold(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(vn.Clean(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case r == 'Đ':
			r = 'D'
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// validFiles calls fn with every valid certificate of a course, in register order, and
// its stored file.
func (s *Service) validFiles(ctx context.Context, courseID int64, fn func(c *Certificate, pdf []byte) error) (int, error) {
	rows, err := s.db.R.QueryxContext(ctx, `SELECT `+certColumns+`, c.pdf FROM certificates c
		WHERE c.course_id = ? AND c.status = 'valid' ORDER BY c.year, c.seq`, courseID)
	if err != nil {
		return 0, fmt.Errorf("certificates: files of course %d: %w", courseID, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var row struct {
			Certificate
			PDF []byte `db:"pdf"`
		}
		if err := rows.StructScan(&row); err != nil {
			return n, fmt.Errorf("certificates: files of course %d: %w", courseID, err)
		}
		if err := fn(&row.Certificate, row.PDF); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("certificates: files of course %d: %w", courseID, err)
	}
	return n, nil
}

// CombinedPDF returns every valid certificate of a course in one file for printing, in
// register order: the stored files' pages, not a new rendering. Returns ErrNotFound when
// the course has no valid certificate.
func (s *Service) CombinedPDF(ctx context.Context, courseID int64) ([]byte, error) {
	var files [][]byte
	_, err := s.validFiles(ctx, courseID, func(_ *Certificate, pdf []byte) error {
		files = append(files, pdf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("certificates: course %d has no valid certificate: %w", courseID, ErrNotFound)
	}
	info := pdfInfo{Title: "Giấy chứng nhận"}
	if course, err := s.courses.FindCourseByID(ctx, courseID); err == nil {
		info.Title += " – " + course.Title
	}
	return concatPDF(files, info)
}

// WriteZIP writes a ZIP of the valid certificates of a course, one stored file each,
// named by FileName, and returns how many it wrote. The PDFs are stored, not compressed
// again: their content is compressed already.
func (s *Service) WriteZIP(ctx context.Context, courseID int64, w io.Writer) (int, error) {
	zw := zip.NewWriter(w)
	n, err := s.validFiles(ctx, courseID, func(c *Certificate, pdf []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: FileName(c.Number, c.FullName), Method: zip.Store,
			Modified: c.IssuedAt.In(vn.Location).Truncate(time.Second)})
		if err != nil {
			return err
		}
		_, err = f.Write(pdf)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("certificates: zip of course %d: %w", courseID, err)
	}
	if err := zw.Close(); err != nil {
		return n, fmt.Errorf("certificates: zip of course %d: %w", courseID, err)
	}
	return n, nil
}
