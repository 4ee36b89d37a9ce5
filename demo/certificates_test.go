package demo

import (
	"context"
	"fmt"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/database/dbtest"
)

// TestDemoCertificates: the demo organization gets its certificate template, and the demo
// course's trainees whose attendance qualifies hold numbered certificates (001/GCN-STTTT
// onwards, no gaps) whose QR codes point to the demo server; the others hold none.
func TestDemoCertificates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	logins, err := Load(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(db)
	cs := courses.New(db)
	att := attendance.New(db, cs)
	svc := certificates.New(db, cs, att, acc)
	orgs, err := acc.ListOrganizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organizations %v %v", orgs, err)
	}
	st, err := svc.Settings(ctx, orgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.UpdatedAt.IsZero() || st.NumberFormat != "%03d/GCN-STTTT" || st.PlaceName != "Khánh Hòa" ||
		st.SignerTitle != "KT. GIÁM ĐỐC" || st.SignerSubtitle != "PHÓ GIÁM ĐỐC" || st.SignerName == "" {
		t.Errorf("demo settings %+v", st)
	}
	preview, err := svc.Eligibility(ctx, logins.CourseID)
	if err != nil {
		t.Fatal(err)
	}
	eligible := 0
	for _, row := range preview.Rows {
		if row.Eligible {
			eligible++
		}
	}
	list, total, err := svc.List(ctx, certificates.Filter{CourseID: logins.CourseID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || total != eligible || total == len(preview.Rows) {
		t.Fatalf("%d certificates for %d eligible of %d trainees: want one per eligible trainee, and some not eligible",
			total, eligible, len(preview.Rows))
	}
	seen := map[string]bool{}
	for _, c := range list {
		seen[c.Number] = true
		if !c.IssuedBy.Valid {
			t.Errorf("certificate %s has no issuer", c.Number)
		}
	}
	for i := 1; i <= total; i++ {
		if n := fmt.Sprintf("%03d/GCN-STTTT", i); !seen[n] {
			t.Errorf("number %s is missing from the register", n)
		}
	}
	first := list[0]
	for _, c := range list {
		if c.Number == "001/GCN-STTTT" {
			first = c
		}
	}
	list = []certificates.Certificate{first}
	pdf, _, err := svc.PDF(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)[0]), " ")
	for _, s := range []string{"Số: 001/GCN-STTTT", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", DefaultBaseURL + "/verify/" + list[0].Code} {
		if !strings.Contains(text, s) {
			t.Errorf("demo certificate lacks %q:\n%s", s, text)
		}
	}
	v, err := svc.Verify(ctx, list[0].Code)
	if err != nil || v.Status != certificates.Valid {
		t.Errorf("verify %+v %v", v, err)
	}
}
