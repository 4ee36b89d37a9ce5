package courses

import "taphuan/vn"

// maxShownValue bounds the bad value an import error repeats (a cell can hold a page).
const maxShownValue = 80

// shown is v cleaned and cut to maxShownValue characters, for an error message.
func shown(v string) string {
	v = vn.Clean(v)
	if r := []rune(v); len(r) > maxShownValue {
		return string(r[:maxShownValue]) + "…"
	}
	return v
}

// field returns the value of the input's field named by its JSON name ("" for another).
func (in RegisterInput) field(name string) string {
	switch name {
	case "full_name":
		return in.FullName
	case "gender":
		return in.Gender
	case "birth_date":
		return in.BirthDate
	case "ethnicity":
		return in.Ethnicity
	case "position":
		return in.Position
	case "organization":
		return in.Organization
	case "locality":
		return in.Locality
	case "phone":
		return in.Phone
	case "email":
		return in.Email
	case "id_number":
		return in.IDNumber
	case "sort_name":
		return in.SortName
	}
	return ""
}

// BirthDay is the birth date as Vietnamese documents write it, once normalized ("15/03/1985").
func (in RegisterInput) BirthDay() string { return birthDay(in.BirthDate) }
