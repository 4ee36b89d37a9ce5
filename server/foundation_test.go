package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taphuan/accounts"
)

func TestOrganizationsAPIByRole(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	home := a.org("Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa")
	other := a.org("Sở Y tế tỉnh Khánh Hòa")
	admin := a.token(a.user(accounts.RoleAdmin, 0))
	organizer := a.token(a.user(accounts.RoleOrganizer, home.ID))
	staff := a.token(a.user(accounts.RoleStaff, home.ID))
	body := map[string]string{"name": "Sở Khoa học và Công nghệ tỉnh Khánh Hòa", "short_name": "SKHCN"}

	for _, tc := range []struct {
		name, token string
		want        int
		code        string
	}{
		{"anonymous", "", http.StatusUnauthorized, "unauthorized"},
		{"bad token", "th_not-a-real-token", http.StatusUnauthorized, "unauthorized"},
		{"staff", staff, http.StatusForbidden, "forbidden"},
		{"organizer", organizer, http.StatusForbidden, "forbidden"},
		{"admin", admin, http.StatusCreated, ""},
	} {
		t.Run("create/"+tc.name, func(t *testing.T) {
			status, b := a.call(http.MethodPost, "/api/v1/organizations", tc.token, body)
			if status != tc.want {
				t.Fatalf("status = %d, want %d (%s)", status, tc.want, b)
			}
			if tc.code != "" {
				if got := decode[apiErr](t, b).Error.Code; got != tc.code {
					t.Errorf("error code = %q, want %q", got, tc.code)
				}
				return
			}
			org := decode[accounts.Organization](t, b)
			if org.ID == 0 || org.Name != body["name"] || org.ShortName != "SKHCN" {
				t.Errorf("created %+v", org)
			}
		})
	}

	t.Run("get/own and other", func(t *testing.T) {
		if status, _ := a.call(http.MethodGet, "/api/v1/organizations/"+itoa(home.ID), organizer, nil); status != http.StatusOK {
			t.Errorf("own organization: %d, want 200", status)
		}
		status, b := a.call(http.MethodGet, "/api/v1/organizations/"+itoa(other.ID), organizer, nil)
		if status != http.StatusNotFound || decode[apiErr](t, b).Error.Code != "not_found" {
			t.Errorf("other organization: %d %s, want 404 not_found", status, b)
		}
		if status, _ := a.call(http.MethodGet, "/api/v1/organizations/"+itoa(other.ID), admin, nil); status != http.StatusOK {
			t.Errorf("admin, other organization: %d, want 200", status)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, path := range []string{"/api/v1/organizations/99999", "/api/v1/organizations/abc"} {
			status, b := a.call(http.MethodGet, path, admin, nil)
			if status != http.StatusNotFound || decode[apiErr](t, b).Error.Code != "not_found" {
				t.Errorf("%s: %d %s, want 404 not_found", path, status, b)
			}
		}
	})
	t.Run("list scoped", func(t *testing.T) {
		_, b := a.call(http.MethodGet, "/api/v1/organizations", staff, nil)
		got := decode[struct {
			Items []accounts.Organization `json:"items"`
			Total int                     `json:"total"`
		}](t, b)
		if got.Total != 1 || len(got.Items) != 1 || got.Items[0].ID != home.ID {
			t.Errorf("staff sees %+v, want only their organization", got)
		}
		_, b = a.call(http.MethodGet, "/api/v1/organizations?limit=1", admin, nil)
		got = decode[struct {
			Items []accounts.Organization `json:"items"`
			Total int                     `json:"total"`
		}](t, b)
		if got.Total != 3 || len(got.Items) != 1 {
			t.Errorf("admin with limit=1: %d items of %d, want 1 of 3", len(got.Items), got.Total)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		status, b := a.call(http.MethodPost, "/api/v1/organizations", admin, map[string]string{"name": "  "})
		e := decode[apiErr](t, b)
		if status != http.StatusUnprocessableEntity || e.Error.Code != "invalid" || e.Error.Fields["name"] == "" {
			t.Errorf("empty name: %d %s, want 422 with a message on name", status, b)
		}
		if !strings.Contains(e.Error.Fields["name"], "trống") {
			t.Errorf("message %q is not Vietnamese", e.Error.Fields["name"])
		}
	})
}

func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	admin := a.user(accounts.RoleAdmin, 0)
	c := a.login(admin)
	form := url.Values{"name": {"Sở giả mạo"}}
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/admin/organizations", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", resp.StatusCode)
	}
	orgs, _ := a.acc.ListOrganizations(t.Context())
	if len(orgs) != 0 {
		t.Errorf("the refused post created %d organizations", len(orgs))
	}
	// The same post from the site itself goes through.
	if resp := a.postForm(c, "/admin/organizations", form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin post: %d, want 303", resp.StatusCode)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	u := a.user(accounts.RoleOrganizer, a.org("Sở Nội vụ").ID)
	c := a.browserClient()
	for i := range 5 {
		resp := a.postForm(c, "/login", url.Values{"email": {u.Email}, "password": {"sai-mat-khau"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad password #%d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp := a.postForm(c, "/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: %d, want 429", resp.StatusCode)
	}
	if resp.Header.Get("Set-Cookie") != "" && strings.Contains(resp.Header.Get("Set-Cookie"), sessionCookie+"=") {
		t.Error("a throttled login got a session cookie")
	}
	// Another account from the same address is not locked by this one's failures.
	other := a.user(accounts.RoleStaff, u.OrganizationID)
	a.login(other)
}

func TestSessionCookieAndHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	u := a.user(accounts.RoleAdmin, 0)
	c := a.browserClient()
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/login",
		strings.NewReader(url.Values{"email": {u.Email}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie: HttpOnly=%v SameSite=%v, want true, Lax", session.HttpOnly, session.SameSite)
	}
	var stored int
	if err := a.db.R.Get(&stored, `SELECT COUNT(*) FROM login_sessions WHERE token_hash = ?`, session.Value); err != nil || stored != 0 {
		t.Errorf("the cookie value is stored in clear (%d rows, %v)", stored, err)
	}
	resp, body := a.get(c, "/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Tổng quan") {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Cache-Control":          "no-store", // staff pages hold personal data
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
		t.Error("the page has inline script or style, which the CSP blocks")
	}
	// Over https the cookie is Secure.
	https := &Server{cfg: Config{BaseURL: "https://taphuan.khanhhoa.gov.vn"}}
	if !https.secureCookies(nil) {
		t.Error("cookies are not Secure for an https base URL")
	}
	// Logout ends the session in the database.
	if resp := a.postForm(c, "/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if resp, _ := a.get(c, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("dashboard after logout: %d, want a redirect to /login", resp.StatusCode)
	}
}

func TestHTMLErrorsAreFriendly(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	resp, body := a.get(http.DefaultClient, "/khong-co-trang-nay")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Không tìm thấy") {
		t.Errorf("unknown page: %d, want 404 with a Vietnamese page", resp.StatusCode)
	}
	c := a.login(a.user(accounts.RoleStaff, a.org("Sở Tư pháp").ID))
	if resp, body := a.get(c, "/admin/organizations"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Không có quyền") {
		t.Errorf("staff on the admin page: %d, want 403 with a Vietnamese page", resp.StatusCode)
	}
	if resp, _ := a.get(http.DefaultClient, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

func TestCatalogsComplete(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vi, en := a.srv.catalogs["vi"], a.srv.catalogs["en"]
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q has no English text", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("key %q has no Vietnamese text", k)
		}
	}
}
