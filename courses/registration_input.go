package courses

import (
	"strings"
	"time"

	"taphuan/errs"
	"taphuan/vn"
)

// Registration sources.
const (
	SourceWeb    = "web"
	SourceAPI    = "api"
	SourceImport = "import"
)

// Genders as written on Vietnamese participant lists.
const (
	GenderMale   = "Nam"
	GenderFemale = "Nữ"
)

// Bounds of the personal fields (in characters).
const (
	maxNameLen      = 100
	maxShortLen     = 100 // ethnicity, position, locality
	maxUnitLen      = 200
	maxEmailLen     = 254
	minAgeYears     = 15
	maxAgeYears     = 100
	idNumberDigits  = 12
	maxReasonLength = 500
)

// checkReason adds the field error of a reason (of a cancellation, a rejection, a move, a
// bulk action; cleaned first) longer than the history keeps, or missing where the caller
// requires one (the staff pages ask a reason for every change of status).
func checkReason(f errs.Fields, reason string, required bool) {
	f.Check(!required || reason != "", "reason", "reg.err.reason_required")
	f.Check(len([]rune(reason)) <= maxReasonLength, "reason", "err.too_long", maxReasonLength)
}

// minBurstReason is the shortest reason for cancelling a burst of public registrations.
const minBurstReason = 3

// RegisterInput is a registration as a trainee, a portal or an import row gives it. Text
// arrives as typed (NFD from some keyboards and Excel, stray spaces); Normalize makes it
// what is stored.
type RegisterInput struct {
	CourseID     int64  `json:"-"`
	FullName     string `json:"full_name"`
	Gender       string `json:"gender"`
	BirthDate    string `json:"birth_date"` // dd/mm/yyyy or YYYY-MM-DD; YYYY-MM-DD after Normalize
	Ethnicity    string `json:"ethnicity"`
	Position     string `json:"position"`
	Organization string `json:"organization"` // sending unit (đơn vị công tác)
	Locality     string `json:"locality"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
	IDNumber     string `json:"id_number"` // CCCD, 12 digits, only where a course needs it
	SortName     string `json:"sort_name,omitempty"`
	// UnitID is the sending unit chosen from the directory (optional): without it the
	// Organization text is matched against the units' names and aliases.
	UnitID int64 `json:"unit_id"`

	// Lang is the language the trainee registers in ("vi" or "en"); their messages are
	// written in it. The web form takes it from the page's language.
	Lang string `json:"lang"`

	Source string `json:"-"` // web, api, import
	UserID int64  `json:"-"` // the staff member who registered the trainee; 0 for the trainee
	// SourceAddr is the client address of a public registration; only a hash of it is
	// stored (AddrKey), so that an organizer can see a burst from one address.
	SourceAddr string `json:"-"`

	nominate      bool  // named by a unit's focal point: confirmed within the quota or refused
	substituteFor int64 // the registration this one replaces (người dự thay)
	seatTaken     bool  // takes the seat its substitution just freed
}

// Normalize cleans every text (NFC, trimmed, single spaces) and brings the fields to their
// stored form where that is unambiguous: the phone to its 10 digits, the birth date to
// YYYY-MM-DD, the gender to "Nam"/"Nữ", the e-mail address to lower case. What cannot be
// read is left as typed, for Validate to point at.
func (in *RegisterInput) Normalize() {
	in.FullName = vn.Clean(in.FullName)
	if vn.AllCaps(in.FullName) {
		// Typed with Caps Lock on (common in the units' lists): stored as names are written.
		in.FullName = vn.TitleCase(in.FullName)
	}
	in.Gender = normalizeGender(in.Gender)
	in.BirthDate = vn.Clean(in.BirthDate)
	if d, err := vn.ParseDate(in.BirthDate); err == nil {
		in.BirthDate = d.Format("2006-01-02")
	}
	in.Ethnicity = vn.Clean(in.Ethnicity)
	in.Position = vn.Clean(in.Position)
	in.Organization = vn.Clean(in.Organization)
	in.Locality = vn.Clean(in.Locality)
	in.Phone = vn.Clean(in.Phone)
	if p, err := vn.NormalizePhone(in.Phone); err == nil {
		in.Phone = p
	}
	// Clean last: lower-casing ("İ" → "i") and dropping separators can bring a base letter
	// next to a combining mark, which NFC then composes.
	in.Email = vn.Clean(strings.ToLower(vn.Clean(in.Email)))
	in.IDNumber = vn.Clean(strings.NewReplacer(" ", "", ".", "", "-", "").Replace(vn.Clean(in.IDNumber)))
	in.SortName = vn.Clean(in.SortName)
	if in.Source == "" {
		in.Source = SourceAPI
	}
}

// normalizeGender accepts the usual spellings ("nam", "NỮ", "nu", "Nữ" in NFD, "male",
// "female") and returns "Nam" or "Nữ"; anything else is returned cleaned, to be refused.
func normalizeGender(s string) string {
	s = vn.Clean(s)
	switch vn.Fold(s) {
	case "nam", "male", "m":
		return GenderMale
	case "nu", "female", "f":
		return GenderFemale
	}
	return s
}

// Validate checks a normalized input and returns an errs.Invalid error with a message per
// bad field (the field names are the JSON names). It checks every field, so that a form
// shows all its problems at once.
func (in RegisterInput) Validate() error {
	f := errs.Fields{}
	n := len([]rune(in.FullName))
	switch {
	case in.FullName == "":
		f.Add("full_name", "err.required")
	case n > maxNameLen:
		f.Add("full_name", "err.too_long", maxNameLen)
	case !vn.ValidName(in.FullName):
		f.Add("full_name", "reg.err.name_chars")
	case n < 2:
		f.Add("full_name", "reg.err.name_short")
	}
	switch in.Gender {
	case "":
		f.Add("gender", "err.required")
	case GenderMale, GenderFemale:
	default:
		f.Add("gender", "reg.err.gender")
	}
	if in.BirthDate == "" {
		f.Add("birth_date", "err.required")
	} else if d, err := vn.ParseDate(in.BirthDate); err != nil {
		f.Add("birth_date", "reg.err.date")
	} else if !plausibleBirthDate(d, time.Now()) {
		f.Add("birth_date", "reg.err.birth_range", minAgeYears, maxAgeYears)
	}
	if in.Ethnicity != "" {
		f.Check(len([]rune(in.Ethnicity)) <= maxShortLen, "ethnicity", "err.too_long", maxShortLen)
		f.Check(vn.ValidName(in.Ethnicity), "ethnicity", "reg.err.ethnicity")
	}
	f.Check(len([]rune(in.Position)) <= maxShortLen, "position", "err.too_long", maxShortLen)
	f.Check(in.Organization != "" || in.UnitID > 0, "organization", "err.required") // a unit of the directory gives its name
	f.Check(len([]rune(in.Organization)) <= maxUnitLen, "organization", "err.too_long", maxUnitLen)
	f.Check(in.UnitID >= 0, "unit_id", "unit.err.unknown")
	f.Check(len([]rune(in.Locality)) <= maxShortLen, "locality", "err.too_long", maxShortLen)
	if in.Phone == "" {
		f.Add("phone", "err.required")
	} else if _, err := vn.NormalizePhone(in.Phone); err != nil {
		f.Add("phone", "reg.err.phone")
	}
	if in.Email != "" {
		f.Check(ValidEmail(in.Email), "email", "err.email")
	}
	if in.IDNumber != "" {
		f.Check(len(in.IDNumber) == idNumberDigits && allDigits(in.IDNumber), "id_number", "reg.err.id_number", idNumberDigits)
	}
	f.Check(len([]rune(in.SortName)) <= maxNameLen, "sort_name", "err.too_long", maxNameLen)
	if in.SortName != "" {
		f.Check(vn.ValidName(in.SortName), "sort_name", "reg.err.name_chars")
	}
	return f.Err()
}

// plausibleBirthDate reports whether someone born on d is between minAgeYears and
// maxAgeYears old at now: a year typed as 1895 or 2019 is a typo, not a trainee.
func plausibleBirthDate(d, now time.Time) bool {
	today := time.Date(now.In(vn.Location).Year(), now.In(vn.Location).Month(), now.In(vn.Location).Day(), 0, 0, 0, 0, time.UTC)
	return !d.After(today.AddDate(-minAgeYears, 0, 0)) && d.After(today.AddDate(-maxAgeYears, 0, 0))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
