package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/documents"
	"taphuan/errs"
)

// docItem is one document of GET /api/v1/courses/{id}/documents.
type docItem struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Unit    string `json:"unit,omitempty"`    // the unit of a call-up letter
	UnitID  int64  `json:"unit_id,omitempty"` // its id in the units directory (none: a text that matched no unit)
	PDFURL  string `json:"pdf_url"`
	DocxURL string `json:"docx_url"`
}

// docURL is the address of a document file; a call-up letter names its unit by id, or by
// its text when it matched no unit of the directory.
func docURL(courseID int64, it documents.Item, format string) string {
	u := fmt.Sprintf("/api/v1/courses/%d/documents/%s.%s", courseID, it.Kind, format)
	switch {
	case it.UnitID != 0:
		u += "?unit_id=" + strconv.FormatInt(it.UnitID, 10)
	case it.Unit != "":
		u += "?unit=" + url.QueryEscape(it.Unit)
	}
	return u
}

func docItems(courseID int64, items []documents.Item) []docItem {
	out := make([]docItem, len(items))
	for i, it := range items {
		out[i] = docItem{Kind: it.Kind, Title: it.Title, Unit: it.Unit, UnitID: it.UnitID,
			PDFURL: docURL(courseID, it, documents.FormatPDF), DocxURL: docURL(courseID, it, documents.FormatDOCX)}
	}
	return out
}

// documentCourse loads the course of the path for its documents: organizers of its
// organization and admins (the documents are drafts of official texts, not the door's).
func (s *Server) documentCourse(c *gin.Context) (*courses.Course, error) {
	return s.courseParam(c, true)
}

// handleDocumentList: GET /api/v1/courses/{id}/documents?limit=&offset= → {items, total}.
func (s *Server) handleDocumentList(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	items, err := s.docs.List(c.Request.Context(), course.ID)
	if err != nil {
		return err
	}
	out := docItems(course.ID, items)
	limit, offset := listParams(c)
	return list(c, out[min(offset, len(out)):min(offset+limit, len(out))], len(out))
}

// docUnit reads the unit of a call-up letter: ?unit_id= (the units directory) or ?unit=
// (the unit's name as on the quotas and registrations).
func docUnit(c *gin.Context) (documents.Unit, error) {
	u := documents.Unit{Name: c.Query("unit")}
	if raw := c.Query("unit_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			f := errs.Fields{}
			f.Add("unit_id", "doc.err.unit_id")
			return u, f.Err()
		}
		u.ID = id
	}
	if len(u.Name) > 400 {
		f := errs.Fields{}
		f.Add("unit", "err.too_long", 400)
		return u, f.Err()
	}
	return u, nil
}

// handleDocumentFile: GET /api/v1/courses/{id}/documents/{kind}.pdf|.docx[?unit_id=|?unit=].
func (s *Server) handleDocumentFile(c *gin.Context) error {
	course, err := s.documentCourse(c)
	if err != nil {
		return err
	}
	kind, format, ok := strings.Cut(c.Param("file"), ".")
	if !ok || !documents.ValidKind(kind) || (format != documents.FormatPDF && format != documents.FormatDOCX) {
		return errNotFound
	}
	unit, err := docUnit(c)
	if err != nil {
		return err
	}
	f, err := s.docs.Draft(c.Request.Context(), course.ID, kind, format, unit)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, f.Name))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, f.ContentType, f.Data)
	return nil
}
