package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"taphuan/accounts"
	"taphuan/database"
	"taphuan/database/dbtest"
)

// testApp is the real engine over a fresh migrated database, served by httptest.
type testApp struct {
	t   testing.TB
	db  *database.DB
	srv *Server
	ts  *httptest.Server
	acc *accounts.Service
}

const testPassword = "mat-khau-123"

var userSeq atomic.Int64

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	db := dbtest.New(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a := &testApp{t: t, db: db, acc: accounts.New(db)}
	// The base URL is known only once the listener exists: start unstarted, then build.
	a.ts = httptest.NewUnstartedServer(nil)
	a.ts.Start()
	srv, err := New(Config{BaseURL: a.ts.URL, Logger: logger}, db)
	if err != nil {
		t.Fatal(err)
	}
	a.srv = srv
	a.ts.Config.Handler = srv.handler
	t.Cleanup(a.ts.Close)
	return a
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// org creates an organization.
func (a *testApp) org(name string) *accounts.Organization {
	a.t.Helper()
	o, err := a.acc.CreateOrganization(context.Background(), accounts.OrganizationInput{Name: name, ShortName: "X"})
	if err != nil {
		a.t.Fatal(err)
	}
	return o
}

// user creates a user with the role in org (0 for an admin); its password is testPassword.
func (a *testApp) user(role string, orgID int64) *accounts.User {
	a.t.Helper()
	n := userSeq.Add(1)
	u, err := a.acc.CreateUser(context.Background(), accounts.UserInput{
		Email: role + "-" + itoa(n) + "@example.vn", Name: "Người dùng " + itoa(n), Role: role,
		OrganizationID: orgID, Password: testPassword})
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// token creates an API token for u.
func (a *testApp) token(u *accounts.User) string {
	a.t.Helper()
	tok, err := a.acc.CreateToken(context.Background(), u.Email)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// browserClient is an http.Client with a cookie jar that does not follow redirects and
// sends the headers a browser sends for a same-origin request.
func (a *testApp) browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs u in and returns a client that carries the session cookie.
func (a *testApp) login(u *accounts.User) *http.Client {
	a.t.Helper()
	c := a.browserClient()
	resp := a.postForm(c, "/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d", u.Email, resp.StatusCode)
	}
	return c
}

// postForm posts a form as a same-origin browser would.
func (a *testApp) postForm(c *http.Client, path string, form url.Values) *http.Response {
	a.t.Helper()
	resp, _ := a.postFormBody(c, path, form)
	return resp
}

// postFormBody posts a form as a same-origin browser would and returns the body too.
func (a *testApp) postFormBody(c *http.Client, path string, form url.Values) (*http.Response, string) {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// get fetches path with client c and returns the response and its body.
func (a *testApp) get(c *http.Client, path string) (*http.Response, string) {
	a.t.Helper()
	resp, err := c.Get(a.ts.URL + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// call sends a JSON API request with a Bearer token ("" for none) and returns the status and
// the body.
func (a *testApp) call(method, path, token string, body any) (int, []byte) {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.ts.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// decode unmarshals b into a T or fails the test.
func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

// apiErr is the error body of API.md.
type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}
