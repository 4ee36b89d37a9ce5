package server

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/demo"
	"taphuan/vn"
)

// axeSource is axe-core from npm (testdata/axe/README.md).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// walkPages are the main pages of the demo, as the organizer sees them, then the public
// ones.
func walkPages(sc *sweepScene) []string {
	c1, c2 := sc.courses[0], sc.courses[1]
	return []string{
		"/", "/staff/courses", "/staff/courses/" + c1, "/staff/courses/" + c2,
		"/staff/courses/" + c1 + "/registrations", "/staff/courses/" + c1 + "/attendance",
		"/staff/courses/" + c1 + "/reports", "/staff/courses/" + c1 + "/certificates",
		"/staff/courses/" + c2 + "/registrations/import", "/staff/courses/new",
		"/staff/people", "/staff/statistics", "/staff/sessions/" + sc.sessions[1] + "/checkin",
		"/staff/certificate-settings", "/account", "/admin/users",
		"/courses/" + c2, "/courses/" + c1, "/tickets/" + sc.tickets[0], "/verify/" + sc.verify[0],
	}
}

// browserLoginAs signs in through the login page with a password.
func browserLoginAs(t *testing.T, ctx context.Context, a *testApp, email, password string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".page-dashboard")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}

// axeViolation is one serious or critical finding of axe-core.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe injects axe-core into the page and returns its serious and critical violations.
func runAxe(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`if (!window.axe) {`+axeSource+`}`)); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(0, 2).join(" "))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return out
}

// smallTargets lists the controls of the page smaller than 44×44 px (buttons, the header's
// links, pager and tab links, folding summaries) that a thumb must hit.
func smallTargets(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(
		".topbar a, .topbar button, main button, main .button, .pager a, .course-nav a, main summary, .cert-filters a"))
		.filter(e => { const s = getComputedStyle(e); return s.display !== "none" && s.visibility !== "hidden" && e.getClientRects().length > 0 && !e.closest("dialog:not([open]), details:not([open]) > :not(summary)"); })
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width < 43.5 || r.height < 43.5)
		.map(([e, r]) => (e.id ? "#" + e.id : e.tagName.toLowerCase() + "." + e.className) + " «" + e.textContent.trim().slice(0, 20) + "» " + Math.round(r.width) + "×" + Math.round(r.height))`)
}

// walkShot saves the page when TAPHUAN_WALK names a directory (for looking at every page
// at both sizes; the README's pictures are made by TAPHUAN_SCREENSHOTS).
func walkShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TAPHUAN_WALK")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the window, as a person sees it first
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserAxeAndPhoneWalk walks the main pages of the demo in Vietnamese and English: on a
// 390×844 phone axe-core (from npm) finds no serious or critical violation, every control
// is at least 44×44 px, the header is compact and nothing is wider than the window; then
// the same pages at 1366×900.
func TestBrowserAxeAndPhoneWalk(t *testing.T) {
	sc := newSweepScene(t)
	ctx := newBrowserFor(t, 8*time.Minute)
	browserLoginAs(t, ctx, sc.a, demo.OrganizerMail, demo.Password)
	for _, lang := range []string{"vi", "en"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(sc.a.ts.URL+"/lang/"+lang+"?next=/"), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
			t.Fatal(err)
		}
		for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
			var emulate chromedp.Action[chromedp.Void]
			if size[0] < 500 {
				emulate = chromedp.EmulateViewport(size[0], size[1], chromedp.EmulateMobile)
			} else {
				emulate = chromedp.EmulateViewport(size[0], size[1])
			}
			if err := chromedp.Do(ctx, emulate); err != nil {
				t.Fatal(err)
			}
			for i, p := range walkPages(sc) {
				if err := chromedp.Do(ctx, chromedp.Navigate(sc.a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("footer"))); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				walkShot(t, ctx, fmt.Sprintf("%s-%d-%02d-%s", lang, size[0], i, strings.NewReplacer("/", "_").Replace(strings.Trim(p, "/"))))
				if size[0] > 500 {
					continue
				}
				for _, v := range runAxe(t, ctx) {
					t.Errorf("%s %s: axe %s (%s): %s %q", lang, p, v.ID, v.Impact, v.Help, v.Nodes)
				}
				if small := smallTargets(t, ctx); len(small) > 0 {
					t.Errorf("%s %s: %d tap targets below 44×44 px, e.g. %q", lang, p, len(small), small[:min(3, len(small))])
				}
				if h := evalJS[float64](t, ctx, `document.querySelector(".topbar").getBoundingClientRect().height`); h > 100 {
					t.Errorf("%s %s: the phone header is %v px high", lang, p, h)
				}
				if evalJS[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
					t.Errorf("%s %s: the page is wider than the phone", lang, p)
				}
			}
		}
	}
}

// TestBrowserStaffToday: the home page of check-in staff on a phone starts with the sessions
// of today, the one under way marked; one tap opens its check-in.
func TestBrowserStaffToday(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	now := time.Now().In(vn.Location)
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
		c.StartsOn, c.EndsOn, c.Status = now.Format("2006-01-02"), now.Format("2006-01-02"), courses.StatusClosed
	})
	running := coursestest.Session(t, a.db, course.ID, now.Add(-30*time.Minute), 2*time.Hour, "Hội trường A")
	tomorrow := coursestest.Session(t, a.db, course.ID, now.AddDate(0, 0, 1), time.Hour, "Hội trường A")
	other := coursestest.Course(t, a.db, a.org("Sở khác").ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = course.StartsOn, course.EndsOn })
	coursestest.Session(t, a.db, other.ID, now.Add(-10*time.Minute), time.Hour, "Phòng 2")
	staff := a.user(accounts.RoleStaff, org.ID)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, staff)
	ids := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("#today .today-session")).map(e => e.id)`)
	if want := fmt.Sprintf("today-%d", running.ID); len(ids) != 1 || ids[0] != want {
		t.Errorf("today's sessions %v, want only %s (not tomorrow's %d nor another organization's)", ids, want, tomorrow.ID)
	}
	if got := textOf(t, ctx, "#today .today-session .badge"); got != "Đang diễn ra" {
		t.Errorf("the running session is marked %q", got)
	}
	// Today comes first on the page, above the fold, and its button is a thumb's size.
	top := evalJS[float64](t, ctx, `document.querySelector("#today .today-checkin").getBoundingClientRect().bottom`)
	if top > 844 {
		t.Errorf("the check-in button is below the fold (%v px)", top)
	}
	screenshot(t, ctx, "staff_today")
	submit(t, ctx, "#today .today-checkin")
	if !strings.HasSuffix(evalJS[string](t, ctx, `location.pathname`), fmt.Sprintf("/staff/sessions/%d/checkin", running.ID)) {
		t.Errorf("one tap leads to %s", evalJS[string](t, ctx, `location.pathname`))
	}
}
