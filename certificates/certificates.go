// Package certificates owns the certificate of completion (giấy chứng nhận) from rule to
// register: who is eligible under a course's rule (attendance percent, mandatory sessions)
// and the organizers' overrides; the register of each organization, whose numbers are
// sequential per year and never repeat or skip, however many issue at once; the PDF on the
// official pattern, rendered once at issue and stored with its SHA-256 so every download
// is byte for byte what was issued; public verification by a random code held in the QR;
// revoking and reissuing; and the bulk outputs (one PDF for printing, a ZIP of files).
//
// It reads courses, registrations and attendance through their services and owns the
// tables certificate_settings, certificate_counters, certificates and
// eligibility_overrides.
package certificates

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
)

// Certificate statuses.
const (
	Valid      = "valid"
	Revoked    = "revoked"
	Superseded = "superseded"
)

// Errors returned by this package.
var (
	ErrNotFound = errs.New(errs.NotFound, "cert.err.not_found")
	// ErrNotValid: the certificate was revoked or superseded, so it cannot be revoked.
	ErrNotValid = errs.New(errs.Conflict, "cert.err.not_valid")
	// ErrSuperseded: only the newest certificate of a chain can be reissued.
	ErrSuperseded = errs.New(errs.Conflict, "cert.err.superseded")
	// ErrChanged: someone else changed the certificate at the same moment; try again.
	ErrChanged = errs.New(errs.Conflict, "cert.err.changed")
)

// Service holds the database handles and the services it reads courses, rosters,
// attendance and organizations from.
type Service struct {
	db       *database.DB
	courses  *courses.Service
	attend   *attendance.Service
	accounts *accounts.Service
	testRule TestRule // optional further condition (the post-test minimum); nil: none
	// beforeRegister, when set (by tests), runs between rendering with the predicted
	// numbers and the registering transaction: where a concurrent issue can slip in.
	beforeRegister func()
	listener       Listener // told of each certificate registered (notify's outbox); nil: nobody
}

// Listener is told of each certificate registered, inside the transaction that registers
// it, so that what it writes (the message to the trainee) commits with it.
type Listener interface {
	CertificateIssued(ctx context.Context, tx *sqlx.Tx, courseID, registrationID int64, email, code string) error
}

// SetListener installs l (nil: nobody listens). Call it once, before serving.
func (s *Service) SetListener(l Listener) { s.listener = l }

// New returns a Service over db.
func New(db *database.DB, cs *courses.Service, as *attendance.Service, acc *accounts.Service) *Service {
	return &Service{db: db, courses: cs, attend: as, accounts: acc}
}

// Certificate is one entry of an organization's register. The PDF is not loaded with it;
// see PDF.
type Certificate struct {
	ID             int64          `db:"id" json:"id"`
	OrganizationID int64          `db:"organization_id" json:"organization_id"`
	CourseID       int64          `db:"course_id" json:"course_id"`
	RegistrationID int64          `db:"registration_id" json:"registration_id"`
	Year           int            `db:"year" json:"year"`
	Seq            int            `db:"seq" json:"seq"`
	Number         string         `db:"number" json:"number"`
	Code           string         `db:"code" json:"code"`
	Status         string         `db:"status" json:"status"`
	FullName       string         `db:"full_name" json:"full_name"`
	CourseTitle    string         `db:"course_title" json:"course_title"` // as printed
	CourseStartsOn string         `db:"course_starts_on" json:"-"`        // as printed
	CourseEndsOn   string         `db:"course_ends_on" json:"-"`          // as printed
	Agency         string         `db:"agency" json:"-"`                  // the issuing agency as printed
	IssuedOn       string         `db:"issued_on" json:"issued_on"`       // YYYY-MM-DD, the date printed
	IssuedAt       database.Time  `db:"issued_at" json:"issued_at"`
	IssuedBy       sql.NullInt64  `db:"issued_by" json:"-"`
	SHA256         string         `db:"sha256" json:"sha256"`
	RevokedAt      database.Time  `db:"revoked_at" json:"revoked_at"`
	RevokeReason   string         `db:"revoke_reason" json:"revoke_reason,omitempty"`
	RevokedBy      sql.NullInt64  `db:"revoked_by" json:"-"`
	RevokedByName  sql.NullString `db:"revoked_by_name" json:"-"` // the user's name now
	ReplacesID     sql.NullInt64  `db:"replaces_id" json:"-"`
	SupersededBy   sql.NullInt64  `db:"superseded_by" json:"-"`
	SupersededNo   sql.NullString `db:"superseded_number" json:"-"`
}

// certColumns lists the columns of Certificate (table alias c, without the PDF).
const certColumns = `c.id, c.organization_id, c.course_id, c.registration_id, c.year, c.seq, c.number,
	c.code, c.status, c.full_name, c.course_title, c.course_starts_on, c.course_ends_on, c.agency, c.issued_on, c.issued_at, c.issued_by, c.sha256, c.revoked_at,
	c.revoke_reason, c.revoked_by, c.replaces_id, c.superseded_by,
	(SELECT n.number FROM certificates n WHERE n.id = c.superseded_by) AS superseded_number,
	(SELECT u.name FROM users u WHERE u.id = c.revoked_by) AS revoked_by_name`

// FindByID returns ErrNotFound for an unknown id.
func (s *Service) FindByID(ctx context.Context, id int64) (*Certificate, error) {
	return s.find(ctx, "c.id = ?", id)
}

// FindByCode finds a certificate by its verification code; ErrNotFound if none.
func (s *Service) FindByCode(ctx context.Context, code string) (*Certificate, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, fmt.Errorf("certificates: empty code: %w", ErrNotFound)
	}
	return s.find(ctx, "c.code = ?", code)
}

// FindValidByRegistration returns the valid certificate of a registration, or ErrNotFound.
func (s *Service) FindValidByRegistration(ctx context.Context, registrationID int64) (*Certificate, error) {
	return s.find(ctx, "c.registration_id = ? AND c.status = 'valid'", registrationID)
}

func (s *Service) find(ctx context.Context, where string, arg any) (*Certificate, error) {
	var c Certificate
	err := s.db.R.GetContext(ctx, &c, `SELECT `+certColumns+` FROM certificates c WHERE `+where, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("certificates: certificate %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("certificates: certificate %v: %w", arg, err)
	}
	return &c, nil
}

// PDF returns the stored file of a certificate, exactly as issued, with the certificate.
func (s *Service) PDF(ctx context.Context, id int64) ([]byte, *Certificate, error) {
	c, err := s.FindByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var pdf []byte
	if err := s.db.R.GetContext(ctx, &pdf, `SELECT pdf FROM certificates WHERE id = ?`, id); err != nil {
		return nil, nil, fmt.Errorf("certificates: pdf of %d: %w", id, err)
	}
	return pdf, c, nil
}

// Filter selects certificates of one course.
type Filter struct {
	CourseID int64
	Statuses []string // empty: all
	Limit    int      // 0: no limit
	Offset   int
}

// List returns the certificates of a course in register order (year, number) and the
// total that match.
func (s *Service) List(ctx context.Context, f Filter) ([]Certificate, int, error) {
	// The statuses come from a request: brought into their closed set (each once) before
	// they become SQL parameters — 40,000 of them answered "too many SQL variables".
	var statuses []string
	for _, st := range f.Statuses {
		st = strings.ToLower(strings.TrimSpace(st))
		if st == "" {
			continue
		}
		if st != Valid && st != Revoked && st != Superseded {
			return nil, 0, errs.Fields{"status": {Key: "cert.err.status_filter"}}.Err()
		}
		if !slices.Contains(statuses, st) {
			statuses = append(statuses, st)
		}
	}
	f.Statuses = statuses
	where := "c.course_id = ?"
	args := []any{f.CourseID}
	if len(f.Statuses) > 0 {
		where += " AND c.status IN (?)"
		args = append(args, f.Statuses)
	}
	where, args, err := sqlx.In(where, args...) // the statuses, one ? each
	if err != nil {
		return nil, 0, fmt.Errorf("certificates: list of course %d: %w", f.CourseID, err)
	}
	var total int
	if err := s.db.R.GetContext(ctx, &total, `SELECT COUNT(*) FROM certificates c WHERE `+where, args...); err != nil {
		return nil, 0, fmt.Errorf("certificates: count: %w", err)
	}
	q := `SELECT ` + certColumns + ` FROM certificates c WHERE ` + where + ` ORDER BY c.year, c.seq`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	list := []Certificate{}
	if err := s.db.R.SelectContext(ctx, &list, q, args...); err != nil {
		return nil, 0, fmt.Errorf("certificates: list of course %d: %w", f.CourseID, err)
	}
	return list, total, nil
}

// Verification is what anyone holding a certificate's code may learn: its status, number,
// holder's name and course title as printed, issuer and dates — nothing else about the
// holder.
type Verification struct {
	Status       string        `json:"status"`
	Number       string        `json:"number"`
	FullName     string        `json:"full_name"`
	CourseTitle  string        `json:"course_title"`
	CourseDates  string        `json:"-"`
	Organization string        `json:"organization"`
	IssuedOn     string        `json:"issued_on"`
	RevokedAt    database.Time `json:"revoked_at,omitempty"`
	// ReplacedBy is the number (not the code) of the certificate that superseded this one.
	ReplacedBy string `json:"replaced_by,omitempty"`
}

// Verify looks a code up for the public verification page; ErrNotFound if unknown.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	c, err := s.FindByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	// Everything shown is what the certificate printed: the course may have been renamed
	// or moved and the agency renamed or merged since.
	v := &Verification{Status: c.Status, Number: c.Number, FullName: c.FullName, CourseTitle: c.CourseTitle,
		CourseDates: CourseDates(c.CourseStartsOn, c.CourseEndsOn), Organization: c.Agency, IssuedOn: c.IssuedOn,
		RevokedAt: c.RevokedAt, ReplacedBy: c.SupersededNo.String}
	return v, nil
}

// newCode returns a verification code: 128 random bits, URL-safe base64 (22 characters).
func newCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("certificates: random code: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
