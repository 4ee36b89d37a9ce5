package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDocuments: an organizer opens the Documents tab of a course, sees every
// document with its two downloads, writes the report's assessment, gives the course its
// own signer (a bad symbol first: the error shows at the field), and goes back to the
// organization's defaults after confirming. Screenshots at phone and desktop sizes.
func TestBrowserDocuments(t *testing.T) {
	sc := newDocScene(t)
	a := sc.a
	ctx := newBrowser(t)
	certAcceptDialogs(ctx)
	course := "/staff/courses/" + itoa(sc.course.ID)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/login?next="+course),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), sc.organizer.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(`.course-nav a[href$="/documents"]`)),
		chromedp.Click(chromedp.CSS(`.course-nav a[href$="/documents"]`)),
		chromedp.WaitVisible(chromedp.CSS("#doc-list")),
	)
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#doc-list li").length`))
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 { // decision, letter to all, certificate decision, report; 2 call-up letters
		t.Errorf("%d documents listed, want 6", n)
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#doc-list a[href$=".pdf"], #doc-list a[href*=".pdf?"], #doc-list a[href$=".docx"], #doc-list a[href*=".docx?"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if links != 12 {
		t.Errorf("%d download links, want 12", links)
	}
	if got := textOf(t, ctx, `#doc-letters li`); !strings.Contains(got, docUnitYen) {
		t.Errorf("first call-up letter: %q", got)
	}
	screenshot(t, ctx, "documents")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-assessment"), "Lớp đạt mục tiêu đề ra."),
		chromedp.Click(chromedp.CSS("#save-report")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, ".flash"); !strings.Contains(got, "Đã lưu đánh giá") {
		t.Errorf("flash %q", got)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#edit-course-settings")),
		chromedp.WaitVisible(chromedp.CSS("#doc-settings-form")),
		chromedp.SetValue(chromedp.CSS("#f-symbol"), "QĐ/1"),
		chromedp.SetValue(chromedp.CSS("#f-decision_signer_name"), "Lê Thị Riêng"),
		chromedp.Click(chromedp.CSS("#save-doc-settings")),
		chromedp.WaitVisible(chromedp.CSS("#e-symbol")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#e-symbol"); !strings.Contains(got, "Ký hiệu chỉ gồm chữ") {
		t.Errorf("symbol error %q", got)
	}
	if got := textOf(t, ctx, ".alert[role=alert]"); got == "" {
		t.Error("no error summary at the top")
	}
	screenshot(t, ctx, "documents_settings_error")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-symbol"), "STTTT"),
		chromedp.Click(chromedp.CSS("#save-doc-settings")),
		chromedp.WaitVisible(chromedp.CSS("#doc-list")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#doc-settings"); !strings.Contains(got, "Lê Thị Riêng") || !strings.Contains(got, "thông tin văn bản riêng") {
		t.Errorf("settings box after saving: %q", got)
	}

	// Phone-sized pages.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#doc-list")))
	if err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("the documents page scrolls sideways on a phone")
	}
	screenshot(t, ctx, "documents_phone")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#edit-course-settings")),
		chromedp.WaitVisible(chromedp.CSS("#reset-doc-settings")),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "documents_settings_phone")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#reset-doc-settings")), // asks first
		chromedp.WaitVisible(chromedp.CSS("#doc-list")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#doc-settings"); strings.Contains(got, "Lê Thị Riêng") {
		t.Errorf("after the reset: %q", got)
	}

	// The organization's defaults, on a desktop.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/staff/document-settings"),
		chromedp.WaitVisible(chromedp.CSS("#doc-settings-form")),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "document_settings")
}
