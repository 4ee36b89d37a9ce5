package server

import (
	"net/http"
	"testing"

	"taphuan/accounts"
)

// A credential that cannot be checked because the database does not answer is the server's
// failure (500), not the caller's (401): a client told "unauthorized" would drop a good token.
func TestAuthenticationDatabaseErrorIs500(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	u := a.user(accounts.RoleOrganizer, a.org("Sở Thử nghiệm").ID)
	token := a.token(u)
	session, err := a.acc.CreateSession(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}

	if status, _ := a.call(http.MethodGet, "/api/v1/courses", "not-a-token", nil); status != http.StatusUnauthorized {
		t.Fatalf("a bad token: %d, want 401", status)
	}
	if err := a.db.R.Close(); err != nil { // the reader pool is gone: every credential lookup fails
		t.Fatal(err)
	}
	if status, body := a.call(http.MethodGet, "/api/v1/courses", token, nil); status != http.StatusInternalServerError {
		t.Errorf("token lookup failing: %d %s, want 500", status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/staff/courses", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	resp, err := a.browserClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("session lookup failing: %d, want 500 (not a redirect to the login page)", resp.StatusCode)
	}
}
