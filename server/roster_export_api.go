package server

import (
	"bytes"
	"fmt"
	"io"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// exportRows reads the roster the request selects (status, q, unit as in the list).
func (s *Server) exportRows(c *gin.Context) (*courses.Course, [][]string, error) {
	// The export holds every personal field (CCCD, birth date, phone): organizers only.
	course, err := s.courseParam(c, true)
	if err != nil {
		return nil, nil, err
	}
	statuses, err := statusFilter(c)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.courses.ExportRows(c.Request.Context(), courses.RegistrationFilter{CourseID: course.ID,
		Statuses: statuses, Query: c.Query("q"), Unit: c.Query("unit")})
	return course, rows, err
}

// handleRosterCSV: GET /api/v1/courses/{id}/registrations.csv — Vietnamese headers, dates
// dd/mm/yyyy, UTF-8 with a byte-order mark for Excel.
func (s *Server) handleRosterCSV(c *gin.Context) error {
	course, rows, err := s.exportRows(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := courses.WriteRosterCSV(&buf, rows); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="danh-sach-hoc-vien-%d.csv"`, course.ID))
	c.Data(200, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

// handleRosterXLSX: GET /api/v1/courses/{id}/registrations.xlsx.
func (s *Server) handleRosterXLSX(c *gin.Context) error {
	course, rows, err := s.exportRows(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := courses.WriteRosterXLSX(&buf, rows); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="danh-sach-hoc-vien-%d.xlsx"`, course.ID))
	c.Data(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}

// handleImportTemplate: GET /staff/courses/{id}/registrations/import/mau.csv — an empty
// roster with the headers, for sending units to fill in.
func (s *Server) handleImportTemplate(c *gin.Context) error {
	if _, err := s.courseParam(c, false); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := courses.WriteRosterCSV(&buf, nil); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="mau-danh-sach-hoc-vien.csv"`)
	c.Data(200, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}
