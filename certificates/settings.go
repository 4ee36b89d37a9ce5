package certificates

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"unicode/utf8"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/pdfdoc"
	"taphuan/vn"
)

// The longest place and signer lines the settings accept: at these lengths, in wide letters,
// the signer block still fits the bottom of the page (TestRenderLongestSettings).
const (
	MaxPlaceName  = 30 // "Thành phố Hồ Chí Minh" has 21
	MaxSignerLine = 60 // "KT. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" has 44
	MaxSignerName = 50
)

// Settings are an organization's choices for its certificates (the columns' defaults when
// it has made none).
type Settings struct {
	OrganizationID int64         `db:"organization_id" json:"organization_id"`
	NumberFormat   string        `db:"number_format" json:"number_format"` // "%03d/GCN-STTTT"
	PlaceName      string        `db:"place_name" json:"place_name"`       // "Khánh Hòa"
	SignerName     string        `db:"signer_name" json:"signer_name"`
	SignerTitle    string        `db:"signer_title" json:"signer_title"`       // "KT. GIÁM ĐỐC"
	SignerSubtitle string        `db:"signer_subtitle" json:"signer_subtitle"` // "PHÓ GIÁM ĐỐC"
	Wording        string        `db:"wording" json:"wording"`
	LogoPNG        []byte        `db:"logo_png" json:"-"`
	HasLogo        bool          `db:"-" json:"has_logo"`
	UpdatedAt      database.Time `db:"updated_at" json:"updated_at"` // zero: never saved
}

// Defaults of the settings, as in the table's column defaults.
const (
	DefaultNumberFormat = "%03d/GCN"
	DefaultSignerTitle  = "GIÁM ĐỐC"
	DefaultWording      = "Đã hoàn thành lớp tập huấn"
)

// Settings returns the certificate settings of an organization, or the defaults when it
// has saved none.
func (s *Service) Settings(ctx context.Context, orgID int64) (*Settings, error) {
	st := Settings{OrganizationID: orgID, NumberFormat: DefaultNumberFormat, SignerTitle: DefaultSignerTitle,
		Wording: DefaultWording}
	err := s.db.R.GetContext(ctx, &st, `SELECT organization_id, number_format, place_name, signer_name,
		signer_title, signer_subtitle, wording, logo_png, updated_at
		FROM certificate_settings WHERE organization_id = ?`, orgID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("certificates: settings of %d: %w", orgID, err)
	}
	st.HasLogo = len(st.LogoPNG) > 0
	return &st, nil
}

// SettingsInput saves an organization's settings. Logo nil keeps the stored logo;
// RemoveLogo drops it.
type SettingsInput struct {
	OrganizationID int64  `json:"-"`
	NumberFormat   string `json:"number_format"`
	PlaceName      string `json:"place_name"`
	SignerName     string `json:"signer_name"`
	SignerTitle    string `json:"signer_title"`
	SignerSubtitle string `json:"signer_subtitle"`
	Wording        string `json:"wording"`
	Logo           []byte `json:"-"`
	RemoveLogo     bool   `json:"remove_logo"`
}

// MaxLogoBytes bounds the logo file.
const MaxLogoBytes = 1 << 20

// Normalize cleans the text fields (NFC, trimmed, single spaces).
func (in *SettingsInput) Normalize() {
	in.NumberFormat = vn.Clean(in.NumberFormat)
	in.PlaceName = vn.Clean(in.PlaceName)
	in.SignerName = vn.Clean(in.SignerName)
	in.SignerTitle = vn.Clean(in.SignerTitle)
	in.SignerSubtitle = vn.Clean(in.SignerSubtitle)
	in.Wording = vn.Clean(in.Wording)
}

// Validate checks the fields: the number format must hold exactly one integer verb ("%d",
// "%03d"), the signer title and the wording are required, the logo must be a PNG the PDF
// renderer can draw.
func (in SettingsInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.NumberFormat != "", "number_format", "err.required")
	f.Check(in.NumberFormat == "" || ValidNumberFormat(in.NumberFormat), "number_format", "cert.err.number_format")
	f.Check(utf8.RuneCountInString(in.NumberFormat) <= 40, "number_format", "err.too_long", 40)
	f.Check(utf8.RuneCountInString(in.PlaceName) <= MaxPlaceName, "place_name", "err.too_long", MaxPlaceName)
	f.Check(utf8.RuneCountInString(in.SignerName) <= MaxSignerName, "signer_name", "err.too_long", MaxSignerName)
	f.Check(in.SignerTitle != "", "signer_title", "err.required")
	f.Check(utf8.RuneCountInString(in.SignerTitle) <= MaxSignerLine, "signer_title", "err.too_long", MaxSignerLine)
	f.Check(utf8.RuneCountInString(in.SignerSubtitle) <= MaxSignerLine, "signer_subtitle", "err.too_long", MaxSignerLine)
	f.Check(in.Wording != "", "wording", "err.required")
	f.Check(utf8.RuneCountInString(in.Wording) <= 300, "wording", "err.too_long", 300)
	if in.Logo != nil {
		switch {
		case len(in.Logo) > MaxLogoBytes:
			f.Add("logo", "cert.err.logo_size", MaxLogoBytes>>10)
		case !drawableLogo(in.Logo):
			f.Add("logo", "cert.err.logo")
		}
	}
	return f.Err()
}

// ValidNumberFormat reports whether format holds exactly one integer verb — "%d" with an
// optional zero flag and width, like "%03d" — and otherwise only literal text and "%%".
func ValidNumberFormat(format string) bool {
	verbs := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		start := i
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
		// A width like %0999999d would pad for minutes: at most two digits, up to 12.
		if i-start > 3 || i-start > 0 && atoiWidth(format[start:i]) > maxNumberWidth {
			return false
		}
		if i >= len(format) || format[i] != 'd' {
			return false
		}
		verbs++
	}
	return verbs == 1
}

// maxNumberWidth is the widest zero-padded number a format may ask for.
const maxNumberWidth = 12

func atoiWidth(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// FormatNumber writes the sequence number seq with an organization's format.
func FormatNumber(format string, seq int) (string, error) {
	if !ValidNumberFormat(format) {
		return "", fmt.Errorf("certificates: number format %q: %w", format, errs.New(errs.Invalid, "cert.err.number_format"))
	}
	return fmt.Sprintf(format, seq), nil
}

// drawableLogo reports whether b is a PNG that the PDF renderer accepts (not interlaced,
// at most 8 bits per channel): it is drawn once on a scratch page.
func drawableLogo(b []byte) bool {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 || cfg.Width > 4000 || cfg.Height > 4000 {
		return false
	}
	d, err := pdfdoc.New(pdfdoc.Portrait)
	if err != nil {
		return false
	}
	d.AddPage()
	if err := d.Image(b, 10, 10, 20, 0); err != nil {
		return false
	}
	_, err = d.Bytes()
	return err == nil
}

// SaveSettings stores an organization's settings; certificates already issued keep what
// they were issued with.
func (s *Service) SaveSettings(ctx context.Context, in SettingsInput) (*Settings, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.accounts.FindOrganizationByID(ctx, in.OrganizationID); err != nil {
		return nil, fmt.Errorf("certificates: settings: %w", ErrNotFound.Wrap(err))
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("certificates: settings: %w", err)
	}
	defer tx.Rollback()
	logo := in.Logo
	if logo == nil && !in.RemoveLogo {
		err := tx.GetContext(ctx, &logo, `SELECT logo_png FROM certificate_settings WHERE organization_id = ?`, in.OrganizationID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("certificates: settings: %w", err)
		}
	}
	if len(logo) == 0 {
		logo = nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO certificate_settings (organization_id, number_format, place_name,
			signer_name, signer_title, signer_subtitle, wording, logo_png, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (organization_id) DO UPDATE SET number_format = excluded.number_format,
			place_name = excluded.place_name, signer_name = excluded.signer_name,
			signer_title = excluded.signer_title, signer_subtitle = excluded.signer_subtitle,
			wording = excluded.wording, logo_png = excluded.logo_png, updated_at = excluded.updated_at`,
		in.OrganizationID, in.NumberFormat, in.PlaceName, in.SignerName, in.SignerTitle, in.SignerSubtitle,
		in.Wording, logo, database.Now())
	if err != nil {
		return nil, fmt.Errorf("certificates: save settings of %d: %w", in.OrganizationID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("certificates: save settings: %w", err)
	}
	return s.Settings(ctx, in.OrganizationID)
}

// upperTitle is a signer title as printed.
func upperTitle(s string) string { return strings.ToUpper(vn.Clean(s)) }
