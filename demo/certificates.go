package demo

import (
	"context"
	"fmt"
	"strings"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/database"
)

// DefaultBaseURL is where the demo's certificates point their QR codes when no base URL
// is given: the address `taphuan serve` listens on by default.
const DefaultBaseURL = "http://127.0.0.1:8080"

// loadCertificates sets up the demo organization's certificate template (Khánh Hòa, signed
// on behalf of the director) and, when the demo has a course, issues its certificates to
// the trainees whose attendance qualifies — so it runs after the attendance step.
func loadCertificates(ctx context.Context, db *database.DB, orgID, courseID int64, baseURL string) error {
	acc := accounts.New(db)
	cs := courses.New(db)
	svc := certificates.New(db, cs, attendance.New(db, cs), acc)
	_, err := svc.SaveSettings(ctx, certificates.SettingsInput{
		OrganizationID: orgID,
		NumberFormat:   "%03d/GCN-STTTT",
		PlaceName:      "Khánh Hòa",
		SignerTitle:    "KT. GIÁM ĐỐC",
		SignerSubtitle: "PHÓ GIÁM ĐỐC",
		SignerName:     "Lê Văn Thành",
		Wording:        "Đã hoàn thành chương trình lớp tập huấn",
	})
	if err != nil {
		return fmt.Errorf("demo: certificate settings: %w", err)
	}
	if courseID == 0 {
		return nil
	}
	var userID int64
	if u, err := acc.FindUserByEmail(ctx, OrganizerMail); err == nil {
		userID = u.ID
	}
	base := strings.TrimRight(baseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if _, err := svc.Issue(ctx, certificates.IssueInput{CourseID: courseID, UserID: userID,
		VerifyBase: base + "/verify/"}); err != nil {
		return fmt.Errorf("demo: certificates: %w", err)
	}
	return nil
}
