package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"taphuan/courses/coursestest"
	"taphuan/documents"
	"taphuan/pdfdoc/pdftest"
)

const docUnitYen = "Đài Truyền thanh xã Ninh Ích"

// newDocScene is the certificate scene with quotas for two units.
func newDocScene(t *testing.T) *certScene {
	t.Helper()
	sc := newCertScene(t)
	for unit, seats := range map[string]int{docUnitYen: 2, "UBND xã Cam Hải Tây": 3} {
		u := coursestest.Unit(t, sc.a.db, unit)
		coursestest.Quota(t, sc.a.db, sc.course.ID, u.ID, seats)
	}
	// Yến registered before her unit was in the directory: match her registration to it.
	if _, err := sc.a.srv.courses.ReconcileUnits(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sc
}

var docSpaces = regexp.MustCompile(`\s+`)

func docText(t *testing.T, pdf []byte) string {
	return docSpaces.ReplaceAllString(strings.Join(pdftest.Text(t, pdf), " "), " ")
}

// TestDocumentsAPI: the list of API.md with both addresses per document, each address a
// file of the right type, and the errors of the unit parameter.
func TestDocumentsAPI(t *testing.T) {
	sc := newDocScene(t)
	a := sc.a
	tok := a.token(sc.organizer)
	base := "/api/v1/courses/" + itoa(sc.course.ID) + "/documents"
	st, b := a.call("GET", base, tok, nil)
	if st != http.StatusOK {
		t.Fatalf("list: %d %s", st, b)
	}
	out := decode[struct {
		Items []docItem `json:"items"`
		Total int       `json:"total"`
	}](t, b)
	kinds := map[string]int{}
	var yen docItem
	for _, it := range out.Items {
		kinds[it.Kind]++
		if it.Title == "" || !strings.HasSuffix(strings.Split(it.PDFURL, "?")[0], ".pdf") || !strings.HasSuffix(strings.Split(it.DocxURL, "?")[0], ".docx") {
			t.Errorf("item %+v", it)
		}
		if it.Unit == docUnitYen {
			yen = it
		}
	}
	// Units: Yến's (quota 2) and Cam Hải Tây (quota 3); Đức and Bình named no unit: no letter.
	if kinds["decision"] != 1 || kinds["summons_all"] != 1 || kinds["certificate_decision"] != 1 || kinds["report"] != 1 ||
		kinds["summons"] != 2 || out.Total != len(out.Items) {
		t.Errorf("kinds %v total %d", kinds, out.Total)
	}
	if yen.Kind == "" {
		t.Fatalf("no call-up letter for %s in %+v", docUnitYen, out.Items)
	}
	req, _ := http.NewRequest("GET", a.ts.URL+yen.PDFURL, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte(readAll(t, resp))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("summons pdf: %d %v", resp.StatusCode, resp.Header)
	}
	text := docText(t, pdf)
	for _, want := range []string{"GIẤY TRIỆU TẬP", "Nguyễn Thị Hải Yến", "Chỉ tiêu của đơn vị: 2 người"} {
		if !strings.Contains(text, want) {
			t.Errorf("the call-up letter lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Đặng Văn Đức", "Trần Thị Bình"} {
		if strings.Contains(text, not) {
			t.Errorf("the letter to %s names %s", docUnitYen, not)
		}
	}
	st, b = a.call("GET", base+"?limit=2&offset=5", tok, nil)
	if page := decode[struct {
		Items []docItem `json:"items"`
		Total int       `json:"total"`
	}](t, b); st != 200 || len(page.Items) != 1 || page.Total != out.Total || page.Items[0].Kind != out.Items[5].Kind {
		t.Errorf("limit/offset: %d %+v", st, page)
	}
	st, b = a.call("GET", yen.DocxURL, tok, nil)
	if st != 200 || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("summons docx: %d", st)
	}
	for _, k := range documents.Kinds() {
		if k == documents.KindSummons {
			continue
		}
		for _, f := range []string{"pdf", "docx"} {
			if st, b := a.call("GET", base+"/"+k+"."+f, tok, nil); st != 200 || len(b) < 1000 {
				t.Errorf("%s.%s: %d, %d bytes", k, f, st, len(b))
			}
		}
	}
	for path, want := range map[string]int{
		base + "/memo.pdf":                       404,
		base + "/decision.odt":                   404,
		base + "/decision":                       404,
		base + "/summons.pdf":                    404, // no unit
		base + "/summons.pdf?unit=S%E1%BB%9F":    404, // not a unit of the course
		base + "/summons.pdf?unit_id=abc":        422,
		base + "/summons.pdf?unit_id=7":          404, // no units directory yet
		"/api/v1/courses/999999/documents":       404,
		"/api/v1/courses/999999/documents/a.pdf": 404,
	} {
		st, b := a.call("GET", path, tok, nil)
		if st != want {
			t.Errorf("%s: %d, want %d (%s)", path, st, want, b)
		}
		if want == 422 && decode[apiErr](t, b).Error.Fields["unit_id"] == "" {
			t.Errorf("%s: no unit_id field error: %s", path, b)
		}
	}
}

// TestDocumentSettingsForms: a bad organization form is refused on its fields and stores
// nothing; a good one is what the documents say; a course's own copy changes that course's
// documents only, until it is reset.
func TestDocumentSettingsForms(t *testing.T) {
	sc := newDocScene(t)
	a := sc.a
	org := a.login(sc.organizer)
	_, page := a.get(org, "/staff/document-settings")
	if !strings.Contains(page, `value="STTTT"`) || !strings.Contains(page, "doc-settings-form") {
		t.Fatalf("settings page without the defaults:\n%s", page)
	}
	form := url.Values{"org": {itoa(sc.org.ID)}, "symbol": {"QĐ/1"}, "place": {"Khánh Hòa"}, "authority": {"GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG"}}
	for _, g := range documents.Groups() {
		form.Set(g+"_signer_title", "GIÁM ĐỐC")
		form.Set(g+"_signer_name", "Trần Văn Ký")
		form.Set(g+"_recipients", "Như trên;\n\nLưu: VT.")
	}
	form.Set("decision_bases", "Căn cứ Luật Cán bộ, công chức;\nTheo đề nghị của Chánh Văn phòng.")
	resp, body := a.postFormBody(org, "/staff/document-settings", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-symbol"`) || !strings.Contains(body, "Ký hiệu chỉ gồm chữ") {
		t.Fatalf("bad symbol: %d\n%s", resp.StatusCode, body)
	}
	if _, saved, _ := a.srv.docs.OrgSettings(context.Background(), sc.org.ID); saved {
		t.Fatal("a refused form was stored")
	}
	form.Set("symbol", "sttttkh")
	if resp := a.postForm(org, "/staff/document-settings", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	pdf := func() string {
		st, b := a.call("GET", "/api/v1/courses/"+itoa(sc.course.ID)+"/documents/decision.pdf", a.token(sc.organizer), nil)
		if st != 200 {
			t.Fatalf("decision.pdf: %d", st)
		}
		return docText(t, b)
	}
	text := pdf()
	for _, want := range []string{"/QĐ-STTTTKH", "Căn cứ Luật Cán bộ, công chức;", "Trần Văn Ký", "- Như trên;", "- Lưu: VT."} {
		if !strings.Contains(text, want) {
			t.Errorf("decision lacks %q:\n%s", want, text)
		}
	}

	// The course's own copy.
	cpath := "/staff/courses/" + itoa(sc.course.ID) + "/documents/settings"
	form.Del("org")
	form.Set("decision_signer_name", "Lê Thị Riêng")
	form.Set("decision_signer_authority", "KT. GIÁM ĐỐC")
	form.Set("decision_signer_title", "")
	resp, body = a.postFormBody(org, cpath, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-decision_signer_title"`) {
		t.Fatalf("course settings without a title: %d", resp.StatusCode)
	}
	form.Set("decision_signer_title", "PHÓ GIÁM ĐỐC")
	form.Set("invitation", "1")
	if resp := a.postForm(org, cpath, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("course save: %d", resp.StatusCode)
	}
	st, b := a.call("GET", "/api/v1/courses/"+itoa(sc.course.ID)+"/documents/summons.pdf?unit="+url.QueryEscape(docUnitYen), a.token(sc.organizer), nil)
	if text := docText(t, b); st != 200 || !strings.Contains(text, "GIẤY MỜI") || !strings.Contains(text, "/GM-STTTTKH") {
		t.Errorf("the course asked for invitations: %d\n%s", st, text)
	}
	if _, page := a.get(org, cpath); !strings.Contains(page, `name="invitation" value="1" id="f-invitation" checked`) {
		t.Error("the invitation box is not checked after saving")
	}
	if text := pdf(); !strings.Contains(text, "Lê Thị Riêng") || !strings.Contains(text, "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC") {
		t.Errorf("the course's own signer is not on its decision:\n%s", text)
	}
	_, page = a.get(org, "/staff/courses/"+itoa(sc.course.ID)+"/documents")
	if !strings.Contains(page, "Lớp này dùng thông tin văn bản riêng") {
		t.Errorf("the documents page does not say the course has its own settings")
	}
	if resp := a.postForm(org, cpath+"/reset", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if text := pdf(); strings.Contains(text, "Lê Thị Riêng") || !strings.Contains(text, "Trần Văn Ký") {
		t.Errorf("after the reset the organization's signer is back:\n%s", text)
	}

	// The report's texts.
	rpath := "/staff/courses/" + itoa(sc.course.ID) + "/documents/report"
	resp, body = a.postFormBody(org, rpath, url.Values{"assessment": {strings.Repeat("á", documents.MaxReportText+1)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-assessment"`) {
		t.Fatalf("too long assessment: %d", resp.StatusCode)
	}
	if resp := a.postForm(org, rpath, url.Values{"assessment": {"Lớp đạt yêu cầu."}, "proposals": {"Mở thêm lớp."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report text: %d", resp.StatusCode)
	}
	st, b = a.call("GET", "/api/v1/courses/"+itoa(sc.course.ID)+"/documents/report.pdf", a.token(sc.organizer), nil)
	if text := docText(t, b); st != 200 || !strings.Contains(text, "Lớp đạt yêu cầu.") || !strings.Contains(text, "Mở thêm lớp.") {
		t.Errorf("report: %d\n%s", st, text)
	}
}

// TestDocumentPagesLanguages: the pages in both languages hold no raw key nor format
// error; the check-in staff do not get the Documents tab.
func TestDocumentPagesLanguages(t *testing.T) {
	sc := newDocScene(t)
	a := sc.a
	raw := regexp.MustCompile(`\bdoc\.[a-z_]+\.?[a-z_]*`)
	for _, lang := range []string{"vi", "en"} {
		c := a.login(sc.organizer)
		if resp, _ := a.get(c, "/lang/"+lang+"?next=/"); resp.StatusCode >= 400 {
			t.Fatalf("switch to %s: %d", lang, resp.StatusCode)
		}
		for path, want := range map[string]map[string]string{
			"/staff/courses/" + itoa(sc.course.ID) + "/documents":          {"vi": "Văn bản của lớp", "en": "Course documents"},
			"/staff/courses/" + itoa(sc.course.ID) + "/documents/settings": {"vi": "Thông tin văn bản của lớp", "en": "Document settings of the course"},
			"/staff/document-settings":                                     {"vi": "Mẫu văn bản của đơn vị", "en": "Document templates of the organization"},
		} {
			resp, body := a.get(c, path)
			if resp.StatusCode != 200 || !strings.Contains(body, want[lang]) {
				t.Errorf("%s %s: %d, want %q", lang, path, resp.StatusCode, want[lang])
			}
			if m := raw.FindString(body); m != "" || strings.Contains(body, "%!") {
				t.Errorf("%s %s: raw key %q or format error", lang, path, m)
			}
		}
	}
	_, body := a.get(a.login(sc.staff), "/staff/courses/"+itoa(sc.course.ID))
	if strings.Contains(body, "/documents") {
		t.Error("the staff see the Documents tab")
	}
	_, body = a.get(a.login(sc.organizer), "/staff/courses/"+itoa(sc.course.ID))
	if !strings.Contains(body, "/staff/courses/"+itoa(sc.course.ID)+"/documents") {
		t.Error("the organizer has no Documents tab")
	}
}

// TestDocumentLettersPaged: a course calling up many units lists their letters a page at a
// time.
func TestDocumentLettersPaged(t *testing.T) {
	sc := newDocScene(t)
	a := sc.a
	for i := range 25 {
		u := coursestest.Unit(t, a.db, "UBND xã Số "+itoa(int64(i+1)))
		coursestest.Quota(t, a.db, sc.course.ID, u.ID, 2)
	}
	c := a.login(sc.organizer)
	path := "/staff/courses/" + itoa(sc.course.ID) + "/documents"
	for page, want := range map[string]int{"": 20, "?page=2": 7, "?page=9": 7} {
		_, body := a.get(c, path+page)
		if n := strings.Count(body, `data-kind="summons"`); n != want {
			t.Errorf("page %q: %d letters, want %d", page, n, want)
		}
		if n := strings.Count(body, `data-kind="decision"`); n != 1 {
			t.Errorf("page %q: the decision %d times", page, n)
		}
	}
}
