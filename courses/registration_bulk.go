package courses

import (
	"context"
	"fmt"
	"strings"

	"taphuan/errs"
	"taphuan/vn"

	"github.com/jmoiron/sqlx"
)

// Bulk actions on many registrations of a course at once.
const (
	BulkApprove  = "approve"  // pending → confirmed while seats last, then waitlisted
	BulkReject   = "reject"   // pending or waitlisted → rejected
	BulkWaitlist = "waitlist" // confirmed or pending → the end of the waiting list
	BulkCancel   = "cancel"   // confirmed, waitlisted or pending → cancelled
)

// BulkActions returns the closed set of bulk actions, in the order a form offers them
// (a fresh slice each call).
func BulkActions() []string { return []string{BulkApprove, BulkReject, BulkWaitlist, BulkCancel} }

// MaxBulk bounds one bulk action: more than any course has seats for, few enough for one
// write transaction to stay short.
const MaxBulk = 5000

// BulkInput applies one action, with one reason, to many registrations of a course: the
// ones named in IDs or, when All is set, every registration that Filter selects (the whole
// filter, not only the page on screen). Filter.CourseID, Limit and Offset are ignored.
type BulkInput struct {
	CourseID int64
	Action   string
	Reason   string
	IDs      []int64
	All      bool
	Filter   RegistrationFilter
	UserID   int64
}

// BulkItem is one registration a bulk action changed or left alone.
type BulkItem struct {
	ID       int64  `json:"id" db:"id"`
	FullName string `json:"full_name" db:"full_name"`
	From     string `json:"from" db:"status"`
	To       string `json:"to,omitempty" db:"-"`
}

// BulkResult says what a bulk action did: Changed in the order it went through them,
// Skipped those whose status does not allow the action (e.g. approving a confirmed
// trainee), Promoted the waitlisted trainees who took the seats it freed.
type BulkResult struct {
	Action   string     `json:"action"`
	Changed  []BulkItem `json:"changed"`
	Skipped  []BulkItem `json:"skipped"`
	Promoted []BulkItem `json:"promoted"`
}

// Count returns how many were changed to status to.
func (r *BulkResult) Count(to string) int {
	n := 0
	for _, it := range r.Changed {
		if it.To == to {
			n++
		}
	}
	return n
}

// Normalize brings the action into its closed set (anything else becomes "", refused by
// Validate) and cleans the reason.
func (in *BulkInput) Normalize() {
	a := strings.ToLower(strings.TrimSpace(in.Action))
	in.Action = ""
	for _, k := range BulkActions() {
		if a == k {
			in.Action = k
		}
	}
	in.Reason = vn.Clean(in.Reason)
}

// Validate checks a normalized input: a known action, a reason for everything but
// approving, something selected, and not more than MaxBulk ids.
func (in BulkInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Action != "", "action", "bulk.err.action")
	if in.Action != BulkApprove {
		f.Check(in.Reason != "", "reason", "reg.err.reason_required")
	}
	checkReason(f, in.Reason, false)
	f.Check(in.All || len(in.IDs) > 0, "ids", "bulk.err.none")
	f.Check(len(in.IDs) <= MaxBulk, "ids", "bulk.err.too_many", MaxBulk)
	return f.Err()
}

// bulkTo returns the status the action moves a registration in status from to, or "" when
// the action does not apply to it. Approving depends on the seats, decided by the caller.
func bulkTo(action, from string) string {
	switch {
	case action == BulkApprove && from == RegPending:
		return RegConfirmed
	case action == BulkReject && (from == RegPending || from == RegWaitlisted):
		return RegRejected
	case action == BulkWaitlist && (from == RegConfirmed || from == RegPending):
		return RegWaitlisted
	case action == BulkCancel && (from == RegConfirmed || from == RegWaitlisted || from == RegPending):
		return RegCancelled
	}
	return ""
}

// Bulk applies one action to many registrations of a course in one write transaction:
// either all of it happens or, on a fault, nothing. Registrations are taken first come
// first served (the order they registered), so approving more applicants than there are
// seats confirms the earliest and puts the rest on the waiting list, at its end, in that
// order. Seats freed by cancelling or moving to the waiting list go to the waiting list at
// once, except to the trainees this action itself moved there.
//
// Returns an errs.Invalid error for a bad input, ErrNotFound for an unknown course, and
// bulk.err.too_many (invalid) when the filter selects more than MaxBulk.
func (s *Service) Bulk(ctx context.Context, in BulkInput) (*BulkResult, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: bulk %s: %w", in.Action, err)
	}
	defer tx.Rollback()
	r, err := newRegistrar(ctx, tx, in.CourseID)
	if err != nil {
		return nil, err
	}
	var cond string
	var args []any
	if in.All {
		f := in.Filter
		f.CourseID = in.CourseID
		cond, args, err = f.where()
	} else {
		cond, args, err = sqlx.In("r.course_id = ? AND r.id IN (?)", in.CourseID, in.IDs)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: bulk %s in course %d: %w", in.Action, in.CourseID, err)
	}
	var targets []struct {
		regState
		FullName string `db:"full_name"`
	}
	if err := tx.SelectContext(ctx, &targets, `SELECT `+stateColumns+`, full_name FROM registrations r WHERE `+cond+`
		ORDER BY r.created_at, r.id LIMIT ?`, append(args, MaxBulk+1)...); err != nil {
		return nil, fmt.Errorf("courses: bulk %s in course %d: %w", in.Action, in.CourseID, err)
	}
	if len(targets) > MaxBulk {
		return nil, errs.Fields{"ids": {Key: "bulk.err.too_many", Args: []any{MaxBulk}}}.Err()
	}
	res := &BulkResult{Action: in.Action, Changed: []BulkItem{}, Skipped: []BulkItem{}, Promoted: []BulkItem{}}
	parked := map[int64]bool{} // moved to the waiting list by this action: not promoted back
	reason := in.Reason
	if in.Action == BulkApprove && reason == "" {
		reason = ReasonApproved
	}
	for i := range targets {
		cur, name := &targets[i].regState, targets[i].FullName
		from := cur.Status
		to := bulkTo(in.Action, from)
		if to == "" {
			res.Skipped = append(res.Skipped, BulkItem{ID: cur.ID, FullName: name, From: from})
			continue
		}
		if to == RegConfirmed && !r.seatFor(cur.Unit) {
			to = RegWaitlisted
		}
		if err := r.setStatus(ctx, cur, to, reason, in.UserID); err != nil {
			return nil, err
		}
		if to == RegWaitlisted {
			parked[cur.ID] = true
		}
		res.Changed = append(res.Changed, BulkItem{ID: cur.ID, FullName: name, From: from, To: to})
	}
	if in.Action == BulkCancel || in.Action == BulkWaitlist {
		ids, err := r.promote(ctx, in.UserID, parked)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			reg, err := r.find(ctx, id)
			if err != nil {
				return nil, err
			}
			res.Promoted = append(res.Promoted, BulkItem{ID: id, FullName: reg.FullName, From: RegWaitlisted, To: RegConfirmed})
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: bulk %s: %w", in.Action, err)
	}
	return res, nil
}
