package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
)

// TestBrowserUsersPage (issue 13 item 8): the users list takes the page's width, so the
// organization column reads whole (it was one letter wide) on a laptop and on a phone;
// a name opens the user's page with edit, reset, disable and the API tokens.
func TestBrowserUsersPage(t *testing.T) {
	a := newTestApp(t)
	org := a.org("Sở Lao động - Thương binh và Xã hội tỉnh Khánh Hòa")
	admin := a.user(accounts.RoleAdmin, 0)
	staff := a.user(accounts.RoleStaff, org.ID)
	a.user(accounts.RoleOrganizer, org.ID)
	a.token(staff)
	ctx := newBrowser(t)
	browserLogin(t, ctx, a, admin)
	for _, vp := range []struct {
		w, h int
		name string
		min  float64
	}{{1366, 900, "users", 200}, {390, 844, "users_phone", 150}} {
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(int64(vp.w), int64(vp.h)),
			chromedp.Navigate(a.ts.URL+"/admin/users"),
			chromedp.WaitVisible(chromedp.CSS("table.list td.org")),
		)
		if err != nil {
			t.Fatal(err)
		}
		w := evalJS[float64](t, ctx, `Math.min(...[...document.querySelectorAll("table.list td.org")].filter(e => e.textContent.trim() !== "").map(e => e.getBoundingClientRect().width))`)
		if w < vp.min {
			t.Errorf("%d×%d: the organization column is %.0f px wide, want at least %.0f", vp.w, vp.h, w, vp.min)
		}
		if sw := evalJS[float64](t, ctx, `document.documentElement.scrollWidth`); sw > float64(vp.w)+1 {
			t.Errorf("%d×%d: the page scrolls sideways (%.0f px)", vp.w, vp.h, sw)
		}
		screenshot(t, ctx, vp.name)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(a.ts.URL+"/admin/users/"+itoa(staff.ID)),
		chromedp.WaitVisible(chromedp.CSS("table.list")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "main"); !containsAll(got, staff.Name, "Đặt lại mật khẩu", "Khóa tài khoản", "Mã truy cập API", "Thu hồi") {
		t.Errorf("the user page: %q", got)
	}
	screenshot(t, ctx, "user")
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
