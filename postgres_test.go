package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/certificates"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/limits"
)

// These tests need PostgreSQL whatever the engine under test: dbtest takes the server of
// package pgtest (the README's test command starts one; without it pgtest starts its own).

// TestTwoInstancesOnePostgres runs two `serve` processes on one PostgreSQL database, as behind
// a load balancer: 260 registrations spread over both at a 200-seat course leave exactly 200
// confirmed and 60 waitlisted at places 1–60; two bulk certificate issues at once, one per
// instance, in one organization give distinct numbers without gaps; and a SIGKILL of one
// instance mid-burst loses no answered registration while the other keeps serving.
func TestTwoInstancesOnePostgres(t *testing.T) {
	url := dbtest.PostgresURL(t)
	token := adminOn(t, url)
	a, b := startChild(t, url), startChild(t, url)
	instances := []*child{a, b}

	// 260 registrations at once, alternating between the instances.
	course := openCourse(t, a, token, 200)
	var wg sync.WaitGroup
	var created, refused atomic.Int64
	next := atomic.Int64{}
	for w := range 26 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > 260 {
					return
				}
				c := instances[(int(n)+w)%2]
				status, m, err := c.call(token, http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/registrations", course), map[string]any{
					"full_name": "Trần Thị Bích", "gender": "Nữ", "birth_date": "1990-05-20", "ethnicity": "Kinh",
					"position": "Công chức", "organization": "UBND xã Cam Hải Tây", "locality": "huyện Cam Lâm",
					"phone": fmt.Sprintf("091%07d", n), "email": ""})
				if err != nil || status != http.StatusCreated {
					refused.Add(1)
					t.Errorf("registration %d: %d %v %v", n, status, m, err)
					continue
				}
				created.Add(1)
			}
		}()
	}
	wg.Wait()
	if created.Load() != 260 {
		t.Fatalf("%d of 260 registrations answered 201 (%d refused)", created.Load(), refused.Load())
	}
	counts := map[string]int{}
	var places []int
	for offset := 0; offset < 300; offset += 100 {
		m := b.must(token, http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/registrations?limit=100&offset=%d", course, offset), nil, http.StatusOK)
		for _, it := range m["items"].([]any) {
			r := it.(map[string]any)
			counts[r["status"].(string)]++
			if p, ok := r["waitlist_position"].(float64); ok {
				places = append(places, int(p))
			}
		}
	}
	if counts["confirmed"] != 200 || counts["waitlisted"] != 60 || len(counts) != 2 {
		t.Errorf("statuses %v, want 200 confirmed and 60 waitlisted", counts)
	}
	sort.Ints(places)
	for i, p := range places {
		if p != i+1 {
			t.Errorf("waiting-list places %v, want 1–60", places)
			break
		}
	}
	if len(places) != 60 {
		t.Errorf("%d waiting-list places, want 60", len(places))
	}

	// Two bulk issues at once, one per instance, in one organization.
	db, err := database.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	cs := courses.New(db)
	acc := accounts.New(db)
	att := attendance.New(db, cs)
	certs := certificates.New(db, cs, att, acc)
	org := coursestest.Org(t, db, "Sở Lao động – Thương binh và Xã hội tỉnh Khánh Hòa")
	if _, err := certs.SaveSettings(ctx, certificates.SettingsInput{OrganizationID: org.ID,
		NumberFormat: "%03d/GCN-SLĐTBXH", PlaceName: "Khánh Hòa", SignerName: "Trần Văn Đức",
		SignerTitle: "KT. GIÁM ĐỐC", SignerSubtitle: "PHÓ GIÁM ĐỐC", Wording: certificates.DefaultWording}); err != nil {
		t.Fatal(err)
	}
	const perCourse = 25
	var issueCourses []int64
	for range 2 {
		c := coursestest.Course(t, db, org.ID)
		morning, afternoon := coursestest.Day(t, db, c.ID, "2023-12-04")
		for i := range perCourse {
			r := coursestest.Registration(t, db, c.ID, coursestest.Person{FullName: fmt.Sprintf("Lê Văn Học %d", i),
				Gender: "Nam", Organization: "UBND xã Cam Hải Đông"}, courses.RegConfirmed)
			for _, s := range []*courses.Session{morning, afternoon} {
				if _, err := att.SetMark(ctx, attendance.MarkInput{SessionID: s.ID, RegistrationID: r.ID,
					Status: attendance.Present, Source: "tap"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		issueCourses = append(issueCourses, c.ID)
	}
	numbers := make([][]string, 2)
	for i, id := range issueCourses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, m, err := instances[i].call(token, http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/certificates/issue", id), nil)
			if err != nil || status != http.StatusOK {
				t.Errorf("issue on instance %d: %d %v %v", i+1, status, m, err)
				return
			}
			for _, it := range m["issued"].([]any) {
				numbers[i] = append(numbers[i], it.(map[string]any)["number"].(string))
			}
		}()
	}
	wg.Wait()
	seen := map[int]string{}
	lead := regexp.MustCompile(`^(\d+)/GCN-SLĐTBXH$`)
	for i, ns := range numbers {
		if len(ns) != perCourse {
			t.Errorf("instance %d issued %d certificates, want %d", i+1, len(ns), perCourse)
		}
		for _, n := range ns {
			m := lead.FindStringSubmatch(n)
			if m == nil {
				t.Errorf("number %q is not of the pattern", n)
				continue
			}
			k, _ := strconv.Atoi(m[1])
			if prev, dup := seen[k]; dup {
				t.Errorf("number %s issued twice (%s)", n, prev)
			}
			seen[k] = n
		}
	}
	for k := 1; k <= 2*perCourse; k++ {
		if _, ok := seen[k]; !ok {
			t.Errorf("number %03d missing: the numbers have a gap (%d issued)", k, len(seen))
		}
	}

	// SIGKILL of one instance mid-burst: every 201 is stored, the other instance serves on.
	burstCourse := openCourseOf(t, b, token, org.ID, 100000)
	stop := make(chan struct{})
	var onA, onB atomic.Int64
	waitA := burst(a, token, burstCourse, 10, 10_000_000, stop, &onA)
	waitB := burst(b, token, burstCourse, 10, 20_000_000, stop, &onB)
	waitFor(t, "registrations answered by both instances", func() bool { return onA.Load() >= 20 && onB.Load() >= 20 })
	a.kill()
	before := onB.Load()
	waitFor(t, "the other instance answering after the kill", func() bool { return onB.Load() >= before+20 })
	close(stop)
	got := append(waitA(), waitB()...)
	stored := listAll(t, b, token, burstCourse)
	for _, r := range got {
		if st, ok := stored[r.id]; !ok || st != r.status {
			t.Errorf("registration %d was answered 201 (%s) but is stored as %q", r.id, r.status, st)
		}
	}
	t.Logf("burst: %d answered by the killed instance, %d by the other; %d stored", onA.Load(), onB.Load(), len(stored))
}

// TestCopySQLiteToPostgres copies the demo's SQLite database into an empty PostgreSQL one:
// every table arrives with its count, the stored certificate PDFs byte-identical (same
// SHA-256), the server runs on the copy, and a second copy into the now full target is
// refused with nothing written.
func TestCopySQLiteToPostgres(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demo.db")
	if code, _, stderr := runCLI(t, "demo", "-db", file); code != 0 {
		t.Fatal(stderr)
	}
	url := dbtest.EmptyPostgresURL(t)
	code, out, stderr := runCLI(t, "copy", "-from", file, "-to", url)
	if code != 0 {
		t.Fatalf("copy: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "certificate PDFs checked by SHA-256") || !strings.Contains(out, "registrations") {
		t.Errorf("copy's report: %s", out)
	}
	ctx := context.Background()
	src, err := database.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := database.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	tables, err := src.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nonEmpty := 0
	for _, table := range tables {
		var n, m int
		if err := src.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		if err := dst.R.GetContext(ctx, &m, `SELECT COUNT(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		if n != m {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", table, n, m)
		}
		if n > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 15 {
		t.Errorf("only %d tables of the demo hold rows: the copy proves little", nonEmpty)
	}
	sums := func(db *database.DB) map[int64]string {
		var rows []struct {
			ID  int64  `db:"id"`
			PDF []byte `db:"pdf"`
		}
		if err := db.R.SelectContext(ctx, &rows, `SELECT id, pdf FROM certificates ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		out := map[int64]string{}
		for _, r := range rows {
			s := sha256.Sum256(r.PDF)
			out[r.ID] = hex.EncodeToString(s[:])
		}
		return out
	}
	before, after := sums(src), sums(dst)
	if len(before) == 0 {
		t.Fatal("the demo has no certificates to copy")
	}
	for id, s := range before {
		if after[id] != s {
			t.Errorf("certificate %d: SHA-256 %s in SQLite, %q in PostgreSQL", id, s, after[id])
		}
	}
	// The copy serves: a certificate's file as the server hands it out, and new rows get new ids.
	token := adminOn(t, url)
	c := startChild(t, url)
	for id, s := range before {
		resp, body := c.get(token, fmt.Sprintf("/api/v1/certificates/%d.pdf", id))
		sum := sha256.Sum256(body)
		if resp != http.StatusOK || hex.EncodeToString(sum[:]) != s {
			t.Errorf("certificate %d from the server on PostgreSQL: %d, SHA-256 %x, want %s", id, resp, sum, s)
		}
		break
	}
	var maxOrg float64
	if err := dst.R.GetContext(ctx, &maxOrg, `SELECT MAX(id) FROM organizations`); err != nil {
		t.Fatal(err)
	}
	org := c.must(token, http.MethodPost, "/api/v1/organizations", map[string]any{"name": "Sở Nội vụ tỉnh Ninh Thuận"}, http.StatusCreated)
	if org["id"].(float64) <= maxOrg {
		t.Errorf("a new organization got id %v, not past the copied ones (%v)", org["id"], maxOrg)
	}

	code, _, stderr = runCLI(t, "copy", "-from", file, "-to", url)
	if code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("a second copy into the full target: exit %d, %s; want a refusal", code, stderr)
	}
	var users int
	if err := dst.R.GetContext(ctx, &users, `SELECT COUNT(*) FROM users`); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := src.R.GetContext(ctx, &want, `SELECT COUNT(*) FROM users`); err != nil {
		t.Fatal(err)
	}
	if users != want+1 { // the demo's users and the administrator added above
		t.Errorf("%d users after the refused copy, want %d", users, want+1)
	}
}

// get fetches path with token and returns the status and the body.
func (c *child) get(token, path string) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestThrottlesAcrossInstances: the login throttle and the rate limits live in the database,
// so two instances (two pools of their own on one PostgreSQL database) count one attempt
// once: 26 password guesses at once, alternating between them, check exactly 5 against the
// password; 60 attempts at a limit of 10 let exactly 10 through.
func TestThrottlesAcrossInstances(t *testing.T) {
	url := dbtest.PostgresURL(t)
	ctx := context.Background()
	var pools []*database.DB
	for range 2 {
		db, err := database.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		pools = append(pools, db)
	}
	if _, err := accounts.New(pools[0]).CreateUser(ctx, accounts.UserInput{Email: "a@example.vn", Name: "A",
		Role: accounts.RoleAdmin, Password: "dung-mat-khau-1"}); err != nil {
		t.Fatal(err)
	}
	var tried, throttled, allowed, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 26 {
		wg.Go(func() {
			_, err := accounts.New(pools[i%2]).Authenticate(ctx, "a@example.vn", "doan-thu", "203.0.113.9")
			switch {
			case errors.Is(err, accounts.ErrBadCredentials):
				tried.Add(1)
			case errors.Is(err, accounts.ErrThrottled):
				throttled.Add(1)
			default:
				t.Errorf("guess: %v", err)
			}
		})
	}
	rule := limits.Rule{Bucket: "test", Max: 10, Window: time.Minute}
	for i := range 60 {
		wg.Go(func() {
			err := limits.New(pools[i%2], nil).Check(ctx, rule, "203.0.113.9")
			switch {
			case err == nil:
				allowed.Add(1)
			case errors.Is(err, limits.ErrLimited):
				limited.Add(1)
			default:
				t.Errorf("attempt: %v", err)
			}
		})
	}
	wg.Wait()
	if tried.Load() != 5 || throttled.Load() != 21 {
		t.Errorf("%d guesses checked, %d throttled over two instances; want 5 and 21", tried.Load(), throttled.Load())
	}
	if allowed.Load() != 10 || limited.Load() != 50 {
		t.Errorf("%d attempts allowed, %d limited over two instances; want 10 and 50", allowed.Load(), limited.Load())
	}
}

// TestBackupPostgres: `taphuan backup` of a PostgreSQL database runs pg_dump (a custom-format
// archive, for pg_restore) and, where pg_dump is not installed, says that it is the tool.
func TestBackupPostgres(t *testing.T) {
	url := dbtest.PostgresURL(t)
	adminOn(t, url)
	out := filepath.Join(t.TempDir(), "taphuan.dump")
	code, stdout, stderr := runCLI(t, "backup", "-db", url, "-out", out)
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("PGDMP")) {
		t.Fatalf("the backup is not a pg_dump archive (%d bytes, %v)", len(b), err)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("backup said %q", stdout)
	}
	if strings.Contains(stdout+stderr, "pgtdbpass") {
		t.Errorf("the password of the URL is shown: %s %s", stdout, stderr)
	}
	t.Setenv("PATH", t.TempDir()) // no pg_dump here
	code, _, stderr = runCLI(t, "backup", "-db", url, "-out", out+".2")
	if code == 0 || !strings.Contains(stderr, "pg_dump") {
		t.Errorf("backup without pg_dump: exit %d, %q; want an explanation naming pg_dump", code, stderr)
	}
}
