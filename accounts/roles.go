package accounts

import (
	"context"
	"fmt"
	"strings"

	"taphuan/errs"
	"taphuan/vn"
)

// roles is the closed set of roles.
var roles = [...]string{RoleAdmin, RoleOrganizer, RoleStaff, RoleUnit}

// NormalizeRole maps what a form, a JSON body or a command line sent to one of the roles
// (trimmed, NFC, any case, any inner spaces), or "" when it is none of them. Every
// decision about a role is made on its result, never on the raw value: " admin" is
// "admin" to the permission check as to the database.
func NormalizeRole(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(vn.Clean(s)), ""))
	for _, r := range roles {
		if s == r {
			return r
		}
	}
	return ""
}

// ErrNotPermitted: the acting user may not create or change this user (HTTP 403).
var ErrNotPermitted = errs.New(errs.Forbidden, "err.forbidden")

// CanAdminister reports whether actor may change target (edit, disable, reset its
// password, see and revoke its tokens): administrators anyone but themselves for the
// destructive actions (checked by the caller), organizers the staff of their own
// organization.
func (actor *User) CanAdminister(target *User) bool {
	switch {
	case actor == nil || target == nil:
		return false
	case actor.IsAdmin():
		return true
	case actor.Role == RoleOrganizer:
		return target.Role == RoleStaff && target.OrganizationID == actor.OrganizationID
	}
	return false
}

// permitCreate normalizes in and decides whether actor may create it: administrators
// create anyone; organizers only check-in staff of their own organization (the
// organization is theirs whatever was sent). nil actor is the command line (trusted).
func permitCreate(actor *User, in *UserInput) error {
	in.Normalize()
	if actor == nil || actor.IsAdmin() {
		return nil
	}
	if actor.Role != RoleOrganizer {
		return fmt.Errorf("accounts: %s may not create users: %w", actor.Role, ErrNotPermitted)
	}
	if in.Role != RoleStaff && in.Role != "" {
		return fmt.Errorf("accounts: organizer %d may not create a %s: %w", actor.ID, in.Role, ErrNotPermitted)
	}
	in.OrganizationID = actor.OrganizationID
	return nil
}

// CreateUserAs is CreateUser on behalf of actor: the input is normalized first, then
// actor's right to create it is checked (ErrNotPermitted), then it is created.
func (s *Service) CreateUserAs(ctx context.Context, actor *User, in UserInput) (*User, error) {
	if err := permitCreate(actor, &in); err != nil {
		return nil, err
	}
	return s.CreateUser(ctx, in)
}
