package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses/coursestest"
)

// TestBrowserCertificateNumberAndSigners: a clerk edits the certificate number as text
// before, digits and text after, and the preview follows as they type (no format string on
// the page); then gives a course its own signer and a co-organizer's block. At 390 and 1366.
func TestBrowserCertificateNumberAndSigners(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID)
	u := a.user(accounts.RoleOrganizer, org.ID)
	ctx := newBrowser(t)
	if err := retryDo(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, u)
	if err := retryDo(ctx,
		chromedp.Navigate(a.ts.URL+"/staff/certificate-settings"),
		chromedp.WaitVisible(chromedp.CSS("#f-number_suffix")),
		chromedp.Clear(chromedp.CSS("#f-number_suffix")),
		chromedp.SendKeys(chromedp.CSS("#f-number_suffix"), "/GCN-STTTT"),
	); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, ctx, `(() => { const d = document.querySelector("#f-number_digits"); d.value = "4"; return d.dispatchEvent(new Event("change")); })()`)
	if got := jsText(t, ctx, "#number-example"); got != "Số: 0012/GCN-STTTT" {
		t.Errorf("live preview %q", got)
	}
	if body := jsText(t, ctx, "main"); strings.Contains(body, "%0") {
		t.Error("the settings page shows a format string")
	}
	screenshot(t, ctx, "cert_number_390")
	if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#save-settings"))); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "saved", `!!document.querySelector(".flash")`)
	if st, _ := a.srv.certs.Settings(t.Context(), org.ID); st.NumberFormat != "%04d/GCN-STTTT" {
		t.Errorf("stored format %q", st.NumberFormat)
	}

	for _, w := range []int64{390, 1366} {
		if err := retryDo(ctx,
			chromedp.EmulateViewport(w, map[int64]int64{390: 844, 1366: 900}[w]),
			chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d/certificates", a.ts.URL, course.ID)),
			chromedp.WaitVisible(chromedp.CSS("#course-signers-link")),
		); err != nil {
			t.Fatal(err)
		}
		if err := retryDo(ctx, chromedp.Click(chromedp.CSS("#course-signers-link"))); err != nil {
			t.Fatal(err)
		}
		waitAfterClick(t, ctx, "the signers form", `!!document.querySelector("#f-co_title")`)
		if over := evalJS[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`); over {
			t.Errorf("the signers page is wider than %d px", w)
		}
		screenshot(t, ctx, fmt.Sprintf("cert_signers_%d", w))
	}
	if err := retryDo(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-co_name"), "Lê Văn Phối"),
		chromedp.Click(chromedp.CSS("#signers-save")),
	); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "the refusal", `!!document.querySelector("#e-co_title")`)
	if err := retryDo(ctx,
		chromedp.WaitVisible(chromedp.CSS("#e-co_title")),
		chromedp.SendKeys(chromedp.CSS("#f-co_agency"), "Tỉnh Đoàn Khánh Hòa"),
		chromedp.SendKeys(chromedp.CSS("#f-co_title"), "TM. Ban Thường vụ"),
		chromedp.Click(chromedp.CSS("#signers-save")),
	); err != nil {
		t.Fatal(err)
	}
	waitAfterClick(t, ctx, "saved", `!!document.querySelector(".flash") && location.pathname.endsWith("/certificates")`)
	cs, err := a.srv.certs.CourseSigners(t.Context(), course.ID)
	if err != nil || cs.CoTitle != "TM. Ban Thường vụ" || cs.CoName != "Lê Văn Phối" || cs.CoAgency != "Tỉnh Đoàn Khánh Hòa" {
		t.Errorf("saved signers %+v %v", cs, err)
	}
}
