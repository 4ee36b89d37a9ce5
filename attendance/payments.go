package attendance

import (
	"context"
	"slices"

	"taphuan/courses"
	"taphuan/vn"
)

// An attended day is a calendar day (Vietnam time) of the course on which the trainee was
// present or late at one session at least: a trainee at the morning session only is paid
// for that day, as organizers pay a daily allowance to whoever came that day. The support
// amount is attended days × the course's support_amount_per_day.

// PaymentRow is one trainee of the support payment list.
type PaymentRow struct {
	Registration courses.Registration `json:"-"`
	Days         int                  `json:"days"`
	Amount       int64                `json:"amount"`
}

// PaymentList is the support payment list of a course (danh sách nhận tiền hỗ trợ): the
// confirmed trainees with at least one attended day, in Vietnamese order.
type PaymentList struct {
	Course    *courses.Course `json:"-"`
	Rate      int64           `json:"rate"` // VND per attended day
	CourseDay []string        `json:"days"` // the days with sessions, YYYY-MM-DD
	Rows      []PaymentRow    `json:"items"`
	TotalDays int             `json:"total_days"`
	Total     int64           `json:"total"`
}

// dayOf is the Vietnam calendar day of a session.
func dayOf(sess courses.Session) string { return sess.StartsAt.In(vn.Location).Format("2006-01-02") }

// AttendedDays returns how many calendar days of the sessions the row attended.
func AttendedDays(row MatrixRow, sessions []courses.Session) int {
	days := map[string]bool{}
	for _, sess := range sessions {
		if Attended(row.Marks[sess.ID]) {
			days[dayOf(sess)] = true
		}
	}
	return len(days)
}

// Payments returns the support payment list of a course. Returns ErrNotFound for an
// unknown course.
func (s *Service) Payments(ctx context.Context, courseID int64) (*PaymentList, error) {
	course, err := s.courses.FindCourseByID(ctx, courseID)
	if err != nil {
		return nil, notFound(err)
	}
	mx, err := s.Matrix(ctx, courseID)
	if err != nil {
		return nil, err
	}
	return paymentList(course, mx), nil
}

func paymentList(course *courses.Course, mx *Matrix) *PaymentList {
	pl := &PaymentList{Course: course, Rate: course.SupportAmountPerDay, CourseDay: []string{}, Rows: []PaymentRow{}}
	for _, sess := range mx.Sessions {
		if d := dayOf(sess); !slices.Contains(pl.CourseDay, d) {
			pl.CourseDay = append(pl.CourseDay, d)
		}
	}
	for _, row := range mx.Rows {
		days := AttendedDays(row, mx.Sessions)
		if days == 0 {
			continue
		}
		amount := int64(days) * pl.Rate
		pl.Rows = append(pl.Rows, PaymentRow{Registration: row.Registration, Days: days, Amount: amount})
		pl.TotalDays += days
		pl.Total += amount
	}
	return pl
}
