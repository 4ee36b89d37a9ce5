package notify

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/vn"
)

// tzid is the zone every event is written in; Vietnam has kept +07:00 without daylight
// saving since 1975, so one STANDARD block describes it fully.
const tzid = "Asia/Ho_Chi_Minh"

const icsLocal = "20060102T150405"

// CourseCalendar writes the timetable of a course as an iCalendar file: a calendar named
// after the course, one event per session in Asia/Ho_Chi_Minh, with the module as the
// summary and the venue and room as the location. Event UIDs are stable, so a calendar
// that imports the file again updates its events instead of doubling them.
func CourseCalendar(c *courses.Course, org *accounts.Organization, sessions []courses.Session, lang string) ([]byte, error) {
	cal := ics.NewCalendarFor("taphuan")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(c.Title)
	cal.SetXWRCalName(c.Title)
	cal.SetXWRTimezone(tzid)
	tz := cal.AddTimezone(tzid)
	std := tz.AddStandard()
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0700")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0700")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "ICT")
	std.SetProperty(ics.ComponentPropertyDtStart, "19700101T000000")
	roomWord, sessionWord := "Phòng", "Buổi học"
	if lang == "en" {
		roomWord, sessionWord = "Room", "Session"
	}
	stamp := c.UpdatedAt.Time
	if stamp.IsZero() {
		stamp = time.Now()
	}
	for _, s := range sessions {
		ev := cal.AddEvent(fmt.Sprintf("course-%d-session-%d@taphuan", c.ID, s.ID))
		ev.SetDtStampTime(stamp)
		ev.SetProperty(ics.ComponentPropertyDtStart, s.StartsAt.In(vn.Location).Format(icsLocal), ics.WithTZID(tzid))
		ev.SetProperty(ics.ComponentPropertyDtEnd, s.EndsAt.In(vn.Location).Format(icsLocal), ics.WithTZID(tzid))
		summary := s.ModuleTitle
		if summary == "" {
			summary = sessionWord
		}
		ev.SetSummary(summary + " — " + c.Title)
		loc := c.Venue
		if c.PlaceName != "" {
			loc = c.PlaceName + ", " + loc
		}
		if s.Room != "" {
			loc = roomWord + ": " + s.Room + " — " + loc
		}
		ev.SetLocation(loc)
		desc := c.Title + "\n" + org.Name
		if s.Lecturer != "" {
			desc += "\n" + s.Lecturer
		}
		ev.SetDescription(desc)
	}
	return []byte(cal.Serialize()), nil
}
