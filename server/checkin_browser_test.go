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
}
