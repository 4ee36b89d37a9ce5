// Package accounts owns who may do what: organizations (the provincial departments), users
// and their roles, password hashing, login sessions stored in the database, API tokens and
// the throttle on failed logins.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/limits"
	"taphuan/vn"
)

// Roles.
const (
	RoleAdmin     = "admin"
	RoleOrganizer = "organizer"
	RoleStaff     = "staff"
	// RoleUnit is a sending unit's focal point (cán bộ đầu mối): tied to one unit of the
	// directory (UnitID), no organization; sees only its unit's seats and people.
	RoleUnit = "unit"
)

// Errors returned by this package.
var (
	ErrNotFound         = errs.New(errs.NotFound, "err.not_found")
	ErrBadCredentials   = errs.New(errs.Unauthorized, "err.bad_credentials")
	ErrThrottled        = errs.New(errs.Throttled, "err.throttled")
	ErrUnauthorized     = errs.New(errs.Unauthorized, "err.unauthorized")
	ErrDuplicateEmail   = errs.New(errs.Conflict, "err.duplicate_email")
	ErrDuplicateOrgName = errs.New(errs.Conflict, "err.duplicate_org")
)

// unknownUserHash is a bcrypt hash (of a random password nobody knows) at the cost used for
// real accounts, compared against when the e-mail is unknown.
const unknownUserHash = "$2a$10$4DDzbwFUesP39LHGmzjMAeVsxmJIlh9s5p3X8tAV6nn72Sl/mWWeK"

const (
	sessionLifetime      = 14 * 24 * time.Hour
	bcryptCost           = bcrypt.DefaultCost
	minPasswordLength    = 10
	maxPasswordLength    = 72 // bcrypt's limit
	defaultAdminEmail    = "admin@taphuan.local"
	defaultAdminName     = "Quản trị viên"
	tokenBytes           = 32
	sessionCookieBytes   = 32
	generatedPasswordLen = 12
)

// Service holds the database handles.
type Service struct {
	db     *database.DB
	limits *limits.Limiter
}

// New returns a Service over db.
func New(db *database.DB) *Service { return &Service{db: db, limits: limits.New(db, nil)} }

// Organization is a department that runs courses.
type Organization struct {
	ID         int64  `db:"id" json:"id"`
	Name       string `db:"name" json:"name"`
	ShortName  string `db:"short_name" json:"short_name"`
	ParentName string `db:"parent_name" json:"parent_name"`
	CreatedAt  string `db:"created_at" json:"-"`
}

// OrganizationInput creates an organization.
type OrganizationInput struct {
	Name       string `json:"name"`
	ShortName  string `json:"short_name"`
	ParentName string `json:"parent_name"`
}

// Normalize cleans the text fields (NFC, trimmed, single spaces).
func (in *OrganizationInput) Normalize() {
	in.Name = vn.Clean(in.Name)
	in.ShortName = vn.Clean(in.ShortName)
	in.ParentName = vn.Clean(in.ParentName)
}

// Validate checks the fields.
func (in OrganizationInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Name != "", "name", "err.required")
	f.Check(len([]rune(in.Name)) <= 200, "name", "err.too_long", 200)
	f.Check(len([]rune(in.ShortName)) <= 30, "short_name", "err.too_long", 30)
	f.Check(len([]rune(in.ParentName)) <= 200, "parent_name", "err.too_long", 200)
	return f.Err()
}

// CreateOrganization adds an organization. Returns ErrDuplicateOrgName if the name is taken.
func (s *Service) CreateOrganization(ctx context.Context, in OrganizationInput) (*Organization, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.W.QueryRowxContext(ctx, `
		INSERT INTO organizations (name, short_name, parent_name, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, in.Name, in.ShortName, in.ParentName, database.Now()).Scan(&id)
	if database.IsUniqueViolation(err) {
		return nil, fmt.Errorf("accounts: organization %q: %w", in.Name, ErrDuplicateOrgName)
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: create organization: %w", err)
	}
	return s.FindOrganizationByID(ctx, id)
}

// FindOrganizationByID returns ErrNotFound for an unknown id.
func (s *Service) FindOrganizationByID(ctx context.Context, id int64) (*Organization, error) {
	var o Organization
	err := s.db.R.GetContext(ctx, &o, `
		SELECT id, name, short_name, parent_name, created_at
		FROM organizations WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("accounts: organization %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: organization %d: %w", id, err)
	}
	return &o, nil
}

// ListOrganizations returns all organizations by name.
func (s *Service) ListOrganizations(ctx context.Context) ([]Organization, error) {
	orgs := []Organization{}
	err := s.db.R.SelectContext(ctx, &orgs, `
		SELECT id, name, short_name, parent_name, created_at
		FROM organizations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("accounts: list organizations: %w", err)
	}
	return orgs, nil
}

// User is a person who signs in: an administrator, or an organizer or staff member of one
// organization.
type User struct {
	ID             int64  `db:"id" json:"id"`
	Email          string `db:"email" json:"email"`
	Name           string `db:"name" json:"name"`
	Role           string `db:"role" json:"role"`
	OrganizationID int64  `db:"organization_id" json:"organization_id,omitempty"`
	UnitID         int64  `db:"unit_id" json:"unit_id,omitempty"` // role unit: the focal point's unit
	PasswordHash   string `db:"password_hash" json:"-"`
	CreatedAt      string `db:"created_at" json:"-"`
	DisabledAt     string `db:"disabled_at" json:"disabled_at,omitempty"`
	// MustChangePassword: the password was set by an administrator or organizer (a reset);
	// the user may do nothing but change it.
	MustChangePassword bool `db:"must_change_password" json:"must_change_password,omitempty"`
}

// Disabled reports whether the user may no longer sign in.
func (u *User) Disabled() bool { return u != nil && u.DisabledAt != "" }

// IsAdmin reports whether u administers the whole system.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// CanView reports whether u may see the courses, rosters and personal data of orgID. A
// unit's focal point sees no organization's: only its own unit's seats and people.
func (u *User) CanView(orgID int64) bool {
	return u != nil && u.Role != RoleUnit && (u.Role == RoleAdmin || u.OrganizationID == orgID)
}

// IsUnit reports whether u is a sending unit's focal point.
func (u *User) IsUnit() bool { return u != nil && u.Role == RoleUnit && u.UnitID != 0 }

// CanManage reports whether u may change the courses of orgID (organizers and admins).
func (u *User) CanManage(orgID int64) bool {
	return u != nil && (u.Role == RoleAdmin || (u.Role == RoleOrganizer && u.OrganizationID == orgID))
}

// UserInput creates a user.
type UserInput struct {
	Email          string `json:"email"`
	Name           string `json:"name"`
	Role           string `json:"role"`
	OrganizationID int64  `json:"organization_id"`
	UnitID         int64  `json:"unit_id"` // role unit only
	Password       string `json:"password"`
}

// Normalize cleans the fields; e-mail addresses compare in lower case.
func (in *UserInput) Normalize() { normalizeUser(&in.Email, &in.Name, &in.Role) }

// Validate checks the fields; a user of role unit needs a unit.
func (in UserInput) Validate() error {
	f := errs.Fields{}
	checkUser(f, in.Email, in.Name, in.Role, in.OrganizationID)
	if in.Role == RoleUnit {
		f.Check(in.UnitID > 0, "unit_id", "err.unit_required")
	}
	checkPassword(f, "password", in.Password)
	return f.Err()
}

// normalizeUser cleans what creating and editing a user share: the address (compared in
// lower case), the name, and the role (into the closed set).
func normalizeUser(email, name, role *string) {
	*email = strings.ToLower(strings.TrimSpace(*email))
	*name = vn.Clean(*name)
	*role = NormalizeRole(*role)
}

// checkUser adds the errors of what creating and editing a user share: the address, the
// name, a known role and the organization it needs. Role unit is the caller's to check.
func checkUser(f errs.Fields, email, name, role string, orgID int64) {
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		f.Add("email", "err.email")
	}
	f.Check(name != "", "name", "err.required")
	f.Check(len([]rune(name)) <= 120, "name", "err.too_long", 120)
	switch role {
	case RoleAdmin, RoleUnit:
	case RoleOrganizer, RoleStaff:
		f.Check(orgID > 0, "organization_id", "err.org_required")
	default:
		f.Add("role", "err.role")
	}
}

// CreateUser adds a user. Returns an invalid error for bad fields or an unknown
// organization, and ErrDuplicateEmail when the address is taken.
func (s *Service) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcryptCost)
	if err != nil {
		return nil, fmt.Errorf("accounts: hash password: %w", err)
	}
	var org, unit any
	switch in.Role {
	case RoleAdmin:
	case RoleUnit:
		unit = in.UnitID
	default:
		org = in.OrganizationID
	}
	var id int64
	err = s.db.W.QueryRowxContext(ctx, `
		INSERT INTO users (email, name, role, organization_id, unit_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Email, in.Name, in.Role, org, unit, string(hash), database.Now()).Scan(&id)
	switch {
	case database.IsUniqueViolation(err):
		return nil, fmt.Errorf("accounts: user %s: %w", in.Email, ErrDuplicateEmail)
	case database.IsForeignKeyViolation(err) && in.Role == RoleUnit:
		return nil, errs.Fields{"unit_id": {Key: "err.unknown_unit", Args: []any{in.UnitID}}}.Err()
	case database.IsForeignKeyViolation(err):
		f := errs.Fields{}
		f.Add("organization_id", "err.unknown_org", in.OrganizationID)
		return nil, f.Err()
	case err != nil:
		return nil, fmt.Errorf("accounts: create user: %w", err)
	}
	return s.FindUserByID(ctx, id)
}

const userColumns = `id, email, name, role, COALESCE(organization_id, 0) AS organization_id,
	COALESCE(unit_id, 0) AS unit_id, password_hash, created_at,
	COALESCE(disabled_at, '') AS disabled_at, must_change_password`

// FindUserByID returns ErrNotFound for an unknown id.
func (s *Service) FindUserByID(ctx context.Context, id int64) (*User, error) {
	return s.findUser(ctx, `id = ?`, id)
}

// FindUserByEmail returns ErrNotFound for an unknown address.
func (s *Service) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	return s.findUser(ctx, `email = ?`, strings.ToLower(strings.TrimSpace(email)))
}

func (s *Service) findUser(ctx context.Context, where string, arg any) (*User, error) {
	var u User
	err := s.db.R.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE `+where, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("accounts: user %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: user %v: %w", arg, err)
	}
	return &u, nil
}

// ListUsers returns the users of orgID (0: all users), by name.
func (s *Service) ListUsers(ctx context.Context, orgID int64) ([]User, error) {
	users := []User{}
	err := s.db.R.SelectContext(ctx, &users, `SELECT `+userColumns+` FROM users
		WHERE ? = 0 OR organization_id = ? ORDER BY role, name`, orgID, orgID)
	if err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	return users, nil
}

// CountUsers returns how many users exist.
func (s *Service) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM users`)
	return n, err
}

// EnsureFirstAdmin creates the first administrator on an empty database and returns its
// e-mail and a generated password; on a database that has users it returns "", "", nil.
func (s *Service) EnsureFirstAdmin(ctx context.Context) (email, password string, err error) {
	n, err := s.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	password = GeneratePassword()
	_, err = s.CreateUser(ctx, UserInput{Email: defaultAdminEmail, Name: defaultAdminName,
		Role: RoleAdmin, Password: password})
	if err != nil {
		return "", "", err
	}
	return defaultAdminEmail, password, nil
}

// GeneratePassword returns a random password that is easy to type (no 0/O, 1/l).
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, generatedPasswordLen)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// The login throttle counts every attempt, before the password is checked, per pair of
// account and address under stacked windows (so the delays grow: a minute after 5, a quarter
// of an hour after 10, a day after 20), and per address over all accounts. A right password
// gives the pair's attempts back. Counting first, in one statement (package limits), means
// parallel guesses cannot slip in between a check and the write of a failure; counting per
// pair means an attacker elsewhere cannot lock the owner out of their account.
var (
	loginPairRules = []limits.Rule{
		{Bucket: "login_pair_1m", Max: 5, Window: time.Minute},
		{Bucket: "login_pair_15m", Max: 10, Window: 15 * time.Minute},
		{Bucket: "login_pair_1d", Max: 20, Window: 24 * time.Hour},
	}
	loginAddrRule = limits.Rule{Bucket: "login_addr", Max: 60, Window: 15 * time.Minute}
)

// Authenticate checks an e-mail and password from ip. Returns ErrThrottled while the pair
// (account, address) or the address has too many recent attempts (even for the right
// password), ErrBadCredentials when they do not match or the account is disabled.
func (s *Service) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	pair := email + "|" + ip
	throttled := s.limits.CheckAll(ctx, pair, loginPairRules...)
	if err := s.limits.Check(ctx, loginAddrRule, ip); err != nil && throttled == nil {
		throttled = err
	}
	if throttled != nil {
		if !errors.Is(throttled, limits.ErrLimited) {
			return nil, fmt.Errorf("accounts: throttle: %w", throttled)
		}
		return nil, fmt.Errorf("accounts: login %s from %s: %w: %w", email, ip, ErrThrottled, throttled)
	}
	u, err := s.FindUserByEmail(ctx, email)
	hash := []byte(unknownUserHash)
	if err == nil {
		hash = []byte(u.PasswordHash)
	}
	// An unknown e-mail is checked against a hash too, so the time taken does not tell
	// which addresses have accounts.
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && err == nil && !u.Disabled() {
		for _, r := range loginPairRules {
			if err := s.limits.Reset(ctx, r.Bucket, pair); err != nil {
				return nil, err
			}
		}
		if err := s.limits.Refund(ctx, loginAddrRule, ip); err != nil {
			return nil, err
		}
		return u, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	_, err = s.db.W.ExecContext(ctx, `INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)`,
		email, ip, database.Now())
	if err != nil {
		return nil, fmt.Errorf("accounts: login: %w", err)
	}
	return nil, fmt.Errorf("accounts: login %s: %w", email, ErrBadCredentials)
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a login session for userID and returns the cookie value; only its
// hash is stored.
func (s *Service) CreateSession(ctx context.Context, userID int64) (string, error) {
	token := randomToken(sessionCookieBytes)
	now := time.Now()
	_, err := s.db.W.ExecContext(ctx, `
		INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at)
		VALUES (?, ?, ?, ?)`, hashToken(token), userID, database.FormatTime(now),
		database.FormatTime(now.Add(sessionLifetime)))
	if err != nil {
		return "", fmt.Errorf("accounts: create session: %w", err)
	}
	return token, nil
}

// UserBySession returns the user of a live session, or ErrUnauthorized.
func (s *Service) UserBySession(ctx context.Context, token string) (*User, error) {
	if token == "" {
		return nil, ErrUnauthorized
	}
	u, _, err := s.userWhere(ctx, `''`, `JOIN login_sessions s ON s.user_id = u.id
		WHERE s.token_hash = ? AND s.expires_at > ?`, hashToken(token), database.Now())
	return u, err
}

// DeleteSession ends a login session (logout).
func (s *Service) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.W.ExecContext(ctx, `DELETE FROM login_sessions WHERE token_hash = ? OR expires_at < ?`,
		hashToken(token), database.Now())
	if err != nil {
		return fmt.Errorf("accounts: delete session: %w", err)
	}
	return nil
}

// CreateToken makes a new API token, without expiry, for the user with this e-mail (see
// CreateTokenExpiring).
func (s *Service) CreateToken(ctx context.Context, email string) (string, error) {
	return s.CreateTokenExpiring(ctx, email, 0)
}

// UserByToken returns the owner of an API token, or ErrUnauthorized.
func (s *Service) UserByToken(ctx context.Context, token string) (*User, error) {
	if token == "" {
		return nil, ErrUnauthorized
	}
	h := hashToken(token)
	u, last, err := s.userWhere(ctx, `COALESCE(t.last_used_at, '')`, `JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?
		AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`, h, database.Now())
	if err != nil {
		return nil, err
	}
	if last < database.FormatTime(time.Now().Add(-time.Hour)) {
		s.touchToken(ctx, h)
	}
	return u, nil
}

// userWhere returns the user found through a join on a credential (a login session or an API
// token), or ErrUnauthorized, with the value of the SQL expression used — when the
// credential was last used — read in the same query.
func (s *Service) userWhere(ctx context.Context, used, join string, args ...any) (*User, string, error) {
	var row struct {
		User
		Used string `db:"credential_used"`
	}
	err := s.db.R.GetContext(ctx, &row, `SELECT u.id, u.email, u.name, u.role,
		COALESCE(u.organization_id, 0) AS organization_id, COALESCE(u.unit_id, 0) AS unit_id, u.password_hash, u.created_at,
		COALESCE(u.disabled_at, '') AS disabled_at, u.must_change_password, `+used+` AS credential_used
		FROM users u `+join+` AND u.disabled_at IS NULL`, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrUnauthorized
	}
	if err != nil {
		return nil, "", fmt.Errorf("accounts: credential: %w", err)
	}
	return &row.User, row.Used, nil
}

// ErrWrongPassword is returned by ChangePassword when the current password does not match.
var ErrWrongPassword = errs.New(errs.Invalid, "err.wrong_password")

// ChangePassword replaces the password of userID after checking the current one, ends
// the user's other login sessions (keep is the cookie value of the session to keep) and
// revokes their API tokens. It clears the demand to change a reset password.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next, keep string) error {
	u, err := s.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	f := errs.Fields{}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		f.Add("current", "err.wrong_password")
	}
	checkPassword(f, "password", next)
	if next == current {
		f.Add("password", "err.password_same")
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), bcryptCost)
	if err != nil {
		return fmt.Errorf("accounts: hash password: %w", err)
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("accounts: change password: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?`, string(hash), userID); err != nil {
		return fmt.Errorf("accounts: change password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE user_id = ? AND token_hash <> ?`, userID, hashToken(keep)); err != nil {
		return fmt.Errorf("accounts: change password: %w", err)
	}
	if err := revokeTokensTx(ctx, tx, userID); err != nil {
		return err
	}
	return tx.Commit()
}

// MoveUnitUsersTx ties the focal points of unit from to unit into, inside the caller's write
// transaction: the accounts' part of a unit merge (courses.MergeUnits runs it with the
// directory's and the registrations' parts). Returns how many users moved.
func MoveUnitUsersTx(ctx context.Context, tx *sqlx.Tx, from, into int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE users SET unit_id = ? WHERE unit_id = ?`, into, from)
	if err != nil {
		return 0, fmt.Errorf("accounts: move the focal points of unit %d: %w", from, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("accounts: move the focal points of unit %d: %w", from, err)
	}
	return n, nil
}
