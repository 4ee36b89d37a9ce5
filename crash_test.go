package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"taphuan/database"
)

// TestMain lets a test start the real server as a child process (the test binary itself
// running `taphuan serve`), so that it can be killed with SIGKILL like a crashed server.
func TestMain(m *testing.M) {
	if args := os.Getenv("TAPHUAN_CHILD_ARGS"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child is a taphuan server in its own process.
type child struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
}

// startChild runs `taphuan serve -db db` with the extra flags on a free port.
func startChild(t *testing.T, db string, extra ...string) *child {
	t.Helper()
	return startChildWith(t, db, nil, extra...)
}

// startChildWith is startChild with more environment (NAME=value).
func startChildWith(t *testing.T, db string, env []string, extra ...string) *child {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), "TAPHUAN_CHILD_ARGS="+strings.Join(append([]string{"serve", "-db", db, "-addr", addr}, extra...), "\x1f"))
	var logBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, cmd: cmd, base: "http://" + addr, log: &logBuf}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(c.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start: %s", logBuf.String())
	return nil
}

func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

func (c *child) call(token, method, path string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, nil
}

func (c *child) must(token, method, path string, body any, want int) map[string]any {
	c.t.Helper()
	status, m, err := c.call(token, method, path, body)
	if err != nil || status != want {
		c.t.Fatalf("%s %s: %d %v (%v), want %d", method, path, status, m, err, want)
	}
	return m
}

// setupServer makes a database with an administrator and returns its path and a token.
func setupServer(t *testing.T) (db, token string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "crash.db")
	return db, adminOn(t, db)
}

// adminOn adds an administrator to the database at target and returns a token of theirs.
func adminOn(t *testing.T, target string) string {
	t.Helper()
	if code, _, stderr := runCLI(t, "user", "add", "-db", target, "-email", "admin@example.vn", "-name", "Quản trị",
		"-role", "admin", "-password", "mat-khau-123"); code != 0 {
		t.Fatal(stderr)
	}
	code, out, stderr := runCLI(t, "token", "create", "-db", target, "-email", "admin@example.vn")
	if code != 0 {
		t.Fatal(stderr)
	}
	return strings.TrimSpace(out)
}

// openCourse adds an organization and an open course of it with capacity seats.
func openCourse(t *testing.T, c *child, token string, capacity int) int64 {
	t.Helper()
	org := c.must(token, http.MethodPost, "/api/v1/organizations", map[string]any{"name": "Sở Thông tin và Truyền thông tỉnh Khánh Hòa", "short_name": "STTTT"}, http.StatusCreated)
	return openCourseOf(t, c, token, org["id"], capacity)
}

// openCourseOf adds an open course of the organization org with capacity seats.
func openCourseOf(t *testing.T, c *child, token string, org any, capacity int) int64 {
	t.Helper()
	start := time.Now().AddDate(0, 1, 0) // a course still to come takes registrations
	course := c.must(token, http.MethodPost, "/api/v1/courses", map[string]any{
		"organization_id": org, "title": "Tập huấn cán bộ thông tin cơ sở", "venue": "Nha Trang",
		"starts_on": start.Format("2006-01-02"), "ends_on": start.AddDate(0, 0, 1).Format("2006-01-02"), "capacity": capacity, "registration_mode": "open",
		"min_attendance_percent": 75}, http.StatusCreated)
	id := int64(course["id"].(float64))
	c.must(token, http.MethodPatch, fmt.Sprintf("/api/v1/courses/%d", id), map[string]any{"status": "open"}, http.StatusOK)
	return id
}

// waitFor polls cond until it holds, failing the test after a minute: long enough for a
// loaded machine, short enough to end a run that would otherwise hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type answered struct {
	id     int64
	status string
}

// burst registers from clients goroutines until stop is closed and returns every registration
// the server answered 201. answered counts them as they come, so a test can wait until the
// burst is under way instead of sleeping for a time that a loaded machine may not honour.
func burst(c *child, token string, course int64, clients int, phoneBase int, stop <-chan struct{}, answeredSoFar *atomic.Int64) func() []answered {
	var mu sync.Mutex
	var got []answered
	var wg sync.WaitGroup
	var seq atomic.Int64
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := seq.Add(1)
				status, m, err := c.call(token, http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/registrations", course), map[string]any{
					"full_name": "Nguyễn Văn An", "gender": "Nam", "birth_date": "1985-03-15", "ethnicity": "Kinh",
					"position": "Viên chức", "organization": "Đài truyền thanh xã Ninh Xuân", "locality": "xã Ninh Xuân",
					"phone": fmt.Sprintf("09%08d", phoneBase+int(n)), "email": ""})
				if err != nil || status != http.StatusCreated {
					continue // refused or cut off by the crash: the client was not told it is registered
				}
				mu.Lock()
				got = append(got, answered{id: int64(m["id"].(float64)), status: m["status"].(string)})
				mu.Unlock()
				answeredSoFar.Add(1)
			}
		}()
	}
	return func() []answered { wg.Wait(); return got }
}

func listAll(t *testing.T, c *child, token string, course int64) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for offset := 0; ; offset += 1000 {
		m := c.must(token, http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/registrations?limit=1000&offset=%d", course, offset), nil, http.StatusOK)
		items := m["items"].([]any)
		for _, it := range items {
			r := it.(map[string]any)
			out[int64(r["id"].(float64))] = r["status"].(string)
		}
		if len(items) < 1000 {
			return out
		}
	}
}

// TestCrashDuringRegistrationBurst kills the server with SIGKILL in the middle of a burst of
// registrations, restarts it, and finds every registration that was answered 201, with the
// course never over capacity.
func TestCrashDuringRegistrationBurst(t *testing.T) {
	db, token := setupServer(t)
	c := startChild(t, db)
	const capacity = 60
	course := openCourse(t, c, token, capacity)

	stop := make(chan struct{})
	var n atomic.Int64
	wait := burst(c, token, course, 30, 0, stop, &n)
	waitFor(t, "20 registrations answered before the crash", func() bool { return n.Load() >= 20 })
	c.kill() // in the middle of the burst: 30 clients are still sending
	close(stop)
	got := wait()
	if len(got) == 0 {
		t.Fatalf("no registration was answered before the crash: %s", c.log.String())
	}

	c2 := startChild(t, db)
	stored := listAll(t, c2, token, course)
	for _, a := range got {
		st, ok := stored[a.id]
		if !ok {
			t.Errorf("registration %d was answered 201 (%s) but is gone after the crash", a.id, a.status)
		} else if st != a.status {
			t.Errorf("registration %d was answered %s but is %s after the crash", a.id, a.status, st)
		}
	}
	confirmed := 0
	for _, st := range stored {
		if st == "confirmed" {
			confirmed++
		}
	}
	if confirmed > capacity {
		t.Errorf("%d confirmed in a course of %d seats", confirmed, capacity)
	}
	t.Logf("%d answered before SIGKILL, %d stored after restart, %d confirmed of %d seats", len(got), len(stored), confirmed, capacity)
}

// TestBackupDuringLoad takes `taphuan backup` while registrations pour in; the copy opens,
// migrates and holds every row that existed when the backup started.
func TestBackupDuringLoad(t *testing.T) {
	db, token := setupServer(t)
	c := startChild(t, db)
	course := openCourse(t, c, token, 100000)

	stop := make(chan struct{})
	var n atomic.Int64
	wait := burst(c, token, course, 20, 0, stop, &n)
	waitFor(t, "registrations pouring in", func() bool { return n.Load() >= 20 })
	before := listAll(t, c, token, course)
	out := filepath.Join(t.TempDir(), "backup.db")
	code, _, stderr := runCLI(t, "backup", "-db", db, "-out", out)
	close(stop)
	wait()
	if code != 0 {
		t.Fatalf("backup during load: exit %d: %s", code, stderr)
	}
	copyDB, err := database.Open(t.Context(), out)
	if err != nil {
		t.Fatalf("the backup does not open and migrate: %v", err)
	}
	defer copyDB.Close()
	var ids []int64
	if err := copyDB.R.Select(&ids, `SELECT id FROM registrations WHERE course_id = ?`, course); err != nil {
		t.Fatal(err)
	}
	have := map[int64]bool{}
	for _, id := range ids {
		have[id] = true
	}
	for id := range before {
		if !have[id] {
			t.Errorf("registration %d existed when the backup started but is not in it", id)
		}
	}
	if len(before) == 0 {
		t.Fatal("nothing was registered before the backup: the test proves nothing")
	}
	t.Logf("%d registrations before the backup started, %d in the copy", len(before), len(ids))
}
