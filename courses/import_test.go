package courses_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
	"taphuan/errs"
)

// rosterWithProblems is a sending unit's file as it arrives: a byte-order mark, a name in
// NFD with doubled spaces, a duplicate phone and invalid rows. Lines are numbered from the
// header (line 1).
const rosterWithProblems = "\xEF\xBB\xBF" +
	"Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Đơn vị công tác,Địa phương,Số điện thoại,Email\n" + // 1
	"Nguye\u0302\u0303n  Thi\u0323 Ha\u0309i Ye\u0302\u0301n,Nữ,21/02/1971,Kinh,Biên tập viên,Đài Phát thanh và Truyền hình Khánh Hòa,tỉnh Khánh Hòa,0348922019,tv0001@khanhhoa.gov.vn\n" + // 2
	"Phan Bá An,Nam,1973-12-28,Kinh,Nhân viên,Đài truyền thanh xã Ninh Xuân,xã Ninh Xuân,913352358,\n" + // 3: phone lost its 0 in Excel
	"Lê Phương Châu,Nữ,31/02/1996,Kinh,Kỹ thuật viên,Đài Phát thanh và Truyền hình Khánh Hòa,tỉnh Khánh Hòa,0949605878,\n" + // 4: no such day
	"Trần Văn <b>Bình</b>,Nam,07/11/1995,Kinh,Viên chức,Báo Khánh Hòa,tỉnh Khánh Hòa,0793062279,binh@\n" + // 5: markup, bad e-mail
	"Mấu Thị Bốn,Nữ,12/05/1988,Raglai,Cán bộ văn hóa,\"Trung tâm Văn hóa - Thông tin và Thể thao huyện Khánh Sơn\",huyện Khánh Sơn,+84 348 922 019,\n" + // 6: duplicate of line 2
	",,,,,,,,\n" + // 7: empty, skipped
	"Cao Thị Hoa,Nữ,05/07/1990,Chăm,Phóng viên,Báo Khánh Hòa,tỉnh Khánh Hòa,0987654321,hoa@baokhanhhoa.vn\n" // 8

func parse(t *testing.T, data, name string) []courses.ImportRow {
	t.Helper()
	rows, err := courses.ParseRoster(strings.NewReader(data), name)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func countRegs(t *testing.T, s *courses.Service, courseID int64) int {
	t.Helper()
	_, n, err := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: courseID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID)
	s := courses.New(db)
	ctx := t.Context()
	rows := parse(t, rosterWithProblems, "danh-sach.csv")
	if len(rows) != 6 {
		t.Fatalf("%d rows read, want 6 (the empty one skipped)", len(rows))
	}
	wantErrors := []struct {
		row   int
		field string
		key   string
	}{
		{4, "birth_date", "reg.err.date"},
		{5, "full_name", "reg.err.name_chars"},
		{5, "email", "err.email"},
		{6, "phone", "reg.err.dup_in_file"},
	}
	check := func(t *testing.T, res *courses.ImportResult) {
		t.Helper()
		if len(res.Errors) != len(wantErrors) {
			t.Fatalf("errors %+v, want %d", res.Errors, len(wantErrors))
		}
		for i, w := range wantErrors {
			e := res.Errors[i]
			if e.Row != w.row || e.Field != w.field || e.Msg.Key != w.key {
				t.Errorf("error %d: line %d %s %s, want line %d %s %s", i, e.Row, e.Field, e.Msg.Key, w.row, w.field, w.key)
			}
		}
		if res.Errors[3].Msg.Args[0] != 2 {
			t.Errorf("the duplicate does not name line 2: %v", res.Errors[3].Msg.Args)
		}
	}

	t.Run("strict leaves nothing behind", func(t *testing.T) {
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: parse(t, rosterWithProblems, "x.csv"), Mode: courses.ImportStrict})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res)
		if res.Imported != 0 || res.Valid != 3 {
			t.Errorf("imported %d valid %d, want 0 and 3", res.Imported, res.Valid)
		}
		var people int
		db.R.Get(&people, `SELECT COUNT(*) FROM people`)
		if n := countRegs(t, s, c.ID); n != 0 || people != 0 {
			t.Errorf("strict import with errors left %d registrations and %d people", n, people)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: parse(t, rosterWithProblems, "x.csv"), Mode: courses.ImportDryRun})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res)
		if res.Imported != 0 || res.Valid != 3 || res.Confirmed != 3 {
			t.Errorf("dry run: %+v", res)
		}
		if n := countRegs(t, s, c.ID); n != 0 {
			t.Errorf("dry run wrote %d registrations", n)
		}
	})
	t.Run("skip invalid", func(t *testing.T) {
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: parse(t, rosterWithProblems, "x.csv"), Mode: courses.ImportSkipInvalid})
		if err != nil {
			t.Fatal(err)
		}
		check(t, res)
		if res.Imported != 3 {
			t.Errorf("imported %d, want 3", res.Imported)
		}
		regs, _, _ := s.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID, Query: "hai yen"})
		if len(regs) != 1 || regs[0].FullName != "Nguyễn Thị Hải Yến" || regs[0].BirthDate != "1971-02-21" {
			t.Fatalf("the NFD name was not stored as NFC: %+v", regs)
		}
		regs, _, _ = s.ListRegistrations(ctx, courses.RegistrationFilter{CourseID: c.ID, Query: "0913352358"})
		if len(regs) != 1 || regs[0].Source != courses.SourceImport {
			t.Errorf("the phone without its leading 0: %+v", regs)
		}
	})
	t.Run("against existing registrations", func(t *testing.T) {
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: parse(t, rosterWithProblems, "x.csv"), Mode: courses.ImportSkipInvalid})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 0 {
			t.Errorf("imported %d people already registered", res.Imported)
		}
		dups := 0
		for _, e := range res.Errors {
			if e.Msg.Key == "reg.err.dup_existing" {
				dups++
			}
		}
		if dups != 3 {
			t.Errorf("%d rows reported as already registered, want 3: %+v", dups, res.Errors)
		}
	})
	t.Run("bad mode", func(t *testing.T) {
		if _, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Mode: "all"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("mode all: %v", err)
		}
	})
}

func TestParseRosterFormats(t *testing.T) {
	t.Parallel()
	t.Run("semicolons and JSON headers", func(t *testing.T) {
		rows := parse(t, "full_name;gender;birth_date;organization;phone;id_number\r\nY Bhiêr Niê;nam;01-02-1980;Đài truyền thanh xã Ea Kly;0912 345 678;056189001234\r\n", "a.csv")
		if len(rows) != 1 || rows[0].Line != 2 || rows[0].Input.FullName != "Y Bhiêr Niê" || rows[0].Input.BirthDate != "01/02/1980" || rows[0].Input.IDNumber != "056189001234" {
			t.Errorf("rows %+v", rows)
		}
	})
	t.Run("title lines above the header", func(t *testing.T) {
		rows := parse(t, "DANH SÁCH HỌC VIÊN,,,,\nĐơn vị: Báo Khánh Hòa,,,,\nSTT,Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại\n1,Lê Văn An,Nam,01/01/1980,Báo Khánh Hòa,0912345678\n", "a.csv")
		if len(rows) != 1 || rows[0].Line != 4 || rows[0].Input.FullName != "Lê Văn An" {
			t.Errorf("rows %+v", rows)
		}
	})
	t.Run("quoted line breaks keep line numbers", func(t *testing.T) {
		rows := parse(t, "Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại\nLê Văn An,Nam,01/01/1980,\"Báo\nKhánh Hòa\",0912345678\nLê Văn Ba,Nam,01/01/1980,Báo Khánh Hòa,0912345679\n", "a.csv")
		if len(rows) != 2 || rows[1].Line != 4 {
			t.Errorf("rows %+v", rows)
		}
	})
	for name, c := range map[string]struct{ data, file, key string }{
		"missing column": {"Họ và tên,Số điện thoại\nA B,0912345678\n", "a.csv", "reg.err.missing_columns"},
		"no header":      {"a,b,c\n1,2,3\n", "a.csv", "reg.err.no_header"},
		"not utf-8":      {"H\xe4 v\xe0 t\xean\n", "a.csv", "reg.err.not_utf8"},
		"old excel":      {"\xd0\xcf\x11\xe0", "a.xls", "reg.err.file_xls"},
		"empty":          {"", "a.csv", "reg.err.no_header"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := courses.ParseRoster(strings.NewReader(c.data), c.file)
			var e *errs.Error
			if !errors.As(err, &e) || e.Fields["file"].Key != c.key {
				t.Errorf("got %v, want %s", err, c.key)
			}
		})
	}
}

func TestImportXLSX(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Đơn vị công tác", "Số điện thoại"})
	f.SetSheetRow("Sheet1", "A2", &[]any{1, "Bo\u0302\u0301 Thi\u0323 Ha\u0300", "Nữ", "21/02/1971", "Cơ Ho", "Báo Khánh Hòa", "0348922019"})
	// A real date cell and a phone stored as a number, as Excel keeps them.
	f.SetSheetRow("Sheet1", "A3", &[]any{2, "Phan Bá An", "Nam", nil, "Kinh", "Báo Khánh Hòa", 913352358})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue("Sheet1", "D3", mustDate(t, "1973-12-28"))
	f.SetCellStyle("Sheet1", "D3", "D3", dateStyle)
	f.SetSheetRow("Sheet1", "A5", &[]any{3, "Lê Văn", "Nam", "1/1/1980", "Kinh", "Báo Khánh Hòa", "0123"}) // line 5, bad phone
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := courses.ParseRoster(&buf, "danh-sach.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID)
	s := courses.New(db)
	res, err := s.Import(t.Context(), courses.ImportInput{CourseID: c.ID, Rows: rows, Mode: courses.ImportSkipInvalid})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || len(res.Errors) != 1 || res.Errors[0].Row != 5 || res.Errors[0].Field != "phone" {
		t.Fatalf("result %+v", res)
	}
	regs, _, _ := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: c.ID})
	got := map[string]string{}
	for _, r := range regs {
		got[r.FullName] = r.BirthDate + " " + r.Phone
	}
	if got["Bố Thị Hà"] != "1971-02-21 0348922019" || got["Phan Bá An"] != "1973-12-28 0913352358" {
		t.Errorf("imported %v", got)
	}
}

// TestImportLargeRoster imports 5,000 rows in one transaction (BenchmarkImport times it).
func TestImportLargeRoster(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID, coursestest.Upcoming, func(c *courses.Course) { c.Capacity = 4000 })
	s := courses.New(db)
	res, err := s.Import(t.Context(), courses.ImportInput{CourseID: c.ID, Rows: parse(t, bigRoster(5000), "big.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 5000 || res.Confirmed != 4000 || res.Waitlisted != 1000 || len(res.Errors) != 0 {
		t.Errorf("result %+v", res)
	}
	// The course's seat counter (kept once at the end of an import on PostgreSQL, by the
	// triggers on SQLite) says what the roster says, and the next registration finds no seat.
	var counted, stored int
	if err := db.R.Get(&counted, `SELECT COUNT(*) FROM registrations WHERE course_id = ? AND status = 'confirmed'`, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&stored, `SELECT confirmed_count FROM courses WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if counted != 4000 || stored != 4000 {
		t.Errorf("confirmed: %d in the roster, %d in the course's counter; want 4000", counted, stored)
	}
	reg, err := s.Register(t.Context(), courses.RegisterInput{CourseID: c.ID, FullName: "Phạm Thị Mai", Gender: "Nữ",
		BirthDate: "1990-01-02", Ethnicity: "Kinh", Position: "Viên chức", Organization: "Đài truyền thanh xã số 1",
		Locality: "xã số 1", Phone: "0988000111", Source: courses.SourceAPI})
	if err != nil || reg.Status != courses.RegWaitlisted {
		t.Errorf("the next registration: %+v %v, want waitlisted", reg, err)
	}
}

func bigRoster(n int) string {
	var b strings.Builder
	b.WriteString("Họ và tên;Giới tính;Ngày sinh;Dân tộc;Chức vụ;Đơn vị công tác;Địa phương;Số điện thoại;Email\n")
	surnames := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Võ"}
	given := []string{"An", "Bình", "Châu", "Dũng", "Hòa", "Hoà", "Yến", "Đức", "Ánh", "Ư"}
	for i := range n {
		fmt.Fprintf(&b, "%s Văn %s;%s;%02d/%02d/%d;Kinh;Viên chức;Đài truyền thanh xã số %d;xã số %d;09%08d;\n",
			surnames[i%len(surnames)], given[i%len(given)], []string{"Nam", "Nữ"}[i%2], i%28+1, i%12+1, 1960+i%40, i%50, i%50, i)
	}
	return b.String()
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	org := coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	c := coursestest.Course(t, db, org.ID)
	s := courses.New(db)
	ctx := t.Context()
	data, err := os.ReadFile("../demo/roster-200.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: parse(t, string(data), "roster.csv")})
	if err != nil || res.Imported != 200 {
		t.Fatalf("import the sample roster: %+v %v", res, err)
	}
	rows, err := s.ExportRows(ctx, courses.RegistrationFilter{CourseID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 200 || rows[0][0] != "1" || !strings.Contains(rows[0][3], "/") {
		t.Fatalf("export rows: %d, first %v", len(rows), rows[0])
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"roster.csv":  func(b *bytes.Buffer) error { return courses.WriteRosterCSV(b, rows) },
		"roster.xlsx": func(b *bytes.Buffer) error { return courses.WriteRosterXLSX(b, rows) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".csv") && !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBFSTT,Họ và tên,Giới tính,Ngày sinh")) {
				t.Errorf("CSV starts %q", buf.Bytes()[:40])
			}
			c2 := coursestest.Course(t, db, org.ID)
			back, err := courses.ParseRoster(&buf, name)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Import(ctx, courses.ImportInput{CourseID: c2.ID, Rows: back})
			if err != nil || res.Imported != 200 {
				t.Fatalf("re-import: %+v %v", res, err)
			}
			again, _ := s.ExportRows(ctx, courses.RegistrationFilter{CourseID: c2.ID})
			for i := range rows {
				if strings.Join(again[i], "|") != strings.Join(rows[i], "|") {
					t.Fatalf("row %d changed:\n%v\n%v", i, rows[i], again[i])
				}
			}
		})
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
