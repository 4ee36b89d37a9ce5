package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/attendance"
)

// browserLogin signs u in through the login page.
func browserLogin(t *testing.T, ctx context.Context, a *testApp, u *accounts.User) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), u.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".page-dashboard")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", u.Email, err)
	}
}

// waitJS waits until the JavaScript expression is true.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (sc *attendanceScene) marks(t *testing.T) map[int64]string {
	t.Helper()
	ro, err := sc.a.srv.attend.SessionRoster(t.Context(), sc.running.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, e := range ro.Entries {
		out[e.ID] = e.Mark
	}
	return out
}

// TestBrowserCheckIn: a staff member at the door, on a phone-sized screen, checks one
// trainee in by typing the ticket code (as a keyboard-wedge scanner does) and another by
// tapping the roster, and sees the count go up without the page reloading; then the
// network drops, a tap waits in the queue with a banner, and is saved when it comes back.
func TestBrowserCheckIn(t *testing.T) {
	t.Parallel()
	sc := newAttendanceScene(t)
	a := sc.a
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, sc.staff)
	sessPath := "/staff/sessions/" + id(sc.running.ID) + "/checkin"
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+sessPath),
		chromedp.WaitVisible(chromedp.CSS("#roster")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-attended") + "/" + textOf(t, ctx, "#count-expected"); got != "0/3" {
		t.Fatalf("count before: %s, want 0/3", got)
	}
	// Anything done now survives only if the page is never reloaded.
	evalJS[bool](t, ctx, `window.__sameDocument = true`)

	// 1. A ticket code typed into the scan box, then Enter.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#scan"), sc.yen.Code+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#r`+id(sc.yen.ID)+`[data-mark="present"]:not(.pending)`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-attended"); got != "1" {
		t.Errorf("count after the ticket code: %s, want 1", got)
	}
	if got := textOf(t, ctx, "#scan-result"); !strings.Contains(got, "Nguyễn Thị Hải Yến") {
		t.Errorf("scan result %q does not name the trainee", got)
	}

	// 2. Search without diacritics, then one tap on the roster.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#search"), "dang van duc"),
		chromedp.WaitNotVisible(chromedp.CSS(`#r`+id(sc.anh.ID))),
		chromedp.Click(chromedp.CSS(`#r`+id(sc.duc.ID)+` .m-present`)),
		chromedp.WaitVisible(chromedp.CSS(`#r`+id(sc.duc.ID)+`[data-mark="present"]:not(.pending)`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "#count-attended"); got != "2" {
		t.Errorf("count after the tap: %s, want 2", got)
	}
	if got := textOf(t, ctx, "#count-none"); got != "1" {
		t.Errorf("not yet marked: %s, want 1", got)
	}
	if !evalJS[bool](t, ctx, `window.__sameDocument === true`) {
		t.Fatal("the page reloaded")
	}
	m := sc.marks(t)
	if m[sc.yen.ID] != "present" || m[sc.duc.ID] != "present" || m[sc.anh.ID] != "" {
		t.Errorf("saved marks %v", m)
	}
	log, _, _ := a.srv.attend.ListLog(t.Context(), attendance.LogFilter{SessionID: sc.running.ID})
	sources := map[int64]string{}
	for _, e := range log {
		sources[e.RegistrationID] = e.Source
	}
	if sources[sc.yen.ID] != "scan" || sources[sc.duc.ID] != "tap" {
		t.Errorf("logged sources %v, want scan for the code and tap for the roster", sources)
	}
	evalJS[bool](t, ctx, `(function(s){ s.value = ""; s.dispatchEvent(new Event("input")); return true })(document.getElementById("search"))`)
	screenshot(t, ctx, "checkin")

	// 3. The network drops: the tap shows, waits in the queue with a banner, and is saved
	// once the network is back.
	offline := func(off bool) {
		t.Helper()
		conds := []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}
		if !off {
			conds = []*network.Conditions{}
		}
		err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds})
			return err
		}))
		if err != nil {
			t.Fatalf("network offline=%v: %v", off, err)
		}
	}
	offline(true)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#r`+id(sc.anh.ID)+` .m-late`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the offline banner", `!document.getElementById("offline").hidden`)
	if got := textOf(t, ctx, "#count-attended"); got != "3" {
		t.Errorf("count while offline: %s, want 3 (shown at once)", got)
	}
	if q := evalJS[string](t, ctx, `localStorage.getItem("taphuan.checkin.queue.`+id(sc.running.ID)+`")`); !strings.Contains(q, `"status":"late"`) {
		t.Errorf("queue in localStorage: %s", q)
	}
	if m := sc.marks(t); m[sc.anh.ID] != "" {
		t.Fatalf("saved while offline? %v", m)
	}
	offline(false)
	waitJS(t, ctx, "the retry", `document.getElementById("offline").hidden && !document.querySelector("#r`+id(sc.anh.ID)+`").classList.contains("pending")`)
	if m := sc.marks(t); m[sc.anh.ID] != "late" {
		t.Errorf("after the network came back: %v, want Ánh late", m)
	}
	if q := evalJS[string](t, ctx, `localStorage.getItem("taphuan.checkin.queue.`+id(sc.running.ID)+`")`); q != "[]" {
		t.Errorf("queue left: %s", q)
	}

	// The matrix page, wide.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.ts.URL+"/staff/courses/"+id(sc.course.ID)+"/attendance"),
		chromedp.WaitVisible(chromedp.CSS("table.matrix")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "table.matrix tbody tr:nth-child(3)"); !strings.Contains(got, "Nguyễn Thị Hải Yến") || !strings.Contains(got, "50%") {
		t.Errorf("Yến's matrix row %q, want 50%% (one of two sessions)", got)
	}
	screenshot(t, ctx, "attendance")

	// The other pages of the area, for the README's pictures: they render with their data.
	for _, pg := range []struct{ path, css, want, name string }{
		// Staff see the reports without the payment list (issue 10: it is the organizers').
		{"/staff/courses/" + id(sc.course.ID) + "/reports", "#report-stats", "Danh sách ký nhận", "reports"},
		{"/staff/sessions/" + id(sc.running.ID) + "/tickback", "#tickback-save", "Nhập từ danh sách ký nhận", "tickback"},
		{"/staff/statistics?from=2023-01-01", "#stats-attended", "Thống kê", "statistics"},
	} {
		err = chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.css)))
		if err != nil {
			t.Fatalf("%s: %v", pg.path, err)
		}
		if got := textOf(t, ctx, "main"); !strings.Contains(got, pg.want) {
			t.Errorf("%s lacks %q", pg.path, pg.want)
		}
		screenshot(t, ctx, pg.name)
	}
}

// TestBrowserSelfCheckIn: the projector shows a code; a trainee opens the self check-in
// page on a phone with that code, confirms with their ticket code and is checked in; the
// projector's count follows within its refresh.
func TestBrowserSelfCheckIn(t *testing.T) {
	t.Parallel()
	sc := newAttendanceScene(t)
	a := sc.a
	ctx := newBrowser(t)
	browserLogin(t, ctx, a, sc.staff)
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/staff/sessions/"+id(sc.running.ID)+"/selfcheckin"),
		chromedp.WaitVisible(chromedp.CSS("#self-qr")),
	)
	if err != nil {
		t.Fatal(err)
	}
	code := textOf(t, ctx, "#self-code")
	if len(code) != 6 {
		t.Fatalf("projector code %q", code)
	}
	if w := evalJS[float64](t, ctx, `document.getElementById("self-qr").naturalWidth`); w < 100 {
		t.Errorf("the QR image is %v px wide: not drawn", w)
	}
	screenshot(t, ctx, "selfcheckin")

	// The trainee's phone: a browser context of its own, signed in as nobody.
	phone, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	err = chromedp.Do(phone,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(a.ts.URL+"/self/"+id(sc.running.ID)+"?k="+code),
		chromedp.WaitVisible(chromedp.CSS("#f-ticket")),
		chromedp.SendKeys(chromedp.CSS("#f-ticket"), sc.yen.Code),
		chromedp.Click(chromedp.CSS("#self-submit")),
		chromedp.WaitVisible(chromedp.CSS("#self-result")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, phone, "#self-result"); got != "Nguyễn Thị Hải Yến" {
		t.Errorf("the phone shows %q", got)
	}
	if n := evalJS[int](t, phone, `document.querySelectorAll("#logout").length`); n != 0 {
		t.Error("the phone is signed in: the test would not show what a trainee sees")
	}
	screenshot(t, phone, "selfcheckin_phone")
	if m := sc.marks(t); m[sc.yen.ID] != "present" {
		t.Errorf("marks %v", m)
	}
}
