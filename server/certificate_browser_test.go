package server

import (
	"bytes"
	"context"
	"image"
	"io"
	"net/http"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"taphuan/certificates"
)

// TestBrowserCertificates: an organizer issues the certificates of a course, opens one,
// follows the address its QR code holds to the public verification page (on a phone-sized
// screen) and sees it valid; revokes it, and the same page says revoked.
func TestBrowserCertificates(t *testing.T) {
	t.Parallel()
	sc := newCertScene(t)
	a := sc.a
	ctx := newBrowser(t)
	certAcceptDialogs(ctx)

	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login?next="+"/staff/courses/"+itoa(sc.course.ID)+"/certificates"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), sc.organizer.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#issue")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-due"); got != "2" {
		t.Errorf("due before issuing: %q, want 2", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#issue")), // asks for confirmation first
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS("#register-table")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if flash := textOf(t, ctx, ".flash"); !strings.Contains(flash, "Đã cấp 2 giấy chứng nhận") {
		t.Errorf("flash %q", flash)
	}
	if got := textOf(t, ctx, "#count-issued"); got != "2" {
		t.Errorf("issued: %q, want 2", got)
	}
	screenshot(t, ctx, "certificates")

	// Open the second certificate of the register (Yến's, 002/GCN).
	row := "#register-table tbody tr:nth-child(2)"
	if got := textOf(t, ctx, row+" td:first-child"); got != "002/GCN" {
		t.Fatalf("second row number %q", got)
	}
	href := certAttr(t, ctx, row+" .cert-download", "href")
	pdf := certFetch(t, a, sc, href)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF", href)
	}
	verifyPath := certAttr(t, ctx, row+" .cert-verify-link", "href")
	verifyURL := verifyPath
	if strings.HasPrefix(verifyPath, "/") {
		verifyURL = a.ts.URL + verifyPath
	}
	// The QR code on the certificate holds exactly that address.
	certQRHolds(t, pdf, verifyURL)

	// Follow it on a phone.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(verifyURL),
		chromedp.WaitVisible(chromedp.CSS("#verify-status")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#verify-status"); got != "Giấy chứng nhận hợp lệ" {
		t.Errorf("verify status %q", got)
	}
	if got := textOf(t, ctx, "#verify-name"); got != "Nguyễn Thị Hải Yến" {
		t.Errorf("verify name %q", got)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	if err != nil || width > 390 {
		t.Errorf("verify page is %d px wide on a 390 px phone (%v)", width, err)
	}
	screenshot(t, ctx, "verify")

	// Revoke it, with a reason, from the register.
	certID := strings.TrimSuffix(strings.TrimPrefix(href, "/api/v1/certificates/"), ".pdf")
	sel := "#cert-" + certID
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.ts.URL+"/staff/courses/"+itoa(sc.course.ID)+"/certificates#register"),
		chromedp.WaitVisible(chromedp.CSS(sel+" details summary")),
		chromedp.Click(chromedp.CSS(sel+" details summary")),
		chromedp.WaitVisible(chromedp.CSS("#revoke-reason-"+certID)),
		chromedp.SendKeys(chromedp.CSS("#revoke-reason-"+certID), "Cấp nhầm người"),
		chromedp.Click(chromedp.CSS(sel+" details button[type=submit]")), // confirmation first
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, sel+" .cert-status-badge"); got != "Đã thu hồi" {
		t.Errorf("status after revoking %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(verifyURL),
		chromedp.WaitVisible(chromedp.CSS("#verify-status")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#verify-status"); got != "Giấy chứng nhận đã bị thu hồi" {
		t.Errorf("verify status after revoking %q", got)
	}
	if note := textOf(t, ctx, "#verify-note"); !strings.Contains(note, "thu hồi") {
		t.Errorf("verify note %q", note)
	}
}

// certAcceptDialogs accepts every confirmation the page asks (data-confirm).
func certAcceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			go func() {
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}()
}

func certAttr(t *testing.T, ctx context.Context, css, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(css), name))
	if err != nil || !v.Exists {
		t.Fatalf("%s[%s]: %v", css, name, err)
	}
	return v.Value
}

// certFetch downloads a staff link as the course's organizer.
func certFetch(t *testing.T, a *testApp, sc *certScene, path string) []byte {
	t.Helper()
	resp, err := a.login(sc.organizer).Get(a.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return b
}

// certQRHolds renders the QR code of a certificate at 300 dpi and reads it back module by
// module against an independent encoding of want.
func certQRHolds(t *testing.T, pdf []byte, want string) {
	t.Helper()
	q, err := qrcode.New(want, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	modules := q.Bitmap()
	x, y, size := certificates.QRArea()
	const dpi = 300
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	crop := image.Rect(px(x), px(y), px(x)+px(size), px(y)+px(size))
	img, _ := pdftest.Render(t, pdf, 1, dpi, &crop)
	mod := size / float64(len(modules))
	origin := image.Pt(px(x), px(y))
	bad := 0
	for r := range modules {
		for c := range modules[r] {
			p := image.Pt(int((x+(float64(c)+0.5)*mod)/25.4*dpi), int((y+(float64(r)+0.5)*mod)/25.4*dpi)).Sub(origin)
			cr, cg, cb, _ := img.At(p.X, p.Y).RGBA()
			if ((cr+cg+cb)/3 < 0x8000) != modules[r][c] {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("the certificate's QR code does not hold %q: %d modules differ", want, bad)
	}
}
