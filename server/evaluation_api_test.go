package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/evaluation"
	"taphuan/pdfdoc/pdftest"
)

type evalAPIError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func evalDecodeErr(t *testing.T, b []byte) evalAPIError {
	t.Helper()
	var e evalAPIError
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return e
}

// TestSurveyAPI walks the contract: create (once), edit, answer with the ticket, the bad
// inputs refused with their messages, correction, closing, results; and no page or API
// of the organizers names who answered.
func TestSurveyAPI(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	tok := a.token(sc.organizer)
	path := "/api/v1/surveys/" + itoa(sc.survey.ID)

	st, body := a.call("POST", "/api/v1/courses/"+itoa(sc.course.ID)+"/survey", tok, nil)
	if st != 409 || evalDecodeErr(t, body).Error.Code != "conflict" {
		t.Errorf("second survey: %d %s", st, body)
	}
	st, body = a.call("GET", "/api/v1/courses/"+itoa(sc.course.ID)+"/survey", tok, nil)
	var sv struct {
		ID        int64  `json:"id"`
		Status    string `json:"status"`
		Questions []struct {
			ID       int64    `json:"id"`
			Section  string   `json:"section"`
			ModuleID *int64   `json:"module_id"`
			Kind     string   `json:"kind"`
			Text     string   `json:"text"`
			Options  []string `json:"options"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(body, &sv); err != nil || st != 200 || sv.Status != "open" || len(sv.Questions) != 17 {
		t.Fatalf("survey: %d %s", st, body)
	}
	var rating, choice, open int64
	modules := 0
	for _, q := range sv.Questions {
		switch {
		case q.ModuleID != nil:
			modules++
		case q.Kind == "rating" && rating == 0:
			rating = q.ID
		case q.Kind == "choice":
			choice = q.ID
		case q.Kind == "text" && open == 0:
			open = q.ID
		}
	}
	if modules != 8 {
		t.Errorf("%d module questions, want 2 modules × 4", modules)
	}

	// Bad input, each refused with a message on its field; nothing stored.
	cases := []struct {
		name, ticket string
		answers      any
		field, msg   string
	}{
		{"rating 6", sc.yen.Code, []any{map[string]any{"question_id": rating, "value": 6}}, fmt.Sprintf("answers.%d", rating), "Chọn điểm từ 1 đến 5."},
		{"choice 9", sc.yen.Code, []any{map[string]any{"question_id": choice, "value": "9"}}, fmt.Sprintf("answers.%d", choice), "Chọn một trong 3 phương án."},
		{"unknown ticket", "khong-co-ve", []any{}, "ticket_code", "Không tìm thấy vé với mã này."},
	}
	for _, c := range cases {
		st, body := a.call("POST", path+"/responses", "", map[string]any{"ticket_code": c.ticket, "answers": c.answers})
		e := evalDecodeErr(t, body)
		if st != 422 || e.Error.Fields[c.field] != c.msg {
			t.Errorf("%s: %d %s", c.name, st, body)
		}
	}
	// Another course's question.
	other := coursestest.Course(t, a.db, sc.course.OrganizationID)
	osv, err := a.srv.eval.CreateSurvey(context.Background(), other.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, body = a.call("POST", path+"/responses", "", map[string]any{"ticket_code": sc.yen.Code,
		"answers": []any{map[string]any{"question_id": osv.Questions[0].ID, "value": 3}}})
	if e := evalDecodeErr(t, body); st != 422 || e.Error.Fields["answers.0"] != "Câu hỏi không thuộc phiếu khảo sát này." {
		t.Errorf("another course's question: %d %s", st, body)
	}

	answer := func(v any, text string) (int, []byte) {
		return a.call("POST", path+"/responses", "", map[string]any{"ticket_code": sc.yen.Code, "answers": []any{
			map[string]any{"question_id": rating, "value": v},
			map[string]any{"question_id": choice, "value": "Phù hợp"},
			map[string]any{"question_id": open, "value": text},
		}})
	}
	if st, body := answer(5, `<script>alert("x")</script> =1+1`); st != 201 {
		t.Fatalf("answer: %d %s", st, body)
	}
	if st, body := answer("3", `<script>alert("x")</script> =1+1`); st != 201 {
		t.Fatalf("correction: %d %s", st, body)
	}

	// Another trainee, and a paper form.
	duc := coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Đặng Văn Đức"}, courses.RegConfirmed)
	if st, body := a.call("POST", path+"/responses", "", map[string]any{"ticket_code": duc.Code,
		"answers": []any{map[string]any{"question_id": rating, "value": 4}}}); st != 201 {
		t.Fatalf("second trainee: %d %s", st, body)
	}
	if st, body := a.call("POST", path+"/paper", tok, map[string]any{"answers": []any{map[string]any{"question_id": rating, "value": 2}}}); st != 201 {
		t.Fatalf("paper: %d %s", st, body)
	}

	st, body = a.call("GET", path+"/results", tok, nil)
	var res struct {
		Responses, Invited, Paper int
		Questions                 []struct {
			ID      int64          `json:"id"`
			Mean    *float64       `json:"mean"`
			Counts  map[string]int `json:"counts"`
			Answers []string       `json:"answers"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(body, &res); err != nil || st != 200 {
		t.Fatalf("results: %d %s", st, body)
	}
	if res.Responses != 3 || res.Invited != 2 || res.Paper != 1 {
		t.Errorf("responses %d invited %d paper %d", res.Responses, res.Invited, res.Paper)
	}
	for _, q := range res.Questions {
		if q.ID == rating && (q.Mean == nil || *q.Mean != 3 || q.Counts["3"] != 1 || q.Counts["5"] != 0 || q.Counts["4"] != 1 || q.Counts["2"] != 1) {
			t.Errorf("rating results %+v (mean of 3, 4, 2 = 3)", q)
		}
	}
	// Never who answered what: no name, ticket, phone or registration in the results, nor
	// on the organizers' pages of the survey.
	org := a.login(sc.organizer)
	_, page := a.get(org, "/staff/courses/"+itoa(sc.course.ID)+"/survey")
	for _, where := range []struct{ name, text string }{{"results JSON", string(body)}, {"survey page", page}} {
		for _, leak := range []string{sc.yen.FullName, sc.yen.Code, sc.yen.Phone, duc.FullName, duc.Code, `"registration_id"`} {
			if strings.Contains(where.text, leak) {
				t.Errorf("%s holds %q", where.name, leak)
			}
		}
	}
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert") {
		t.Error("the open answer is not escaped on the survey page")
	}
	// An organizer knows the ticket codes; opening the trainee's survey pages with one
	// shows that there is a response but none of its answers.
	for _, s := range []string{"0", "4"} {
		_, tp := a.get(org, "/tickets/"+sc.yen.Code+"/survey?s="+s)
		if !strings.Contains(tp, `id="answer-hidden"`) || strings.Contains(tp, "checked") || strings.Contains(tp, "alert(&#34;x&#34;)") ||
			strings.Contains(tp, "&lt;script&gt;") {
			t.Errorf("the ticket's survey page %s shows the answers to whoever has the code", s)
		}
	}

	// PDF: read back; the open answer is text; the charts are drawn (dark pixels in the
	// first chart's area).
	resp, pdf := a.get(org, "/api/v1/surveys/"+itoa(sc.survey.ID)+"/results.pdf")
	if resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("results.pdf: %d", resp.StatusCode)
	}
	text := strings.Join(pdftest.Text(t, []byte(pdf)), "\n")
	for _, want := range []string{"KẾT QUẢ KHẢO SÁT ĐÁNH GIÁ KHÓA HỌC", "Số phiếu thu về: 3/2", "Chuyên đề 1: Quy định về thông tin cơ sở",
		`<script>alert("x")</script> =1+1`, "Điểm TB"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	img, png := pdftest.Render(t, []byte(pdf), 1, 50, nil)
	if dir := os.Getenv("TAPHUAN_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "survey_results_pdf.png"), png, 0o644)
		os.WriteFile(filepath.Join(dir, "survey_results.pdf"), []byte(pdf), 0o644)
	}
	if share := pdftest.DarkShare(img, image.Rect(0, img.Bounds().Dy()/3, img.Bounds().Dx(), img.Bounds().Dy())); share < 0.01 {
		t.Errorf("page 1 looks empty below the title (%.3f dark)", share)
	}

	// XLSX: the open answer is a string cell, not a formula.
	resp, xb := a.get(org, "/api/v1/surveys/"+itoa(sc.survey.ID)+"/results.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("results.xlsx: %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	rows, _ := f.GetRows("Ý kiến")
	for i, r := range rows {
		if len(r) > 1 && r[1] == `<script>alert("x")</script> =1+1` {
			found = true
			if fm, _ := f.GetCellFormula("Ý kiến", fmt.Sprintf("B%d", i+1)); fm != "" {
				t.Errorf("open answer stored as formula %q", fm)
			}
		}
	}
	if !found {
		t.Errorf("open answers sheet %v", rows)
	}
	sum, _ := f.GetRows("Tổng hợp")
	if len(sum) < 6 || sum[5][3] != "3" || sum[5][4] != "3" {
		t.Errorf("summary row %v", sum[5])
	}

	// Closing: the organizer closes it; answers are refused with "closed".
	if st, body := a.call("PATCH", path, tok, map[string]any{"status": "closed"}); st != 200 {
		t.Fatalf("close: %d %s", st, body)
	}
	st, body = answer(1, "")
	if e := evalDecodeErr(t, body); st != 409 || e.Error.Code != "closed" {
		t.Errorf("after closing: %d %s", st, body)
	}
}

// TestSurveyQuestionEditsAPI: editing questions through PATCH; after answers a change of
// wording makes a new question; a foreign id is refused.
func TestSurveyQuestionEditsAPI(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	tok := a.token(sc.organizer)
	path := "/api/v1/surveys/" + itoa(sc.survey.ID)
	qs := []map[string]any{}
	for _, q := range sc.survey.Questions {
		qs = append(qs, map[string]any{"id": q.ID, "section": q.Section, "kind": q.Kind, "text": q.Text, "options": q.Options, "module_id": q.Module})
	}
	first := sc.survey.Questions[0].ID
	if st, body := a.call("POST", path+"/responses", "", map[string]any{"ticket_code": sc.yen.Code,
		"answers": []any{map[string]any{"question_id": first, "value": 4}}}); st != 201 {
		t.Fatal(st, string(body))
	}
	qs[0]["text"] = "Nội dung mới hoàn toàn"
	st, body := a.call("PATCH", path, tok, map[string]any{"questions": qs})
	if st != 200 {
		t.Fatalf("patch: %d %s", st, body)
	}
	var got evaluation.Survey
	json.Unmarshal(body, &got)
	var retired, fresh bool
	for _, q := range got.Questions {
		if q.ID == first && q.Retired {
			retired = true
		}
		if q.Text == "Nội dung mới hoàn toàn" && q.ID != first && !q.Retired {
			fresh = true
		}
	}
	if !retired || !fresh {
		t.Errorf("versioning: retired %v new %v", retired, fresh)
	}
	bad := []map[string]any{{"id": 999999, "section": "X", "kind": "rating", "text": "Y"}}
	st, body = a.call("PATCH", path, tok, map[string]any{"questions": bad})
	if e := evalDecodeErr(t, body); st != 422 || e.Error.Fields["questions.0.id"] == "" {
		t.Errorf("foreign question id: %d %s", st, body)
	}
	st, body = a.call("PATCH", path, tok, map[string]any{"questions": []map[string]any{{"section": "X", "kind": "bogus", "text": ""}}})
	if e := evalDecodeErr(t, body); st != 422 || e.Error.Fields["questions.0.kind"] == "" || e.Error.Fields["questions.0.text"] == "" {
		t.Errorf("bad question: %d %s", st, body)
	}
}

// TestSurveyRateLimit: the public answers of one ticket are limited (429 after
// evalLimitPerTicket in the window), in the database.
func TestSurveyRateLimit(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	path := "/api/v1/surveys/" + itoa(sc.survey.ID) + "/responses"
	q := sc.survey.Questions[0].ID
	for i := 0; i < evalTicketRule.Max; i++ {
		if st, body := a.call("POST", path, "", map[string]any{"ticket_code": sc.yen.Code,
			"answers": []any{map[string]any{"question_id": q, "value": 4}}}); st != 201 {
			t.Fatalf("answer %d: %d %s", i, st, body)
		}
	}
	st, body := a.call("POST", path, "", map[string]any{"ticket_code": sc.yen.Code, "answers": []any{}})
	if st != 429 {
		t.Errorf("over the limit: %d %s", st, body)
	}
	var n int
	a.db.R.Get(&n, `SELECT COUNT(*) FROM rate_limits WHERE bucket = 'survey_ticket'`)
	if n == 0 {
		t.Error("the limit is not in the database")
	}
}

// TestEligibilityPostTestAPI: a post-test minimum shows in the eligibility preview with
// its reason, like the attendance rule.
func TestEligibilityPostTestAPI(t *testing.T) {
	a := newTestApp(t)
	org := a.org("Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	organizer := a.user(accounts.RoleOrganizer, org.ID)
	course := coursestest.Course(t, a.db, org.ID, func(c *courses.Course) { c.MinAttendancePercent = 0 })
	now := time.Now()
	coursestest.Session(t, a.db, course.ID, now.Add(-time.Hour), 3*time.Hour, "Hội trường A")
	pass := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Lê Văn Đạt"}, courses.RegConfirmed)
	fail := coursestest.Registration(t, a.db, course.ID, coursestest.Person{FullName: "Phạm Thị Chưa"}, courses.RegConfirmed)
	tok := a.token(organizer)
	st, body := a.call("PUT", "/api/v1/courses/"+itoa(course.ID)+"/knowledge-test", tok, map[string]any{"min_post_percent": 50,
		"questions": []any{map[string]any{"text": "Câu 1", "options": []string{"A", "B"}, "correct": 1},
			map[string]any{"text": "Câu 2", "options": []string{"A", "B"}, "correct": 2}}})
	if st != 200 {
		t.Fatalf("test: %d %s", st, body)
	}
	var kt evaluation.KnowledgeTest
	json.Unmarshal(body, &kt)
	// Through the trainee's page: one right of two (exactly 50%) passes, none fails.
	for _, c := range []struct {
		r    *courses.Registration
		a, b string
	}{{pass, "1", "1"}, {fail, "2", "1"}} {
		resp := a.postForm(a.browserClient(), "/tickets/"+c.r.Code+"/test", map[string][]string{
			fmt.Sprintf("a_%d", kt.Questions[0].ID): {c.a}, fmt.Sprintf("a_%d", kt.Questions[1].ID): {c.b}})
		if resp.StatusCode != 303 {
			t.Fatalf("take test: %d", resp.StatusCode)
		}
	}
	st, body = a.call("GET", "/api/v1/courses/"+itoa(course.ID)+"/eligibility", tok, nil)
	if st != 200 {
		t.Fatalf("eligibility: %d %s", st, body)
	}
	s := string(body)
	if !strings.Contains(s, "post_test") || !strings.Contains(s, "điểm kiểm tra cuối khóa 0%, dưới mức tối thiểu") {
		t.Errorf("eligibility %s", s)
	}
	st, body = a.call("GET", "/api/v1/courses/"+itoa(course.ID)+"/knowledge-test/results", tok, nil)
	if st != 200 || !strings.Contains(string(body), `"correct":1`) {
		t.Errorf("test results: %d %s", st, body)
	}
	_, page := a.get(a.login(organizer), "/staff/courses/"+itoa(course.ID)+"/certificates")
	if !strings.Contains(page, "Điểm kiểm tra cuối khóa tối thiểu 50%.") {
		t.Error("the certificates page does not state the post-test rule")
	}
	if !strings.Contains(page, "điểm kiểm tra cuối khóa 0%, dưới mức tối thiểu") {
		t.Error("the certificates page does not say why the post-test fails")
	}
}

// TestSurveyConcurrentSubmitsHTTP: 20 submits of one ticket at once through the public
// API, and 2 of another, leave one response per registration.
func TestSurveyConcurrentSubmitsHTTP(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	duc := coursestest.Registration(t, a.db, sc.course.ID, coursestest.Person{FullName: "Đặng Văn Đức"}, courses.RegConfirmed)
	path := "/api/v1/surveys/" + itoa(sc.survey.ID) + "/responses"
	q := sc.survey.Questions[0].ID
	codes := []string{}
	for i := 0; i < 20; i++ {
		codes = append(codes, sc.yen.Code)
	}
	codes = append(codes, duc.Code, duc.Code)
	statuses := make(chan int, len(codes))
	start := make(chan struct{})
	for i, code := range codes {
		go func() {
			<-start
			st, _ := a.call("POST", path, "", map[string]any{"ticket_code": code,
				"answers": []any{map[string]any{"question_id": q, "value": 1 + i%5}}})
			statuses <- st
		}()
	}
	close(start)
	for range codes {
		if st := <-statuses; st != 201 {
			t.Errorf("a submit answered %d", st)
		}
	}
	res, err := a.srv.eval.Results(context.Background(), sc.survey.ID, evaluation.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Responses != 2 || res.Questions[0].Count != 2 {
		t.Errorf("%d responses, %d answers to the question; want 2 and 2", res.Responses, res.Questions[0].Count)
	}
}

// TestSurveyBodyBounded: a public submission larger than the bound is refused before it is
// parsed, and nothing is stored.
func TestSurveyBodyBounded(t *testing.T) {
	sc := newEvalScene(t)
	a := sc.a
	big := strings.Repeat("a", evalMaxBody+10)
	st, _ := a.call("POST", "/api/v1/surveys/"+itoa(sc.survey.ID)+"/responses", "", map[string]any{"ticket_code": sc.yen.Code,
		"answers": []any{map[string]any{"question_id": sc.survey.Questions[0].ID, "value": big}}})
	if st != 422 {
		t.Errorf("oversized body: %d, want 422", st)
	}
	res, _ := a.srv.eval.Results(context.Background(), sc.survey.ID, evaluation.ResultsFilter{})
	if res.Responses != 0 {
		t.Errorf("%d responses stored", res.Responses)
	}
}
