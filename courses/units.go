package courses

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/accounts"
	"taphuan/errs"
	"taphuan/units"
	"taphuan/vn"
)

// Errors of the sending units' part of registration.
var (
	// ErrNoQuota: the course gives the unit no seats (a focal point cannot name anyone).
	ErrNoQuota = errs.New(errs.Forbidden, "unit.err.no_quota")
	// ErrNominationClosed: a focal point's change after the course began.
	ErrNominationClosed = errs.New(errs.Closed, "unit.err.started")
)

// resolveUnit finds the unit of a registration inside its transaction: the one chosen
// (in.UnitID, which must exist and not be merged; the text defaults to its name), else the
// one the text names (exact key of a name, short name or alias). 0 when the text matches
// nothing: the text is kept as written and the registration is flagged for the organizer.
func (r *registrar) resolveUnit(ctx context.Context, in *RegisterInput) (int64, error) {
	if in.UnitID != 0 {
		u, err := units.ActiveTx(ctx, r.tx, in.UnitID)
		if errors.Is(err, units.ErrNotFound) {
			return 0, errs.Fields{"unit_id": {Key: "unit.err.unknown"}}.Err()
		}
		if err != nil {
			return 0, err
		}
		if in.Organization == "" {
			in.Organization = u.Name
		}
		return u.ID, nil
	}
	id, _, err := units.MatchTx(ctx, r.tx, in.Organization)
	return id, err
}

// QuotaItem is one unit's seats in a course; Seats nil removes the quota.
type QuotaItem struct {
	UnitID int64
	Seats  *int
}

// QuotaWarning tells that a quota was set below the seats its unit already holds (nobody
// is moved out; new ones are held back).
type QuotaWarning struct {
	UnitID    int64
	Name      string
	Seats     int
	Confirmed int
}

// maxQuotaSeats bounds a quota.
const maxQuotaSeats = 100000

// SetQuotas sets many units' quotas of a course at once, in one write transaction, and
// promotes the waitlisted trainees a larger quota now lets in. Every item is checked first:
// an unknown or merged unit, a unit twice, or seats out of 0…100000 is an invalid error
// naming the item ("items.N.unit_id", "items.N.seats") and nothing is written. Returns the
// promoted and a warning for each quota now below its unit's confirmed seats.
func (s *Service) SetQuotas(ctx context.Context, courseID int64, items []QuotaItem) ([]int64, []QuotaWarning, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
	}
	defer tx.Rollback()
	if _, err := newRegistrar(ctx, tx, courseID); err != nil {
		return nil, nil, err
	}
	f := errs.Fields{}
	seen := map[int64]bool{}
	names := map[int64]string{}
	for i, it := range items {
		field := fmt.Sprintf("items.%d.", i)
		u, err := units.ActiveTx(ctx, tx, it.UnitID)
		switch {
		case errors.Is(err, units.ErrNotFound):
			f.Add(field+"unit_id", "unit.err.unknown")
		case err != nil:
			return nil, nil, err
		case seen[it.UnitID]:
			f.Add(field+"unit_id", "unit.err.twice", u.Name)
		default:
			names[u.ID] = u.Name
		}
		seen[it.UnitID] = true
		if it.Seats != nil {
			f.Check(*it.Seats >= 0 && *it.Seats <= maxQuotaSeats, field+"seats", "reg.err.seats")
		}
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	var warnings []QuotaWarning
	for _, it := range items {
		if it.Seats == nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM course_unit_quotas WHERE course_id = ? AND unit_id = ?`, courseID, it.UnitID); err != nil {
				return nil, nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO course_unit_quotas (course_id, unit_id, seats) VALUES (?, ?, ?)
			ON CONFLICT (course_id, unit_id) DO UPDATE SET seats = excluded.seats`, courseID, it.UnitID, *it.Seats); err != nil {
			return nil, nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
		}
		var confirmed int
		if err := tx.GetContext(ctx, &confirmed, `SELECT COUNT(*) FROM registrations WHERE course_id = ? AND unit_id = ?
			AND status = 'confirmed'`, courseID, it.UnitID); err != nil {
			return nil, nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
		}
		if confirmed > *it.Seats {
			warnings = append(warnings, QuotaWarning{UnitID: it.UnitID, Name: names[it.UnitID], Seats: *it.Seats, Confirmed: confirmed})
		}
	}
	ids, err := s.PromoteWaitlistedTx(ctx, tx, courseID)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
	}
	return ids, warnings, nil
}

// MergeUnits merges unit from into unit into, in one write transaction: the directory's
// part (units.MergeTx: refuses a self-merge and a parent cycle), then every registration
// and quota of the merged unit moves to the survivor — a course with quotas for both keeps
// the larger one; the merged unit's focal points follow it (accounts.MoveUnitUsersTx). What
// each registration recorded as written stays as it was. Logged with the counts. Returns the
// survivor.
func (s *Service) MergeUnits(ctx context.Context, from, into, userID int64) (*units.Unit, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: merge units: %w", err)
	}
	defer tx.Rollback()
	if err := mergeUnitTx(ctx, tx, from, into, userID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: merge units: %w", err)
	}
	return units.New(s.db).Find(ctx, into)
}

// mergeUnitTx merges unit from into unit into inside tx, each table by its owner: the
// directory (units.MergeTx, with its refusals and the log), the focal points
// (accounts.MoveUnitUsersTx), then the quotas and registrations (moveUnitTx).
func mergeUnitTx(ctx context.Context, tx *sqlx.Tx, from, into, userID int64) error {
	logID, err := units.MergeTx(ctx, tx, from, into, userID)
	if err != nil {
		return err
	}
	if _, err := accounts.MoveUnitUsersTx(ctx, tx, from, into); err != nil {
		return err
	}
	return moveUnitTx(ctx, tx, from, into, logID)
}

func moveUnitTx(ctx context.Context, tx *sqlx.Tx, from, into, logID int64) error {
	// Quotas: where the survivor has none in a course, the merged unit's moves; where both
	// have one, the survivor keeps the larger.
	if _, err := tx.ExecContext(ctx, `UPDATE course_unit_quotas SET seats = (SELECT CASE WHEN q.seats > course_unit_quotas.seats
			THEN q.seats ELSE course_unit_quotas.seats END
			FROM course_unit_quotas q WHERE q.course_id = course_unit_quotas.course_id AND q.unit_id = ?)
		WHERE unit_id = ? AND course_id IN (SELECT course_id FROM course_unit_quotas WHERE unit_id = ?)`, from, into, from); err != nil {
		return fmt.Errorf("courses: merge quotas: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM course_unit_quotas WHERE unit_id = ?
		AND course_id IN (SELECT course_id FROM course_unit_quotas WHERE unit_id = ?)`, from, into); err != nil {
		return fmt.Errorf("courses: merge quotas: %w", err)
	}
	qres, err := tx.ExecContext(ctx, `UPDATE course_unit_quotas SET unit_id = ? WHERE unit_id = ?`, into, from)
	if err != nil {
		return fmt.Errorf("courses: merge quotas: %w", err)
	}
	rres, err := tx.ExecContext(ctx, `UPDATE registrations SET unit_id = ? WHERE unit_id = ?`, into, from)
	if err != nil {
		return fmt.Errorf("courses: merge registrations: %w", err)
	}
	nq, _ := qres.RowsAffected()
	nr, _ := rres.RowsAffected()
	return units.SetMergeCounts(ctx, tx, logID, nr, nq)
}

// ReconcileUnits brings the registrations up to the directory, in one write transaction:
// it recomputes the units' match keys (the units the migration made from text quotas had
// folded keys only), merges units whose spellings turn out to be the same, and matches to
// a unit every registration whose text matched none so far. Run at start; idempotent.
// Returns how many registrations it matched.
func (s *Service) ReconcileUnits(ctx context.Context) (int, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("courses: reconcile units: %w", err)
	}
	defer tx.Rollback()
	collisions, err := units.RekeyTx(ctx, tx)
	if err != nil {
		return 0, err
	}
	for _, c := range collisions {
		if err := mergeUnitTx(ctx, tx, c.Merge, c.Keep, 0); err != nil {
			return 0, err
		}
	}
	n, err := matchUnmatchedTx(ctx, tx, "")
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("courses: reconcile units: %w", err)
	}
	return n, nil
}

// matchUnmatchedTx gives a unit to the registrations without one whose text now names one
// (all of them, or those whose text has key only when key is not ""). Seats already
// confirmed stay confirmed even beyond the unit's quota; the quota holds back new ones.
func matchUnmatchedTx(ctx context.Context, tx *sqlx.Tx, key string) (int, error) {
	var texts []string
	if err := tx.SelectContext(ctx, &texts, `SELECT DISTINCT organization FROM registrations WHERE unit_id IS NULL`); err != nil {
		return 0, fmt.Errorf("courses: unmatched units: %w", err)
	}
	n := 0
	for _, t := range texts {
		if key != "" && units.Key(t) != key {
			continue
		}
		id, ok, err := units.MatchTx(ctx, tx, t)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE registrations SET unit_id = ? WHERE unit_id IS NULL AND organization = ?`, id, t)
		if err != nil {
			return 0, fmt.Errorf("courses: match units: %w", err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// MapUnitText remembers text as an alias of unit (the organizer's choice for a text that
// matched nothing) and gives that unit to every registration written that way without one.
// Returns how many registrations it matched; units.ErrKeyTaken when the text names
// another unit.
func (s *Service) MapUnitText(ctx context.Context, text string, unitID int64) (int, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("courses: map unit: %w", err)
	}
	defer tx.Rollback()
	if err := units.AddAliasTx(ctx, tx, unitID, text); err != nil {
		return 0, err
	}
	n, err := matchUnmatchedTx(ctx, tx, units.Key(text))
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("courses: map unit: %w", err)
	}
	return n, nil
}

// UnmatchedText is a unit text of registrations that matched no unit, with how many use it.
type UnmatchedText struct {
	Text  string `db:"organization" json:"text"`
	Count int    `db:"n" json:"count"`
}

// UnmatchedUnits returns the unit texts of registrations that matched no unit, most used
// first — the organizer's list to map: of one course (courseID), else of the courses of the
// organizations orgIDs (nil: every course).
func (s *Service) UnmatchedUnits(ctx context.Context, courseID int64, orgIDs []int64) ([]UnmatchedText, error) {
	out := []UnmatchedText{}
	where := "1 = 1"
	args := []any{}
	switch {
	case courseID != 0:
		where, args = "r.course_id = ?", append(args, courseID)
	case orgIDs != nil:
		where = "0 = 1"
		if len(orgIDs) > 0 {
			var err error
			if where, args, err = sqlx.In("c.organization_id IN (?)", orgIDs); err != nil {
				return nil, fmt.Errorf("courses: unmatched units: %w", err)
			}
		}
	}
	err := s.db.R.SelectContext(ctx, &out, `SELECT r.organization, COUNT(*) AS n FROM registrations r
		JOIN courses c ON c.id = r.course_id
		WHERE r.unit_id IS NULL AND r.organization <> '' AND r.status IN ('confirmed', 'waitlisted', 'pending') AND `+where+`
		GROUP BY r.organization ORDER BY n DESC, r.organization`, args...)
	if err != nil {
		return nil, fmt.Errorf("courses: unmatched units: %w", err)
	}
	return out, nil
}

// NominateInput is a focal point naming one of its unit's people for a course.
type NominateInput struct {
	RegisterInput
	UnitID int64 // the focal point's unit (overrides RegisterInput.UnitID)
}

// Nominate registers a person named by a unit's focal point: the same normalization and
// validation as Register, for the focal point's unit, confirmed within the unit's quota or
// refused — ErrNoQuota when the course gives the unit no seats, ErrQuotaFull /
// ErrCourseFull when they are taken, ErrNominationClosed once the course began, and
// ErrRegistrationClosed for a course not open or closed (draft, cancelled, completed).
func (s *Service) Nominate(ctx context.Context, in NominateInput) (*Registration, error) {
	reg := in.RegisterInput
	reg.UnitID = in.UnitID
	reg.nominate = true
	reg.Normalize()
	if in.UnitID == 0 {
		return nil, ErrNoQuota
	}
	if err := reg.Validate(); err != nil {
		return nil, err
	}
	var out *Registration
	err := s.unitWrite(ctx, reg.CourseID, func(r *registrar) error {
		id, err := r.register(ctx, &reg, false)
		if err != nil {
			return err
		}
		out, err = r.find(ctx, id)
		return err
	})
	return out, err
}

// unitWrite runs fn in one write transaction on a course that a focal point may still
// change: open or closed for registration, and not yet begun.
func (s *Service) unitWrite(ctx context.Context, courseID int64, fn func(*registrar) error) error {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("courses: unit change: %w", err)
	}
	defer tx.Rollback()
	r, err := newRegistrar(ctx, tx, courseID)
	if err != nil {
		return err
	}
	if r.course.Status != StatusOpen && r.course.Status != StatusClosed {
		return fmt.Errorf("courses: course %d is %s: %w", courseID, r.course.Status, ErrRegistrationClosed)
	}
	if started(r.course, time.Now()) {
		return fmt.Errorf("courses: course %d: %w", courseID, ErrNominationClosed)
	}
	if err := fn(r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("courses: unit change: %w", err)
	}
	return nil
}

// started reports whether the course's first day has come (in Vietnam's time).
func started(c *Course, now time.Time) bool {
	today := now.In(vn.Location).Format("2006-01-02")
	return c.StartsOn <= today
}

// SubstituteInput replaces a confirmed nominee by another person of the same unit (người
// dự thay), keeping the seat.
type SubstituteInput struct {
	RegistrationID int64         // the nominee replaced
	UnitID         int64         // the focal point's unit; 0 for door staff (the nominee's unit)
	Person         RegisterInput // the substitute
	Reason         string
	UserID         int64
	AtDoor         bool // door staff on the day: allowed once the course began
}

// Substitute cancels the nominee and registers the substitute confirmed in the seat, in one
// write transaction, both moves logged (the cancellation's reason names the substitute's
// registration, which records whom it replaced). The substitute is of the nominee's unit and
// passes the same validation as a registration. Returns ErrNotFound when the nominee is not
// of UnitID, ErrBadTransition unless the nominee is confirmed, ErrNominationClosed for a focal
// point once the course began.
func (s *Service) Substitute(ctx context.Context, in SubstituteInput) (*Registration, error) {
	in.Reason = vn.Clean(in.Reason)
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: substitute: %w", err)
	}
	defer tx.Rollback()
	cur, err := loadState(ctx, tx, "id = ?", in.RegistrationID)
	if err != nil {
		return nil, err
	}
	// The substitute is of the nominee's unit, written as the nominee's unit was.
	p := in.Person
	p.UnitID, p.Organization = cur.Unit, cur.Organization
	p.Normalize()
	f := errs.Fields{}
	checkReason(f, in.Reason, false)
	if err := p.Validate(); err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			return nil, err
		}
		for k, m := range e.Fields {
			f[k] = m
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if in.UnitID != 0 && cur.Unit != in.UnitID {
		return nil, fmt.Errorf("courses: registration %d is not of unit %d: %w", cur.ID, in.UnitID, ErrNotFound)
	}
	if cur.Status != RegConfirmed {
		return nil, fmt.Errorf("courses: substitute for %d (%s): %w", cur.ID, cur.Status, ErrBadTransition)
	}
	r, err := newRegistrar(ctx, tx, cur.CourseID)
	if err != nil {
		return nil, err
	}
	if r.course.Status == StatusCancelled || r.course.Status == StatusCompleted || r.course.Status == StatusDraft {
		return nil, fmt.Errorf("courses: course %d is %s: %w", cur.CourseID, r.course.Status, ErrRegistrationClosed)
	}
	if !in.AtDoor && started(r.course, time.Now()) {
		return nil, fmt.Errorf("courses: course %d: %w", cur.CourseID, ErrNominationClosed)
	}
	reason := in.Reason
	if reason == "" {
		reason = ReasonSubstituted
	}
	if err := r.setStatus(ctx, cur, RegCancelled, reason, in.UserID); err != nil {
		return nil, err
	}
	// The seat just freed goes to the substitute, whatever the waiting list: the unit names
	// who takes its own seat.
	p.CourseID, p.UserID, p.substituteFor = cur.CourseID, in.UserID, cur.ID
	if p.Source == "" {
		p.Source = SourceWeb
	}
	id, err := r.registerInSeat(ctx, &p)
	if err != nil {
		return nil, err
	}
	reg, err := r.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: substitute: %w", err)
	}
	return reg, nil
}

// ReasonSubstituted is the reason logged on a nominee replaced by a substitute.
const ReasonSubstituted = "auto:substituted"

// registerInSeat registers p confirmed in the seat a substitution just freed.
func (r *registrar) registerInSeat(ctx context.Context, p *RegisterInput) (int64, error) {
	p.seatTaken = true
	return r.register(ctx, p, false)
}
