package courses

import "taphuan/vn"

// birthDay writes a stored YYYY-MM-DD date as dd/mm/yyyy (as stored if unreadable).
func birthDay(s string) string {
	if d, err := vn.ParseDate(s); err == nil {
		return vn.FormatDate(d)
	}
	return s
}

// BirthDay is the birth date as Vietnamese documents write it: "15/03/1985".
func (r Registration) BirthDay() string { return birthDay(r.BirthDate) }

// BirthDay is the birth date as Vietnamese documents write it: "15/03/1985".
func (p Person) BirthDay() string { return birthDay(p.BirthDate) }
