package vn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FormatDate returns the calendar day of t in Location as dd/mm/yyyy: "04/12/2023".
// Converting to Location shows an instant stored in UTC on its Vietnamese day, and keeps
// the day of a date-only value at 00:00 UTC (as ParseDate returns), since Vietnam is ahead
// of UTC.
func FormatDate(t time.Time) string {
	return t.In(Location).Format("02/01/2006")
}

// DateLine returns the place and date line of an official document:
// "Khánh Hòa, ngày 04 tháng 12 năm 2023", or "ngày 04 tháng 12 năm 2023" when place is
// empty. The day is that of t in Location, as in FormatDate. Days below 10 and the months
// 1 and 2 get a leading zero, others do not ("ngày 05 tháng 7", "ngày 09 tháng 02"), as
// Decree 30/2020/NĐ-CP prescribes so that a digit cannot be added to the date afterwards.
func DateLine(place string, t time.Time) string {
	year, month, day := t.In(Location).Date()
	m := strconv.Itoa(int(month))
	if month <= time.February {
		m = "0" + m
	}
	line := fmt.Sprintf("ngày %02d tháng %s năm %d", day, m, year)
	if place = Clean(place); place != "" {
		return place + ", " + line
	}
	return line
}

// ParseDate accepts "dd/mm/yyyy" (also d/m/yyyy), as people write dates, or "YYYY-MM-DD",
// as the API and HTML date inputs send them, with surrounding white space. It rejects
// days that do not exist (31/02/2023, 29/02/2023) and years outside 1000–9999. The result
// is 00:00 UTC of that calendar day. Errors wrap ErrInvalidDate.
func ParseDate(s string) (time.Time, error) {
	var day, month, year int
	var ok bool
	t := strings.TrimSpace(s)
	if parts := strings.Split(t, "/"); len(parts) == 3 {
		day, ok = digits(parts[0], 1, 2)
		if ok {
			month, ok = digits(parts[1], 1, 2)
		}
		if ok {
			year, ok = digits(parts[2], 4, 4)
		}
	} else if parts := strings.Split(t, "-"); len(parts) == 3 {
		year, ok = digits(parts[0], 4, 4)
		if ok {
			month, ok = digits(parts[1], 2, 2)
		}
		if ok {
			day, ok = digits(parts[2], 2, 2)
		}
	}
	if !ok || year < 1000 || month < 1 || month > 12 || day < 1 {
		return time.Time{}, fmt.Errorf("vn: date %q: %w", s, ErrInvalidDate)
	}
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day {
		return time.Time{}, fmt.Errorf("vn: date %q: no such day: %w", s, ErrInvalidDate)
	}
	return d, nil
}

// digits parses s as a decimal number of min to max ASCII digits.
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
