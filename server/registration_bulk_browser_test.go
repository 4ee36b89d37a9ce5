package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// dialogRecorder accepts every confirmation the page asks and keeps their texts.
type dialogRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func recordDialogs(ctx context.Context) *dialogRecorder {
	d := &dialogRecorder{}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.msgs = append(d.msgs, ev.Message)
			d.mu.Unlock()
			go func() {
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}()
	return d
}

// waitAfterClick waits until expr is true on the page a click led to; the evaluation is
// retried while the old page is being replaced (its JavaScript context goes away).
func waitAfterClick(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s (%s): %v", what, expr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// jsText is the text of the first element matching css, read by JavaScript (no DOM node
// ids, which go stale while a page is replaced), retried until it exists.
func jsText(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	expr := `(() => { const e = document.querySelector(` + strconv.Quote(css) + `); return e ? e.textContent.trim() : null; })()`
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*string](expr))
		if err == nil && v != nil {
			return *v
		}
		if time.Now().After(deadline) {
			t.Fatalf("text of %s: %v", css, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// retryDo runs actions, again when they failed only because the page was being replaced
// under them (a stale node id, "-32000"), which fails before anything is clicked or typed.
func retryDo(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	var err error
	for range 10 {
		if err = chromedp.Do(ctx, actions...); err == nil || !strings.Contains(err.Error(), "-32000") {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}

func (d *dialogRecorder) all() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.msgs...)
}

// TestBrowserBulkApprove160: an organizer approves 160 pending applicants of a 150-seat course
// (5 seats already taken) in one action: open the pending list, tick "all matching the
// filter" (the list shows 50 a page), apply, confirm once — four clicks. The earliest 145 are
// confirmed, the other 15 wait in order, and the waiting list view lists them by position.
// A row's own actions open inside the window at 1366 and at 390 wide.
func TestBrowserBulkApprove160(t *testing.T) {
	a := newTestApp(t)
	org := coursestest.Org(t, a.db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) {
		c.Capacity, c.RegistrationMode = 150, courses.ModeApproval
	})
	for i := range 5 {
		coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: fmt.Sprintf("Trần Văn Sớm %c", 'A'+i),
			Organization: "UBND xã Cam Hải Tây"}, courses.RegConfirmed)
	}
	var pending []int64
	for i := range 160 {
		r := coursestest.Registration(t, a.db, course.ID, coursestest.Person{
			FullName:     fmt.Sprintf("Nguyễn Thị Hồng %c%c", 'A'+i/26, 'A'+i%26),
			Position:     "Công chức Văn hóa - Xã hội",
			Organization: "Ủy ban nhân dân xã Ninh Xuân, thị xã Ninh Hòa, tỉnh Khánh Hòa", Locality: "Ninh Hòa"}, courses.RegPending)
		pending = append(pending, r.ID)
	}
	u := a.user(accounts.RoleOrganizer, org.ID)
	ctx := newBrowser(t)
	dialogs := recordDialogs(ctx)
	if err := retryDo(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, a, u)
	if err := retryDo(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d/registrations", a.ts.URL, course.ID)),
		chromedp.WaitVisible(chromedp.CSS("#roster-table")),
	); err != nil {
		t.Fatal(err)
	}
	clicks := 0
	click := func(css string) {
		t.Helper()
		clicks++
		if err := retryDo(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
			t.Fatalf("click %s: %v", css, err)
		}
	}
	click("#roster-pending")
	waitAfterClick(t, ctx, "the pending list", `document.querySelectorAll("#roster-table tbody tr").length === 50 && location.search.includes("pending")`)
	if got := jsText(t, ctx, "label[for=bulk-all]"); !strings.Contains(got, "160") {
		t.Errorf("select-all label %q does not say 160", got)
	}
	click("#bulk-all")
	if got := jsText(t, ctx, "#bulk-count"); !strings.Contains(got, "160") {
		t.Errorf("selection count %q", got)
	}
	screenshot(t, ctx, "roster_bulk_1366")
	click("#bulk-apply")
	clicks++ // the one confirmation, accepted by the dialog recorder
	waitAfterClick(t, ctx, "the result", `!!document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("160")`)
	if clicks > 4 {
		t.Errorf("approving 160 took %d clicks", clicks)
	}
	if d := dialogs.all(); len(d) != 1 || !strings.Contains(d[0], "160") || !strings.Contains(d[0], "Duyệt") {
		t.Errorf("confirmations %q, want one naming the action and 160", d)
	}
	counts, err := a.srv.courses.CountByStatus(t.Context(), course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[courses.RegConfirmed] != 150 || counts[courses.RegWaitlisted] != 15 || counts[courses.RegPending] != 0 {
		t.Errorf("after the bulk approval: %v, want 150 confirmed, 15 waitlisted, 0 pending", counts)
	}
	for i, id := range pending {
		reg, _ := a.srv.courses.FindRegistrationByID(t.Context(), id)
		want := courses.RegConfirmed
		if i >= 145 {
			want = courses.RegWaitlisted
		}
		if reg.Status != want {
			t.Errorf("applicant %d (%s) is %s, want %s (first come first served)", i, reg.FullName, reg.Status, want)
			break
		}
		if i == 145 && (reg.WaitlistPosition == nil || *reg.WaitlistPosition != 1) {
			t.Errorf("the 146th applicant has waiting list position %v, want 1", reg.WaitlistPosition)
		}
	}
	flash := jsText(t, ctx, ".flash")
	if !strings.Contains(flash, "145") || !strings.Contains(flash, "15") {
		t.Errorf("flash %q does not say 145 confirmed and 15 waitlisted", flash)
	}
	screenshot(t, ctx, "roster_bulk_done_1366")

	// The waiting list view: by position, 1 to 15.
	click("#roster-waitlist")
	waitAfterClick(t, ctx, "the waiting list", `location.search.includes("waitlisted") && document.querySelectorAll("#roster-table tbody tr").length === 15`)
	got := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll("#roster-table tbody .badge")).map(b => b.textContent.trim())`)
	for i, b := range got {
		if !strings.HasSuffix(b, fmt.Sprintf("#%d", i+1)) {
			t.Errorf("waiting list row %d shows %q, want position %d", i+1, b, i+1)
			break
		}
	}

	// A row's actions stay inside the window.
	for _, size := range [][2]int64{{1366, 900}, {390, 844}} {
		err := retryDo(ctx,
			chromedp.EmulateViewport(size[0], size[1], func(p *emulation.SetDeviceMetricsOverrideParams, s *emulation.SetTouchEmulationEnabledParams) {
				p.Mobile = size[0] < 500
			}),
			chromedp.Navigate(fmt.Sprintf("%s/staff/courses/%d/registrations", a.ts.URL, course.ID)),
			chromedp.WaitVisible(chromedp.CSS("#roster-table")),
		)
		if err != nil {
			t.Fatal(err)
		}
		click("#roster-table tbody tr:nth-child(3) .reg-actions summary")
		rect := evalJS[[]float64](t, ctx, `(() => { const r = document.querySelector("#roster-table tbody tr:nth-child(3) .reg-actions form").getBoundingClientRect(); return [r.left, r.right, window.innerWidth, document.documentElement.scrollWidth]; })()`)
		if rect[0] < 0 || rect[1] > rect[2] || rect[3] > rect[2] {
			t.Errorf("at %dpx the row's action form spans %.0f–%.0f px (page %.0f wide), outside the window", size[0], rect[0], rect[1], rect[3])
		}
		wrap := evalJS[[]float64](t, ctx, `(() => { const w = document.querySelector(".table-wrap"); return [w.scrollWidth, w.clientWidth]; })()`)
		if wrap[0] > wrap[1]+1 {
			t.Errorf("at %dpx the roster scrolls sideways (%.0f > %.0f)", size[0], wrap[0], wrap[1])
		}
		screenshot(t, ctx, fmt.Sprintf("roster_row_actions_%d", size[0]))
	}
}
