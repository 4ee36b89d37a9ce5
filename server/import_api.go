package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"taphuan/courses"
	"taphuan/errs"
)

// importRowError is one bad row in the answer of an import (API.md).
type importRowError struct {
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Message  string `json:"message"`
	FullName string `json:"full_name"` // the row's name, to find it in the file
	Value    string `json:"value"`     // the bad value as written
}

// importSample is a parsed row as it will be stored (the preview's check of the columns).
type importSample struct {
	Row int `json:"row"`
	courses.RegisterInput
}

// importAnswer is the answer of an import: API.md's {imported, errors} and what the
// preview shows besides.
type importAnswer struct {
	Imported   int               `json:"imported"`
	Rows       int               `json:"rows"`
	Valid      int               `json:"valid"`
	Confirmed  int               `json:"confirmed"`
	Waitlisted int               `json:"waitlisted"`
	Errors     []importRowError  `json:"errors"`
	Sample     []importSample    `json:"sample"`
	Recased    []courses.Recased `json:"recased"`
}

func (s *Server) importAnswer(c *gin.Context, res *courses.ImportResult) importAnswer {
	a := importAnswer{Imported: res.Imported, Rows: res.Rows, Valid: res.Valid, Confirmed: res.Confirmed,
		Waitlisted: res.Waitlisted, Errors: make([]importRowError, 0, len(res.Errors))}
	for _, e := range res.Errors {
		a.Errors = append(a.Errors, importRowError{Row: e.Row, Field: e.Field, Message: s.trMsg(langOf(c), e.Msg),
			FullName: e.Name, Value: e.Value})
	}
	a.Sample = make([]importSample, 0, len(res.Sample))
	for _, r := range res.Sample {
		a.Sample = append(a.Sample, importSample{Row: r.Line, RegisterInput: r.Input})
	}
	a.Recased = res.Recased
	if a.Recased == nil {
		a.Recased = []courses.Recased{}
	}
	return a
}

var errNoFile = errs.Fields{"file": {Key: "reg.err.no_file"}}.Err()

// errUnavailable: the client went away while waiting for a writer's place.
var errUnavailable = errs.New(errs.Internal, "err.internal")

// uploadedRoster reads the multipart field "file" (at most courses.MaxImportBytes).
func uploadedRoster(c *gin.Context) (name string, data []byte, err error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, courses.MaxImportBytes+1<<20)
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, errs.Fields{"file": {Key: "reg.err.file_too_big", Args: []any{courses.MaxImportBytes >> 20}}}.Err()
		}
		return "", nil, errNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, errNoFile
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, courses.MaxImportBytes+1))
	if err != nil {
		return "", nil, errNoFile
	}
	if len(data) == 0 {
		return "", nil, errNoFile
	}
	return fh.Filename, data, nil
}

// handleRegistrationImport: POST /api/v1/courses/{id}/registrations/import?mode=
// strict|skip_invalid|dry_run, multipart field "file" (.csv or .xlsx) →
// {imported, errors: [{row, field, message}], …}.
func (s *Server) handleRegistrationImport(c *gin.Context) error {
	course, err := s.courseParam(c, true)
	if err != nil {
		return err
	}
	name, data, err := uploadedRoster(c)
	if err != nil {
		return err
	}
	rows, err := courses.ParseRoster(bytesReader(data), name)
	if err != nil {
		return err
	}
	data = nil
	release, ok := s.admit(c)
	if !ok {
		return errUnavailable
	}
	defer release()
	res, err := s.courses.Import(c.Request.Context(), courses.ImportInput{CourseID: course.ID, Rows: rows,
		Mode: c.DefaultQuery("mode", courses.ImportStrict), UserID: currentUser(c).ID})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.importAnswer(c, res))
	return nil
}
