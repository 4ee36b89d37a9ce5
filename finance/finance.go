// Package finance owns the money of a course: the lecturer records (báo cáo viên, with their
// tier, tax code and bank account), the organization's cost norms (dated rate tables with
// their legal basis), the estimate of a course (dự toán), the payment lists after it (trainee
// support by the days attended, lecturer honoraria with personal income tax withheld), the
// settlement (quyết toán) of estimate against actual, and their PDF and XLSX forms.
//
// The lecturers table lives here, not in courses: it holds what only the organizers who pay
// may see (tax code, ID number, bank account) and the tier that prices a session. Courses
// keeps on each module the lecturer's id (its column, its writer) and the name as written;
// the clash check compares those ids and needs nothing else, and courses resolves an id
// through the small courses.LecturerDirectory interface that this package implements.
//
// Amounts are whole đồng (int64); nothing is computed from a guess: a session without a
// lecturer, a lecturer without a tier, a day without a rate in force are flagged, never
// priced.
package finance

import (
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
)

// ErrNotFound is returned for an unknown lecturer or course.
var ErrNotFound = errs.New(errs.NotFound, "err.not_found")

// Service holds the database handles and the services it asks.
type Service struct {
	db      *database.DB
	courses *courses.Service
	attend  *attendance.Service
}

// New returns a Service.
func New(db *database.DB, c *courses.Service, a *attendance.Service) *Service {
	return &Service{db: db, courses: c, attend: a}
}

// Flag is something a computation could not price, with the field it concerns: the list
// leaves it out rather than guessing, and shows the message.
type Flag struct {
	Field     string   `json:"field"`
	SessionID int64    `json:"session_id,omitempty"`
	Msg       errs.Msg `json:"-"`
}
