package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"taphuan/accounts"
	"taphuan/demo"
)

// sweepScene is the demo data set loaded into a test app, with one client per caller and
// language and the identifiers that fill the routes' parameters.
type sweepScene struct {
	a       *testApp
	clients map[string]*http.Client // "organizer/vi", "admin/en", "anonymous/vi"…
	// Samples for the routes' parameters.
	courses, sessions, modules, people, tickets, verify    []string
	users, surveys, lecturers, units, unitCourses, invites []string
	// Tickets whose course has a published survey, a knowledge test (the others' pages are 404).
	surveyTickets, testTickets map[string]bool
	// Texts that are data, not interface: every free-text value in the database.
	data []string
}

func newSweepScene(t *testing.T) *sweepScene {
	t.Helper()
	a := newTestApp(t)
	logins, err := demo.Load(t.Context(), a.db, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	admin := a.user(accounts.RoleAdmin, 0)
	sc := &sweepScene{a: a, clients: map[string]*http.Client{}}
	for _, lang := range []string{"vi", "en"} {
		for _, who := range []struct{ name, email, password string }{
			{"organizer", demo.OrganizerMail, demo.Password}, {"staff", demo.StaffMail, demo.Password},
			{"admin", admin.Email, testPassword}, {"unit", demo.UnitMail, demo.Password}, {"anonymous", "", ""}} {
			c := a.browserClient()
			if who.email != "" {
				resp := a.postForm(c, "/login", url.Values{"email": {who.email}, "password": {who.password}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign in %s: %d", who.email, resp.StatusCode)
				}
			}
			a.get(c, "/lang/"+lang+"?next=/")
			sc.clients[who.name+"/"+lang] = c
		}
	}
	q := func(dst *[]string, query string, args ...any) {
		if err := a.db.R.Select(dst, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	q(&sc.courses, `SELECT CAST(id AS TEXT) FROM courses ORDER BY id`)
	if len(sc.courses) < 2 || sc.courses[0] != fmt.Sprint(logins.CourseID) {
		t.Fatalf("demo courses %v", sc.courses)
	}
	q(&sc.sessions, `SELECT CAST(MIN(id) AS TEXT) FROM sessions GROUP BY course_id ORDER BY course_id`)
	q(&sc.modules, `SELECT CAST(MIN(id) AS TEXT) FROM modules GROUP BY course_id ORDER BY course_id`)
	q(&sc.people, `SELECT CAST(MIN(person_id) AS TEXT) FROM registrations GROUP BY course_id ORDER BY course_id`)
	// A ticket of each status in each course, and one with a certificate.
	q(&sc.tickets, `SELECT MIN(code) FROM registrations GROUP BY course_id, status
		UNION SELECT MIN(r.code) FROM registrations r JOIN certificates c ON c.registration_id = r.id`)
	q(&sc.verify, `SELECT MIN(code) FROM certificates`)
	sc.verify = append(sc.verify, "khong-co-ma-nay")
	q(&sc.users, `SELECT CAST(id AS TEXT) FROM users ORDER BY id`)
	q(&sc.surveys, `SELECT CAST(id AS TEXT) FROM surveys WHERE status <> 'draft' ORDER BY id`)
	q(&sc.lecturers, `SELECT CAST(MIN(id) AS TEXT) FROM lecturers`)
	// The focal point's unit and the courses it has seats on (its portal's pages).
	q(&sc.units, `SELECT CAST(unit_id AS TEXT) FROM users WHERE role = 'unit' AND unit_id IS NOT NULL ORDER BY id`)
	q(&sc.unitCourses, `SELECT CAST(q.course_id AS TEXT) FROM course_unit_quotas q
		JOIN users u ON u.unit_id = q.unit_id AND u.email = ? ORDER BY q.course_id`, demo.UnitMail)
	if len(sc.units) == 0 || len(sc.unitCourses) == 0 {
		t.Fatalf("demo focal point: units %v, courses %v", sc.units, sc.unitCourses)
	}
	var withSurvey, withTest []string
	q(&withSurvey, `SELECT r.code FROM registrations r JOIN surveys s ON s.course_id = r.course_id AND s.status <> 'draft'`)
	q(&withTest, `SELECT r.code FROM registrations r JOIN knowledge_tests k ON k.course_id = r.course_id`)
	sc.surveyTickets, sc.testTickets = map[string]bool{}, map[string]bool{}
	for _, c := range withSurvey {
		sc.surveyTickets[c] = true
	}
	for _, c := range withTest {
		sc.testTickets[c] = true
	}
	// A pending invitation of a focal point (the demo has none), before the data texts.
	var unitID int64
	fmt.Sscan(sc.units[0], &unitID)
	invite, err := accounts.New(a.db).CreateInvitation(t.Context(), accounts.InvitationInput{UnitID: unitID,
		Email: "daumoi2@demo.taphuan.local", Name: "Phạm Văn Lợi"})
	if err != nil {
		t.Fatal(err)
	}
	sc.invites = []string{invite}
	sc.data = databaseTexts(t, a)
	return sc
}

// enumerated columns hold values of a closed set that the pages must translate (gender
// "Nữ", statuses…): they are not data that may stay Vietnamese on an English page.
var enumerated = map[string]bool{"gender": true, "status": true, "role": true, "registration_mode": true,
	"source": true, "kind": true, "action": true, "mark": true, "method": true}

// databaseTexts returns every distinct text value with a Vietnamese letter in the database,
// longest first (free-text columns only).
func databaseTexts(t *testing.T, a *testApp) []string {
	t.Helper()
	tables, err := a.db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tb := range tables {
		cols, err := a.db.Columns(context.Background(), tb)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if !strings.Contains(strings.ToUpper(c.Type), "TEXT") || enumerated[c.Name] {
				continue
			}
			var vals []string
			if err := a.db.R.Select(&vals, fmt.Sprintf(`SELECT DISTINCT %q FROM %q WHERE %q IS NOT NULL`, c.Name, tb, c.Name)); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				// A JSON array of texts (a choice question's options) holds one text per item.
				var items []string
				if json.Unmarshal([]byte(v), &items) == nil {
					v = strings.Join(items, "\n")
				}
				for _, line := range strings.Split(v, "\n") {
					if line = strings.Join(strings.Fields(line), " "); vietnamese.MatchString(line) {
						seen[line] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// vietnamese matches a letter that only Vietnamese uses (a vowel with its tone or shape
// marks, or đ).
var vietnamese = regexp.MustCompile(`[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]`)

// keyLike matches what a translation key looks like in a page: area.word[.word…].
var keyLike = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:\.[a-z0-9_]+)+\b`)

// visibleTexts returns the text a person sees or hears on the page: text nodes (not
// scripts, styles or the contents of text areas, which are typed data) and the title,
// aria-label, placeholder and alt attributes. Elements marked lang="vi" are Vietnamese on
// purpose (the language switch, the official wording of a document) and are left out.
func visibleTexts(doc *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "textarea", "template":
				return
			}
			for _, at := range n.Attr {
				if at.Key == "lang" && at.Val == "vi" && n.Data != "html" {
					return
				}
			}
			for _, at := range n.Attr {
				switch at.Key {
				case "title", "aria-label", "placeholder", "alt":
					out = append(out, at.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			if s := strings.Join(strings.Fields(n.Data), " "); s != "" {
				out = append(out, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// problems returns what is wrong on one page in lang: Go formatting errors, raw
// translation keys, and (in English) Vietnamese words that are not data.
func (sc *sweepScene) problems(lang, body string) []string {
	var out []string
	if i := strings.Index(body, "%!"); i >= 0 {
		out = append(out, "formatting error: "+body[max(0, i-60):min(len(body), i+40)])
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return append(out, "not HTML: "+err.Error())
	}
	prefixes := map[string]bool{}
	for k := range sc.a.srv.catalogs["vi"] {
		prefixes[strings.SplitN(k, ".", 2)[0]] = true
	}
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, s := range visibleTexts(doc) {
		for _, m := range keyLike.FindAllString(s, -1) {
			if _, known := sc.a.srv.catalogs["vi"][m]; known || prefixes[strings.SplitN(m, ".", 2)[0]] {
				add("raw translation key: " + m)
			}
		}
		if lang != "en" || !vietnamese.MatchString(s) {
			continue
		}
		rest := s
		for _, d := range sc.data {
			if strings.Contains(rest, d) {
				rest = strings.ReplaceAll(rest, d, " ")
			}
		}
		for _, w := range strings.Fields(rest) {
			if vietnamese.MatchString(w) {
				add(fmt.Sprintf("Vietnamese on an English page: %q in %q", w, s))
				break
			}
		}
	}
	return out
}

// sweepPath is one page of the sweep: who looks at it and the status expected.
type sweepPath struct {
	who, path string
	status    int
}

// paths fills every GET page route of the engine with the demo's identifiers (both demo
// courses), as the caller who may see it; a route the sweep cannot fill fails the test, so
// a new page is swept too.
func (sc *sweepScene) paths(t *testing.T) []sweepPath {
	var out []sweepPath
	for _, r := range sc.a.srv.engine.Routes() {
		p := r.Path
		if r.Method != http.MethodGet || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/static") ||
			p == "/healthz" || strings.HasPrefix(p, "/lang/") || regexp.MustCompile(`\.(pdf|png|csv|xlsx|zip)$`).MatchString(p) {
			continue
		}
		who := "organizer"
		switch {
		case strings.HasPrefix(p, "/admin/"):
			who = "admin"
		case p == "/unit" || strings.HasPrefix(p, "/unit/"):
			who = "unit"
		case !strings.HasPrefix(p, "/staff/") && p != "/" && p != "/account":
			who = "anonymous"
		}
		for _, filled := range sc.fill(p) {
			if strings.Contains(filled, ":") {
				t.Errorf("the sweep has no sample for %s in route %s: add one to sweepScene.fill", filled, p)
				continue
			}
			status := http.StatusOK
			switch {
			case strings.Contains(filled, "khong-co-ma-nay"):
				status = http.StatusNotFound
			case strings.HasSuffix(p, "/cancel"):
				status = 0 // a ticket that can no longer be cancelled goes back to itself
			case p == "/tickets/:code/survey" && !sc.surveyTickets[strings.Split(filled, "/")[2]],
				p == "/tickets/:code/test" && !sc.testTickets[strings.Split(filled, "/")[2]]:
				status = http.StatusNotFound // the ticket's course has no survey, no test
			}
			out = append(out, sweepPath{who, filled, status})
		}
	}
	for _, c := range sc.courses {
		out = append(out,
			sweepPath{"organizer", "/staff/courses/" + c + "/registrations?page=2", 200},
			sweepPath{"organizer", "/staff/courses/" + c + "/registrations?status=waitlisted", 200},
			sweepPath{"organizer", "/staff/courses/" + c + "/certificates?page=2", 200},
			sweepPath{"organizer", "/staff/courses/" + c + "/attendance?page=2", 200})
	}
	out = append(out,
		sweepPath{"staff", "/", 200}, sweepPath{"staff", "/staff/courses", 200},
		sweepPath{"staff", "/staff/sessions/" + sc.sessions[0] + "/checkin", 200},
		sweepPath{"admin", "/", 200}, sweepPath{"admin", "/staff/courses", 200},
		sweepPath{"organizer", "/staff/people?page=2", 200},
		sweepPath{"organizer", "/staff/statistics?from=2023-01-01&to=2023-12-31", 200},
		sweepPath{"organizer", "/staff/courses/999999", 404},
		sweepPath{"anonymous", "/staff/courses", 303})
	return out
}

// fill returns the concrete paths of a route pattern: one per demo course for a course's
// pages, and so on.
func (sc *sweepScene) fill(pattern string) []string {
	out := []string{pattern}
	expand := func(param string, values []string) {
		var next []string
		for _, p := range out {
			if !strings.Contains(p, param) {
				next = append(next, p)
				continue
			}
			for i, v := range values {
				q := strings.Replace(p, param, v, 1)
				// :mid and :sid follow the course of :id.
				if strings.Contains(q, ":mid") && i < len(sc.modules) {
					q = strings.Replace(q, ":mid", sc.modules[i], 1)
				}
				if strings.Contains(q, ":sid") && i < len(sc.sessions) {
					q = strings.Replace(q, ":sid", sc.sessions[i], 1)
				}
				next = append(next, q)
			}
		}
		out = next
	}
	switch {
	case strings.HasPrefix(pattern, "/staff/courses/:id"), strings.HasPrefix(pattern, "/courses/:id"):
		expand(":id", sc.courses)
	case strings.HasPrefix(pattern, "/staff/sessions/:id"), strings.HasPrefix(pattern, "/self/:id"):
		expand(":id", sc.sessions)
	case strings.HasPrefix(pattern, "/staff/people/:id"):
		expand(":id", sc.people)
	case strings.HasPrefix(pattern, "/tickets/:code"):
		expand(":code", sc.tickets)
	case strings.HasPrefix(pattern, "/verify/:code"):
		expand(":code", sc.verify)
	case strings.HasPrefix(pattern, "/admin/users/:id"):
		expand(":id", sc.users)
	case strings.HasPrefix(pattern, "/staff/surveys/:id"), strings.HasPrefix(pattern, "/surveys/:id"):
		expand(":id", sc.surveys)
	case strings.HasPrefix(pattern, "/staff/lecturers/:id"):
		expand(":id", sc.lecturers)
	case strings.HasPrefix(pattern, "/staff/units/:id"):
		expand(":id", sc.units)
	case strings.HasPrefix(pattern, "/unit/courses/:id"):
		expand(":id", sc.unitCourses)
	case strings.HasPrefix(pattern, "/invite/:token"):
		expand(":token", sc.invites)
	}
	return out
}

// TestPageSweep renders every page (staff and public, from the demo data, in Vietnamese and
// in English) and fails on a Go formatting error ("%!s(int=200)"), on a translation key
// shown raw, and on Vietnamese interface text left on an English page — trainees' names,
// course titles and other data may stay Vietnamese. Refused forms are swept too.
func TestPageSweep(t *testing.T) {
	sc := newSweepScene(t)
	paths := sc.paths(t)
	if len(paths) < 40 {
		t.Fatalf("only %d pages to sweep", len(paths))
	}
	for _, lang := range []string{"vi", "en"} {
		for _, p := range paths {
			resp, body := sc.a.get(sc.clients[p.who+"/"+lang], p.path)
			if p.status == 0 && resp.StatusCode == http.StatusSeeOther {
				continue
			}
			if resp.StatusCode != max(p.status, http.StatusOK) {
				t.Errorf("%s %s as %s: status %d, want %d", lang, p.path, p.who, resp.StatusCode, p.status)
				continue
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, pr := range sc.problems(lang, body) {
				t.Errorf("%s %s as %s: %s", lang, p.path, p.who, pr)
			}
		}
		// Refused forms: the public registration and a new course, empty.
		for _, f := range []struct{ who, path string }{
			{"anonymous", "/courses/" + sc.courses[1] + "/register"}, {"organizer", "/staff/courses"},
			{"organizer", "/staff/courses/" + sc.courses[1] + "/sessions"}, {"organizer", "/staff/courses/" + sc.courses[1] + "/modules"},
		} {
			resp, body := sc.a.postFormBody(sc.clients[f.who+"/"+lang], f.path, url.Values{"phone": {"091234567"}})
			if resp.StatusCode < 400 || !strings.Contains(body, `id="error-summary"`) {
				t.Errorf("%s refused %s: status %d without the error summary", lang, f.path, resp.StatusCode)
			}
			for _, pr := range sc.problems(lang, body) {
				t.Errorf("%s refused %s: %s", lang, f.path, pr)
			}
		}
	}
}

// TestSweepCatchesProblems: the sweep's checks find what they are meant to find.
func TestSweepCatchesProblems(t *testing.T) {
	sc := &sweepScene{a: newTestApp(t), data: []string{"Nguyễn Thị Hải Yến"}}
	page := `<html><body><p>Trang 1/4 · %!s(int=200) mục</p><p>attendance.stats.by_level</p>
<p>Trainee: Nguyễn Thị Hải Yến</p><p>Tất cả các lớp</p><a lang="vi" href="#">Tiếng Việt</a></body></html>`
	got := strings.Join(sc.problems("en", page), "\n")
	for _, want := range []string{"formatting error", "raw translation key: attendance.stats.by_level", `"Tất" in "Tất cả các lớp"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the sweep did not report %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Nguyễn") || strings.Contains(got, "Tiếng") {
		t.Errorf("the sweep reported data or lang=vi text:\n%s", got)
	}
}
