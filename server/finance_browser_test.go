package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/demo"
)

// TestBrowserMoney: on the demo data, an organizer opens a course's money page, sees the
// estimate and the lists, submits the estimate editor with a fractional trainee count and
// sees the message at the field, corrects it, and the total follows; the lecturers and the
// cost norms pages read well on a phone and on a laptop.
func TestBrowserMoney(t *testing.T) {
	a := newTestApp(t)
	logins, err := demo.Load(t.Context(), a.db, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	money := "/staff/courses/" + itoa(logins.CourseID) + "/money"
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/login?next="+money),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.OrganizerMail),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#money-estimate")),
	)
	if err != nil {
		t.Fatal(err)
	}
	before := textOf(t, ctx, "#estimate-total")
	if before == "" || before == "0" {
		t.Fatalf("estimate total %q", before)
	}
	if got := textOf(t, ctx, "#honoraria-total"); got != "4.600.000" { // 4.800.000 − 200.000 withheld
		t.Errorf("honoraria net %q, want 4.600.000", got)
	}
	screenshot(t, ctx, "money")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#plan-editor summary")),
		chromedp.SetValue(chromedp.CSS("#f-expected_trainees"), "2,5"),
		chromedp.Click(chromedp.CSS("#plan-submit")),
		chromedp.WaitVisible(chromedp.CSS("#e-expected_trainees")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg := textOf(t, ctx, "#e-expected_trainees"); !strings.Contains(msg, "Nhập số nguyên") {
		t.Errorf("field message %q", msg)
	}
	if alert := textOf(t, ctx, ".alert[role=alert]"); alert == "" {
		t.Error("no error summary at the top")
	}
	screenshot(t, ctx, "money-error")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#f-expected_trainees"), "150"),
		chromedp.Click(chromedp.CSS("#plan-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if after := textOf(t, ctx, "#estimate-total"); after == before {
		t.Errorf("the estimate total did not follow 150 trainees: %q", after)
	}
	for _, p := range []struct{ path, name, wait string }{
		{"/staff/lecturers", "lecturers", "#lecturer-list"},
		{"/staff/rates", "rates", "#rates-form"},
		{money, "money-phone", "#money-support"},
	} {
		for _, size := range []struct {
			w, h   int64
			suffix string
		}{{390, 844, "-390"}, {1366, 900, "-1366"}} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(a.ts.URL+p.path),
				chromedp.WaitVisible(chromedp.CSS(p.wait))); err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, p.name+size.suffix)
		}
	}
}
