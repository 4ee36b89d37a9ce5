package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"taphuan/accounts"
)

// newBrowser starts headless Chromium (Debian's package) for one test. A missing browser
// fails the test: the README's test command installs it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 90*time.Second)
}

// newBrowserFor is newBrowser for a test that needs longer than 90 s (a walk of many pages).
func newBrowserFor(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: run the README's test command (scripts/test.sh), which installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshot saves the page as docs/screenshots/NAME.png when TAPHUAN_SCREENSHOTS names the
// directory (the README's pictures are made this way).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TAPHUAN_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
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

// textOf returns the text of the first element matching css.
func textOf(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// TestBrowserNewcomerSignsIn: a newcomer opens /login, signs in as the administrator, sees the
// dashboard in Vietnamese, switches to English, and signs out.
func TestBrowserNewcomerSignsIn(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	email, password, err := a.acc.EnsureFirstAdmin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	err = chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); got != "Đăng nhập" {
		t.Errorf("login heading %q, want Đăng nhập", got)
	}
	if hint := textOf(t, ctx, ".hint"); !strings.Contains(hint, "mật khẩu") {
		t.Errorf("first-run hint %q does not say where the password is", hint)
	}
	screenshot(t, ctx, "login")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".page-dashboard h1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); got != "Tổng quan" {
		t.Errorf("dashboard heading %q, want Tổng quan", got)
	}
	if who := textOf(t, ctx, ".who"); !strings.Contains(who, "Quản trị") {
		t.Errorf("header shows %q, want the administrator", who)
	}
	screenshot(t, ctx, "dashboard")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[hreflang="en"][aria-current]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); got != "Dashboard" {
		t.Errorf("after switching to English the heading is %q, want Dashboard", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#logout")),
		chromedp.WaitVisible(chromedp.CSS(".page-login #email")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, ctx, "h1"); got != "Sign in" {
		t.Errorf("after sign-out the heading is %q, want Sign in (English kept)", got)
	}
	if flash := textOf(t, ctx, ".flash"); !strings.Contains(flash, "signed out") {
		t.Errorf("flash %q", flash)
	}
	// The session is gone: the dashboard sends us back to the login page.
	if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".page-login"))); err != nil {
		t.Fatal(err)
	}
	_ = accounts.RoleAdmin
}
