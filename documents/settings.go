package documents

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Settings are what an organization's documents say besides the course's data: its
// symbol, place and deciding authority, the source of funds, and per group of documents
// the legal bases, the signer and the recipients. An organization keeps defaults; a course
// may keep its own copy, changed before drafting.
type Settings struct {
	Symbol    string `json:"symbol"`    // "STTTT", printed in "Số: …/QĐ-STTTT"
	Place     string `json:"place"`     // "Khánh Hòa", of the date line
	Authority string `json:"authority"` // "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG", deciding
	Funding   string `json:"funding"`   // the source of funds of the plan
	// Invitation makes the units' letters invitations (Giấy mời) rather than call-ups
	// (Giấy triệu tập), for trainees the agency does not manage.
	Invitation bool `json:"invitation"`
	// Assignments is the plan's "Tổ chức thực hiện": who does what.
	Assignments         string       `json:"assignments"`
	Decision            KindSettings `json:"decision"`
	Summons             KindSettings `json:"summons"` // the call-up letters and the letter to all units
	CertificateDecision KindSettings `json:"certificate_decision"`
	Report              KindSettings `json:"report"`
}

// KindSettings are the bases, signer and recipients of one group of documents.
type KindSettings struct {
	Bases           []string `json:"bases"` // decisions only
	SignerAuthority string   `json:"signer_authority"`
	SignerTitle     string   `json:"signer_title"`
	SignerName      string   `json:"signer_name"`
	Recipients      []string `json:"recipients"`
}

// Groups returns the names of the KindSettings of Settings, in the order of the forms
// (a fresh slice each call).
func Groups() []string { return []string{"decision", "summons", "certificate_decision", "report"} }

// Group returns the KindSettings named g (one of Groups), or nil.
func (st *Settings) Group(g string) *KindSettings {
	switch g {
	case "decision":
		return &st.Decision
	case "summons":
		return &st.Summons
	case "certificate_decision":
		return &st.CertificateDecision
	case "report":
		return &st.Report
	}
	return nil
}

// HasBases reports whether documents of group g have "Căn cứ" lines (the decisions).
func HasBases(g string) bool { return g == "decision" || g == "certificate_decision" }

// Limits of the settings, in characters.
const (
	MaxSymbol     = 20
	MaxPlace      = 30
	MaxLine       = 120 // authority, a recipient
	MaxSignerLine = 60
	MaxSignerName = 50
	MaxBase       = 400
	MaxItems      = 12 // bases, recipients
	MaxText       = 2000
	MaxReportText = 8000
)

// Lines splits a textarea into its non-empty lines, cleaned.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = vn.Clean(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// cleanText cleans each line of a multi-line text and drops blank lines at the ends.
func cleanText(s string) string { return strings.Join(Lines(s), "\n") }

// Normalize cleans every field (NFC, trimmed, single spaces; empty lines dropped) and puts
// the symbol in upper case.
func (st *Settings) Normalize() {
	st.Symbol = strings.ToUpper(vn.Clean(st.Symbol))
	st.Place = vn.Clean(st.Place)
	st.Authority = vn.Clean(st.Authority)
	st.Funding = cleanText(st.Funding)
	st.Assignments = cleanText(st.Assignments)
	for _, g := range Groups() {
		k := st.Group(g)
		k.Bases = Lines(strings.Join(k.Bases, "\n"))
		k.Recipients = Lines(strings.Join(k.Recipients, "\n"))
		for i, r := range k.Recipients {
			// The dash of each item is printed; one typed in would double it.
			k.Recipients[i] = strings.TrimSpace(strings.TrimLeft(r, "-–+•* "))
		}
		k.Recipients = Lines(strings.Join(k.Recipients, "\n"))
		k.SignerAuthority = strings.ToUpper(vn.Clean(k.SignerAuthority))
		k.SignerTitle = strings.ToUpper(vn.Clean(k.SignerTitle))
		k.SignerName = vn.Clean(k.SignerName)
		if !HasBases(g) {
			k.Bases = nil
		}
	}
}

// Validate checks the settings; field names are those of the forms ("symbol",
// "decision_signer_title", …).
func (st Settings) Validate() error {
	f := errs.Fields{}
	long := func(field, s string, n int) { f.Check(utf8.RuneCountInString(s) <= n, field, "err.too_long", n) }
	f.Check(st.Symbol != "", "symbol", "err.required")
	long("symbol", st.Symbol, MaxSymbol)
	f.Check(validSymbol(st.Symbol), "symbol", "doc.err.symbol")
	f.Check(st.Place != "", "place", "err.required")
	long("place", st.Place, MaxPlace)
	f.Check(st.Authority != "", "authority", "err.required")
	long("authority", st.Authority, MaxLine)
	long("funding", st.Funding, MaxText)
	long("assignments", st.Assignments, MaxText)
	for _, g := range Groups() {
		k := st.Group(g)
		f.Check(len(k.Bases) <= MaxItems, g+"_bases", "doc.err.items", MaxItems)
		for _, b := range k.Bases {
			long(g+"_bases", b, MaxBase)
		}
		f.Check(len(k.Recipients) <= MaxItems, g+"_recipients", "doc.err.items", MaxItems)
		for _, r := range k.Recipients {
			long(g+"_recipients", r, MaxLine)
		}
		long(g+"_signer_authority", k.SignerAuthority, MaxSignerLine)
		f.Check(k.SignerTitle != "", g+"_signer_title", "err.required")
		long(g+"_signer_title", k.SignerTitle, MaxSignerLine)
		long(g+"_signer_name", k.SignerName, MaxSignerName)
	}
	return f.Err()
}

// validSymbol: letters (Đ included), digits, "&" and "-", like "STTTT", "SKHCN", "SLĐTBXH".
func validSymbol(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' && r != '-' {
			return false
		}
	}
	return true
}

// Defaults are the settings of an organization that saved none, from its name and, when
// saved, its certificate settings (place and signer).
func Defaults(org Org) Settings {
	symbol := strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' || r == '-' {
			return r
		}
		return -1
	}, org.ShortName))
	if symbol == "" {
		symbol = "VP"
	}
	place := org.Place
	if place == "" {
		place = "……"
	}
	title := org.SignerTitle
	if title == "" {
		title = "GIÁM ĐỐC"
	}
	signer := func(recipients ...string) KindSettings {
		return KindSettings{SignerAuthority: org.SignerAuthority, SignerTitle: title, SignerName: org.SignerName, Recipients: recipients}
	}
	name := vn.Clean(org.Name)
	st := Settings{
		Symbol:    symbol,
		Place:     place,
		Authority: "GIÁM ĐỐC " + strings.ToUpper(name),
		Funding:   "Kinh phí tổ chức lớp từ nguồn kinh phí được giao năm " + "…" + " của " + name + " theo dự toán được duyệt.",
		Assignments: "Văn phòng chủ trì, phối hợp với các phòng, đơn vị liên quan chuẩn bị nội dung, tài liệu, hội trường và các điều kiện phục vụ lớp tập huấn.\n" +
			"Các đơn vị được triệu tập cử đúng thành phần, số lượng học viên tham dự đầy đủ thời gian lớp tập huấn.",
		Decision:            signer("Như Điều 3;", "Lãnh đạo Sở;", "Lưu: VT."),
		Summons:             signer("Như trên;", "Lưu: VT."),
		CertificateDecision: signer("Như Điều 3;", "Lưu: VT."),
		Report:              signer("Lãnh đạo Sở;", "Lưu: VT."),
	}
	st.Decision.Bases = []string{
		"Căn cứ Quyết định số ……/QĐ-UBND ngày …… của Ủy ban nhân dân tỉnh quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của " + name + ";",
		"Căn cứ Thông tư số 36/2018/TT-BTC ngày 30 tháng 3 năm 2018 của Bộ Tài chính hướng dẫn việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí dành cho công tác đào tạo, bồi dưỡng cán bộ, công chức, viên chức;",
		"Theo đề nghị của Chánh Văn phòng.",
	}
	st.CertificateDecision.Bases = []string{
		"Căn cứ Quyết định số ……/QĐ-UBND ngày …… của Ủy ban nhân dân tỉnh quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của " + name + ";",
		"Xét kết quả học tập của học viên và đề nghị của Chánh Văn phòng.",
	}
	return st
}

// Org is what the defaults and the header need to know of the issuing organization.
type Org struct {
	ID         int64
	Name       string // "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"
	ShortName  string // "STTTT"
	ParentName string // "UBND TỈNH KHÁNH HÒA"
	// From the certificate settings, when saved: the place and the signer.
	Place                                    string
	SignerAuthority, SignerTitle, SignerName string
}

// OrgSettings returns the organization's saved settings, or its defaults (saved false).
func (s *Service) OrgSettings(ctx context.Context, orgID int64) (st *Settings, saved bool, err error) {
	var data string
	err = s.db.R.GetContext(ctx, &data, `SELECT data FROM document_settings WHERE organization_id = ?`, orgID)
	if errors.Is(err, sql.ErrNoRows) {
		org, err := s.org(ctx, orgID)
		if err != nil {
			return nil, false, err
		}
		d := Defaults(*org)
		return &d, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("documents: settings of organization %d: %w", orgID, err)
	}
	st, err = decode(data)
	return st, true, err
}

func decode(data string) (*Settings, error) {
	var st Settings
	if err := json.Unmarshal([]byte(data), &st); err != nil {
		return nil, fmt.Errorf("documents: stored settings: %w", err)
	}
	return &st, nil
}

// SaveOrgSettings validates and stores an organization's defaults.
func (s *Service) SaveOrgSettings(ctx context.Context, orgID int64, st Settings) (*Settings, error) {
	st.Normalize()
	if err := st.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	_, err = s.db.W.ExecContext(ctx, `INSERT INTO document_settings (organization_id, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (organization_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		orgID, string(b), database.Now())
	if err != nil {
		return nil, fmt.Errorf("documents: save settings of organization %d: %w", orgID, err)
	}
	return &st, nil
}

// CourseSettings returns the settings a course's documents are drafted with: its own copy
// if it saved one (own true), else its organization's.
func (s *Service) CourseSettings(ctx context.Context, courseID, orgID int64) (st *Settings, own bool, err error) {
	var data string
	err = s.db.R.GetContext(ctx, &data, `SELECT settings FROM course_documents WHERE course_id = ?`, courseID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("documents: settings of course %d: %w", courseID, err)
	}
	if data != "" {
		st, err := decode(data)
		return st, true, err
	}
	st, _, err = s.OrgSettings(ctx, orgID)
	return st, false, err
}

// SaveCourseSettings validates and stores a course's own copy of the settings.
func (s *Service) SaveCourseSettings(ctx context.Context, courseID int64, st Settings) (*Settings, error) {
	st.Normalize()
	if err := st.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	_, err = s.db.W.ExecContext(ctx, `INSERT INTO course_documents (course_id, settings, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (course_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
		courseID, string(b), database.Now())
	if err != nil {
		return nil, fmt.Errorf("documents: save settings of course %d: %w", courseID, err)
	}
	return &st, nil
}

// ResetCourseSettings drops a course's own settings: it follows its organization again.
func (s *Service) ResetCourseSettings(ctx context.Context, courseID int64) error {
	_, err := s.db.W.ExecContext(ctx, `UPDATE course_documents SET settings = '', updated_at = ? WHERE course_id = ?`,
		database.Now(), courseID)
	if err != nil {
		return fmt.Errorf("documents: reset settings of course %d: %w", courseID, err)
	}
	return nil
}

// ReportText is the editable part of the result report.
type ReportText struct {
	Assessment string // Đánh giá chung
	Proposals  string // Đề xuất, kiến nghị
}

// Normalize cleans each line.
func (in *ReportText) Normalize() {
	in.Assessment = cleanText(in.Assessment)
	in.Proposals = cleanText(in.Proposals)
}

// Validate bounds the texts.
func (in ReportText) Validate() error {
	f := errs.Fields{}
	f.Check(utf8.RuneCountInString(in.Assessment) <= MaxReportText, "assessment", "err.too_long", MaxReportText)
	f.Check(utf8.RuneCountInString(in.Proposals) <= MaxReportText, "proposals", "err.too_long", MaxReportText)
	return f.Err()
}

// ReportTexts returns the course's saved assessment and proposals (empty when none).
func (s *Service) ReportTexts(ctx context.Context, courseID int64) (ReportText, error) {
	var rt ReportText
	row := s.db.R.QueryRowxContext(ctx, `SELECT assessment, proposals FROM course_documents WHERE course_id = ?`, courseID)
	if err := row.Scan(&rt.Assessment, &rt.Proposals); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return rt, fmt.Errorf("documents: report text of course %d: %w", courseID, err)
	}
	return rt, nil
}

// SaveReportTexts validates and stores the course's assessment and proposals.
func (s *Service) SaveReportTexts(ctx context.Context, courseID int64, in ReportText) (ReportText, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return in, err
	}
	_, err := s.db.W.ExecContext(ctx, `INSERT INTO course_documents (course_id, assessment, proposals, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (course_id) DO UPDATE SET assessment = excluded.assessment, proposals = excluded.proposals, updated_at = excluded.updated_at`,
		courseID, in.Assessment, in.Proposals, database.Now())
	if err != nil {
		return in, fmt.Errorf("documents: save report text of course %d: %w", courseID, err)
	}
	return in, nil
}
