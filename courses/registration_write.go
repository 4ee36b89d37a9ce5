package courses

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Errors of registration.
var (
	// ErrRegistrationClosed: the course is not open, or now is outside its window.
	ErrRegistrationClosed = errs.New(errs.Closed, "reg.err.closed")
	// ErrAlreadyRegistered: the phone number holds an active registration in the course;
	// the error in the chain is a *DuplicateError naming it.
	ErrAlreadyRegistered = errs.New(errs.Conflict, "reg.err.duplicate")
	// ErrCourseFull: no seat left for a move to confirmed.
	ErrCourseFull = errs.New(errs.Full, "reg.err.full")
	// ErrQuotaFull: the unit's quota is used up, for a move to confirmed.
	ErrQuotaFull = errs.New(errs.Full, "reg.err.quota_full")
	// ErrBadTransition: the registration's status does not allow the move asked for.
	ErrBadTransition = errs.New(errs.Conflict, "reg.err.transition")
	// ErrCourseStarted: a trainee may not cancel once the first session has begun.
	ErrCourseStarted = errs.New(errs.Closed, "reg.err.started")
)

// Reasons written by the system itself (people type theirs); the web layer translates
// the ones starting with "auto:".
const (
	ReasonPromoted = "auto:promoted"
	ReasonApproved = "auto:approved"
)

// DuplicateError names the registration that already holds a phone number in a course.
// It unwraps to ErrAlreadyRegistered (409 conflict).
type DuplicateError struct {
	ExistingID   int64
	ExistingName string
	Status       string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("courses: phone already registered as %d (%s)", e.ExistingID, e.ExistingName)
}

// Unwrap gives the coded error, with the existing registration as its message arguments.
func (e *DuplicateError) Unwrap() error {
	return ErrAlreadyRegistered.With(e.ExistingName, e.ExistingID)
}

// codeAlphabet has no 0/O, 1/I/L: a ticket code is read aloud and typed from paper.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the length of a ticket code: 12 symbols of 31, about 59 random bits, so
// codes cannot be guessed or enumerated.
const CodeLength = 12

func newCode() string {
	b := make([]byte, 0, CodeLength)
	buf := make([]byte, 32)
	// Bytes ≥ 248 are dropped so that each symbol is equally likely (248 = 8 × 31).
	for len(b) < CodeLength {
		rand.Read(buf) // never fails (crypto/rand panics rather than return an error)
		for _, x := range buf {
			if x < 248 && len(b) < CodeLength {
				b = append(b, codeAlphabet[int(x)%len(codeAlphabet)])
			}
		}
	}
	return string(b)
}

// registrar does the seat arithmetic of one course inside one write transaction. Because
// the writer pool is a single connection that begins with BEGIN IMMEDIATE, nothing else
// writes between its count and its insert: the counters it keeps in memory stay true for
// the whole transaction, which is what makes "never more confirmed than capacity" hold
// under any load, and lets an import of thousands of rows avoid a COUNT per row.
type registrar struct {
	tx     *sqlx.Tx
	course *Course
	now    string

	confirmed     int
	unitConfirmed map[int64]int // confirmed per unit id, kept for the units with a quota only
	quotas        map[int64]int // unit id → seats
	maxSeq        int64         // the end of the waiting list; -1 until needed
	listener      Listener      // told of each change (notify's outbox); nil: nobody
	countAtEnd    bool          // the seat counter is set by finish, not by the triggers
}

// countAtEnd makes the transaction keep the course's seat counter itself, once, in finish,
// instead of through the triggers at every row — for a writer of many registrations (an
// import). This is where the engines differ: on PostgreSQL thousands of updates of one row
// in one transaction cost time quadratic in their number (each walks past the versions
// the ones before it left), so the triggers stand aside (migration 00018) while
// taphuan.count_at_end is on; on SQLite the triggers count as always.
func (r *registrar) countAtEndOfTx(ctx context.Context) error {
	if !database.OnPostgres(r.tx) {
		return nil
	}
	if _, err := r.tx.ExecContext(ctx, `SET LOCAL taphuan.count_at_end = 'on'`); err != nil {
		return fmt.Errorf("courses: count at end: %w", err)
	}
	r.countAtEnd = true
	return nil
}

// finish sets the seat counter when countAtEndOfTx took it over; call it before commit.
func (r *registrar) finish(ctx context.Context) error {
	if !r.countAtEnd {
		return nil
	}
	if _, err := r.tx.ExecContext(ctx, `UPDATE courses SET confirmed_count = (SELECT COUNT(*) FROM registrations
		WHERE registrations.course_id = courses.id AND registrations.status = 'confirmed') WHERE id = ?`, r.course.ID); err != nil {
		return fmt.Errorf("courses: count confirmed of %d: %w", r.course.ID, err)
	}
	return nil
}

// newRegistrar loads the course and its counters; ErrNotFound for an unknown course.
func newRegistrar(ctx context.Context, tx *sqlx.Tx, courseID int64) (*registrar, error) {
	r := &registrar{tx: tx, now: database.Now(), maxSeq: -1,
		unitConfirmed: map[int64]int{}, quotas: map[int64]int{}}
	// The course row orders the course's writers: on PostgreSQL it is locked until commit, so
	// the seats, quotas and waiting-list places read below stay true across instances. The
	// calendar may have closed registration: findCourse gives the due status.
	c, err := findCourseForUpdate(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	r.course = c
	// The confirmed seats come from the course's trigger-kept counter, read with the locked
	// row; the end of the waiting list and the fill of the units that have a quota are read
	// through indexes.
	r.confirmed = c.ConfirmedCount
	var quotas []struct {
		Unit  int64 `db:"unit_id"`
		Seats int   `db:"seats"`
		Used  int   `db:"used"`
	}
	if err := tx.SelectContext(ctx, &quotas, `SELECT q.unit_id, q.seats,
		(SELECT COUNT(*) FROM registrations r WHERE r.course_id = q.course_id AND r.unit_id = q.unit_id
			AND r.status = 'confirmed') AS used
		FROM course_unit_quotas q WHERE q.course_id = ?`, courseID); err != nil {
		return nil, fmt.Errorf("courses: quotas of course %d: %w", courseID, err)
	}
	for _, q := range quotas {
		r.quotas[q.Unit] = q.Seats
		r.unitConfirmed[q.Unit] = q.Used
	}
	return r, nil
}

// nextSeq returns the next place at the end of the waiting list (read once per
// transaction, then counted in memory: nothing else writes meanwhile).
func (r *registrar) nextSeq(ctx context.Context) (sql.NullInt64, error) {
	if r.maxSeq < 0 {
		if err := r.tx.GetContext(ctx, &r.maxSeq, `SELECT COALESCE(MAX(waitlist_seq), 0) FROM registrations
			WHERE course_id = ? AND status = 'waitlisted'`, r.course.ID); err != nil {
			return sql.NullInt64{}, fmt.Errorf("courses: waiting list of course %d: %w", r.course.ID, err)
		}
	}
	r.maxSeq++
	return sql.NullInt64{Int64: r.maxSeq, Valid: true}, nil
}

// seatFor reports whether a trainee of unit (its id; 0 for a text that matched no unit)
// can be confirmed now: a seat is left in the course and, when the unit has a quota, in
// the quota.
func (r *registrar) seatFor(unit int64) bool {
	if r.confirmed >= r.course.Capacity {
		return false
	}
	if q, ok := r.quotas[unit]; ok && r.unitConfirmed[unit] >= q {
		return false
	}
	return true
}

// seatError says why seatFor is false.
func (r *registrar) seatError(unit int64, unitName string) error {
	if r.confirmed >= r.course.Capacity {
		return ErrCourseFull.With(r.course.Capacity)
	}
	return ErrQuotaFull.With(unitName, r.quotas[unit])
}

// phoneFree checks that phone holds no active (not cancelled or rejected) registration in
// the course: nil when it is free, a *DuplicateError naming the registration that holds
// it, or the database's error.
func (r *registrar) phoneFree(ctx context.Context, phone string) error {
	var d struct {
		ID     int64  `db:"id"`
		Name   string `db:"full_name"`
		Status string `db:"status"`
	}
	err := r.tx.GetContext(ctx, &d, `SELECT id, full_name, status FROM registrations
		WHERE course_id = ? AND phone = ? AND phone <> '' AND status NOT IN ('cancelled', 'rejected')`, r.course.ID, phone)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("courses: registration of phone: %w", err)
	}
	return &DuplicateError{ExistingID: d.ID, ExistingName: d.Name, Status: d.Status}
}

// register writes a valid, normalized registration: confirmed while a seat is left for
// its unit, else waitlisted at the end of the list; pending instead when pending is true
// (approval mode). Returns a *DuplicateError when the phone is taken in the course.
func (r *registrar) register(ctx context.Context, in *RegisterInput, pending bool) (int64, error) {
	if err := r.phoneFree(ctx, in.Phone); err != nil {
		return 0, err
	}
	unit, err := r.resolveUnit(ctx, in)
	if err != nil {
		return 0, err
	}
	personID, err := r.upsertPerson(ctx, in)
	if err != nil {
		return 0, err
	}
	status, seq := RegPending, sql.NullInt64{}
	switch {
	case in.seatTaken:
		status = RegConfirmed
		r.confirmed++
		r.unitConfirmed[unit]++
	case in.nominate:
		// A focal point names people within the quota: never onto the waiting list.
		if _, ok := r.quotas[unit]; !ok || unit == 0 {
			return 0, ErrNoQuota
		}
		if !r.seatFor(unit) {
			return 0, r.seatError(unit, in.Organization)
		}
		status = RegConfirmed
		r.confirmed++
		r.unitConfirmed[unit]++
	case pending:
	case r.seatFor(unit):
		status = RegConfirmed
		r.confirmed++
		r.unitConfirmed[unit]++
	default:
		status = RegWaitlisted
		if seq, err = r.nextSeq(ctx); err != nil {
			return 0, err
		}
	}
	var id int64
	// A clash of random codes is astronomically rare; a second draw settles it. The clash
	// inserts nothing (ON CONFLICT) instead of failing, which on PostgreSQL would abort the
	// transaction.
	for attempt := 0; ; attempt++ {
		err := r.tx.QueryRowxContext(ctx, `INSERT INTO registrations (course_id, person_id, code, status, waitlist_seq,
			full_name, name_folded, sort_key, gender, birth_date, ethnicity, position, organization, unit_folded,
			locality, phone, email, id_number, source, created_at, updated_at, unit_id, substitute_for, source_addr)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO NOTHING RETURNING id`,
			r.course.ID, personID, newCode(), status, seq,
			in.FullName, vn.Fold(in.FullName), vn.SortKey(in.FullName, in.SortName), in.Gender, in.BirthDate,
			in.Ethnicity, in.Position, in.Organization, vn.Fold(in.Organization), in.Locality, in.Phone, in.Email, in.IDNumber,
			in.Source, r.now, r.now, nullID(unit), nullID(in.substituteFor), AddrKey(in.SourceAddr)).Scan(&id)
		if err == nil {
			break
		}
		if !isNoRows(err) || attempt == 2 {
			return 0, fmt.Errorf("courses: insert registration: %w", err)
		}
	}
	if err := r.logEvent(ctx, id, "", status, "", in.UserID); err != nil {
		return 0, err
	}
	return id, r.tell(ctx, RegistrationChange{RegistrationID: id, To: status, Email: in.Email, Lang: in.Lang, emailKnown: true})
}

func (r *registrar) logEvent(ctx context.Context, id int64, old, new, reason string, userID int64) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	if _, err := r.tx.ExecContext(ctx, `INSERT INTO registration_events (registration_id, old_status, new_status, reason, user_id, at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, old, new, reason, uid, r.now); err != nil {
		return fmt.Errorf("courses: log registration %d: %w", id, err)
	}
	return nil
}

// regState is what a status change needs to know about a registration.
type regState struct {
	ID           int64  `db:"id"`
	CourseID     int64  `db:"course_id"`
	Code         string `db:"code"`
	Status       string `db:"status"`
	Unit         int64  `db:"unit_id"` // 0: matched no unit
	Organization string `db:"organization"`
	Phone        string `db:"phone"`
}

// stateColumns are the columns of a regState, for every query that loads one.
const stateColumns = `id, course_id, code, status, COALESCE(unit_id, 0) AS unit_id, organization, phone`

func loadState(ctx context.Context, tx *sqlx.Tx, where string, arg any) (*regState, error) {
	var st regState
	err := tx.GetContext(ctx, &st, `SELECT `+stateColumns+` FROM registrations WHERE `+where, arg)
	if isNoRows(err) {
		return nil, fmt.Errorf("courses: registration %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: registration %v: %w", arg, err)
	}
	return &st, nil
}

// setStatus moves a registration and logs the move, keeping the counters true. A move to
// the waiting list goes to its end.
func (r *registrar) setStatus(ctx context.Context, reg *regState, to, reason string, userID int64) error {
	seq := sql.NullInt64{}
	if to == RegWaitlisted {
		var err error
		if seq, err = r.nextSeq(ctx); err != nil {
			return err
		}
	}
	if _, err := r.tx.ExecContext(ctx, `UPDATE registrations SET status = ?, waitlist_seq = ?, status_reason = ?, updated_at = ?
		WHERE id = ?`, to, seq, reason, r.now, reg.ID); err != nil {
		return fmt.Errorf("courses: registration %d to %s: %w", reg.ID, to, err)
	}
	if reg.Status == RegConfirmed {
		r.confirmed--
		r.unitConfirmed[reg.Unit]--
	}
	if to == RegConfirmed {
		r.confirmed++
		r.unitConfirmed[reg.Unit]++
	}
	old := reg.Status
	reg.Status = to
	if err := r.logEvent(ctx, reg.ID, old, to, reason, userID); err != nil {
		return err
	}
	return r.tell(ctx, RegistrationChange{RegistrationID: reg.ID, From: old, To: to, Reason: reason, ByTrainee: userID == 0})
}

// promote confirms waitlisted trainees, first come first served, while seats are left:
// each in turn if its unit has room in its quota (a trainee held back only by the quota
// of their unit does not hold back the others). The registrations in skip stay where they
// are (trainees just moved to the waiting list on purpose). A cancelled or completed course
// promotes nobody (no ids: nothing to do).
func (r *registrar) promote(ctx context.Context, userID int64, skip map[int64]bool) ([]int64, error) {
	if r.course.Status == StatusCancelled || r.course.Status == StatusCompleted || r.confirmed >= r.course.Capacity {
		return nil, nil // nothing to do: nobody is promoted
	}
	var waiting []regState
	err := r.tx.SelectContext(ctx, &waiting, `SELECT `+stateColumns+`
		FROM registrations WHERE course_id = ? AND status = 'waitlisted' ORDER BY waitlist_seq, id`, r.course.ID)
	if err != nil {
		return nil, fmt.Errorf("courses: waiting list of course %d: %w", r.course.ID, err)
	}
	var promoted []int64
	for i := range waiting {
		if r.confirmed >= r.course.Capacity {
			break
		}
		w := &waiting[i]
		if skip[w.ID] || !r.seatFor(w.Unit) {
			continue
		}
		if err := r.setStatus(ctx, w, RegConfirmed, ReasonPromoted, userID); err != nil {
			return nil, err
		}
		promoted = append(promoted, w.ID)
	}
	return promoted, nil
}

// find reads registration id inside the registrar's transaction.
func (r *registrar) find(ctx context.Context, id int64) (*Registration, error) {
	return findRegistration(ctx, r.tx, "r.id = ?", id)
}

// Register registers a trainee in in.CourseID, in one write transaction: confirmed while
// seats are left (and the unit's quota has room), else waitlisted at the end of the list;
// pending when the course is in approval mode. It normalizes in first.
//
// Returns an errs.Invalid error with the bad fields, ErrNotFound for an unknown course,
// ErrRegistrationClosed when the course does not take registrations now, and a
// *DuplicateError (errors.Is ErrAlreadyRegistered) when the phone number already holds
// an active registration in the course.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*Registration, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: register: %w", err)
	}
	defer tx.Rollback()
	reg, err := s.registerTx(ctx, tx, &in)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: register: %w", err)
	}
	return reg, nil
}

// registerTx is Register's work inside tx, for a normalized, valid in.
func (s *Service) registerTx(ctx context.Context, tx *sqlx.Tx, in *RegisterInput) (*Registration, error) {
	r, err := s.registrar(ctx, tx, in.CourseID)
	if err != nil {
		return nil, err
	}
	if !r.course.RegistrationOpenAt(time.Now()) {
		return nil, fmt.Errorf("courses: course %d: %w", in.CourseID, ErrRegistrationClosed)
	}
	id, err := r.register(ctx, in, r.course.RegistrationMode == ModeApproval)
	if err != nil {
		return nil, err
	}
	return r.find(ctx, id)
}

// CancelInput cancels a registration: by an organizer (ID, Reason, UserID) or by the
// trainee from the ticket page (Code; ID may then be 0).
type CancelInput struct {
	ID     int64
	Code   string // when set, the registration's ticket code must match it
	Reason string
	UserID int64
	// ReasonRequired: the caller asks a reason whatever the course (the staff pages do).
	ReasonRequired bool
}

// Normalize cleans the reason.
func (in *CancelInput) Normalize() { in.Reason = vn.Clean(in.Reason) }

// Validate checks the reason's length. (Whether one is needed depends on the course: once
// it has begun, an organizer must give one — Cancel checks that in its transaction.)
func (in CancelInput) Validate() error {
	f := errs.Fields{}
	checkReason(f, in.Reason, in.ReasonRequired)
	return f.Err()
}

// Cancel cancels a confirmed, waitlisted or pending registration and, in the same
// transaction, gives the freed seat to the first waitlisted trainee who may take it
// (returned as promoted, else nil). Returns ErrNotFound for an unknown id or a code that
// does not match, ErrBadTransition when it is already cancelled or rejected, and
// ErrRegistrationClosed when a trainee (Code) cancels in a completed or cancelled course.
func (s *Service) Cancel(ctx context.Context, in CancelInput) (reg, promoted *Registration, err error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("courses: cancel: %w", err)
	}
	defer tx.Rollback()
	var cur *regState
	if in.ID != 0 {
		cur, err = loadState(ctx, tx, "id = ?", in.ID)
	} else {
		cur, err = loadState(ctx, tx, "code = ?", strings.TrimSpace(in.Code))
	}
	if err != nil {
		return nil, nil, err
	}
	if in.Code != "" && subtle.ConstantTimeCompare([]byte(cur.Code), []byte(strings.TrimSpace(in.Code))) != 1 {
		return nil, nil, fmt.Errorf("courses: registration %d: code does not match: %w", cur.ID, ErrNotFound)
	}
	if cur.Status == RegCancelled || cur.Status == RegRejected {
		return nil, nil, fmt.Errorf("courses: registration %d is %s: %w", cur.ID, cur.Status, ErrBadTransition)
	}
	r, err := s.registrar(ctx, tx, cur.CourseID)
	if err != nil {
		return nil, nil, err
	}
	if in.Code != "" && (r.course.Status == StatusCompleted || r.course.Status == StatusCancelled) {
		// A trainee's record of a course that took place (or was called off) stays as it is.
		return nil, nil, fmt.Errorf("courses: registration %d: course is %s: %w", cur.ID, r.course.Status, ErrRegistrationClosed)
	}
	started, err := courseStarted(ctx, tx, cur.CourseID, time.Now())
	if err != nil {
		return nil, nil, err
	}
	switch {
	case started && in.Code != "":
		// Once the first session has begun, cancelling would take the trainee off the
		// attendance matrix, the payments and the statistics while a certificate may stand.
		return nil, nil, fmt.Errorf("courses: registration %d: the course has begun: %w", cur.ID, ErrCourseStarted)
	case started && in.Reason == "":
		// An organizer may still remove someone, with a reason, which the history keeps.
		return nil, nil, errs.Fields{"reason": {Key: "reg.err.reason_after_start"}}.Err()
	}
	if err := r.setStatus(ctx, cur, RegCancelled, in.Reason, in.UserID); err != nil {
		return nil, nil, err
	}
	ids, err := r.promote(ctx, in.UserID, nil)
	if err != nil {
		return nil, nil, err
	}
	if reg, err = r.find(ctx, cur.ID); err != nil {
		return nil, nil, err
	}
	if len(ids) > 0 {
		if promoted, err = r.find(ctx, ids[0]); err != nil {
			return nil, nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("courses: cancel: %w", err)
	}
	return reg, promoted, nil
}

// Approve admits a pending registration (approval mode): confirmed when a seat is left for
// its unit, else waitlisted at the end of the list — approving never confirms beyond
// capacity. Returns ErrBadTransition unless it is pending.
func (s *Service) Approve(ctx context.Context, id, userID int64) (*Registration, error) {
	return s.change(ctx, id, userID, func(r *registrar, cur *regState) error {
		if cur.Status != RegPending {
			return ErrBadTransition
		}
		to := RegWaitlisted
		if r.seatFor(cur.Unit) {
			to = RegConfirmed
		}
		return r.setStatus(ctx, cur, to, ReasonApproved, userID)
	})
}

// RejectInput turns down a registration, with a reason (optional) kept in its history.
type RejectInput struct {
	ID     int64
	Reason string
	UserID int64
	// ReasonRequired: the caller asks a reason (the staff pages do; the API does not).
	ReasonRequired bool
}

// Normalize cleans the reason.
func (in *RejectInput) Normalize() { in.Reason = vn.Clean(in.Reason) }

// Validate checks the reason's length.
func (in RejectInput) Validate() error {
	f := errs.Fields{}
	checkReason(f, in.Reason, in.ReasonRequired)
	return f.Err()
}

// Reject turns down a pending or waitlisted registration. A rejected registration frees
// its phone number for a new registration.
func (s *Service) Reject(ctx context.Context, in RejectInput) (*Registration, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.change(ctx, in.ID, in.UserID, func(r *registrar, cur *regState) error {
		if cur.Status != RegPending && cur.Status != RegWaitlisted {
			return ErrBadTransition
		}
		return r.setStatus(ctx, cur, RegRejected, in.Reason, in.UserID)
	})
}

// MoveInput moves a registration between confirmed, waitlisted and cancelled.
type MoveInput struct {
	ID     int64  `json:"-"`
	To     string `json:"status"`
	Reason string `json:"reason"`
	UserID int64  `json:"-"`
	// ReasonRequired: the staff pages' wording of the missing reason (a move needs one anyway).
	ReasonRequired bool `json:"-"`
}

// Normalize cleans the reason and brings To into the closed set of statuses (lower case,
// trimmed) before anything decides on it.
func (in *MoveInput) Normalize() {
	in.Reason = vn.Clean(in.Reason)
	in.To = strings.ToLower(strings.TrimSpace(in.To))
}

// Validate checks a normalized input: a status a registration may be moved to, and a
// reason.
func (in MoveInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.To == RegConfirmed || in.To == RegWaitlisted || in.To == RegCancelled, "to", "reg.err.move_to")
	checkReason(f, in.Reason, in.ReasonRequired)
	f.Check(in.Reason != "", "reason", "err.required")
	return f.Err()
}

// Move puts a registration in another status, with a reason (required) logged in its
// history. To confirmed needs a seat (ErrCourseFull, ErrQuotaFull otherwise); to
// waitlisted puts it at the end of the list and gives its seat, if it had one, to the next
// in line; to cancelled is Cancel. A cancelled or rejected registration comes back only if
// its phone number is not registered again meanwhile (*DuplicateError).
// Returns the registration after the move and those promoted into the freed seat.
func (s *Service) Move(ctx context.Context, in MoveInput) (*Registration, []Registration, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	var promotedIDs []int64
	reg, err := s.change(ctx, in.ID, in.UserID, func(r *registrar, cur *regState) error {
		if cur.Status == in.To {
			return ErrBadTransition
		}
		if cur.Status == RegCancelled || cur.Status == RegRejected {
			if err := r.phoneFree(ctx, cur.Phone); err != nil {
				return err
			}
		}
		if in.To == RegConfirmed && !r.seatFor(cur.Unit) {
			return r.seatError(cur.Unit, cur.Organization)
		}
		if err := r.setStatus(ctx, cur, in.To, in.Reason, in.UserID); err != nil {
			return err
		}
		var err error
		promotedIDs, err = r.promote(ctx, in.UserID, map[int64]bool{in.ID: true})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	promoted := []Registration{}
	for _, id := range promotedIDs {
		p, err := s.FindRegistrationByID(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		promoted = append(promoted, *p)
	}
	return reg, promoted, nil
}

// change runs fn on registration id inside one write transaction and returns the
// registration afterwards.
func (s *Service) change(ctx context.Context, id, userID int64, fn func(*registrar, *regState) error) (*Registration, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: registration %d: %w", id, err)
	}
	defer tx.Rollback()
	cur, err := loadState(ctx, tx, "id = ?", id)
	if err != nil {
		return nil, err
	}
	r, err := s.registrar(ctx, tx, cur.CourseID)
	if err != nil {
		return nil, err
	}
	from := cur.Status
	if err := fn(r, cur); err != nil {
		return nil, fmt.Errorf("courses: registration %d (%s): %w", id, from, err)
	}
	reg, err := r.find(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: registration %d: %w", id, err)
	}
	return reg, nil
}

// PromoteWaitlisted fills the free seats of a course from its waiting list, first come
// first served within the unit quotas, in one transaction, and returns who was promoted.
// Call it after raising a course's capacity or a unit's quota (PromoteWaitlistedTx does
// the same inside a transaction of the caller, e.g. the one that raised the capacity).
func (s *Service) PromoteWaitlisted(ctx context.Context, courseID int64) ([]Registration, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: promote in course %d: %w", courseID, err)
	}
	defer tx.Rollback()
	ids, err := s.PromoteWaitlistedTx(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: promote in course %d: %w", courseID, err)
	}
	out := []Registration{}
	for _, id := range ids {
		reg, err := s.FindRegistrationByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *reg)
	}
	return out, nil
}

// PromoteWaitlistedTx is PromoteWaitlisted inside the caller's write transaction; it sees
// the course as the transaction has changed it. Returns the ids promoted.
func (s *Service) PromoteWaitlistedTx(ctx context.Context, tx *sqlx.Tx, courseID int64) ([]int64, error) {
	r, err := s.registrar(ctx, tx, courseID)
	if err != nil {
		return nil, err
	}
	return r.promote(ctx, 0, nil)
}

// Event is one move of a registration between statuses.
type Event struct {
	ID        int64         `db:"id" json:"id"`
	OldStatus string        `db:"old_status" json:"old_status"`
	NewStatus string        `db:"new_status" json:"new_status"`
	Reason    string        `db:"reason" json:"reason"`
	UserName  string        `db:"user_name" json:"user_name"`
	At        database.Time `db:"at" json:"at"`
}

// RegistrationEvents returns the history of a registration, oldest first.
func (s *Service) RegistrationEvents(ctx context.Context, id int64) ([]Event, error) {
	out := []Event{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT e.id, e.old_status, e.new_status, e.reason,
		COALESCE(u.name, '') AS user_name, e.at
		FROM registration_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.registration_id = ? ORDER BY e.id`, id)
	if err != nil {
		return nil, fmt.Errorf("courses: history of registration %d: %w", id, err)
	}
	return out, nil
}
