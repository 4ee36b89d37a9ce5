package finance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// The standard lecturer tiers of the provinces' resolutions; any other text is a custom tier
// of the organization (e.g. "Chuyên gia").
const (
	TierCentral    = "central"    // trung ương
	TierProvincial = "provincial" // cấp tỉnh
	TierDistrict   = "district"   // cấp huyện, xã
)

// StandardTiers returns the standard tiers in their order (a fresh slice each call).
func StandardTiers() []string { return []string{TierCentral, TierProvincial, TierDistrict} }

// TierLabel is the Vietnamese name of a tier as printed.
func TierLabel(t string) string {
	switch t {
	case TierCentral:
		return "Trung ương"
	case TierProvincial:
		return "Cấp tỉnh"
	case TierDistrict:
		return "Cấp huyện, xã"
	}
	return t
}

// NormalizeTier maps what people type (the key, the Vietnamese name with or without marks)
// onto a standard tier; other text stays, cleaned, as a custom tier.
func NormalizeTier(s string) string {
	s = vn.Clean(s)
	switch vn.Fold(s) {
	case TierCentral, "trung uong", "cap trung uong":
		return TierCentral
	case TierProvincial, "cap tinh", "tinh":
		return TierProvincial
	case TierDistrict, "cap huyen", "cap huyen, xa", "cap xa", "huyen", "xa", "cap huyen xa":
		return TierDistrict
	}
	return s
}

// Lecturer is a lecturer's record. TaxCode, IDNumber, BankAccount and BankName are for the
// organizers who pay: see Public.
type Lecturer struct {
	ID             int64  `db:"id" json:"id"`
	OrganizationID int64  `db:"organization_id" json:"organization_id"`
	FullName       string `db:"full_name" json:"full_name"`
	Title          string `db:"title" json:"title"`
	Position       string `db:"position" json:"position"`
	Workplace      string `db:"workplace" json:"workplace"`
	Tier           string `db:"tier" json:"tier"`
	Phone          string `db:"phone" json:"phone"`
	Email          string `db:"email" json:"email"`
	TaxCode        string `db:"tax_code" json:"tax_code,omitempty"`
	IDNumber       string `db:"id_number" json:"id_number,omitempty"`
	BankAccount    string `db:"bank_account" json:"bank_account,omitempty"`
	BankName       string `db:"bank_name" json:"bank_name,omitempty"`
	CreatedAt      string `db:"created_at" json:"-"`
	UpdatedAt      string `db:"updated_at" json:"-"`
}

// Public is the record without what only organizers may see (for check-in staff).
func (l Lecturer) Public() Lecturer {
	l.TaxCode, l.IDNumber, l.BankAccount, l.BankName = "", "", "", ""
	return l
}

// DisplayName is the name as printed: "ThS. Nguyễn Văn Hùng".
func (l Lecturer) DisplayName() string {
	if l.Title == "" {
		return l.FullName
	}
	return l.Title + " " + l.FullName
}

// LecturerInput is a lecturer as an organizer fills it in.
type LecturerInput struct {
	OrganizationID int64  `json:"organization_id"`
	FullName       string `json:"full_name"`
	Title          string `json:"title"`
	Position       string `json:"position"`
	Workplace      string `json:"workplace"`
	Tier           string `json:"tier"`
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	TaxCode        string `json:"tax_code"`
	IDNumber       string `json:"id_number"`
	BankAccount    string `json:"bank_account"`
	BankName       string `json:"bank_name"`
}

// LecturerPatch changes some fields (nil: unchanged).
type LecturerPatch struct {
	FullName    *string `json:"full_name"`
	Title       *string `json:"title"`
	Position    *string `json:"position"`
	Workplace   *string `json:"workplace"`
	Tier        *string `json:"tier"`
	Phone       *string `json:"phone"`
	Email       *string `json:"email"`
	TaxCode     *string `json:"tax_code"`
	IDNumber    *string `json:"id_number"`
	BankAccount *string `json:"bank_account"`
	BankName    *string `json:"bank_name"`
}

// Normalize cleans the fields: NFC, spaces, the tier onto its closed set where it is one,
// the phone to its national form, digits only in tax code, ID number and account.
func (in *LecturerInput) Normalize() {
	for _, p := range []*string{&in.FullName, &in.Title, &in.Position, &in.Workplace, &in.Email, &in.BankName} {
		*p = vn.Clean(*p)
	}
	in.Tier = NormalizeTier(in.Tier)
	in.Phone = vn.Clean(in.Phone)
	if p, err := vn.NormalizePhone(in.Phone); err == nil {
		in.Phone = p
	}
	strip := strings.NewReplacer(" ", "", ".", "", "-", "")
	in.IDNumber = strip.Replace(vn.Clean(in.IDNumber))
	in.BankAccount = strip.Replace(vn.Clean(in.BankAccount))
	in.TaxCode = strings.ReplaceAll(strings.ReplaceAll(vn.Clean(in.TaxCode), " ", ""), ".", "")
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Validate checks every field.
func (in LecturerInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.OrganizationID > 0, "organization_id", "err.required")
	f.Check(in.FullName != "", "full_name", "err.required")
	f.Check(len([]rune(in.FullName)) <= 200, "full_name", "err.too_long", 200)
	f.Check(len([]rune(in.Title)) <= 30, "title", "err.too_long", 30)
	f.Check(len([]rune(in.Position)) <= 200, "position", "err.too_long", 200)
	f.Check(len([]rune(in.Workplace)) <= 300, "workplace", "err.too_long", 300)
	f.Check(len([]rune(in.Tier)) <= 50, "tier", "err.too_long", 50)
	if in.Phone != "" {
		_, err := vn.NormalizePhone(in.Phone)
		f.Check(err == nil, "phone", "finance.err.phone")
	}
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		f.Check(err == nil && a.Address == in.Email && len(in.Email) <= 254, "email", "finance.err.email")
	}
	if in.TaxCode != "" {
		// 10 digits, or 10 digits, a hyphen and 3 (a branch).
		tc := strings.ReplaceAll(in.TaxCode, "-", "")
		f.Check(digitsOnly(tc) && (len(tc) == 10 || len(tc) == 13) &&
			(!strings.Contains(in.TaxCode, "-") || len(in.TaxCode) == 14 && in.TaxCode[10] == '-'),
			"tax_code", "finance.err.tax_code")
	}
	if in.IDNumber != "" {
		f.Check(digitsOnly(in.IDNumber) && (len(in.IDNumber) == 12 || len(in.IDNumber) == 9), "id_number", "finance.err.id_number")
	}
	if in.BankAccount != "" {
		f.Check(digitsOnly(in.BankAccount) && len(in.BankAccount) >= 6 && len(in.BankAccount) <= 20, "bank_account", "finance.err.bank_account")
	}
	f.Check(len([]rune(in.BankName)) <= 200, "bank_name", "err.too_long", 200)
	return f.Err()
}

const lecturerColumns = `id, organization_id, full_name, title, position, workplace, tier, phone, email,
	tax_code, id_number, bank_account, bank_name, created_at, updated_at`

// CreateLecturer adds a lecturer record.
func (s *Service) CreateLecturer(ctx context.Context, in LecturerInput) (*Lecturer, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := database.Now()
	var id int64
	err := s.db.W.QueryRowxContext(ctx, `
		INSERT INTO lecturers (organization_id, full_name, name_folded, title, position, workplace, tier, phone,
			email, tax_code, id_number, bank_account, bank_name, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.OrganizationID, in.FullName, vn.Fold(in.FullName), in.Title, in.Position, in.Workplace, in.Tier, in.Phone,
		in.Email, in.TaxCode, in.IDNumber, in.BankAccount, in.BankName, now, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("finance: create lecturer: %w", err)
	}
	return s.FindLecturerByID(ctx, id)
}

// FindLecturerByID returns ErrNotFound for an unknown id.
func (s *Service) FindLecturerByID(ctx context.Context, id int64) (*Lecturer, error) {
	var l Lecturer
	err := s.db.R.GetContext(ctx, &l, `SELECT `+lecturerColumns+` FROM lecturers WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("finance: lecturer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("finance: lecturer %d: %w", id, err)
	}
	return &l, nil
}

// ListLecturers returns the lecturers of an organization by name (the Vietnamese way).
func (s *Service) ListLecturers(ctx context.Context, orgID int64) ([]Lecturer, error) {
	out := []Lecturer{}
	if err := s.db.R.SelectContext(ctx, &out, `SELECT `+lecturerColumns+` FROM lecturers
		WHERE organization_id = ? ORDER BY id`, orgID); err != nil {
		return nil, fmt.Errorf("finance: lecturers of %d: %w", orgID, err)
	}
	sortLecturers(out)
	return out, nil
}

// UpdateLecturer applies p. Returns ErrNotFound for an unknown id. Modules keep the name
// they were written with.
func (s *Service) UpdateLecturer(ctx context.Context, id int64, p LecturerPatch) (*Lecturer, error) {
	l, err := s.FindLecturerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in := LecturerInput{OrganizationID: l.OrganizationID, FullName: l.FullName, Title: l.Title, Position: l.Position,
		Workplace: l.Workplace, Tier: l.Tier, Phone: l.Phone, Email: l.Email, TaxCode: l.TaxCode,
		IDNumber: l.IDNumber, BankAccount: l.BankAccount, BankName: l.BankName}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.FullName, p.FullName)
	set(&in.Title, p.Title)
	set(&in.Position, p.Position)
	set(&in.Workplace, p.Workplace)
	set(&in.Tier, p.Tier)
	set(&in.Phone, p.Phone)
	set(&in.Email, p.Email)
	set(&in.TaxCode, p.TaxCode)
	set(&in.IDNumber, p.IDNumber)
	set(&in.BankAccount, p.BankAccount)
	set(&in.BankName, p.BankName)
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	_, err = s.db.W.ExecContext(ctx, `
		UPDATE lecturers SET full_name = ?, name_folded = ?, title = ?, position = ?, workplace = ?, tier = ?,
			phone = ?, email = ?, tax_code = ?, id_number = ?, bank_account = ?, bank_name = ?, updated_at = ?
		WHERE id = ?`,
		in.FullName, vn.Fold(in.FullName), in.Title, in.Position, in.Workplace, in.Tier, in.Phone, in.Email,
		in.TaxCode, in.IDNumber, in.BankAccount, in.BankName, database.Now(), id)
	if err != nil {
		return nil, fmt.Errorf("finance: update lecturer %d: %w", id, err)
	}
	return s.FindLecturerByID(ctx, id)
}

// LecturerName implements courses.LecturerDirectory: the printed name of a lecturer of
// orgID; a lecturer of another organization is not found.
func (s *Service) LecturerName(ctx context.Context, orgID, id int64) (string, error) {
	l, err := s.FindLecturerByID(ctx, id)
	if err != nil {
		return "", err
	}
	if l.OrganizationID != orgID {
		return "", fmt.Errorf("finance: lecturer %d of another organization: %w", id, ErrNotFound)
	}
	return l.DisplayName(), nil
}

func sortLecturers(ls []Lecturer) {
	slices.SortStableFunc(ls, func(a, b Lecturer) int { return vn.CompareNames(a.FullName, b.FullName) })
}
