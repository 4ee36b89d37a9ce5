package courses

import (
	"context"
	"fmt"
	"strings"

	"taphuan/database"
	"taphuan/vn"
)

// Person is an entry of the trainee directory: one person across every course they were
// registered in. Its fields are the latest written; each registration keeps its own
// snapshot as written at the time.
type Person struct {
	ID           int64         `db:"id" json:"id"`
	FullName     string        `db:"full_name" json:"full_name"`
	SortName     string        `db:"sort_name" json:"sort_name,omitempty"`
	Gender       string        `db:"gender" json:"gender"`
	BirthDate    string        `db:"birth_date" json:"birth_date"`
	Ethnicity    string        `db:"ethnicity" json:"ethnicity"`
	Position     string        `db:"position" json:"position"`
	Organization string        `db:"organization" json:"organization"`
	Locality     string        `db:"locality" json:"locality"`
	Phone        string        `db:"phone" json:"phone"`
	Email        string        `db:"email" json:"email"`
	IDNumber     string        `db:"id_number" json:"id_number,omitempty"`
	Courses      int           `db:"courses" json:"courses"` // registrations counted by the query that listed it
	CreatedAt    database.Time `db:"created_at" json:"created_at"`
	UpdatedAt    database.Time `db:"updated_at" json:"updated_at"`
}

const personColumns = `p.id, p.full_name, p.sort_name, p.gender, p.birth_date, p.ethnicity, p.position,
	p.organization, p.locality, p.phone, p.email, p.id_number, p.created_at, p.updated_at`

// scopedPersonColumns are the columns of Person taken from the registration lr.
const scopedPersonColumns = `p.id, lr.full_name, '' AS sort_name, lr.gender, lr.birth_date, lr.ethnicity, lr.position,
	lr.organization, lr.locality, lr.phone, lr.email, lr.id_number, p.created_at, p.updated_at`

// PeopleFilter selects people of the directory.
type PeopleFilter struct {
	Query string // without diacritics against the name; also the phone and e-mail
	// OrganizationID, when not 0, keeps the people registered in at least one course of
	// that organization (what a member of it may see), as they gave themselves to it in
	// their latest registration there; their course count is of those courses only, and
	// Query matches what they gave in those registrations.
	OrganizationID int64
	Limit          int // 0: no limit
	Offset         int
}

// ListPeople returns people in Vietnamese name order (exact name matches of Query first)
// and how many match.
func (s *Service) ListPeople(ctx context.Context, f PeopleFilter) ([]Person, int, error) {
	var where []string
	var args []any
	countArgs := []any{}
	regScope := "r.person_id = p.id"
	if f.OrganizationID != 0 {
		regScope += " AND r.course_id IN (SELECT id FROM courses WHERE organization_id = ?)"
		where = append(where, "EXISTS (SELECT 1 FROM registrations r WHERE "+regScope+")")
		args = append(args, f.OrganizationID)
	}
	q := vn.Fold(f.Query)
	if q != "" {
		like := "%" + escapeLike(q) + "%"
		match := "(%[1]s.name_folded LIKE ? ESCAPE '\\' OR %[1]s.phone LIKE ? ESCAPE '\\' OR %[1]s.email LIKE ? ESCAPE '\\')"
		if f.OrganizationID != 0 {
			// A member of an organization finds people by what they gave to it: the entry's
			// own fields are the latest given, maybe to another organization.
			where = append(where, "EXISTS (SELECT 1 FROM registrations r WHERE "+regScope+" AND "+fmt.Sprintf(match, "r")+")")
			args = append(args, f.OrganizationID, like, like, like)
		} else {
			where = append(where, fmt.Sprintf(match, "p"))
			args = append(args, like, like, like)
		}
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM people p WHERE `+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("courses: count people: %w", err)
	}
	if f.OrganizationID != 0 {
		countArgs = append(countArgs, f.OrganizationID)
	}
	cols, from := personColumns, "people p"
	if f.OrganizationID != 0 {
		// A member of an organization sees what the person gave to it, in their latest
		// registration there (the first of PersonHistory): the entry's own fields are the
		// latest given, maybe to another organization.
		cols, from = scopedPersonColumns, `people p JOIN registrations lr ON lr.id = (SELECT r3.id
			FROM registrations r3 JOIN courses c3 ON c3.id = r3.course_id
			WHERE r3.person_id = p.id AND c3.organization_id = ? ORDER BY c3.starts_on DESC, r3.id DESC LIMIT 1)`
		countArgs = append(countArgs, f.OrganizationID)
	}
	query := `SELECT ` + cols + `,
		(SELECT COUNT(*) FROM registrations r WHERE ` + regScope + `) AS courses
		FROM ` + from + ` WHERE ` + cond + ` ORDER BY (p.name_folded = ?) DESC, p.sort_key, p.id`
	all := append(append(countArgs, args...), q)
	if f.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		all = append(all, f.Limit, f.Offset)
	}
	people := []Person{}
	if err := s.db.R.SelectContext(ctx, &people, query, all...); err != nil {
		return nil, 0, fmt.Errorf("courses: list people: %w", err)
	}
	return people, total, nil
}

// FindPersonByID returns ErrNotFound for an unknown id.
func (s *Service) FindPersonByID(ctx context.Context, id int64) (*Person, error) {
	var p Person
	err := s.db.R.GetContext(ctx, &p, `SELECT `+personColumns+`,
		(SELECT COUNT(*) FROM registrations r WHERE r.person_id = p.id) AS courses
		FROM people p WHERE p.id = ?`, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: person %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: person %d: %w", id, err)
	}
	return &p, nil
}

// HistoryEntry is one course in a person's training history, with the unit and position
// as written when they registered.
type HistoryEntry struct {
	RegistrationID int64         `db:"registration_id" json:"registration_id"`
	CourseID       int64         `db:"course_id" json:"course_id"`
	OrganizationID int64         `db:"organization_id" json:"organization_id"`
	CourseTitle    string        `db:"course_title" json:"course_title"`
	StartsOn       string        `db:"starts_on" json:"starts_on"`
	EndsOn         string        `db:"ends_on" json:"ends_on"`
	Status         string        `db:"status" json:"status"`
	Position       string        `db:"position" json:"position"`
	Organization   string        `db:"organization" json:"organization"`
	Locality       string        `db:"locality" json:"locality"`
	RegisteredAt   database.Time `db:"created_at" json:"registered_at"`
}

// PersonHistory returns the courses of a person, latest first. orgID, when not 0, keeps
// only the courses of that organization.
func (s *Service) PersonHistory(ctx context.Context, personID, orgID int64) ([]HistoryEntry, error) {
	query := `SELECT r.id AS registration_id, c.id AS course_id, c.organization_id, c.title AS course_title,
			c.starts_on, c.ends_on, r.status, r.position, r.organization, r.locality, r.created_at
		FROM registrations r JOIN courses c ON c.id = r.course_id
		WHERE r.person_id = ?`
	args := []any{personID}
	if orgID != 0 {
		query += ` AND c.organization_id = ?`
		args = append(args, orgID)
	}
	query += ` ORDER BY c.starts_on DESC, r.id DESC`
	out := []HistoryEntry{}
	if err := s.db.R.SelectContext(ctx, &out, query, args...); err != nil {
		return nil, fmt.Errorf("courses: history of person %d: %w", personID, err)
	}
	return out, nil
}

// upsertPerson finds the person of in — by phone, else e-mail, else ID number — and
// brings their directory entry up to date, or adds them. It runs inside the registering
// transaction, so two registrations of the same new person cannot make two entries.
func (r *registrar) upsertPerson(ctx context.Context, in *RegisterInput) (int64, error) {
	folded, key := vn.Fold(in.FullName), vn.SortKey(in.FullName, in.SortName)
	// Twice at most: when the insert finds the phone taken, a registration in another course
	// (on PostgreSQL perhaps in another instance) added the person meanwhile; the second
	// round finds them.
	for round := 0; ; round++ {
		id, found, err := r.findPerson(ctx, in)
		if err != nil {
			return 0, err
		}
		if found {
			// The latest registration says who the person is now; optional fields left empty
			// this time keep what was known.
			_, err := r.tx.ExecContext(ctx, `UPDATE people SET full_name = ?, name_folded = ?, sort_key = ?, sort_name = ?,
				gender = ?, birth_date = ?,
				ethnicity = CASE WHEN ? <> '' THEN ? ELSE ethnicity END,
				position = CASE WHEN ? <> '' THEN ? ELSE position END,
				organization = ?, locality = CASE WHEN ? <> '' THEN ? ELSE locality END,
				phone = ?, email = CASE WHEN ? <> '' THEN ? ELSE email END,
				id_number = CASE WHEN ? <> '' THEN ? ELSE id_number END, updated_at = ?
				WHERE id = ?`,
				in.FullName, folded, key, in.SortName, in.Gender, in.BirthDate,
				in.Ethnicity, in.Ethnicity, in.Position, in.Position, in.Organization, in.Locality, in.Locality,
				in.Phone, in.Email, in.Email, in.IDNumber, in.IDNumber, r.now, id)
			if err != nil {
				return 0, fmt.Errorf("courses: update person %d: %w", id, err)
			}
			return id, nil
		}
		err = r.tx.QueryRowxContext(ctx, `INSERT INTO people (full_name, name_folded, sort_key, sort_name, gender, birth_date,
			ethnicity, position, organization, locality, phone, email, id_number, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
			in.FullName, folded, key, in.SortName, in.Gender, in.BirthDate,
			in.Ethnicity, in.Position, in.Organization, in.Locality, in.Phone, in.Email, in.IDNumber, r.now, r.now).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !isNoRows(err) || round == 1 {
			return 0, fmt.Errorf("courses: add person: %w", err)
		}
	}
}

// findPerson looks the person of in up by phone, else e-mail, else ID number.
func (r *registrar) findPerson(ctx context.Context, in *RegisterInput) (int64, bool, error) {
	for _, m := range []struct{ query, value string }{
		{`SELECT id FROM people WHERE phone = ? AND phone <> ''`, in.Phone},
		{`SELECT id FROM people WHERE email = ? AND email <> '' ORDER BY updated_at DESC, id DESC LIMIT 1`, in.Email},
		{`SELECT id FROM people WHERE id_number = ? AND id_number <> '' ORDER BY updated_at DESC, id DESC LIMIT 1`, in.IDNumber},
	} {
		if m.value == "" {
			continue
		}
		var id int64
		err := r.tx.GetContext(ctx, &id, m.query, m.value)
		if err == nil {
			return id, true, nil
		}
		if !isNoRows(err) {
			return 0, false, fmt.Errorf("courses: find person: %w", err)
		}
	}
	return 0, false, nil
}

// Dates writes the course's days as "04/12/2023" or "04/12/2023 – 05/12/2023".
func (h HistoryEntry) Dates() string {
	if h.EndsOn == "" || h.EndsOn == h.StartsOn {
		return birthDay(h.StartsOn)
	}
	return birthDay(h.StartsOn) + " – " + birthDay(h.EndsOn)
}
