// Command load measures taphuan end to end on this machine, over loopback only and bounded in
// time: it builds the real binary, starts it on a fresh database, drives the JSON API and the
// staff pages with concurrent clients, and starts a bare Gin + sqlx + SQLite server (the
// floor: one INSERT per request through the same database settings) to compare against in
// the same run. It prints a Markdown table for BENCHMARKS.md.
//
//	go run ./tools/load                     # defaults: 50 clients, 10 s per scenario
//	go run ./tools/load -clients 50 -duration 10s
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

func main() {
	floor := flag.Bool("floor-server", false, "run the bare floor server (used by the load run itself)")
	addr := flag.String("addr", "127.0.0.1:0", "listen address of -floor-server")
	db := flag.String("db", "", "database of -floor-server")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long each throughput scenario runs")
	roster := flag.Int("roster", 2000, "trainees of the large course")
	pg := flag.String("pg", "", "PostgreSQL server (a superuser URL): measure registrations on it with one and two instances instead")
	flag.Parse()
	if *floor {
		if err := serveFloor(*addr, *db); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	if *duration > time.Minute {
		*duration = time.Minute // bounded: a load run never hammers for long
	}
	r := &runner{clients: *clients, duration: *duration, roster: *roster}
	run := r.run
	if *pg != "" {
		run = func() error { return r.runPostgres(*pg) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type runner struct {
	clients  int
	duration time.Duration
	roster   int
	engine   string // of the floor, when not SQLite
	dir      string
	bin      string
	base     string
	token    string
	rows     []row
	procs    []*exec.Cmd
}

type row struct{ name, value, floor, note string }

func (r *runner) run() error {
	dir, err := os.MkdirTemp("", "taphuan-load-")
	if err != nil {
		return err
	}
	r.dir = dir
	defer os.RemoveAll(dir)
	defer r.stopAll()

	dbPath := filepath.Join(dir, "load.db")
	if err := r.build(dbPath); err != nil {
		return err
	}
	base, srv, err := r.serveOn(r.bin, "serve", "-db", dbPath)
	if err != nil {
		return err
	}
	r.base = base
	floorBase, err := r.startFloor(filepath.Join(dir, "floor.db"))
	if err != nil {
		return err
	}
	if err := waitReady(r.base); err != nil {
		return err
	}
	if err := waitReady(floorBase); err != nil {
		return err
	}

	org, err := r.postJSON("/api/v1/organizations", map[string]any{"name": "Sở Thông tin và Truyền thông tỉnh Khánh Hòa", "short_name": "STTTT"})
	if err != nil {
		return err
	}
	orgID := int64(org["id"].(float64))

	// Registrations under load, next to the floor.
	var seq atomic.Int64
	reg, err := r.registrations(orgID, []string{r.base}, &seq)
	if err != nil {
		return err
	}
	floorRes := r.floorBurst(floorBase, &seq)
	r.rows = append(r.rows,
		row{fmt.Sprintf("registrations/s, %d clients (POST /api/v1/courses/{id}/registrations)", r.clients), reg.rate(), floorRes.rate(), fmt.Sprintf("target ≥ half the floor: %.0f%%", 100*reg.perSec()/floorRes.perSec())},
		row{"registration p50 / p99", reg.latency(), floorRes.latency(), "target p99 < 100 ms"},
	)

	// A 2,000-person course: import, then the pages and reports of it.
	big, err := r.course(orgID, r.roster+10)
	if err != nil {
		return err
	}
	csv := rosterCSV(r.roster)
	start := time.Now()
	res, err := r.upload(fmt.Sprintf("/api/v1/courses/%d/registrations/import?mode=strict", big), "roster.csv", csv)
	if err != nil {
		return err
	}
	importTime := time.Since(start)
	if int(res["imported"].(float64)) != r.roster {
		return fmt.Errorf("import: %v", res)
	}
	r.rows = append(r.rows, row{fmt.Sprintf("import of %d rows (CSV, strict)", r.roster), ms(importTime), "", "one request, one transaction"})
	if _, err := r.postJSON(fmt.Sprintf("/api/v1/courses/%d/sessions", big), map[string]any{
		"starts_at": courseDay(1) + "T07:30:00+07:00", "ends_at": courseDay(1) + "T11:30:00+07:00", "room": "Hội trường B"}); err != nil {
		return err
	}
	bigSessions, err := r.getJSON(fmt.Sprintf("/api/v1/courses/%d/sessions", big))
	if err != nil {
		return err
	}
	bigSession := int64(bigSessions["items"].([]any)[0].(map[string]any)["id"].(float64))

	// Check-ins at the door of the 2,000-person course: every ticket once, then again.
	sessionID := bigSession
	codes, err := r.codes(big)
	if err != nil {
		return err
	}
	var next atomic.Int64
	chk := r.burst(func(c *http.Client) error {
		i := next.Add(1) - 1
		code := codes[int(i)%len(codes)]
		_, err := r.postJSONWith(c, fmt.Sprintf("/api/v1/sessions/%d/checkin", sessionID), map[string]any{"code": code})
		return err
	})
	r.rows = append(r.rows, row{fmt.Sprintf("check-ins/s, %d clients, %s-person course (POST /api/v1/sessions/{id}/checkin)", r.clients, thousands(r.roster)), chk.rate(), floorRes.rate(), chk.latency()})

	web, err := r.login()
	if err != nil {
		return err
	}
	for _, p := range []struct{ name, path string }{
		{fmt.Sprintf("roster page (HTML, %s trainees, page 1)", thousands(r.roster)), fmt.Sprintf("/staff/courses/%d/registrations", big)},
		{"roster search (HTML, q=nguyen)", fmt.Sprintf("/staff/courses/%d/registrations?q=nguyen", big)},
		{"roster API (limit 1000)", fmt.Sprintf("/api/v1/courses/%d/registrations?limit=1000", big)},
		{"attendance matrix page (HTML)", fmt.Sprintf("/staff/courses/%d/attendance", big)},
		{"attendance JSON", fmt.Sprintf("/api/v1/courses/%d/attendance", big)},
		{"check-in page of a session (HTML)", fmt.Sprintf("/staff/sessions/%d/checkin", bigSession)},
		{"public course page", fmt.Sprintf("/courses/%d", big)},
		{fmt.Sprintf("sign-in sheet PDF (%s)", thousands(r.roster)), fmt.Sprintf("/api/v1/courses/%d/reports/signin.pdf?session=%d", big, bigSession)},
		{fmt.Sprintf("attendance matrix PDF (%s)", thousands(r.roster)), fmt.Sprintf("/api/v1/courses/%d/reports/attendance.pdf", big)},
	} {
		lat, err := r.timeGets(web, p.path, 20)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		r.rows = append(r.rows, row{p.name, lat.latency(), "", "20 sequential requests"})
	}
	rss, err := peakRSS(srv.Process.Pid)
	if err != nil {
		return err
	}
	r.rows = append(r.rows, row{"server peak RSS (VmHWM) over the whole run", rss, "", "target < 150 MB"})
	r.print()
	return nil
}

// build compiles taphuan into r.dir and adds the load's administrator (and its token) to
// the database db.
func (r *runner) build(db string) error {
	r.bin = filepath.Join(r.dir, "taphuan")
	fmt.Fprintln(os.Stderr, "building taphuan …")
	if out, err := exec.Command("go", "build", "-o", r.bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(r.bin, "user", "add", "-db", db, "-email", "load@example.vn", "-name", "Load",
		"-role", "admin", "-password", "load-password").CombinedOutput(); err != nil {
		return fmt.Errorf("user add: %v\n%s", err, out)
	}
	out, err := exec.Command(r.bin, "token", "create", "-db", db, "-email", "load@example.vn").Output()
	if err != nil {
		return fmt.Errorf("token create: %v", err)
	}
	r.token = strings.TrimSpace(string(out))
	return nil
}

// registrations opens ten courses of 2,000 seats in the organization — a province opens
// several at once; a course fills up and waitlists as it would in life — and registers into
// them from r.clients clients for r.duration, spreading the requests over the instances at
// bases. seq numbers the trainees (their phones) across scenarios.
func (r *runner) registrations(orgID int64, bases []string, seq *atomic.Int64) (*result, error) {
	var open []int64
	for range 10 {
		id, err := r.course(orgID, 2000)
		if err != nil {
			return nil, err
		}
		open = append(open, id)
	}
	k := int64(len(bases))
	return r.burst(func(c *http.Client) error {
		n := seq.Add(1)
		_, err := r.sendTo(c, bases[n%k], http.MethodPost,
			fmt.Sprintf("/api/v1/courses/%d/registrations", open[(n/k)%int64(len(open))]), registration(n))
		return err
	}), nil
}

// floorBurst drives the floor server at base with the same registrations.
func (r *runner) floorBurst(base string, seq *atomic.Int64) *result {
	return r.burstURL(base, func(c *http.Client) error {
		n := seq.Add(1)
		return postStatus(c, base+"/floor", registration(n), http.StatusCreated)
	})
}

func (r *runner) start(bin string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r.procs = append(r.procs, cmd)
	return cmd, nil
}

func (r *runner) stopAll() {
	for _, p := range r.procs {
		_ = p.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = p.Process.Kill()
		}
	}
}

// serveOn starts bin with args and -addr on a free local port, and answers its base address.
func (r *runner) serveOn(bin string, args ...string) (string, *exec.Cmd, error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	cmd, err := r.start(bin, append(args, "-addr", "127.0.0.1:"+port)...)
	if err != nil {
		return "", nil, err
	}
	return "http://127.0.0.1:" + port, cmd, nil
}

// startFloor starts this tool's bare floor server on database db, and answers its base address.
func (r *runner) startFloor(db string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	base, _, err := r.serveOn(self, "-floor-server", "-db", db)
	return base, err
}

// thousands writes n with a comma between thousands, as the benchmark tables do (2,000).
func thousands(n int) string { return message.NewPrinter(language.English).Sprintf("%d", n) }

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not become ready", base)
}

func registration(n int64) map[string]any {
	return map[string]any{
		"full_name": fmt.Sprintf("Nguyễn Văn %s", givenNames[n%int64(len(givenNames))]), "gender": "Nam",
		"birth_date": "1985-03-15", "ethnicity": "Kinh", "position": "Viên chức",
		"organization": "Đài truyền thanh xã Ninh Xuân", "locality": "xã Ninh Xuân",
		"phone": fmt.Sprintf("09%08d", n), "email": "",
	}
}

var givenNames = []string{"An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hòa", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Uyên", "Vinh", "Yến"}

func rosterCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Đơn vị công tác,Địa phương,Số điện thoại,Email\n")
	surnames := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}
	middles := []string{"Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc"}
	for i := range n {
		fmt.Fprintf(&b, "%s %s %s,%s,%02d/%02d/%d,Kinh,Viên chức,Đài truyền thanh xã %d,xã %d,08%08d,\n",
			surnames[i%len(surnames)], middles[i%len(middles)], givenNames[i%len(givenNames)],
			[]string{"Nam", "Nữ"}[i%2], i%28+1, i%12+1, 1970+i%30, i%90, i%90, i)
	}
	return b.Bytes()
}

// courseDay is day n of the load's courses, which start in a month: the calendar closes
// registration of a course that has started.
func courseDay(n int) string { return time.Now().AddDate(0, 1, n).Format("2006-01-02") }

func (r *runner) course(orgID int64, capacity int) (int64, error) {
	c, err := r.postJSON("/api/v1/courses", map[string]any{
		"organization_id": orgID, "title": "Tập huấn nâng cao năng lực cán bộ thông tin cơ sở",
		"venue": "Nha Trang", "starts_on": courseDay(0), "ends_on": courseDay(1), "capacity": capacity,
		"registration_mode": "open", "min_attendance_percent": 75})
	if err != nil {
		return 0, err
	}
	id := int64(c["id"].(float64))
	if _, err := r.send(http.DefaultClient, http.MethodPatch, fmt.Sprintf("/api/v1/courses/%d", id), map[string]any{"status": "open"}); err != nil {
		return 0, err
	}
	return id, nil
}

func (r *runner) codes(course int64) ([]string, error) {
	var codes []string
	for offset := 0; ; offset += 1000 {
		res, err := r.getJSON(fmt.Sprintf("/api/v1/courses/%d/registrations?status=confirmed&limit=1000&offset=%d", course, offset))
		if err != nil {
			return nil, err
		}
		items := res["items"].([]any)
		for _, it := range items {
			codes = append(codes, it.(map[string]any)["code"].(string))
		}
		if len(items) < 1000 {
			break
		}
	}
	if len(codes) == 0 {
		return nil, errors.New("no registrations to check in")
	}
	return codes, nil
}

func (r *runner) postJSON(path string, body any) (map[string]any, error) {
	return r.postJSONWith(http.DefaultClient, path, body)
}

func (r *runner) postJSONWith(c *http.Client, path string, body any) (map[string]any, error) {
	return r.send(c, http.MethodPost, path, body)
}

func (r *runner) getJSON(path string) (map[string]any, error) {
	return r.send(http.DefaultClient, http.MethodGet, path, nil)
}

func (r *runner) send(c *http.Client, method, path string, body any) (map[string]any, error) {
	return r.sendTo(c, r.base, method, path, body)
}

// sendTo is send to the server at base (one of several instances).
func (r *runner) sendTo(c *http.Client, base, method, path string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return m, nil
}

func postStatus(c *http.Client, u string, body any, want int) error {
	b, _ := json.Marshal(body)
	resp, err := c.Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: %d", u, resp.StatusCode)
	}
	return nil
}

func (r *runner) upload(path, name string, data []byte) (map[string]any, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, r.base+path, &b)
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("upload: %d %s", resp.StatusCode, body)
	}
	var m map[string]any
	return m, json.Unmarshal(body, &m)
}

// login signs the administrator in through the login form and returns a client with the
// session cookie, for the HTML pages.
func (r *runner) login() (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(r.base+"/login", url.Values{"email": {"load@example.vn"}, "password": {"load-password"}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login: %d", resp.StatusCode)
	}
	return c, nil
}

func (r *runner) timeGets(c *http.Client, path string, n int) (*result, error) {
	res := &result{}
	for range n {
		start := time.Now()
		req, _ := http.NewRequest(http.MethodGet, r.base+path, nil)
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+r.token)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		res.add(time.Since(start))
	}
	res.elapsed = 0
	return res, nil
}

// result collects latencies.
type result struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	elapsed   time.Duration
}

func (res *result) add(d time.Duration) {
	res.mu.Lock()
	res.latencies = append(res.latencies, d)
	res.mu.Unlock()
}

func (res *result) perSec() float64 {
	if res.elapsed == 0 {
		return 0
	}
	return float64(len(res.latencies)) / res.elapsed.Seconds()
}

func (res *result) rate() string {
	s := fmt.Sprintf("%.0f/s", res.perSec())
	if res.errors > 0 {
		s += fmt.Sprintf(" (%d errors)", res.errors)
	}
	return s
}

func (res *result) pct(p float64) time.Duration {
	if len(res.latencies) == 0 {
		return 0
	}
	l := slices.Clone(res.latencies)
	slices.Sort(l)
	i := int(float64(len(l)-1) * p)
	return l[i]
}

func (res *result) latency() string {
	return fmt.Sprintf("p50 %s / p99 %s", ms(res.pct(0.50)), ms(res.pct(0.99)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r *runner) burst(do func(c *http.Client) error) *result { return r.burstURL(r.base, do) }

// burstURL runs do from r.clients goroutines for r.duration, each with its own keep-alive
// connection.
func (r *runner) burstURL(_ string, do func(c *http.Client) error) *result {
	res := &result{}
	ctx, cancel := context.WithTimeout(context.Background(), r.duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	var errCount atomic.Int64
	for range r.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 30 * time.Second}
			for ctx.Err() == nil {
				t0 := time.Now()
				if err := do(c); err != nil {
					errCount.Add(1)
					continue
				}
				res.add(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.errors = int(errCount.Load())
	return res
}

// peakRSS reads the high-water mark of the resident set of pid (Linux).
func peakRSS(pid int) (string, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return fmt.Sprintf("%.0f MB", float64(kb)/1024), nil
		}
	}
	return "", errors.New("no VmHWM")
}

func (r *runner) print() {
	fmt.Printf("Machine: %d cores (GOMAXPROCS %d), %s/%s, %s; %d clients, %s per throughput scenario.\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(), r.clients, r.duration)
	engine := "SQLite"
	if r.engine != "" {
		engine = r.engine
	}
	fmt.Printf("| measure | taphuan | floor (bare Gin + sqlx + %s insert) | note |\n", engine)
	fmt.Println("|---|---|---|---|")
	for _, row := range r.rows {
		fmt.Printf("| %s | %s | %s | %s |\n", row.name, row.value, row.floor, row.note)
	}
}
