package attendance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"taphuan/courses"
	"taphuan/errs"
	"taphuan/units"
	"taphuan/vn"

	"github.com/jmoiron/sqlx"
)

// StatsFilter chooses the courses counted: one course, or the courses of an organization
// (0: every organization, for administrators) starting between From and To (YYYY-MM-DD,
// inclusive, either may be empty). Cancelled courses are left out of a range.
type StatsFilter struct {
	CourseID       int64  `json:"course_id,omitempty"`
	OrganizationID int64  `json:"organization_id,omitempty"`
	From           string `json:"from"`
	To             string `json:"to"`
	// ProgramID counts the courses filed under a node of the program tree or any node below
	// it (its projects and sub-projects); 0 for every program.
	ProgramID int64 `json:"program_id,omitempty"`
}

// Validate checks the dates (after Normalize): real days, and To not before From.
func (f StatsFilter) Validate() error {
	fs := errs.Fields{}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := vn.ParseDate(v); v != "" && err != nil {
			fs.Add(name, "attendance.err.date")
		}
	}
	if len(fs) == 0 && f.From != "" && f.To != "" && f.To < f.From {
		fs.Add("to", "attendance.err.date_order")
	}
	return fs.Err()
}

// Normalize writes the dates as YYYY-MM-DD (dd/mm/yyyy is accepted); invalid dates are
// left for Validate.
func (f *StatsFilter) Normalize() {
	for _, v := range []*string{&f.From, &f.To} {
		*v = strings.TrimSpace(*v)
		if t, err := vn.ParseDate(*v); err == nil {
			*v = t.Format("2006-01-02")
		}
	}
}

// Group is one line of a breakdown. Trainees counts confirmed registrations (person-times
// registered), Attended those present or late at least once (person-times attended, lượt),
// Persons the distinct people among the attended (one person in two courses is one).
type Group struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Trainees int    `json:"trainees"`
	Attended int    `json:"attended"`
	Persons  int    `json:"persons"`
}

// CourseStats is one course of the statistics.
type CourseStats struct {
	ID       int64   `json:"id" db:"id"`
	Title    string  `json:"title" db:"title"`
	StartsOn string  `json:"starts_on" db:"starts_on"`
	EndsOn   string  `json:"ends_on" db:"ends_on"`
	Status   string  `json:"status" db:"status"`
	Sessions int     `json:"sessions" db:"sessions"`
	Trainees int     `json:"trainees" db:"-"`
	Attended int     `json:"attended" db:"-"`
	Percent  float64 `json:"percent" db:"-"` // present and late marks over trainees × sessions
}

// Statistics are the numbers for program reporting. A trainee is a confirmed registration;
// attended means present or late at one session at least.
type Statistics struct {
	Filter             StatsFilter    `json:"filter"`
	Courses            []CourseStats  `json:"courses"`
	Registrations      map[string]int `json:"registrations"` // every registration by status
	Trainees           int            `json:"trainees"`
	Attended           int            `json:"attended"`            // person-times (lượt)
	Persons            int            `json:"persons"`             // distinct people attended
	PersonsRegistered  int            `json:"persons_registered"`  // distinct people registered
	SessionAttendances int            `json:"session_attendances"` // present or late marks
	ByGender           []Group        `json:"by_gender"`
	ByEthnicity        []Group        `json:"by_ethnicity"` // Kinh, minority, not given
	ByEthnicGroup      []Group        `json:"by_ethnic_group"`
	ByUnit             []Group        `json:"by_unit"` // by unit of the directory (key "unit:ID"), else by the text as written
	ByUnitKind         []Group        `json:"by_unit_kind"`
	ByLocality         []Group        `json:"by_locality"`
	ByLevel            []Group        `json:"by_level"` // province, district (before 7/2025), commune
	ByAge              []Group        `json:"by_age"`   // age at the course's first day
	// AttendanceRate (tỷ lệ tham dự): trainees present at one session at least, over the
	// confirmed trainees. PresenceRate (tỷ lệ có mặt): present or late marks over the
	// trainees × the sessions of their course — how full the room was on average.
	AttendanceRate float64       `json:"attendance_rate"`
	PresenceRate   float64       `json:"presence_rate"`
	BySession      []SessionStat `json:"by_session"`
	OverTime       []PeriodCount `json:"over_time"`              // registrations by the day (or month) they were made
	ProgramPath    string        `json:"program_path,omitempty"` // the path of Filter.ProgramID
}

// Levels of local government, the keys of Statistics.ByLevel.
const (
	LevelProvince = "province"
	LevelDistrict = "district" // abolished on 1/7/2025; reports about 2021–2025 still use it
	LevelCommune  = "commune"
	LevelUnknown  = ""
)

// centralCities are the cities directly under the central government: "thành phố" there is
// a province-level name, elsewhere (Nha Trang, Cam Ranh …) it was a district-level one.
var centralCities = []string{"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}

// LevelOf tells the level of government of a locality as written on a registration, from
// its leading word: tỉnh → province; huyện, quận, thị xã, thành phố (but the central cities)
// → district; xã, phường, thị trấn, đặc khu → commune; anything else is unknown.
func LevelOf(locality string) string {
	f := vn.Fold(locality)
	switch {
	case strings.HasPrefix(f, "tinh "):
		return LevelProvince
	case strings.HasPrefix(f, "thanh pho "):
		for _, c := range centralCities {
			if strings.HasPrefix(f, "thanh pho "+c) {
				return LevelProvince
			}
		}
		return LevelDistrict
	case strings.HasPrefix(f, "huyen "), strings.HasPrefix(f, "quan "), strings.HasPrefix(f, "thi xa "):
		return LevelDistrict
	case strings.HasPrefix(f, "xa "), strings.HasPrefix(f, "phuong "), strings.HasPrefix(f, "thi tran "),
		strings.HasPrefix(f, "dac khu "):
		return LevelCommune
	}
	return LevelUnknown
}

// LevelLabel is the Vietnamese label of a level.
func LevelLabel(key string) string {
	switch key {
	case LevelProvince:
		return "Cấp tỉnh"
	case LevelDistrict:
		return "Cấp huyện (trước 01/7/2025)"
	case LevelCommune:
		return "Cấp xã"
	}
	return Unknown
}

func levelRank(k string) int {
	switch k {
	case LevelProvince:
		return 0
	case LevelDistrict:
		return 1
	case LevelCommune:
		return 2
	}
	return 3
}

// Ethnicity keys of Statistics.ByEthnicity.
const (
	EthnicKinh     = "kinh"
	EthnicMinority = "minority"
	EthnicUnknown  = "unknown"
)

// EthnicClass puts an ethnicity as written into Kinh, minority or unknown (not given).
// "Kinh", "Việt" and "Việt (Kinh)" are Kinh, in any case and with or without marks.
func EthnicClass(ethnicity string) string {
	f := strings.NewReplacer("(", " ", ")", " ").Replace(vn.Fold(ethnicity))
	switch strings.Join(strings.Fields(f), " ") {
	case "":
		return EthnicUnknown
	case "kinh", "viet", "viet kinh", "kinh viet", "dan toc kinh":
		return EthnicKinh
	}
	return EthnicMinority
}

// statsRow is a registration as the statistics count it.
type statsRow struct {
	ID           int64  `db:"id"`
	CourseID     int64  `db:"course_id"`
	PersonID     int64  `db:"person_id"`
	Status       string `db:"status"`
	Gender       string `db:"gender"`
	Ethnicity    string `db:"ethnicity"`
	Organization string `db:"organization"`
	UnitFolded   string `db:"unit_folded"`
	UnitID       int64  `db:"unit_id"`
	UnitName     string `db:"unit_name"`
	UnitKind     string `db:"unit_kind"`
	Locality     string `db:"locality"`
	BirthDate    string `db:"birth_date"`
	CourseStarts string `db:"course_starts"`
	CreatedAt    string `db:"created_at"`
	Attended     int    `db:"attended"` // present or late marks
}

// Statistics counts the registrations of the filtered courses. Returns an invalid error
// for bad dates and ErrNotFound for an unknown course.
func (s *Service) Statistics(ctx context.Context, f StatsFilter) (*Statistics, error) {
	f.Normalize()
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	programPath := ""
	if f.CourseID != 0 {
		if _, err := s.courses.FindCourseByID(ctx, f.CourseID); err != nil {
			return nil, notFound(err)
		}
		where = append(where, "c.id = ?")
		args = append(args, f.CourseID)
	} else {
		where = append(where, "c.status <> ?")
		args = append(args, courses.StatusCancelled)
		if f.OrganizationID != 0 {
			where = append(where, "c.organization_id = ?")
			args = append(args, f.OrganizationID)
		}
		if f.From != "" {
			where = append(where, "c.starts_on >= ?")
			args = append(args, f.From)
		}
		if f.To != "" {
			where = append(where, "c.starts_on <= ?")
			args = append(args, f.To)
		}
		if f.ProgramID != 0 {
			ids, err := s.courses.ProgramSubtree(ctx, f.ProgramID)
			if err != nil {
				return nil, notFound(err)
			}
			p, err := s.courses.FindProgramByID(ctx, f.ProgramID)
			if err != nil {
				return nil, notFound(err)
			}
			programPath = p.Path
			where = append(where, "c.program_id IN (?)")
			args = append(args, ids)
		}
	}
	cond, args, err := sqlx.In(strings.Join(where, " AND "), args...) // the program's subtree, one ? each
	if err != nil {
		return nil, fmt.Errorf("attendance: statistics: %w", err)
	}
	st := &Statistics{Filter: f, Courses: []CourseStats{}, Registrations: map[string]int{}, ProgramPath: programPath}
	err = s.db.R.SelectContext(ctx, &st.Courses, `SELECT c.id, c.title, c.starts_on, c.ends_on, c.status,
		(SELECT COUNT(*) FROM sessions s WHERE s.course_id = c.id) AS sessions
		FROM courses c WHERE `+cond+` ORDER BY c.starts_on, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("attendance: statistics courses: %w", err)
	}
	var rows []statsRow
	err = s.db.R.SelectContext(ctx, &rows, `SELECT r.id, r.course_id, r.person_id, r.status, r.gender, r.ethnicity,
		r.organization, r.unit_folded, r.locality, r.birth_date, c.starts_on AS course_starts, r.created_at,
		COALESCE(u.id, 0) AS unit_id, COALESCE(u.name, '') AS unit_name, COALESCE(u.kind, '') AS unit_kind,
		(SELECT COUNT(*) FROM attendance_marks m WHERE m.registration_id = r.id AND m.status IN (?, ?)) AS attended
		FROM registrations r JOIN courses c ON c.id = r.course_id LEFT JOIN units u ON u.id = r.unit_id WHERE `+cond+` ORDER BY r.id`,
		append([]any{Present, Late}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("attendance: statistics registrations: %w", err)
	}

	byCourse := make(map[int64]*CourseStats, len(st.Courses))
	for i := range st.Courses {
		byCourse[st.Courses[i].ID] = &st.Courses[i]
	}
	marks := make(map[int64]int, len(st.Courses))
	gender, ethnic, group, unit, locality, level := newTally(), newTally(), newTally(), newTally(), newTally(), newTally()
	unitKind := newTally()
	age := newTally()
	made := make([]string, 0, len(rows))
	persons, registered := map[int64]bool{}, map[int64]bool{}
	for _, r := range rows {
		st.Registrations[r.Status]++
		made = append(made, r.CreatedAt)
		if r.Status != courses.RegConfirmed {
			continue
		}
		attended := r.Attended > 0
		st.Trainees++
		registered[r.PersonID] = true
		st.SessionAttendances += r.Attended
		marks[r.CourseID] += r.Attended
		c := byCourse[r.CourseID]
		c.Trainees++
		if attended {
			st.Attended++
			c.Attended++
			persons[r.PersonID] = true
		}
		g := vn.Clean(r.Gender)
		gender.add(g, g, r.PersonID, attended)
		ec := EthnicClass(r.Ethnicity)
		ethnic.add(ec, "", r.PersonID, attended)
		if ec == EthnicMinority {
			eg := vn.Clean(r.Ethnicity)
			group.add(vn.Fold(eg), eg, r.PersonID, attended)
		}
		// The same unit is one row whatever its spellings (its directory name, as it is now);
		// a text that matched no unit is counted as written.
		if r.UnitID != 0 {
			unit.add(fmt.Sprintf("unit:%d", r.UnitID), r.UnitName, r.PersonID, attended)
			unitKind.add(r.UnitKind, units.KindLabel(r.UnitKind), r.PersonID, attended)
		} else {
			u := vn.Clean(r.Organization)
			unit.add(vn.Fold(u), u, r.PersonID, attended)
			unitKind.add("", "", r.PersonID, attended)
		}
		l := vn.Clean(r.Locality)
		locality.add(vn.Fold(l), l, r.PersonID, attended)
		level.add(LevelOf(l), "", r.PersonID, attended)
		age.add(AgeGroup(r.BirthDate, r.CourseStarts), "", r.PersonID, attended)
	}
	st.Persons, st.PersonsRegistered = len(persons), len(registered)
	for i := range st.Courses {
		c := &st.Courses[i]
		c.Percent = Percent(marks[c.ID], c.Trainees*c.Sessions)
	}
	st.ByGender = gender.groups(func(a, b Group) int { return cmp.Compare(genderRank(a.Key), genderRank(b.Key)) })
	st.ByEthnicity = ethnic.groups(func(a, b Group) int { return cmp.Compare(ethnicRank(a.Key), ethnicRank(b.Key)) })
	for i := range st.ByEthnicity {
		st.ByEthnicity[i].Label = EthnicLabel(st.ByEthnicity[i].Key)
	}
	st.ByEthnicGroup = group.groups(byCount)
	st.ByUnit = unit.groups(byCount)
	st.ByUnitKind = unitKind.groups(byCount)
	st.ByLocality = locality.groups(byCount)
	st.ByLevel = level.groups(func(a, b Group) int { return cmp.Compare(levelRank(a.Key), levelRank(b.Key)) })
	for i := range st.ByLevel {
		st.ByLevel[i].Label = LevelLabel(st.ByLevel[i].Key)
	}
	st.ByAge = age.groups(func(a, b Group) int { return cmp.Compare(ageRank(a.Key), ageRank(b.Key)) })
	for i := range st.ByAge {
		st.ByAge[i].Label = AgeLabel(st.ByAge[i].Key)
	}
	planned := 0
	for _, c := range st.Courses {
		planned += c.Trainees * c.Sessions
	}
	st.AttendanceRate = Percent(st.Attended, st.Trainees)
	st.PresenceRate = Percent(st.SessionAttendances, planned)
	if st.BySession, err = s.sessionStats(ctx, cond, args); err != nil {
		return nil, err
	}
	st.OverTime = overTime(made)
	return st, nil
}

// EthnicLabel is the Vietnamese label of an ethnicity class.
func EthnicLabel(key string) string {
	switch key {
	case EthnicKinh:
		return "Kinh"
	case EthnicMinority:
		return "Dân tộc thiểu số"
	}
	return "Chưa ghi"
}

// Unknown is the label of a group whose value was not given.
const Unknown = "Chưa ghi"

func genderRank(g string) int {
	switch g {
	case "Nam":
		return 0
	case "Nữ":
		return 1
	case "":
		return 3
	}
	return 2
}

func ethnicRank(k string) int {
	switch k {
	case EthnicKinh:
		return 0
	case EthnicMinority:
		return 1
	}
	return 2
}

// byCount orders the largest groups first, then by name (folded), the unknown last.
func byCount(a, b Group) int {
	if (a.Key == "") != (b.Key == "") {
		if a.Key == "" {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(b.Trainees, a.Trainees); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}

// tally counts groups; the label of a group is the first spelling met.
type tally struct {
	order   []string
	byKey   map[string]*Group
	persons map[string]map[int64]bool
}

func newTally() *tally {
	return &tally{byKey: map[string]*Group{}, persons: map[string]map[int64]bool{}}
}

func (t *tally) add(key, label string, person int64, attended bool) {
	g, ok := t.byKey[key]
	if !ok {
		if label == "" && key == "" {
			label = Unknown
		}
		g = &Group{Key: key, Label: label}
		t.byKey[key] = g
		t.persons[key] = map[int64]bool{}
		t.order = append(t.order, key)
	}
	g.Trainees++
	if attended {
		g.Attended++
		if !t.persons[key][person] {
			t.persons[key][person] = true
			g.Persons++
		}
	}
}

func (t *tally) groups(order func(a, b Group) int) []Group {
	out := make([]Group, 0, len(t.order))
	for _, k := range t.order {
		out = append(out, *t.byKey[k])
	}
	slices.SortStableFunc(out, order)
	return out
}
