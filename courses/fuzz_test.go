package courses_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/vn"
)

// The fuzz targets of this file check the roster import and the registration input
// against properties a user relies on, whatever the file or form holds:
//
//   - FuzzParseRoster: ParseRoster never panics; it refuses a file only with a translated
//     "file" error; the rows it returns have lines in order inside the file, and after
//     Normalize (as Import stores them) every text is clean NFC; an XLSX holding the same
//     cells reads as the same rows.
//   - FuzzImportRoster: a file that parses imports in dry-run mode without error, writes
//     nothing, and reports every bad row on its line with known fields and translated
//     messages; a file of only valid rows stores what it says, and its export (CSV and
//     XLSX) imports again to the same people.
//   - FuzzRegisterInput: Normalize is idempotent and leaves clean NFC text; Validate never
//     panics, names only fields of the form, and never refuses a valid input once it is
//     normalized.

// knownFields are the JSON names of RegisterInput: the only fields an error may name.
var knownFields = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[courses.RegisterInput]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

// catalog holds the message keys of the Vietnamese catalog: every message must have one.
var catalog = func() map[string]bool {
	m := map[string]bool{}
	files, _ := filepath.Glob("../templates/i18n/vi/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		var kv map[string]string
		if err := json.Unmarshal(data, &kv); err != nil {
			panic(f + ": " + err.Error())
		}
		for k := range kv {
			m[k] = true
		}
	}
	if len(m) == 0 {
		panic("no message catalog in ../templates/i18n/vi")
	}
	return m
}()

// checkFieldErrors fails unless err is nil or an errs.Invalid error whose fields are known
// and whose messages are translated; it returns the fields.
func checkFieldErrors(t *testing.T, what string, err error) map[string]errs.Msg {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid || len(e.Fields) == 0 {
		t.Fatalf("%s: %v is not an invalid-input error with fields", what, err)
	}
	for f, m := range e.Fields {
		if !knownFields[f] {
			t.Fatalf("%s: error on unknown field %q (%v)", what, f, err)
		}
		if !catalog[m.Key] {
			t.Fatalf("%s: message %q of %s has no translation", what, m.Key, f)
		}
	}
	return e.Fields
}

// checkClean fails unless every text of in is what vn.Clean makes of it (NFC, trimmed,
// single spaces, no control or invisible characters). Reflection keeps a field added
// later from escaping the check.
func checkClean(t *testing.T, what string, in courses.RegisterInput) {
	t.Helper()
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		if v.Field(i).Kind() != reflect.String {
			continue
		}
		s := v.Field(i).String()
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || vn.Clean(s) != s {
			t.Fatalf("%s: %s = %q is not clean NFC text", what, v.Type().Field(i).Name, s)
		}
	}
}

// sampleRoster returns the header and the first n rows of the demo roster (the sample
// file of 200 Khánh Hòa officials), as records.
func sampleRoster(f *testing.F, n int) [][]string {
	f.Helper()
	data, err := os.ReadFile("../demo/roster-200.csv")
	if err != nil {
		f.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		f.Fatal(err)
	}
	return recs[:n+1]
}

func writeCSV(recs [][]string, comma rune, crlf bool) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	w.WriteAll(recs)
	return b.Bytes()
}

func writeXLSX(t testing.TB, recs [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, rec := range recs {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &rec); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// addRosterSeeds seeds a roster target with the shapes files arrive in.
func addRosterSeeds(f *testing.F) {
	recs := sampleRoster(f, 5)
	nfd := make([][]string, len(recs))
	for i, r := range recs {
		nfd[i] = make([]string, len(r))
		for j, c := range r {
			nfd[i][j] = norm.NFD.String(c)
		}
	}
	plain := writeCSV(recs, ',', false)
	bom := append([]byte("\xEF\xBB\xBF"), writeCSV(recs, ',', true)...)
	titled := append([]byte("UBND TỈNH KHÁNH HÒA,,\r\nDANH SÁCH HỌC VIÊN LỚP TẬP HUẤN,,\r\n,,\r\n"), writeCSV(recs, ',', true)...)
	gaps := bytes.ReplaceAll(plain, []byte("\n"), []byte("\n\n,,,,\n"))
	for _, seed := range [][]byte{
		plain, bom, titled, gaps,
		writeCSV(recs, ';', true), // Excel in a Vietnamese locale
		writeCSV(recs, '\t', false),
		writeCSV(nfd, ',', false),
		[]byte(rosterWithProblems),
		// Quotes: separators, quotes and a line break inside cells; a stray quote.
		[]byte("Họ và tên,Giới tính,Ngày sinh,Đơn vị công tác,Số điện thoại,Email\n" +
			"\"Lê Văn An\",Nam,01/01/1980,\"Phòng Văn hóa, Thông tin\",0912345678,\n" +
			"\"Trần \"\"Út\"\" Bình\",Nam,1-2-1985,\"Báo\nKhánh Hòa\",0912345679,\n" +
			"Mai Thị \"Hoa,Nữ,1980-02-03,Báo Khánh Hòa,0912345670,hoa@baokhanhhoa.vn\n"),
		// An exported file: STT and status columns, formula-looking cells escaped.
		[]byte("\xEF\xBB\xBFSTT,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chức vụ,Đơn vị công tác,Địa phương,Số điện thoại,Email,Số CCCD,Trạng thái\r\n" +
			"1,Lê Văn An,Nam,01/01/1980,Kinh,'=Trưởng phòng,'+Báo Khánh Hòa,'-,0912345678,an@b.vn,056189001234,Đã xác nhận\r\n" +
			"2,Lê Văn Ba,Nam,01/01/1980,Kinh,''=1,'Báo,',0912345679,,,Danh sách chờ (1)\r\n"),
		// Headers with marks, JSON names, a phone without its 0, an ISO and a dotted date.
		[]byte("Họ tên (*),gender,Ngày sinh:,đơn vị,SĐT,sort_name,id_number\n" +
			"H'Hen Niê,nữ,15.03.1985,Đài truyền thanh xã Ea Kly,912345678,Niê H'Hen,056 189 001 234\n"),
		[]byte("Họ và tên,Số điện thoại\nLê Văn An,0912345678\n"), // required columns missing
		[]byte("\xEF\xBB\xBF"),
		[]byte("Họ và tên,Giới tính\n\xff\xfe"),
		[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), // an old .xls
	} {
		f.Add(seed)
	}
	// An XLSX as Excel keeps it: a title row, a date cell, a phone stored as a number, a
	// gap, a cell with a line break.
	xrecs := [][]any{
		{"DANH SÁCH HỌC VIÊN"},
		{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Đơn vị công tác", "Số điện thoại", "Email"},
		{1, "Bo\u0302\u0301 Thi\u0323 Ha\u0300", "Nữ", "21/02/1971", "Cơ Ho", "Báo Khánh Hòa", "0348922019", ""},
		{2, "Phan Bá An", "Nam", 27026, "Kinh", "Đài truyền thanh\nxã Ninh Xuân", 913352358, "an@x.vn"},
		{},
		{3, "Lê Văn", "Nam", "1/1/1980", "Kinh", "Báo Khánh Hòa", "0123", "'=cmd"},
	}
	f.Add(writeXLSX(f, xrecs))
	f.Add(writeXLSX(f, [][]any{{"Họ và tên", "Số điện thoại"}}))
}

func FuzzParseRoster(f *testing.F) {
	addRosterSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := courses.ParseRoster(bytes.NewReader(data), "danh-sach.csv")
		if err != nil {
			checkFileError(t, err)
			if rows != nil {
				t.Fatalf("rows %v along with the error %v", rows, err)
			}
			return
		}
		xlsx := bytes.HasPrefix(data, []byte("PK\x03\x04"))
		last := fileLines(t, data, xlsx)
		prev := 1 // the header is at least on line 1
		for _, r := range rows {
			if r.Line <= prev || r.Line > last {
				t.Fatalf("row on line %d after line %d, file of %d lines", r.Line, prev, last)
			}
			prev = r.Line
			in := r.Input
			in.Normalize()
			checkClean(t, "line "+strconv.Itoa(r.Line), in)
			checkFieldErrors(t, "line "+strconv.Itoa(r.Line), in.Validate())
		}
		if !xlsx && len(rows) > 0 {
			checkSameAsXLSX(t, rows)
		}
	})
}

// checkFileError fails unless err is an errs.Invalid error about the whole file.
func checkFileError(t *testing.T, err error) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid || len(e.Fields) != 1 {
		t.Fatalf("refused with %v, want an invalid-input error on the file", err)
	}
	m, ok := e.Fields["file"]
	if !ok || !catalog[m.Key] {
		t.Fatalf("refused with %v, want a translated message on the field file", err)
	}
}

// fileLines returns the last line of a CSV file or the last row of an XLSX sheet.
func fileLines(t *testing.T, data []byte, xlsx bool) int {
	t.Helper()
	if !xlsx {
		return bytes.Count(data, []byte("\n")) + 1
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ParseRoster read an XLSX that excelize cannot open: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// rosterFields are the columns a roster may hold, by their JSON names (known headers).
var rosterFields = []string{"full_name", "gender", "birth_date", "ethnicity", "position", "organization",
	"locality", "phone", "email", "id_number", "sort_name"}

func rosterCells(in courses.RegisterInput) []string {
	return []string{in.FullName, in.Gender, in.BirthDate, in.Ethnicity, in.Position, in.Organization,
		in.Locality, in.Phone, in.Email, in.IDNumber, in.SortName}
}

// xmlText replaces what XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF) by a
// space, as white space is what Clean makes of it anyway.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			return r
		}
		return ' '
	}, s)
}

// checkSameAsXLSX writes the cells of rows read from a CSV file into an XLSX sheet and
// checks that ParseRoster reads the same rows from it. A birth date that is a number is
// the one difference: in XLSX it is a date cell's serial number.
func checkSameAsXLSX(t *testing.T, rows []courses.ImportRow) {
	t.Helper()
	// An unknown column keeps rows whose known cells are all empty from being skipped.
	recs := [][]any{append([]any{"Ghi chú"}, anys(rosterFields)...)}
	for _, r := range rows {
		cells := rosterCells(r.Input)
		for i := range cells {
			if len(utf16.Encode([]rune(cells[i]))) > excelize.TotalCellChars {
				return // more than a spreadsheet cell holds: excelize truncates it
			}
			cells[i] = xmlText(cells[i])
		}
		recs = append(recs, append([]any{"x"}, anys(cells)...))
	}
	back, err := courses.ParseRoster(bytes.NewReader(writeXLSX(t, recs)), "danh-sach.xlsx")
	if err != nil {
		t.Fatalf("the same cells as XLSX: %v", err)
	}
	if len(back) != len(rows) {
		t.Fatalf("the same cells as XLSX: %d rows, want %d", len(back), len(rows))
	}
	for i, r := range rows {
		want := rosterCells(r.Input)
		got := rosterCells(back[i].Input)
		for j := range want {
			if _, err := strconv.ParseFloat(vn.Clean(want[j]), 64); err == nil && rosterFields[j] == "birth_date" {
				continue
			}
			if w, g := vn.Clean(xmlText(want[j])), vn.Clean(got[j]); w != g {
				t.Fatalf("row %d, %s: CSV reads %q, the same cell in XLSX %q", i+1, rosterFields[j], w, g)
			}
		}
	}
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func FuzzImportRoster(f *testing.F) {
	addRosterSeeds(f)
	db := dbtest.New(f)
	org := coursestest.Org(f, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := courses.ParseRoster(bytes.NewReader(data), "danh-sach.csv")
		if err != nil {
			return
		}
		ctx := t.Context()
		c := coursestest.Course(t, db, org.ID, func(c *courses.Course) { c.Capacity = 3 })
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: cloneRows(rows), Mode: courses.ImportDryRun})
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		if n := registrations(t, s, c.ID); n != 0 {
			t.Fatalf("a dry run wrote %d registrations", n)
		}
		if res.Rows != len(rows) || res.Imported != 0 || res.Confirmed+res.Waitlisted != res.Valid {
			t.Fatalf("dry run of %d rows: %+v", len(rows), res)
		}
		// Every bad row is reported on its line, with the problems Validate sees in it.
		lines := map[int]bool{}
		for _, r := range rows {
			lines[r.Line] = true
		}
		reported := map[int]map[string]string{}
		for i, e := range res.Errors {
			if !lines[e.Row] || !knownFields[e.Field] || !catalog[e.Msg.Key] {
				t.Fatalf("error %+v: not on a row's line, field unknown or message untranslated", e)
			}
			if i > 0 && res.Errors[i-1].Row > e.Row {
				t.Fatalf("errors not in line order: %+v", res.Errors)
			}
			if reported[e.Row] == nil {
				reported[e.Row] = map[string]string{}
			}
			reported[e.Row][e.Field] = e.Msg.Key
		}
		if len(reported) != res.Rows-res.Valid {
			t.Fatalf("%d rows with errors, but %d of %d valid", len(reported), res.Valid, res.Rows)
		}
		for _, r := range rows {
			in := r.Input
			in.Normalize()
			for field, m := range checkFieldErrors(t, "line "+strconv.Itoa(r.Line), in.Validate()) {
				if reported[r.Line][field] != m.Key {
					t.Fatalf("line %d: %s is %s, reported %v", r.Line, field, m.Key, reported[r.Line])
				}
			}
		}
		if res.Rows == 0 || res.Valid != res.Rows {
			return
		}
		checkRoundTrip(t, s, db, org.ID, rows)
	})
}

func cloneRows(rows []courses.ImportRow) []courses.ImportRow {
	return append([]courses.ImportRow(nil), rows...)
}

func registrations(t *testing.T, s *courses.Service, courseID int64) int {
	t.Helper()
	_, n, err := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: courseID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// person is what a roster says of someone, plus their directory entry.
type person struct {
	PersonID                                                       int64
	FullName, Gender, BirthDate, Ethnicity, Position, Organization string
	Locality, Phone, Email, IDNumber                               string
}

// people returns the registrations of a course by phone number, and the phone numbers in
// the order of the roster.
func people(t *testing.T, s *courses.Service, courseID int64) (map[string]person, []string) {
	t.Helper()
	regs, _, err := s.ListRegistrations(t.Context(), courses.RegistrationFilter{CourseID: courseID})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]person{}
	var order []string
	for _, r := range regs {
		m[r.Phone] = person{r.PersonID, r.FullName, r.Gender, r.BirthDate, r.Ethnicity, r.Position, r.Organization,
			r.Locality, r.Phone, r.Email, r.IDNumber}
		order = append(order, r.Phone)
	}
	return m, order
}

// checkRoundTrip imports a file of valid rows, checks that the course holds what the file
// says, then exports the roster as CSV and XLSX and imports each into a new course: the
// same people come back.
func checkRoundTrip(t *testing.T, s *courses.Service, db *database.DB, orgID int64, rows []courses.ImportRow) {
	t.Helper()
	ctx := t.Context()
	c := coursestest.Course(t, db, orgID, func(c *courses.Course) { c.Capacity = 3 })
	res, err := s.Import(ctx, courses.ImportInput{CourseID: c.ID, Rows: cloneRows(rows), Mode: courses.ImportStrict})
	if err != nil || res.Imported != len(rows) {
		t.Fatalf("strict import of a file the dry run found valid: %+v, %v", res, err)
	}
	want, wantOrder := people(t, s, c.ID)
	if len(want) != len(rows) {
		t.Fatalf("%d rows imported as %d registrations", len(rows), len(want))
	}
	sortNames := false
	for _, r := range rows {
		in := r.Input
		in.Normalize()
		sortNames = sortNames || in.SortName != ""
		p := want[in.Phone]
		stored := person{p.PersonID, in.FullName, in.Gender, in.BirthDate, in.Ethnicity, in.Position, in.Organization,
			in.Locality, in.Phone, in.Email, in.IDNumber}
		if p != stored {
			t.Fatalf("line %d stored as\n%+v, the file says\n%+v", r.Line, p, stored)
		}
	}
	exported, err := s.ExportRows(ctx, courses.RegistrationFilter{CourseID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []struct {
		name  string
		write func(*bytes.Buffer, [][]string) error
	}{
		{"roster.csv", func(b *bytes.Buffer, r [][]string) error { return courses.WriteRosterCSV(b, r) }},
		{"roster.xlsx", func(b *bytes.Buffer, r [][]string) error { return courses.WriteRosterXLSX(b, r) }},
	} {
		var buf bytes.Buffer
		if err := format.write(&buf, exported); err != nil {
			t.Fatalf("%s: %v", format.name, err)
		}
		back, err := courses.ParseRoster(&buf, format.name)
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v", format.name, err)
		}
		c2 := coursestest.Course(t, db, orgID)
		res, err := s.Import(ctx, courses.ImportInput{CourseID: c2.ID, Rows: back, Mode: courses.ImportStrict})
		if err != nil || res.Imported != len(rows) {
			t.Fatalf("%s: re-import: %+v, %v", format.name, res, err)
		}
		got, gotOrder := people(t, s, c2.ID)
		for phone, w := range want {
			if got[phone] != w {
				t.Fatalf("%s: exported and imported again as\n%+v, was\n%+v", format.name, got[phone], w)
			}
		}
		// The export has no sort-name column (a registration keeps the sort key, not the
		// name it came from), so only rosters without sort names keep their order.
		if !sortNames && strings.Join(gotOrder, " ") != strings.Join(wantOrder, " ") {
			t.Fatalf("%s: exported and imported again in the order\n%v, was\n%v", format.name, gotOrder, wantOrder)
		}
	}
}

func FuzzRegisterInput(f *testing.F) {
	valid := courses.RegisterInput{FullName: "Nguyễn Thị Hải Yến", Gender: "Nữ", BirthDate: "21/02/1971",
		Ethnicity: "Kinh", Position: "Biên tập viên", Organization: "Đài Phát thanh và Truyền hình Khánh Hòa",
		Locality: "tỉnh Khánh Hòa", Phone: "0348922019", Email: "tv0001@khanhhoa.gov.vn", IDNumber: "", SortName: ""}
	add := func(in courses.RegisterInput) {
		f.Add(in.FullName, in.Gender, in.BirthDate, in.Ethnicity, in.Position, in.Organization, in.Locality,
			in.Phone, in.Email, in.IDNumber, in.SortName)
	}
	add(valid)
	add(courses.RegisterInput{})
	for _, change := range []func(*courses.RegisterInput){
		func(in *courses.RegisterInput) { in.FullName = norm.NFD.String("  Lê   Văn Hoà ") },
		func(in *courses.RegisterInput) { in.FullName, in.SortName = "H'Hen Niê", "Niê H'Hen" },
		func(in *courses.RegisterInput) { in.FullName = "<script>alert(1)</script>" },
		func(in *courses.RegisterInput) { in.FullName = strings.Repeat("Nguyễn ", 20) },
		func(in *courses.RegisterInput) { in.FullName = "Hà\xffNội" },
		func(in *courses.RegisterInput) { in.Gender = "NỮ" },
		func(in *courses.RegisterInput) { in.Gender = norm.NFD.String("nữ") },
		func(in *courses.RegisterInput) { in.Gender = "male" },
		func(in *courses.RegisterInput) { in.BirthDate = "1971-02-21" },
		func(in *courses.RegisterInput) { in.BirthDate = "29/02/1971" },
		func(in *courses.RegisterInput) { in.BirthDate = "01/01/1900" },
		func(in *courses.RegisterInput) { in.Phone = "+84 (0) 348 922 019" },
		func(in *courses.RegisterInput) { in.Phone = "348922019" },
		func(in *courses.RegisterInput) { in.Email = "TV0001@KhanhHoa.gov.vn" },
		func(in *courses.RegisterInput) { in.Email = "Yến <yen@x.vn>" },
		func(in *courses.RegisterInput) { in.IDNumber = "056.189.001-234" },
		func(in *courses.RegisterInput) { in.IDNumber = "056 189 00123" },
		func(in *courses.RegisterInput) { in.Ethnicity = "Ê Đê" },
		func(in *courses.RegisterInput) { in.Organization = "\u200b\t" },
	} {
		in := valid
		change(&in)
		add(in)
	}
	f.Fuzz(func(t *testing.T, fullName, gender, birthDate, ethnicity, position, organization, locality,
		phone, email, idNumber, sortName string) {
		raw := courses.RegisterInput{FullName: fullName, Gender: gender, BirthDate: birthDate, Ethnicity: ethnicity,
			Position: position, Organization: organization, Locality: locality, Phone: phone, Email: email,
			IDNumber: idNumber, SortName: sortName}
		rawErr := raw.Validate()
		checkFieldErrors(t, "raw input", rawErr)

		in := raw
		in.Normalize()
		checkClean(t, "normalized", in)
		again := in
		again.Normalize()
		if again != in {
			t.Fatalf("Normalize is not idempotent:\n%+v\n%+v", in, again)
		}
		err := in.Validate()
		checkFieldErrors(t, "normalized input", err)
		// Validate expects normalized input (white space alone is not a name); for clean
		// text, bringing phone, date, gender, e-mail and ID number to their stored form
		// must not turn a valid input invalid.
		if rawErr == nil && err != nil && allClean(raw) {
			t.Fatalf("valid input %+v refused once normalized: %v", raw, err)
		}
		if err != nil {
			return
		}
		// A valid input is in its stored form.
		if len(in.Phone) != 10 || in.Phone[0] != '0' {
			t.Errorf("phone %q stored", in.Phone)
		}
		if len(in.BirthDate) != 10 || in.BirthDate[4] != '-' {
			t.Errorf("birth date %q stored", in.BirthDate)
		}
		if in.Gender != courses.GenderMale && in.Gender != courses.GenderFemale {
			t.Errorf("gender %q stored", in.Gender)
		}
		if !vn.ValidName(in.FullName) || strings.ToLower(in.Email) != in.Email {
			t.Errorf("name %q, email %q stored", in.FullName, in.Email)
		}
		// The ways a person may type the same valid input come back to it.
		typed := in
		typed.FullName = " " + strings.ReplaceAll(norm.NFD.String(in.FullName), " ", " \t ") + " "
		typed.Gender = strings.ToLower(norm.NFD.String(in.Gender))
		typed.BirthDate = in.BirthDate[8:] + "/" + in.BirthDate[5:7] + "/" + in.BirthDate[:4]
		typed.Phone = "+84 " + in.Phone[1:4] + " " + in.Phone[4:7] + " " + in.Phone[7:]
		if isASCII(in.Email) {
			typed.Email = strings.ToUpper(in.Email)
		}
		if in.IDNumber != "" {
			typed.IDNumber = in.IDNumber[:3] + "." + in.IDNumber[3:6] + " " + in.IDNumber[6:]
		}
		typed.Organization = norm.NFD.String(in.Organization) + "\u200b"
		typed.Normalize()
		if typed != in {
			t.Fatalf("typed differently, the same input normalizes to\n%+v, not\n%+v", typed, in)
		}
	})
}

// allClean reports whether every text of in is already vn.Clean'd.
func allClean(in courses.RegisterInput) bool {
	for _, s := range rosterCells(in) {
		if vn.Clean(s) != s {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
