package attendance_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/pdfdoc/pdftest"
)

// TestStatisticsProgramAgeRatesCharts: the filter by a program node counts the courses of
// its sub-projects; age groups; the two rates; the charts as SVG and PNG, and in the PDF,
// whose "STT" header stays one word.
func TestStatisticsProgramAgeRatesCharts(t *testing.T) {
	sc := newScene(t)
	ctx := t.Context()
	cs := courses.New(sc.db)
	root, err := cs.CreateProgram(ctx, courses.ProgramInput{Name: "CTMTQG giảm nghèo bền vững"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cs.CreateProgram(ctx, courses.ProgramInput{ParentID: root.ID, Name: "Dự án 6"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.db.W.Exec(`UPDATE courses SET program_id = ? WHERE id = ?`, sub.ID, sc.course.ID); err != nil {
		t.Fatal(err)
	}
	coursestest.Course(t, sc.db, sc.org.ID) // another program's course: not counted
	m, a := coursestest.Day(t, sc.db, sc.course.ID, "2023-12-04")
	young := sc.trainee("Nguyễn Văn Trẻ", coursestest.Person{Gender: "Nam", BirthDate: "2000-06-01", Ethnicity: "Kinh"})
	forty := sc.trainee("Y Bhim Niê", coursestest.Person{Gender: "Nam", BirthDate: "1983-12-05", Ethnicity: "Ê Đê"}) // 39 on 4/12/2023
	_ = sc.trainee("Trần Thị Lão", coursestest.Person{Gender: "Nữ", BirthDate: "1960-01-01", Ethnicity: "Kinh"})
	sc.mark(m, young, attendance.Present)
	sc.mark(a, young, attendance.Present)
	sc.mark(m, forty, attendance.Late)

	st, err := sc.svc.Statistics(ctx, attendance.StatsFilter{OrganizationID: sc.org.ID, ProgramID: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Courses) != 1 || st.Courses[0].ID != sc.course.ID {
		t.Fatalf("courses under the program %+v", st.Courses)
	}
	ages := map[string]int{}
	for _, g := range st.ByAge {
		ages[g.Key] = g.Trainees
	}
	if ages[attendance.AgeUnder30] != 1 || ages[attendance.Age30s] != 1 || ages[attendance.Age60Plus] != 1 || st.ByAge[0].Label != "Dưới 30 tuổi" {
		t.Errorf("age groups %+v", st.ByAge)
	}
	// 2 of 3 came at least once; 3 marks of 3 × 2 planned.
	if got, want := st.AttendanceRate, 200.0/3; got < want-0.01 || got > want+0.01 {
		t.Errorf("attendance rate %v, want %v", got, want)
	}
	if st.PresenceRate != 50 {
		t.Errorf("presence rate %v, want 50", st.PresenceRate)
	}
	if len(st.BySession) != 2 || st.BySession[0].Attended != 2 || st.BySession[0].Expected != 3 || st.BySession[1].Attended != 1 {
		t.Errorf("by session %+v", st.BySession)
	}
	if n := 0; len(st.OverTime) == 0 {
		t.Errorf("over time %+v", st.OverTime)
	} else {
		for _, p := range st.OverTime {
			n += p.Count
		}
		if n != 3 {
			t.Errorf("over time counts %d registrations, want 3", n)
		}
	}
	if _, err := sc.svc.Statistics(ctx, attendance.StatsFilter{ProgramID: 999999}); err == nil {
		t.Error("an unknown program node is accepted")
	}

	svg, err := st.Charts(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(svg) != 4 {
		t.Fatalf("%d charts", len(svg))
	}
	for _, ch := range svg {
		if ch.Empty || !bytes.Contains(ch.Data, []byte("<svg")) {
			t.Errorf("chart %s is not an SVG (empty %v)", ch.Kind, ch.Empty)
		}
	}
	if !bytes.Contains(svg[1].Data, []byte("Nữ")) {
		t.Errorf("the gender chart does not name Nữ: %.300s", svg[1].Data)
	}
	pngs, err := st.Charts(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range pngs {
		if !bytes.HasPrefix(ch.Data, []byte("\x89PNG")) {
			t.Errorf("chart %s is not a PNG", ch.Kind)
		}
	}

	rep, err := sc.svc.StatisticsPDF(ctx, issuer, st)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Text(t, rep.Data)
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Biểu đồ", "Số học viên có mặt theo buổi", "Học viên theo giới tính", "Học viên theo dân tộc",
		"Số đăng ký theo thời gian", "Tỷ lệ có mặt: số lượt có mặt theo buổi", "Theo độ tuổi", "Dưới 30 tuổi"} {
		if !strings.Contains(all, want) {
			t.Errorf("the statistics PDF lacks %q", want)
		}
	}
	stt := false
	for _, w := range pdftest.Words(t, rep.Data) {
		stt = stt || w.Text == "STT"
		if w.Text == "ST" {
			t.Error(`the "STT" header breaks into "ST/T"`)
		}
	}
	if !stt {
		t.Error(`no "STT" header on page 1`)
	}
	// The charts are pictures on the page after the tables: something is drawn there.
	chartPage := 0
	for i, p := range pages {
		if strings.Contains(p, "Biểu đồ") {
			chartPage = i + 1
		}
	}
	img, png := pdftest.Render(t, rep.Data, chartPage, 60, nil)
	b := img.Bounds()
	inked := 0
	for y := b.Dy() / 8; y < b.Dy()/2; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				inked++
			}
		}
	}
	if share := float64(inked) / float64(b.Dx()*(b.Dy()*3/8)); share < 0.05 {
		t.Errorf("the chart page is blank where the first chart goes (%.4f inked)", share)
	}
	if dir := os.Getenv("TAPHUAN_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(dir+"/statistics_pdf_charts.png", png, 0o644)
	}
}
