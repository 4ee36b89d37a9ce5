package attendance_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"taphuan/pdfdoc/pdftest"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/vn"
)

// rowNames returns the names of the table rows of pdftotext -layout pages, in order: the
// lines that start with the row number, whose next column is the name.
func rowNames(t *testing.T, pages []string) []string {
	t.Helper()
	cols := regexp.MustCompile(`\s{2,}`)
	var out []string
	next := 1
	for _, p := range pages {
		for _, l := range strings.Split(p, "\n") {
			f := cols.Split(strings.TrimSpace(l), -1)
			if len(f) < 2 {
				continue
			}
			if n, err := strconv.Atoi(f[0]); err != nil || n != next {
				continue
			}
			out = append(out, f[1])
			next++
		}
	}
	return out
}

func TestSignInSheetPDF(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	morning, _ := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-04")
	in := names(60)
	in[5] = norm.NFD.String(in[5]) // typed on a keyboard that sends decomposed marks
	for _, n := range in {
		sc.trainee(n)
	}
	coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Lò Văn Hủy"}, courses.RegCancelled)

	rep, err := sc.svc.SignInPDF(ctx, issuer, morning.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ContentType != "application/pdf" || !strings.HasSuffix(rep.Name, ".pdf") {
		t.Errorf("report %s %s", rep.Name, rep.ContentType)
	}
	pages := pdfPages(t, rep.Data)
	if len(pages) < 3 {
		t.Fatalf("60 rows of 9 mm on %d pages, want 3 or more", len(pages))
	}
	all := strings.Join(pages, "\n")
	for _, s := range []string{"UBND TỈNH KHÁNH HÒA", "SỞ THÔNG TIN VÀ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"DANH SÁCH KÝ NHẬN / ĐIỂM DANH", "Tập huấn nâng cao năng lực", "Buổi sáng, ngày 04/12/2023 (07:30 – 11:30)",
		"Địa điểm: Hội trường Sở Thông tin và Truyền thông – Hội trường A"} {
		if !strings.Contains(pages[0], s) {
			t.Errorf("page 1 lacks %q", s)
		}
	}
	for i, p := range pages {
		for _, h := range []string{"STT", "Họ và tên", "Đơn vị", "Chức vụ", "Chữ ký"} {
			if !strings.Contains(p, h) {
				t.Errorf("page %d lacks the column %q: the header row is not repeated", i+1, h)
			}
		}
		if pn := fmt.Sprintf("Trang %d/%d", i+1, len(pages)); !strings.Contains(p, pn) {
			t.Errorf("page %d lacks %q", i+1, pn)
		}
	}
	if strings.ContainsFunc(all, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
		t.Error("the text holds combining marks: a name is not NFC")
	}
	if strings.Contains(all, "Lò Văn Hủy") {
		t.Error("a cancelled registration is on the sheet")
	}
	got := rowNames(t, pages)
	if len(got) != 60 {
		t.Fatalf("found %d numbered rows, want 60", len(got))
	}
	want := make([]string, len(in))
	for i, n := range in {
		want[i] = vn.Clean(n)
	}
	slices.SortStableFunc(want, vn.CompareNames)
	for i := range got {
		if vn.CompareNames(got[i], want[i]) != 0 {
			t.Errorf("row %d is %q, want %q (Vietnamese order)", i+1, got[i], want[i])
		}
	}
	if !slices.IsSortedFunc(got, vn.CompareNames) {
		t.Error("names are not in Vietnamese order")
	}
	if !strings.Contains(all, "Danh sách có 60 người.") {
		t.Error("no count under the table")
	}

	// The glyphs exist: the first page renders with ink on it.
	img := renderPage(t, rep.Data, 1, 60)
	if s := pdftest.DarkShare(img, img.Bounds()); s < 0.01 {
		t.Errorf("page 1 renders almost blank (%.4f dark)", s)
	}

	t.Run("XLSX", func(t *testing.T) {
		rep, err := sc.svc.SignInXLSX(ctx, issuer, morning.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, rep.Data, "Ký nhận", false)
		if rows[0][0] != attendance.SignInTitle || !strings.HasPrefix(rows[2][0], "Buổi sáng, ngày 04/12/2023") {
			t.Errorf("title lines %q", rows[:3])
		}
		h := headerIndex(t, rows, "STT")
		if !slices.Equal(rows[h], []string{"STT", "Họ và tên", "Đơn vị", "Chức vụ", "Chữ ký"}) {
			t.Errorf("header %q", rows[h])
		}
		for i, w := range want {
			r := rows[h+1+i]
			if r[0] != strconv.Itoa(i+1) || vn.CompareNames(r[1], w) != 0 || r[3] != "Chuyên viên" {
				t.Errorf("row %d %q, want %s", i+1, r, w)
				break
			}
		}
	})
}

// xlsxRows reads a sheet back; raw gives the values without number formats.
func xlsxRows(t *testing.T, b []byte, sheet string, raw bool) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: raw})
	if err != nil {
		t.Fatalf("sheet %q: %v (sheets %v)", sheet, err, f.GetSheetList())
	}
	return rows
}

func headerIndex(t *testing.T, rows [][]string, first string) int {
	t.Helper()
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			return i
		}
	}
	t.Fatalf("no header row starting with %q", first)
	return 0
}

func TestMatrixPDF(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	m1, a1 := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-04")
	m2, a2 := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-05")
	yen, duc, anh := sc.trainee("Nguyễn Thị Hải Yến"), sc.trainee("Đặng Văn Đức"), sc.trainee("Bùi Thị Ánh")
	for _, m := range []struct {
		s  *courses.Session
		st string
	}{{m1, attendance.Present}, {a1, attendance.Late}, {m2, attendance.Absent}, {a2, attendance.Present}} {
		sc.mark(m.s, yen, m.st)
	}
	sc.mark(m1, duc, attendance.Present)
	sc.mark(a1, duc, attendance.Excused)
	sc.mark(m2, duc, attendance.Present)
	for _, s := range []*courses.Session{m1, a1, m2, a2} {
		sc.mark(s, anh, attendance.Present)
	}

	rep, err := sc.svc.MatrixPDF(ctx, issuer, sc.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, rep.Data)
	all := strings.Join(pages, "\n")
	for _, s := range []string{"BẢNG TỔNG HỢP ĐIỂM DANH", "Từ ngày 04/12/2023 đến ngày 05/12/2023", "04/12", "Sáng", "Chiều",
		"Tỷ lệ", "Ký hiệu: x – có mặt", "Khánh Hòa, ngày"} {
		if !strings.Contains(all, s) {
			t.Errorf("matrix lacks %q", s)
		}
	}
	lines := map[string]string{}
	for _, l := range strings.Split(all, "\n") {
		for _, n := range []string{"Nguyễn Thị Hải Yến", "Đặng Văn Đức", "Bùi Thị Ánh", "Số người có mặt"} {
			if strings.Contains(l, n) {
				lines[n] = strings.Join(strings.Fields(l), " ")
			}
		}
	}
	for n, want := range map[string]string{
		"Bùi Thị Ánh":        "1 Bùi Thị Ánh Phòng Văn hóa và Thông tin huyện Diên Khánh x x x x 4/4 100%",
		"Đặng Văn Đức":       "2 Đặng Văn Đức Phòng Văn hóa và Thông tin huyện Diên Khánh x P x 2/4 50%",
		"Nguyễn Thị Hải Yến": "3 Nguyễn Thị Hải Yến Phòng Văn hóa và Thông tin huyện Diên Khánh x M V x 3/4 75%",
		"Số người có mặt":    "Số người có mặt 3 2 2 2 9 75%",
	} {
		if lines[n] != want {
			t.Errorf("row of %s:\n got %q\nwant %q", n, lines[n], want)
		}
	}
	if size := pageSize(t, rep.Data); size != "landscape" {
		t.Errorf("4 sessions on a %s page, want landscape", size)
	}

	t.Run("portrait for a one-day course", func(t *testing.T) {
		one := coursestest.Course(t, sc.db, sc.org.ID)
		coursestest.Day(t, sc.db, one.ID, "2023-12-04")
		rep, err := sc.svc.MatrixPDF(ctx, issuer, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		if size := pageSize(t, rep.Data); size != "portrait" {
			t.Errorf("2 sessions on a %s page, want portrait", size)
		}
	})

	t.Run("many sessions", func(t *testing.T) {
		for _, d := range []string{"2023-12-06", "2023-12-07", "2023-12-08", "2023-12-09", "2023-12-10", "2023-12-11"} {
			coursestest.Day(t, sc.db, sc.course.ID, d)
		}
		rep, err := sc.svc.MatrixPDF(ctx, issuer, sc.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(pdfPages(t, rep.Data), "\n")
		if !regexp.MustCompile(`Nguyễn Thị Hải Yến\s+x\s+M\s+V\s+x\s+3/16\s+18,8%`).MatchString(all) {
			t.Errorf("Yến's 3 of 16 sessions is not 18,8%%:\n%s", all)
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		rep, err := sc.svc.MatrixXLSX(ctx, issuer, sc.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, rep.Data, "Điểm danh", true)
		h := headerIndex(t, rows, "STT")
		if got := rows[h]; len(got) != 3+16+2 || got[len(got)-1] != "Tỷ lệ" || got[3] != "04/12\nSáng" {
			t.Errorf("header %q", got)
		}
		yenRow := rows[h+3]
		if yenRow[1] != "Nguyễn Thị Hải Yến" || yenRow[3] != "Có mặt" || yenRow[4] != "Đi muộn" || yenRow[5] != "Vắng" ||
			yenRow[19] != "3" || yenRow[20] != "0.1875" {
			t.Errorf("Yến's row %q", yenRow)
		}
		formatted := xlsxRows(t, rep.Data, "Điểm danh", false)
		if got := formatted[h+3][20]; got != "18.8%" {
			t.Errorf("percent shown as %q", got)
		}
	})
}

// pageSize tells whether the first page is portrait or landscape, from pdfinfo.
func pageSize(t *testing.T, pdf []byte) string {
	t.Helper()
	out, err := exec.Command(pdftest.Tool(t, "pdfinfo"), pdftest.File(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("not A4:\n%s", out)
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	if w > h {
		return "landscape"
	}
	return "portrait"
}

func TestStatistics(t *testing.T) {
	t.Parallel()
	sc := newScene(t)
	ctx := context.Background()
	m, a := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-04")
	people := []coursestest.Person{
		{FullName: "Nguyễn Văn An", Gender: "Nam", Ethnicity: "Kinh", Organization: "Đài Truyền thanh xã Ninh Ích", Locality: "Ninh Hòa"},
		{FullName: "Y Bhim Niê", Gender: "Nam", Ethnicity: "Ê Đê", Organization: "Đài Truyền thanh xã Ninh Ích", Locality: "Ninh Hòa"},
		{FullName: "Mấu Thị Lan", Gender: "Nữ", Ethnicity: "Raglai", Organization: "Phòng Văn hóa và Thông tin huyện Khánh Sơn", Locality: "Khánh Sơn"},
		{FullName: "Trần Thị Bích", Gender: "Nữ", Ethnicity: "kinh", Organization: "Phòng Văn hóa và Thông tin huyện Khánh Sơn", Locality: "Khánh Sơn"},
		{FullName: "Lê Văn Vắng", Gender: "Nam", Ethnicity: "Kinh", Organization: "Đài Truyền thanh xã Ninh Ích", Locality: "Ninh Hòa"},
	}
	var regs []*courses.Registration
	for _, p := range people {
		regs = append(regs, sc.trainee(p.FullName, p))
	}
	coursestest.Registration(t, sc.db, sc.course.ID, coursestest.Person{FullName: "Hồ Văn Chờ"}, courses.RegWaitlisted)
	for _, r := range regs[:4] {
		sc.mark(m, r, attendance.Present)
	}
	sc.mark(a, regs[0], attendance.Late)
	sc.mark(m, regs[4], attendance.Absent)

	st, err := sc.svc.Statistics(ctx, attendance.StatsFilter{CourseID: sc.course.ID})
	if err != nil {
		t.Fatal(err)
	}
	if st.Trainees != 5 || st.Attended != 4 || st.Persons != 4 || st.SessionAttendances != 5 ||
		st.Registrations["waitlisted"] != 1 || st.Registrations["confirmed"] != 5 || len(st.Courses) != 1 {
		t.Errorf("totals %+v", st)
	}
	if c := st.Courses[0]; c.Sessions != 2 || c.Percent != 50 {
		t.Errorf("course %+v, want 2 sessions and 5 of 10 marks = 50%%", c)
	}
	group := func(gs []attendance.Group, key string) attendance.Group {
		for _, g := range gs {
			if g.Key == key {
				return g
			}
		}
		t.Errorf("no group %q in %+v", key, gs)
		return attendance.Group{}
	}
	if g := group(st.ByGender, "Nam"); g.Trainees != 3 || g.Attended != 2 {
		t.Errorf("men %+v", g)
	}
	if g := group(st.ByEthnicity, attendance.EthnicKinh); g.Trainees != 3 || g.Attended != 2 || g.Label != "Kinh" {
		t.Errorf("Kinh %+v (\"kinh\" written in lower case is Kinh)", g)
	}
	if g := group(st.ByEthnicity, attendance.EthnicMinority); g.Trainees != 2 || g.Label != "Dân tộc thiểu số" {
		t.Errorf("minority %+v", g)
	}
	if g := group(st.ByEthnicGroup, "e de"); g.Label != "Ê Đê" || g.Attended != 1 {
		t.Errorf("Ê Đê %+v", g)
	}
	if g := st.ByUnit[0]; g.Label != "Đài Truyền thanh xã Ninh Ích" || g.Trainees != 3 || g.Attended != 2 {
		t.Errorf("largest unit %+v", g)
	}
	if g := group(st.ByLocality, "khanh son"); g.Trainees != 2 || g.Attended != 2 {
		t.Errorf("Khánh Sơn %+v", g)
	}

	t.Run("across courses of an organization and a date range", func(t *testing.T) {
		later := coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.StartsOn, c.EndsOn = "2024-03-11", "2024-03-11" })
		sm := coursestest.Session(t, sc.db, later.ID, at("2024-03-11", 8, 0), 3*time.Hour, "Phòng họp 2")
		again := coursestest.Registration(t, sc.db, later.ID, coursestest.Person{FullName: "Nguyễn Văn An", Gender: "Nam", Ethnicity: "Kinh"}, courses.RegConfirmed)
		// The same person as in the first course.
		if _, err := sc.db.W.Exec(`UPDATE registrations SET person_id = ? WHERE id = ?`, regs[0].PersonID, again.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := sc.svc.SetMark(ctx, attendance.MarkInput{SessionID: sm.ID, RegistrationID: again.ID, Status: attendance.Present}); err != nil {
			t.Fatal(err)
		}
		coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.StartsOn, c.Status = "2024-01-15", courses.StatusCancelled })
		coursestest.Course(t, sc.db, sc.org.ID, func(c *courses.Course) { c.StartsOn = "2025-06-01" })
		otherOrg := coursestest.Org(t, sc.db, "Sở Y tế tỉnh Khánh Hòa")
		coursestest.Course(t, sc.db, otherOrg.ID)

		st, err := sc.svc.Statistics(ctx, attendance.StatsFilter{OrganizationID: sc.org.ID, From: "01/12/2023", To: "2024-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Courses) != 2 || st.Courses[1].ID != later.ID {
			t.Fatalf("courses %+v, want the two held in range (not the cancelled one, nor another organization's)", st.Courses)
		}
		if st.Attended != 5 || st.Persons != 4 || st.Trainees != 6 {
			t.Errorf("attended %d person-times by %d persons of %d trainees, want 5 by 4 of 6", st.Attended, st.Persons, st.Trainees)
		}
		if g := group(st.ByGender, "Nam"); g.Attended != 3 || g.Persons != 2 {
			t.Errorf("men across courses %+v, want 3 person-times by 2 persons", g)
		}
		if !strings.Contains(st.Scope(), "từ ngày 01/12/2023 đến ngày 31/12/2024") {
			t.Errorf("scope %q", st.Scope())
		}

		rep, err := sc.svc.StatisticsPDF(ctx, issuer, st)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(pdfPages(t, rep.Data), "\n")
		for _, s := range []string{attendance.StatisticsTitle, "Số người tham dự (không tính trùng)", "Theo giới tính",
			"Dân tộc thiểu số", "Ê Đê", "Đài Truyền thanh xã Ninh Ích", "Khánh Sơn"} {
			if !strings.Contains(all, s) {
				t.Errorf("statistics PDF lacks %q", s)
			}
		}
		xl, err := sc.svc.StatisticsXLSX(ctx, issuer, st)
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, xl.Data, "Tổng hợp", true)
		h := headerIndex(t, rows, "Chỉ tiêu")
		if rows[h+1][1] != "2" || rows[h+3][1] != "5" || rows[h+4][1] != "4" {
			t.Errorf("totals sheet %q", rows[h:])
		}
		if rows := xlsxRows(t, xl.Data, "Dân tộc", false); !slices.ContainsFunc(rows, func(r []string) bool {
			return len(r) > 1 && r[0] == "Dân tộc thiểu số" && r[1] == "2"
		}) {
			t.Errorf("ethnicity sheet %q", rows)
		}
	})

	t.Run("invalid dates", func(t *testing.T) {
		_, err := sc.svc.Statistics(ctx, attendance.StatsFilter{OrganizationID: sc.org.ID, From: "31/02/2024"})
		if err == nil {
			t.Error("31/02/2024 accepted")
		}
		_, err = sc.svc.Statistics(ctx, attendance.StatsFilter{OrganizationID: sc.org.ID, From: "2024-05-01", To: "2024-01-01"})
		if err == nil {
			t.Error("to before from accepted")
		}
	})
}
