package documents

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// The kinds of documents, as in API.md.
const (
	KindDecision            = "decision"             // quyết định mở lớp + kế hoạch
	KindSummons             = "summons"              // giấy triệu tập of one unit
	KindSummonsAll          = "summons_all"          // công văn to all units + quota table
	KindCertificateDecision = "certificate_decision" // quyết định cấp GCN + danh sách
	KindReport              = "report"               // báo cáo kết quả lớp
)

// Kinds returns the kinds in the order of the documents page (a fresh slice each call).
func Kinds() []string {
	return []string{KindDecision, KindSummonsAll, KindSummons, KindCertificateDecision, KindReport}
}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k string) bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Formats of the files.
const (
	FormatPDF  = "pdf"
	FormatDOCX = "docx"
)

// Errors.
var (
	// ErrNoUnit: a call-up letter needs a sending unit of the course.
	ErrNoUnit = errs.New(errs.NotFound, "doc.err.no_unit")
)

// Service drafts the documents of courses.
type Service struct {
	db      *database.DB
	courses *courses.Service
	attend  *attendance.Service
	certs   *certificates.Service
	acc     *accounts.Service
	src     Sources
	now     func() time.Time
}

// New returns a Service; src holds the optional sources of other areas (nil fields are
// left out of the documents).
func New(db *database.DB, cs *courses.Service, as *attendance.Service, certs *certificates.Service, acc *accounts.Service, src Sources) *Service {
	return &Service{db: db, courses: cs, attend: as, certs: certs, acc: acc, src: src, now: time.Now}
}

// org returns what the documents need of an organization.
func (s *Service) org(ctx context.Context, orgID int64) (*Org, error) {
	o, err := s.acc.FindOrganizationByID(ctx, orgID)
	if err != nil {
		return nil, err
	}
	cs, err := s.certs.Settings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := &Org{ID: o.ID, Name: o.Name, ShortName: o.ShortName, ParentName: o.ParentName, Place: cs.PlaceName, SignerName: cs.SignerName}
	if !cs.UpdatedAt.IsZero() {
		if cs.SignerSubtitle != "" {
			out.SignerAuthority, out.SignerTitle = cs.SignerTitle, cs.SignerSubtitle
		} else {
			out.SignerTitle = cs.SignerTitle
		}
	}
	return out, nil
}

// Unit names a sending unit of a course: by its id in the units directory or, for a unit
// text that matched no unit, by the text as written on the registrations.
type Unit struct {
	ID   int64
	Name string
}

// Item is one document of a course's list.
type Item struct {
	Kind   string
	Title  string
	Unit   string // the unit of a call-up letter
	UnitID int64  // its id in the units directory; 0 for a text that matched none
}

// List returns the documents of a course: the decision, the letter to all units, one
// call-up letter per sending unit (those with a quota or a confirmed trainee), the
// certificate decision and the report.
func (s *Service) List(ctx context.Context, courseID int64) ([]Item, error) {
	units, err := s.courses.QuotaFill(ctx, courseID)
	if err != nil {
		return nil, err
	}
	items := []Item{
		{Kind: KindDecision, Title: "Quyết định mở lớp và Kế hoạch tổ chức lớp"},
		{Kind: KindSummonsAll, Title: "Công văn triệu tập các đơn vị (kèm bảng phân bổ chỉ tiêu)"},
	}
	for _, u := range units {
		if (u.Seats == nil && u.Confirmed == 0) || vn.Fold(u.Name) == "" {
			continue // no letter to trainees who named no unit
		}
		items = append(items, Item{Kind: KindSummons, Title: "Giấy triệu tập: " + u.Name, Unit: u.Name, UnitID: u.UnitID})
	}
	items = append(items,
		Item{Kind: KindCertificateDecision, Title: "Quyết định cấp giấy chứng nhận và Danh sách kèm theo"},
		Item{Kind: KindReport, Title: "Báo cáo kết quả tổ chức lớp"})
	return items, nil
}

// File is a drafted document to download.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Draft builds the document kind of a course and renders it in format (FormatPDF or
// FormatDOCX). unit names the unit of a call-up letter; ErrNoUnit if it is not one of the
// course's. Returns courses.ErrNotFound for an unknown course, an Invalid error for an
// unknown kind or format.
func (s *Service) Draft(ctx context.Context, courseID int64, kind, format string, unit Unit) (*File, error) {
	f := errs.Fields{}
	f.Check(ValidKind(kind), "kind", "doc.err.kind")
	f.Check(format == FormatPDF || format == FormatDOCX, "format", "doc.err.format")
	if err := f.Err(); err != nil {
		return nil, err
	}
	doc, agency, err := s.Build(ctx, courseID, kind, unit)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s-%d", strings.ReplaceAll(kind, "_", "-"), courseID)
	if kind == KindSummons {
		name += "-" + slug(unit.Name)
	}
	if format == FormatPDF {
		b, err := PDF(doc, agency, s.now())
		if err != nil {
			return nil, err
		}
		return &File{Name: name + ".pdf", ContentType: "application/pdf", Data: b}, nil
	}
	b, err := DOCX(doc, agency, s.now())
	if err != nil {
		return nil, err
	}
	return &File{Name: name + ".docx", ContentType: DocxType, Data: b}, nil
}

// slug is a file-name-safe form of a unit's name: folded, letters and digits, dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range vn.Fold(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}
