package courses

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"taphuan/errs"
	"taphuan/vn"
)

// AddrKey is what is stored of a public registration's client address: a short hash,
// enough to group a burst from one address, not the address itself ("" for none).
func AddrKey(addr string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("taphuan registration address|" + addr))
	return hex.EncodeToString(sum[:6])
}

// Burst is a group of active public registrations of one course from one address.
type Burst struct {
	Addr  string `db:"source_addr" json:"addr"` // the AddrKey
	Count int    `db:"n" json:"count"`
	First string `db:"first_at" json:"first_at"`
	Last  string `db:"last_at" json:"last_at"`
}

// BurstThreshold is how many active registrations from one address make a burst worth an
// organizer's look (a commune office may register a few colleagues).
const BurstThreshold = 5

// RegistrationBursts returns the addresses with at least BurstThreshold active (not
// cancelled or rejected) public registrations in the course, most first.
func (s *Service) RegistrationBursts(ctx context.Context, courseID int64) ([]Burst, error) {
	out := []Burst{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT source_addr, COUNT(*) AS n, MIN(created_at) AS first_at,
		MAX(created_at) AS last_at FROM registrations
		WHERE course_id = ? AND source_addr <> '' AND status NOT IN ('cancelled', 'rejected')
		GROUP BY source_addr HAVING COUNT(*) >= ? ORDER BY n DESC, first_at`, courseID, BurstThreshold)
	if err != nil {
		return nil, fmt.Errorf("courses: bursts of course %d: %w", courseID, err)
	}
	return out, nil
}

// BurstCancelInput cancels every active registration a burst from one address made in a
// course, with one reason (at least three letters: it stands in each one's history).
type BurstCancelInput struct {
	CourseID int64
	Addr     string
	Reason   string
	UserID   int64
}

// Normalize cleans the reason.
func (in *BurstCancelInput) Normalize() { in.Reason = vn.Clean(in.Reason) }

// Validate asks a reason of at least three letters, no longer than the history keeps.
func (in BurstCancelInput) Validate() error {
	f := errs.Fields{}
	f.Check(len([]rune(in.Reason)) >= minBurstReason, "reason", "reg.burst.reason_required")
	checkReason(f, in.Reason, true)
	return f.Err()
}

// CancelBurst cancels, with the reason, every active registration of the course from the
// address (an AddrKey), each as Cancel does (so the waiting list moves up in order), and
// returns how many were cancelled.
func (s *Service) CancelBurst(ctx context.Context, in BurstCancelInput) (int, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	courseID, addr, reason, userID := in.CourseID, in.Addr, in.Reason, in.UserID
	if addr == "" {
		return 0, fmt.Errorf("courses: empty burst address: %w", ErrNotFound)
	}
	var ids []int64
	if err := s.db.R.SelectContext(ctx, &ids, `SELECT id FROM registrations WHERE course_id = ? AND source_addr = ?
		AND status NOT IN ('cancelled', 'rejected') ORDER BY id DESC`, courseID, addr); err != nil {
		return 0, fmt.Errorf("courses: burst of course %d: %w", courseID, err)
	}
	if len(ids) == 0 {
		return 0, fmt.Errorf("courses: no burst %s in course %d: %w", addr, courseID, ErrNotFound)
	}
	n := 0
	for _, id := range ids {
		if _, _, err := s.Cancel(ctx, CancelInput{ID: id, Reason: reason, UserID: userID}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
