package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"taphuan/accounts"
)

// TestOrganizerCannotCreateAdministrator (issue 10): an organizer posts the users form
// with every spelling of a higher role, and for another organization. Before, " admin"
// passed the check (raw value) and was stored as admin by the service (trimmed). Each is
// refused with 403 and nothing is stored; " staff " creates staff of the organizer's own
// organization — the test reads back what was stored.
func TestOrganizerCannotCreateAdministrator(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	home := a.org("Sở Nội vụ")
	other := a.org("Sở Tư pháp")
	c := a.login(a.user(accounts.RoleOrganizer, home.ID))
	before, _ := a.acc.CountUsers(ctx)
	for i, role := range []string{" admin", "admin ", "ADMIN", "\tadmin", "Admin", "organizer", " organizer", "ad\u00a0min"} {
		email := "leo" + itoa(int64(i)) + "@example.vn"
		resp := a.postForm(c, "/admin/users", url.Values{"name": {"Leo Thang"}, "email": {email}, "role": {role},
			"organization_id": {itoa(other.ID)}, "password": {"mat-khau-dai-du"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("role %q: %d, want 403", role, resp.StatusCode)
		}
		if u, err := a.acc.FindUserByEmail(ctx, email); err == nil {
			t.Errorf("role %q: stored %q of organization %d", role, u.Role, u.OrganizationID)
		}
	}
	if after, _ := a.acc.CountUsers(ctx); after != before {
		t.Errorf("%d users after the attempts, want %d", after, before)
	}
	resp := a.postForm(c, "/admin/users", url.Values{"name": {"Điểm Danh"}, "email": {"dd@example.vn"}, "role": {" Staff "},
		"organization_id": {itoa(other.ID)}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("staff: %d", resp.StatusCode)
	}
	u, err := a.acc.FindUserByEmail(ctx, "dd@example.vn")
	if err != nil || u.Role != accounts.RoleStaff || u.OrganizationID != home.ID {
		t.Errorf("stored %+v (%v), want staff of %d", u, err, home.ID)
	}
	// An administrator's " admin " is an administrator.
	admin := a.login(a.user(accounts.RoleAdmin, 0))
	if resp := a.postForm(admin, "/admin/users", url.Values{"name": {"QTV"}, "email": {"qtv@example.vn"}, "role": {" admin "},
		"password": {"mat-khau-dai-du"}}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("admin creating admin: %d", resp.StatusCode)
	}
	if u, _ := a.acc.FindUserByEmail(ctx, "qtv@example.vn"); u.Role != accounts.RoleAdmin || u.OrganizationID != 0 {
		t.Errorf("stored %+v", u)
	}
	// A weak password is refused on its field.
	resp, body := a.postFormBody(admin, "/admin/users", url.Values{"name": {"Yếu"}, "email": {"yeu@example.vn"}, "role": {"staff"},
		"organization_id": {itoa(home.ID)}, "password": {"1234567890"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "phổ biến") {
		t.Errorf("a common password: %d", resp.StatusCode)
	}
}

// TestUserDisableResetAndTokens (issue 13 item 8, issue 10): an organizer disables a staff
// member — their open session and API token stop working at once and they cannot sign in;
// enables them; resets their password — the one-time password is shown once, signs in, and
// every page but the account page sends them to change it; the API refuses meanwhile;
// their tokens are listed and revoked from the page. Another organization's organizer
// gets 404, a staff member 403.
func TestUserDisableResetAndTokens(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	home := a.org("Sở Nội vụ")
	other := a.org("Sở Tư pháp")
	org := a.login(a.user(accounts.RoleOrganizer, home.ID))
	staff := a.user(accounts.RoleStaff, home.ID)
	staffWeb := a.login(staff)
	staffTok := a.token(staff)
	page := "/admin/users/" + itoa(staff.ID)

	if resp, body := a.get(org, page); resp.StatusCode != http.StatusOK || !strings.Contains(body, staff.Email) {
		t.Fatalf("user page: %d", resp.StatusCode)
	}
	if resp, _ := a.get(a.login(a.user(accounts.RoleOrganizer, other.ID)), page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organization's organizer: %d, want 404", resp.StatusCode)
	}
	if resp, _ := a.get(a.login(a.user(accounts.RoleStaff, home.ID)), page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a staff member: %d, want 403", resp.StatusCode)
	}
	// Edit: the name changes, the role cannot be raised.
	if resp := a.postForm(org, page, url.Values{"name": {"Tên Mới Đổi"}, "email": {staff.Email}, "role": {"staff"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("edit: %d", resp.StatusCode)
	}
	if resp := a.postForm(org, page, url.Values{"name": {"X"}, "email": {staff.Email}, "role": {" admin"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("raising to admin: %d, want 403", resp.StatusCode)
	}
	if u, _ := a.acc.FindUserByID(ctx, staff.ID); u.Name != "Tên Mới Đổi" || u.Role != accounts.RoleStaff {
		t.Errorf("stored after edits: %+v", u)
	}

	// Disable.
	if resp := a.postForm(org, page+"/disable", url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, _ := a.get(staffWeb, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the disabled user's session: %d, want sent to sign in", resp.StatusCode)
	}
	if st, _ := a.call("GET", "/api/v1/courses", staffTok, nil); st != http.StatusUnauthorized {
		t.Errorf("the disabled user's token: %d, want 401", st)
	}
	if resp := a.postForm(a.browserClient(), "/login", url.Values{"email": {staff.Email}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %d", resp.StatusCode)
	}
	if _, body := a.get(org, "/admin/users"); !strings.Contains(body, "Đã khóa") {
		t.Error("the list does not show the account disabled")
	}
	if resp := a.postForm(org, page+"/disable", url.Values{"disabled": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", resp.StatusCode)
	}

	// Reset: a one-time password, shown once.
	tok2 := a.token(staff)
	resp, body := a.postFormBody(org, page+"/reset-password", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	i := strings.Index(body, `id="new-password"`)
	if i < 0 {
		t.Fatal("no one-time password shown")
	}
	rest := body[i:]
	pw := rest[strings.Index(rest, "<code>")+6 : strings.Index(rest, "</code>")]
	if len(pw) < 10 {
		t.Fatalf("one-time password %q", pw)
	}
	if st, _ := a.call("GET", "/api/v1/courses", tok2, nil); st != http.StatusUnauthorized {
		t.Errorf("a token after the reset: %d, want 401", st)
	}
	c := a.browserClient()
	resp = a.postForm(c, "/login", url.Values{"email": {staff.Email}, "password": {pw}, "next": {"/staff/courses"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
		t.Errorf("sign-in with the one-time password: %d → %s, want /account", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := a.get(c, "/staff/courses"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
		t.Errorf("another page before changing: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	tok3 := a.token(staff)
	if st, _ := a.call("GET", "/api/v1/courses", tok3, nil); st != http.StatusForbidden {
		t.Errorf("the API before changing: %d, want 403", st)
	}
	if resp := a.postForm(c, "/account/password", url.Values{"current": {pw}, "password": {"mat-khau-cua-toi"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if resp, _ := a.get(c, "/staff/courses"); resp.StatusCode != http.StatusOK {
		t.Errorf("after changing: %d", resp.StatusCode)
	}

	// Tokens: listed (never the token), revoked from the page.
	tok4 := a.token(staff)
	ts, _ := a.acc.ListTokens(ctx, staff.ID)
	_, body = a.get(org, page)
	if strings.Contains(body, tok4) || !strings.Contains(body, "/tokens/"+itoa(ts[0].ID)+"/revoke") {
		t.Fatalf("the token list: shows the token or no revoke for %d", ts[0].ID)
	}
	if resp := a.postForm(org, page+"/tokens/"+itoa(ts[0].ID)+"/revoke", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if st, _ := a.call("GET", "/api/v1/courses", tok4, nil); st != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", st)
	}
}
