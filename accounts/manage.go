package accounts

import (
	"context"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"taphuan/database"
	"taphuan/errs"
)

// UserEdit changes a user's e-mail, name, role and organization.
type UserEdit struct {
	ID             int64
	Email          string
	Name           string
	Role           string
	OrganizationID int64
}

// Normalize cleans the fields (the role into the closed set).
func (in *UserEdit) Normalize() { normalizeUser(&in.Email, &in.Name, &in.Role) }

// Validate checks the fields. An edit cannot make a user of role unit (it has no unit to
// give).
func (in UserEdit) Validate() error {
	f := errs.Fields{}
	checkUser(f, in.Email, in.Name, in.Role, in.OrganizationID)
	if in.Role == RoleUnit {
		f.Add("role", "err.role")
	}
	return f.Err()
}

// target returns the user actor wants to change, or ErrNotFound when actor may not see
// them and ErrNotPermitted when actor sees them but may not change them.
func (s *Service) target(ctx context.Context, actor *User, id int64) (*User, error) {
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin() && u.OrganizationID != actor.OrganizationID {
		return nil, fmt.Errorf("accounts: user %d of another organization: %w", id, ErrNotFound)
	}
	if !actor.CanAdminister(u) {
		return nil, fmt.Errorf("accounts: %d may not change user %d: %w", actor.ID, id, ErrNotPermitted)
	}
	return u, nil
}

// UpdateUser changes a user on behalf of actor: administrators change anyone (but not
// their own role), organizers their organization's staff, who stay staff of it.
func (s *Service) UpdateUser(ctx context.Context, actor *User, in UserEdit) (*User, error) {
	in.Normalize()
	u, err := s.target(ctx, actor, in.ID)
	if err != nil {
		return nil, err
	}
	if !actor.IsAdmin() {
		if in.Role != RoleStaff && in.Role != "" {
			return nil, fmt.Errorf("accounts: organizer %d may not make a %s: %w", actor.ID, in.Role, ErrNotPermitted)
		}
		in.OrganizationID = actor.OrganizationID
	}
	if actor.ID == u.ID && in.Role != u.Role {
		return nil, fmt.Errorf("accounts: %d may not change their own role: %w", actor.ID, ErrNotPermitted)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var org any
	if in.Role != RoleAdmin {
		org = in.OrganizationID
	}
	_, err = s.db.W.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, role = ?, organization_id = ? WHERE id = ?`,
		in.Email, in.Name, in.Role, org, in.ID)
	switch {
	case database.IsUniqueViolation(err):
		return nil, fmt.Errorf("accounts: user %s: %w", in.Email, ErrDuplicateEmail)
	case database.IsForeignKeyViolation(err):
		f := errs.Fields{}
		f.Add("organization_id", "err.unknown_org", in.OrganizationID)
		return nil, f.Err()
	case err != nil:
		return nil, fmt.Errorf("accounts: update user %d: %w", in.ID, err)
	}
	return s.FindUserByID(ctx, in.ID)
}

// ErrSelf: an administrator or organizer may not disable or reset themselves (409).
var ErrSelf = errs.New(errs.Conflict, "err.user_self")

// SetDisabled disables (or enables again) a user on behalf of actor. Disabling ends all
// their login sessions and revokes all their API tokens at once.
func (s *Service) SetDisabled(ctx context.Context, actor *User, id int64, disabled bool) (*User, error) {
	if actor != nil && id == actor.ID {
		return nil, ErrSelf
	}
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if u.ID == actor.ID {
		return nil, ErrSelf
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("accounts: disable %d: %w", id, err)
	}
	defer tx.Rollback()
	if disabled {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?`, database.Now(), id); err != nil {
			return nil, fmt.Errorf("accounts: disable %d: %w", id, err)
		}
		if err := signOutEverywhereTx(ctx, tx, id); err != nil {
			return nil, err
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ?`, id); err != nil {
		return nil, fmt.Errorf("accounts: enable %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("accounts: disable %d: %w", id, err)
	}
	return s.FindUserByID(ctx, id)
}

// ResetPassword gives a user a new generated one-time password on behalf of actor and
// returns it (to be told to the user): their sessions end, their tokens are revoked, and
// after signing in with it they must choose their own before anything else.
func (s *Service) ResetPassword(ctx context.Context, actor *User, id int64) (string, error) {
	if actor != nil && id == actor.ID {
		return "", ErrSelf
	}
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if u.ID == actor.ID {
		return "", ErrSelf
	}
	password := GeneratePassword()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("accounts: hash password: %w", err)
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("accounts: reset %d: %w", id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = 1 WHERE id = ?`, string(hash), id); err != nil {
		return "", fmt.Errorf("accounts: reset %d: %w", id, err)
	}
	if err := signOutEverywhereTx(ctx, tx, id); err != nil {
		return "", err
	}
	return password, tx.Commit()
}

// TokensOf returns the tokens of a user actor may administer.
func (s *Service) TokensOf(ctx context.Context, actor *User, id int64) ([]Token, error) {
	if _, err := s.target(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.ListTokens(ctx, id)
}

// RevokeTokenAs revokes a token of a user actor may administer.
func (s *Service) RevokeTokenAs(ctx context.Context, actor *User, userID, tokenID int64) error {
	if _, err := s.target(ctx, actor, userID); err != nil {
		return err
	}
	t, err := s.FindToken(ctx, tokenID)
	if err != nil || t.UserID != userID {
		return fmt.Errorf("accounts: token %d of %d: %w", tokenID, userID, ErrNotFound)
	}
	return s.RevokeToken(ctx, tokenID)
}
