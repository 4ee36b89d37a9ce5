package accounts

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
)

// Token is an API token as lists show it: never the token itself (only its hash is kept).
type Token struct {
	ID         int64  `db:"id" json:"id"`
	UserID     int64  `db:"user_id" json:"user_id"`
	Email      string `db:"email" json:"email"`
	CreatedAt  string `db:"created_at" json:"created_at"`
	ExpiresAt  string `db:"expires_at" json:"expires_at,omitempty"`
	LastUsedAt string `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  string `db:"revoked_at" json:"revoked_at,omitempty"`
}

// Active reports whether the token still works at now.
func (t Token) Active(now time.Time) bool {
	if t.RevokedAt != "" {
		return false
	}
	if t.ExpiresAt == "" {
		return true
	}
	exp, err := database.ParseTime(t.ExpiresAt)
	return err == nil && exp.After(now)
}

// ErrBadDuration is returned by ParseLifetime for what is not like 90d, 12h or 30m.
var ErrBadDuration = errs.Fields{"expires": {Key: "err.duration"}}.Err()

// ParseLifetime reads a token lifetime: a number of days (90d), hours (12h) or minutes
// (30m); "" or "0" is no expiry.
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" || s == "0" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 || n > 3650*24*60 || time.Duration(n)*unit > 3650*24*time.Hour {
		return 0, ErrBadDuration
	}
	return time.Duration(n) * unit, nil
}

// CreateTokenExpiring makes a new API token for the user with this e-mail, valid for ttl
// (0: until revoked), and returns it; only its hash is stored, so it cannot be shown again.
func (s *Service) CreateTokenExpiring(ctx context.Context, email string, ttl time.Duration) (string, error) {
	u, err := s.FindUserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	if u.Disabled() {
		return "", fmt.Errorf("accounts: user %s is disabled: %w", email, ErrNotPermitted)
	}
	var expires any
	if ttl > 0 {
		expires = database.FormatTime(time.Now().Add(ttl))
	}
	token := "th_" + randomToken(tokenBytes)
	_, err = s.db.W.ExecContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		u.ID, hashToken(token), database.Now(), expires)
	if err != nil {
		return "", fmt.Errorf("accounts: create token: %w", err)
	}
	return token, nil
}

// ListTokens returns the tokens of userID (0: everyone's), newest first.
func (s *Service) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	ts := []Token{}
	err := s.db.R.SelectContext(ctx, &ts, `SELECT t.id, t.user_id, u.email, t.created_at,
		COALESCE(t.expires_at, '') AS expires_at, COALESCE(t.last_used_at, '') AS last_used_at,
		COALESCE(t.revoked_at, '') AS revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE ? = 0 OR t.user_id = ? ORDER BY t.id DESC`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("accounts: list tokens: %w", err)
	}
	return ts, nil
}

// FindToken returns one token; ErrNotFound for an unknown id.
func (s *Service) FindToken(ctx context.Context, id int64) (*Token, error) {
	var t Token
	err := s.db.R.GetContext(ctx, &t, `SELECT t.id, t.user_id, u.email, t.created_at,
		COALESCE(t.expires_at, '') AS expires_at, COALESCE(t.last_used_at, '') AS last_used_at,
		COALESCE(t.revoked_at, '') AS revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("accounts: token %d: %w", id, ErrNotFound)
	}
	return &t, nil
}

// RevokeToken makes a token stop working at once; ErrNotFound for an unknown id.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.db.W.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, database.Now(), id)
	if err != nil {
		return fmt.Errorf("accounts: revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("accounts: token %d: %w", id, ErrNotFound)
	}
	return nil
}

// signOutEverywhereTx ends every login session of the user and revokes their API tokens
// (a disabled account, a reset password).
func signOutEverywhereTx(ctx context.Context, tx *sqlx.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("accounts: sessions of %d: %w", userID, err)
	}
	return revokeTokensTx(ctx, tx, userID)
}

func revokeTokensTx(ctx context.Context, tx *sqlx.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`,
		database.Now(), userID); err != nil {
		return fmt.Errorf("accounts: revoke tokens of %d: %w", userID, err)
	}
	return nil
}

// touchToken records when a token was last used, at most once an hour (a write per API
// call would queue every read behind the writer).
func (s *Service) touchToken(ctx context.Context, hash string) {
	now := time.Now()
	_, _ = s.db.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?
		AND (last_used_at IS NULL OR last_used_at < ?)`, database.FormatTime(now), hash,
		database.FormatTime(now.Add(-time.Hour)))
}
