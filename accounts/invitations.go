package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// invitationLifetime is how long a focal point's personal invitation link works.
const invitationLifetime = 14 * 24 * time.Hour

// ErrInvitation: the invitation link is unknown, used or expired.
var ErrInvitation = errs.New(errs.NotFound, "err.invitation")

// InvitationInput invites a unit's focal point: who, for which unit, sent by whom.
type InvitationInput struct {
	UnitID    int64
	Email     string
	Name      string
	CreatedBy int64
}

// Invitation is a pending invitation (never its token).
type Invitation struct {
	UnitID int64  `db:"unit_id"`
	Email  string `db:"email"`
	Name   string `db:"name"`
}

// CreateInvitation makes a personal invitation link's token for a unit's focal point (only
// its hash is kept). The account is made when the link is opened and a password chosen.
// Returns invalid fields, or ErrDuplicateEmail when the address already has an account.
func (s *Service) CreateInvitation(ctx context.Context, in InvitationInput) (string, error) {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Name = vn.Clean(in.Name)
	f := errs.Fields{}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		f.Add("email", "err.email")
	}
	f.Check(in.Name != "", "name", "err.required")
	f.Check(len([]rune(in.Name)) <= 120, "name", "err.too_long", 120)
	f.Check(in.UnitID > 0, "unit_id", "err.unit_required")
	if err := f.Err(); err != nil {
		return "", err
	}
	if _, err := s.FindUserByEmail(ctx, in.Email); err == nil {
		return "", fmt.Errorf("accounts: invite %s: %w", in.Email, ErrDuplicateEmail)
	}
	token := randomToken(tokenBytes)
	now := time.Now()
	var by any
	if in.CreatedBy != 0 {
		by = in.CreatedBy
	}
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO unit_invitations (token_hash, unit_id, email, name, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hashToken(token), in.UnitID, in.Email, in.Name, by,
		database.FormatTime(now), database.FormatTime(now.Add(invitationLifetime)))
	if database.IsForeignKeyViolation(err) {
		return "", errs.Fields{"unit_id": {Key: "err.unknown_unit", Args: []any{in.UnitID}}}.Err()
	}
	if err != nil {
		return "", fmt.Errorf("accounts: invite: %w", err)
	}
	return token, nil
}

// FindInvitation returns the pending invitation of token, or ErrInvitation.
func (s *Service) FindInvitation(ctx context.Context, token string) (*Invitation, error) {
	var inv Invitation
	err := s.db.R.GetContext(ctx, &inv, `SELECT unit_id, email, name FROM unit_invitations
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hashToken(token), database.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrInvitation
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: invitation: %w", err)
	}
	return &inv, nil
}

// AcceptInvitation makes the focal point's account (role unit) with the chosen password and
// uses up the invitation. Returns ErrInvitation for a link unknown, used or expired.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (*User, error) {
	inv, err := s.FindInvitation(ctx, token)
	if err != nil {
		return nil, err
	}
	res, err := s.db.W.ExecContext(ctx, `UPDATE unit_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
		database.Now(), hashToken(token))
	if err != nil {
		return nil, fmt.Errorf("accounts: invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ErrInvitation
	}
	u, err := s.CreateUser(ctx, UserInput{Email: inv.Email, Name: inv.Name, Role: RoleUnit, UnitID: inv.UnitID, Password: password})
	if err != nil {
		// The link stays usable when only the password was refused.
		if _, e := s.db.W.ExecContext(ctx, `UPDATE unit_invitations SET used_at = NULL WHERE token_hash = ?`, hashToken(token)); e != nil {
			return nil, fmt.Errorf("accounts: invitation: %w", e)
		}
		return nil, err
	}
	return u, nil
}

// ListUnitUsers returns the focal point accounts of a unit, by name.
func (s *Service) ListUnitUsers(ctx context.Context, unitID int64) ([]User, error) {
	users := []User{}
	err := s.db.R.SelectContext(ctx, &users, `SELECT `+userColumns+` FROM users WHERE role = 'unit' AND unit_id = ? ORDER BY name`, unitID)
	if err != nil {
		return nil, fmt.Errorf("accounts: unit users: %w", err)
	}
	return users, nil
}
