package courses

import (
	"time"

	"taphuan/vn"
)

// Parts of a day in the timetable.
const (
	PartMorning   = "morning"   // buổi sáng: starts before noon
	PartAfternoon = "afternoon" // buổi chiều: starts from noon to before 18:00
	PartEvening   = "evening"   // buổi tối
)

// PartOfDay says whether an instant falls in the morning, afternoon or evening in Vietnam.
func PartOfDay(t time.Time) string {
	switch h := t.In(vn.Location).Hour(); {
	case h < 12:
		return PartMorning
	case h < 18:
		return PartAfternoon
	}
	return PartEvening
}

// TimetableDay is one day of a course's timetable.
type TimetableDay struct {
	Date  time.Time // midnight of the day in vn.Location
	Parts []TimetablePart
}

// TimetablePart is the morning, afternoon or evening of a day.
type TimetablePart struct {
	Name     string // PartMorning, PartAfternoon or PartEvening
	Sessions []Session
}

// Timetable groups sessions (ordered by start, as ListSessions returns them) by Vietnamese
// calendar day, then by part of the day. Days and parts without sessions are left out.
func Timetable(sessions []Session) []TimetableDay {
	var days []TimetableDay
	for _, s := range sessions {
		local := s.StartsAt.In(vn.Location)
		y, m, d := local.Date()
		date := time.Date(y, m, d, 0, 0, 0, 0, vn.Location)
		if len(days) == 0 || !days[len(days)-1].Date.Equal(date) {
			days = append(days, TimetableDay{Date: date})
		}
		day := &days[len(days)-1]
		part := PartOfDay(local)
		if len(day.Parts) == 0 || day.Parts[len(day.Parts)-1].Name != part {
			day.Parts = append(day.Parts, TimetablePart{Name: part})
		}
		p := &day.Parts[len(day.Parts)-1]
		p.Sessions = append(p.Sessions, s)
	}
	return days
}
