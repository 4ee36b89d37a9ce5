package attendance

import (
	"context"
	"fmt"
	"time"

	"taphuan/database"
	"taphuan/vn"
)

// Age groups of Statistics.ByAge: the age on the first day of the course.
const (
	AgeUnder30 = "u30"
	Age30s     = "30"
	Age40s     = "40"
	Age50s     = "50"
	Age60Plus  = "60"
	AgeUnknown = ""
)

// AgeGroup puts someone born on birth (YYYY-MM-DD) into an age group on day (the course's
// first day, YYYY-MM-DD); AgeUnknown when either date cannot be read.
func AgeGroup(birth, day string) string {
	b, err1 := time.Parse("2006-01-02", birth)
	d, err2 := time.Parse("2006-01-02", day)
	if err1 != nil || err2 != nil || d.Before(b) {
		return AgeUnknown
	}
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || d.Month() == b.Month() && d.Day() < b.Day() {
		age--
	}
	switch {
	case age < 30:
		return AgeUnder30
	case age < 40:
		return Age30s
	case age < 50:
		return Age40s
	case age < 60:
		return Age50s
	}
	return Age60Plus
}

// AgeLabel is the Vietnamese label of an age group.
func AgeLabel(key string) string {
	switch key {
	case AgeUnder30:
		return "Dưới 30 tuổi"
	case Age30s:
		return "Từ 30 đến 39 tuổi"
	case Age40s:
		return "Từ 40 đến 49 tuổi"
	case Age50s:
		return "Từ 50 đến 59 tuổi"
	case Age60Plus:
		return "Từ 60 tuổi trở lên"
	}
	return Unknown
}

func ageRank(k string) int {
	for i, a := range []string{AgeUnder30, Age30s, Age40s, Age50s, Age60Plus} {
		if k == a {
			return i
		}
	}
	return 9
}

// SessionStat is one session of the counted courses: who came (present or late, among the
// confirmed) and who was expected (the confirmed trainees of its course).
type SessionStat struct {
	ID          int64         `json:"id" db:"id"`
	CourseID    int64         `json:"course_id" db:"course_id"`
	CourseTitle string        `json:"course_title" db:"title"`
	StartsAt    database.Time `json:"starts_at" db:"starts_at"`
	Attended    int           `json:"attended" db:"attended"`
	Expected    int           `json:"expected" db:"expected"`
}

// Label names the session in a chart: "04/12 Sáng".
func (s SessionStat) Label() string {
	t := s.StartsAt.In(vn.Location)
	return t.Format("02/01") + " " + partOfDay(t)
}

func (s *Service) sessionStats(ctx context.Context, cond string, args []any) ([]SessionStat, error) {
	out := []SessionStat{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT s.id, s.course_id, c.title, s.starts_at,
		(SELECT COUNT(*) FROM attendance_marks m JOIN registrations r ON r.id = m.registration_id
			WHERE m.session_id = s.id AND m.status IN (?, ?) AND r.status = 'confirmed') AS attended,
		(SELECT COUNT(*) FROM registrations r WHERE r.course_id = c.id AND r.status = 'confirmed') AS expected
		FROM sessions s JOIN courses c ON c.id = s.course_id WHERE `+cond+` ORDER BY s.starts_at, s.id`,
		append([]any{Present, Late}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("attendance: statistics by session: %w", err)
	}
	return out, nil
}

// PeriodCount is how many registrations were made in one period (a day, or a month when
// the registrations span more than dailyPeriods days).
type PeriodCount struct {
	Key   string `json:"key"`   // YYYY-MM-DD or YYYY-MM
	Label string `json:"label"` // 20/11 or 11/2023
	Count int    `json:"count"`
}

// dailyPeriods: registrations spread over more days than this are counted by month.
const dailyPeriods = 62

// overTime counts the registration times (storage format) by day in Vietnam, or by month
// over a long span; every day (month) between the first and the last is listed, empty ones
// with 0, so the chart's axis is true to time.
func overTime(stamps []string) []PeriodCount {
	var days []time.Time
	for _, s := range stamps {
		if t, err := database.ParseTime(s); err == nil {
			l := t.In(vn.Location)
			days = append(days, time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC))
		}
	}
	out := []PeriodCount{}
	if len(days) == 0 {
		return out
	}
	first, last := days[0], days[0]
	for _, d := range days {
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	counts := map[string]int{}
	monthly := last.Sub(first) > dailyPeriods*24*time.Hour
	key := func(t time.Time) string {
		if monthly {
			return t.Format("2006-01")
		}
		return t.Format("2006-01-02")
	}
	for _, d := range days {
		counts[key(d)]++
	}
	for t := first; !t.After(last); {
		k := key(t)
		label := t.Format("02/01")
		if monthly {
			label = t.Format("01/2006")
		}
		out = append(out, PeriodCount{Key: k, Label: label, Count: counts[k]})
		if monthly {
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		} else {
			t = t.AddDate(0, 0, 1)
		}
	}
	return out
}
