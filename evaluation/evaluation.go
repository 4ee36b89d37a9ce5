// Package evaluation owns the evaluation of a course (Circular 10/2017/TT-BNV): the trainees'
// survey — a questionnaire per course made from the organization's template or the built-in
// default, with one block per module of the timetable — its answers from the ticket page, a
// projector QR or typed-in paper forms, and its results (response rate, mean, distribution,
// open answers, per lecturer across courses, PDF and XLSX); and the optional knowledge test
// (pre and post, score per trainee, the class's gain, a minimum post-test score for the
// certificate, which certificates asks for through its TestRule seam).
//
// Anonymity: who has answered (survey_respondents, by registration, no time, no order) and
// what was answered (survey_responses under a random id) share nothing but the survey. A
// response is found again for correction by response_key = HMAC-SHA256(survey secret, ticket
// code): whoever holds the ticket can correct their answers until the survey closes, while
// no page, API or export — and no reading of the tables without the secret — links an
// answer to a person. Responses carry a date, never a time.
//
// It owns the tables surveys, survey_questions, survey_respondents, survey_responses,
// survey_answers, knowledge_tests, knowledge_questions and knowledge_attempts, and reads courses, modules, sessions and registrations through courses.
package evaluation

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
)

// Survey statuses. An open survey accepts answers from OpensAt until ClosesAt.
const (
	Draft  = "draft"
	Open   = "open"
	Closed = "closed"
)

// Question kinds.
const (
	Rating = "rating" // 1–5, Rất không hài lòng … Rất hài lòng
	Choice = "choice" // one of Options, stored as its number from 1
	Text   = "text"   // an open answer
)

// Errors returned by this package.
var (
	ErrNotFound      = errs.New(errs.NotFound, "eval.err.not_found")
	ErrExists        = errs.New(errs.Conflict, "eval.err.exists")
	ErrNotOpen       = errs.New(errs.Closed, "eval.err.not_open")
	ErrClosed        = errs.New(errs.Closed, "eval.err.closed")
	ErrNotTrainee    = errs.New(errs.Forbidden, "eval.err.not_trainee")
	ErrNoSessions    = errs.New(errs.Conflict, "eval.err.no_sessions")
	ErrTestTaken     = errs.New(errs.Conflict, "eval.err.test_taken")
	ErrTestNotNow    = errs.New(errs.Closed, "eval.err.test_not_now")
	ErrStatusInvalid = errs.New(errs.Invalid, "eval.err.status")
)

// Service holds the database handles and the courses service.
type Service struct {
	db      *database.DB
	courses *courses.Service
	now     func() time.Time
}

// New returns a Service over db.
func New(db *database.DB, cs *courses.Service) *Service {
	return &Service{db: db, courses: cs, now: time.Now}
}

// SetClock replaces the clock (tests and the demo, whose course lies in the past).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("evaluation: random: %v", err))
	}
	return hex.EncodeToString(b)
}

// responseKey is the key under which the ticket's response is stored.
func responseKey(secret, ticketCode string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ticketCode))
	return hex.EncodeToString(m.Sum(nil))
}
