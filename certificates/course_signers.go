package certificates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// CourseSigners are a course's own signers: an override of the organization's signer
// (empty SignerTitle: the organization's), and a second signature block for a
// co-organizer (empty CoTitle: none).
type CourseSigners struct {
	CourseID       int64  `db:"course_id" json:"course_id"`
	SignerTitle    string `db:"signer_title" json:"signer_title"`
	SignerSubtitle string `db:"signer_subtitle" json:"signer_subtitle"`
	SignerName     string `db:"signer_name" json:"signer_name"`
	CoAgency       string `db:"co_agency" json:"co_agency"` // "TỈNH ĐOÀN KHÁNH HÒA"
	CoTitle        string `db:"co_title" json:"co_title"`   // "TM. BAN THƯỜNG VỤ"
	CoSubtitle     string `db:"co_subtitle" json:"co_subtitle"`
	CoName         string `db:"co_name" json:"co_name"`
}

// Normalize cleans the texts.
func (in *CourseSigners) Normalize() {
	for _, p := range []*string{&in.SignerTitle, &in.SignerSubtitle, &in.SignerName, &in.CoAgency, &in.CoTitle, &in.CoSubtitle, &in.CoName} {
		*p = vn.Clean(*p)
	}
}

// Validate checks the lengths (those of the organization's settings, so the blocks fit the
// page), and that a subtitle or name has its title.
func (in CourseSigners) Validate() error {
	f := errs.Fields{}
	for name, v := range map[string]string{"signer_title": in.SignerTitle, "signer_subtitle": in.SignerSubtitle,
		"co_agency": in.CoAgency, "co_title": in.CoTitle, "co_subtitle": in.CoSubtitle} {
		f.Check(utf8.RuneCountInString(v) <= MaxSignerLine, name, "err.too_long", MaxSignerLine)
	}
	f.Check(utf8.RuneCountInString(in.SignerName) <= MaxSignerName, "signer_name", "err.too_long", MaxSignerName)
	f.Check(utf8.RuneCountInString(in.CoName) <= MaxSignerName, "co_name", "err.too_long", MaxSignerName)
	f.Check(in.SignerTitle != "" || (in.SignerSubtitle == "" && in.SignerName == ""), "signer_title", "cert.err.title_needed")
	f.Check(in.CoTitle != "" || (in.CoSubtitle == "" && in.CoName == "" && in.CoAgency == ""), "co_title", "cert.err.title_needed")
	return f.Err()
}

// CourseSigners returns a course's own signers (all empty when it has none).
func (s *Service) CourseSigners(ctx context.Context, courseID int64) (*CourseSigners, error) {
	cs := CourseSigners{CourseID: courseID}
	err := s.db.R.GetContext(ctx, &cs, `SELECT course_id, signer_title, signer_subtitle, signer_name, co_agency,
		co_title, co_subtitle, co_name FROM certificate_course_signers WHERE course_id = ?`, courseID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("certificates: signers of course %d: %w", courseID, err)
	}
	return &cs, nil
}

// SaveCourseSigners stores a course's own signers; all empty removes them.
func (s *Service) SaveCourseSigners(ctx context.Context, in CourseSigners) (*CourseSigners, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO certificate_course_signers (course_id, signer_title,
			signer_subtitle, signer_name, co_agency, co_title, co_subtitle, co_name, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (course_id) DO UPDATE SET signer_title = excluded.signer_title,
			signer_subtitle = excluded.signer_subtitle, signer_name = excluded.signer_name,
			co_agency = excluded.co_agency, co_title = excluded.co_title, co_subtitle = excluded.co_subtitle,
			co_name = excluded.co_name, updated_at = excluded.updated_at`,
		in.CourseID, in.SignerTitle, in.SignerSubtitle, in.SignerName, in.CoAgency, in.CoTitle, in.CoSubtitle,
		in.CoName, database.Now())
	if err != nil {
		return nil, fmt.Errorf("certificates: save signers of course %d: %w", in.CourseID, err)
	}
	return s.CourseSigners(ctx, in.CourseID)
}

// apply puts the course's signers over the organization's in c.
func (cs *CourseSigners) apply(c *Content) {
	if cs == nil {
		return
	}
	if cs.SignerTitle != "" {
		c.SignerTitle, c.SignerSub, c.SignerName = cs.SignerTitle, cs.SignerSubtitle, cs.SignerName
	}
	c.CoAgency, c.CoTitle, c.CoSub, c.CoName = cs.CoAgency, cs.CoTitle, cs.CoSubtitle, cs.CoName
}
