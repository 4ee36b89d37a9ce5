package courses

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"taphuan/database"
)

// uploadLifetime is how long a previewed roster file waits for its confirmation.
const uploadLifetime = 24 * time.Hour

// SaveUpload keeps a roster file between its preview and the organizer's confirmation and
// returns the token that names it. Files older than a day are removed on the way.
func (s *Service) SaveUpload(ctx context.Context, courseID, userID int64, filename string, data []byte) (string, error) {
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("courses: save upload: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM import_uploads WHERE created_at < ?`,
		database.FormatTime(time.Now().Add(-uploadLifetime))); err != nil {
		return "", fmt.Errorf("courses: save upload: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_uploads (token, course_id, user_id, filename, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, token, courseID, userID, filename, data, database.Now()); err != nil {
		return "", fmt.Errorf("courses: save upload: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("courses: save upload: %w", err)
	}
	return token, nil
}

// FindUpload returns a saved roster file of courseID uploaded by userID; ErrNotFound when
// there is none (another user's, expired, or already imported).
func (s *Service) FindUpload(ctx context.Context, token string, courseID, userID int64) (filename string, data []byte, err error) {
	var u struct {
		Filename string `db:"filename"`
		Data     []byte `db:"data"`
	}
	err = s.db.R.GetContext(ctx, &u, `SELECT filename, data FROM import_uploads
		WHERE token = ? AND course_id = ? AND user_id = ? AND created_at >= ?`,
		token, courseID, userID, database.FormatTime(time.Now().Add(-uploadLifetime)))
	if isNoRows(err) {
		return "", nil, fmt.Errorf("courses: upload %s: %w", token, ErrNotFound)
	}
	if err != nil {
		return "", nil, fmt.Errorf("courses: upload %s: %w", token, err)
	}
	return u.Filename, u.Data, nil
}

// DeleteUpload removes a saved roster file (after its import).
func (s *Service) DeleteUpload(ctx context.Context, token string) error {
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM import_uploads WHERE token = ?`, token); err != nil {
		return fmt.Errorf("courses: delete upload %s: %w", token, err)
	}
	return nil
}
