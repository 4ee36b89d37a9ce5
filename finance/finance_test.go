package finance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"taphuan/accounts"
	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/finance"
	"taphuan/pdfdoc/pdftest"
	"taphuan/vn"
)

var issuer = attendance.Issuer{ParentName: "UBND TỈNH KHÁNH HÒA", Name: "Sở Thông tin và Truyền thông tỉnh Khánh Hòa"}

// known is a three-day course, 4–6/12/2023, whose money is worked out by hand in the tests:
//
// Rates: honorarium provincial 999.999 đ until 4/12, 1.000.001 đ from 5/12 (the rate
// changes in the middle of the course); central 1.999.999 đ; district 500.000 đ. Meal
// 50.000 đ until 4/12, 80.000 đ from 5/12. Lodging 300.000 đ/night, travel 200.000 đ,
// materials 30.000 đ.
//
// Sessions: 4/12 morning Hùng (provincial), afternoon Lan (central); 5/12 morning Hùng,
// afternoon Minh (district); 6/12 morning Minh, afternoon a module with no lecturer.
//
// Trainees: An present at all six; Bình late on 4/12 morning, absent on 5/12, present on
// 6/12 afternoon; Chi only excused on 5/12 afternoon; Dũng present on 5/12 morning.
type known struct {
	db       *database.DB
	fin      *finance.Service
	crs      *courses.Service
	att      *attendance.Service
	org      *accounts.Organization
	course   *courses.Course
	sessions []*courses.Session
	hung     *finance.Lecturer
}

func at(date string, hh, mm int) time.Time {
	d, err := time.ParseInLocation("2006-01-02", date, vn.Location)
	if err != nil {
		panic(err)
	}
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

func money(v int64) finance.Money { return finance.M(v) }

func newKnown(t *testing.T) *known {
	t.Helper()
	ctx := context.Background()
	db := dbtest.New(t)
	k := &known{db: db, crs: courses.New(db)}
	k.att = attendance.New(db, k.crs)
	k.fin = finance.New(db, k.crs, k.att)
	k.crs.UseLecturers(k.fin)
	k.org = coursestest.Org(t, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	k.course = coursestest.Course(t, db, k.org.ID, func(c *courses.Course) {
		c.StartsOn, c.EndsOn, c.SupportAmountPerDay = "2023-12-04", "2023-12-06", 0
	})
	organizer, err := accounts.New(db).CreateUser(ctx, accounts.UserInput{Email: "tochuc@example.vn", Name: "Tổ chức",
		Role: accounts.RoleOrganizer, OrganizationID: k.org.ID, Password: "mat-khau-123"})
	if err != nil {
		t.Fatal(err)
	}
	nq38, nq12 := "Nghị quyết số 38/2018/NQ-HĐND", "Nghị quyết số 12/2023/NQ-HĐND"
	_, err = k.fin.ReplaceRates(ctx, k.org.ID, []finance.RateInput{
		{Item: "honorarium", Tier: "provincial", Amount: money(999_999), ValidFrom: "2019-01-01", ValidTo: "2023-12-04", Basis: nq38},
		{Item: "honorarium", Tier: "cấp tỉnh", Amount: money(1_000_001), ValidFrom: "05/12/2023", Basis: nq12},
		{Item: "honorarium", Tier: "central", Amount: money(1_999_999), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: "honorarium", Tier: "district", Amount: money(500_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: "meal", Amount: money(50_000), ValidFrom: "2019-01-01", ValidTo: "2023-12-04", Basis: nq38},
		{Item: "meal", Amount: money(80_000), ValidFrom: "2023-12-05", Basis: nq12},
		{Item: "lodging", Amount: money(300_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: "travel", Amount: money(200_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: "materials", Amount: money(30_000), ValidFrom: "2019-01-01", Basis: nq38},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lect := func(name, title, tier string) *finance.Lecturer {
		l, err := k.fin.CreateLecturer(ctx, finance.LecturerInput{OrganizationID: k.org.ID, FullName: name, Title: title,
			Tier: tier, Workplace: "Sở Thông tin và Truyền thông", TaxCode: "4201234567", BankAccount: "0123456789012"})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	k.hung = lect("Nguyễn Văn Hùng", "ThS.", "provincial")
	lan := lect("Trần Thị Lan", "TS.", "central")
	minh := lect("Lê Minh", "", "district")
	module := func(title string, l *finance.Lecturer) int64 {
		in := courses.ModuleInput{Title: title}
		if l != nil {
			in.LecturerID = l.ID
		}
		m, err := k.crs.CreateModule(ctx, k.course.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	mh, ml, mm, mx := module("Quy định về thông tin cơ sở", k.hung), module("Chiến lược thông tin cơ sở", lan),
		module("Đài truyền thanh cấp xã", minh), module("Trao đổi, thảo luận", nil)
	plan := []struct {
		day    string
		hh     int
		module int64
	}{{"2023-12-04", 7, mh}, {"2023-12-04", 13, ml}, {"2023-12-05", 7, mh}, {"2023-12-05", 13, mm},
		{"2023-12-06", 7, mm}, {"2023-12-06", 13, mx}}
	for _, p := range plan {
		s, err := k.crs.CreateSession(ctx, k.course.ID, courses.SessionInput{ModuleID: p.module,
			StartsAt: database.Time{Time: at(p.day, p.hh, 30)}, EndsAt: database.Time{Time: at(p.day, p.hh+3, 30)}, Room: "Hội trường A"})
		if err != nil {
			t.Fatal(err)
		}
		k.sessions = append(k.sessions, s)
	}
	reg := func(name string) *courses.Registration {
		return coursestest.Registration(t, db, k.course.ID, coursestest.Person{FullName: name,
			Organization: "UBND xã Cam Hải Tây", Position: "Công chức"}, courses.RegConfirmed)
	}
	an, binh, chi, dung := reg("Nguyễn Văn An"), reg("Trần Thị Bình"), reg("Lê Thị Chi"), reg("Phạm Văn Dũng")
	mark := func(i int, r *courses.Registration, st string) {
		if _, err := k.att.SetMark(ctx, attendance.MarkInput{SessionID: k.sessions[i].ID, RegistrationID: r.ID,
			Status: st, Source: attendance.SourceTap, UserID: organizer.ID}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range k.sessions {
		mark(i, an, attendance.Present)
	}
	mark(0, binh, attendance.Late)
	mark(2, binh, attendance.Absent)
	mark(3, binh, attendance.Absent)
	mark(5, binh, attendance.Present)
	mark(3, chi, attendance.Excused)
	mark(2, dung, attendance.Present)
	_, err = k.fin.SavePlan(ctx, k.course.ID, finance.PlanInput{
		ExpectedTrainees: money(4), LodgingTrainees: money(2), LodgingNights: money(2), TravelTrainees: money(3),
		ActualLodging: money(900_000),
		Lines: []finance.ManualLineInput{
			{Label: "Thuê hội trường", Unit: "ngày", Quantity: money(3), UnitPrice: money(2_000_000), Actual: money(6_000_000)},
			{Label: "Nước uống", Unit: "người-buổi", Quantity: money(12), UnitPrice: money(15_000), Actual: money(150_000)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type row struct {
	label            string
	quantity, amount int64
}

func TestEstimateByHand(t *testing.T) {
	k := newKnown(t)
	e, err := k.fin.Estimate(context.Background(), k.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"Thù lao báo cáo viên – Cấp tỉnh", 1, 999_999},
		{"Thù lao báo cáo viên – Trung ương", 1, 1_999_999},
		{"Thù lao báo cáo viên – Cấp tỉnh", 1, 1_000_001},
		{"Thù lao báo cáo viên – Cấp huyện, xã", 2, 1_000_000},
		{"Hỗ trợ tiền ăn học viên", 4, 200_000},     // 4 trainees × 4/12 at 50.000
		{"Hỗ trợ tiền ăn học viên", 8, 640_000},     // 4 trainees × 5–6/12 at 80.000
		{"Tài liệu học viên", 4, 120_000},           // 4 × 30.000
		{"Hỗ trợ tiền nghỉ học viên", 4, 1_200_000}, // 2 trainees × 2 nights × 300.000
		{"Hỗ trợ tiền đi lại học viên", 3, 600_000}, // 3 × 200.000
		{"Thuê hội trường", 3, 6_000_000},
		{"Nước uống", 12, 180_000},
	}
	if len(e.Lines) != len(want) {
		t.Fatalf("lines %+v, want %d", e.Lines, len(want))
	}
	for i, w := range want {
		if g := e.Lines[i]; g.Label != w.label || g.Quantity != w.quantity || g.Amount != w.amount || g.Quantity*g.UnitPrice != g.Amount {
			t.Errorf("line %d = %+v, want %+v", i+1, g, w)
		}
	}
	if got, want := e.Total, int64(13_939_999); got != want {
		t.Errorf("total %d, want %d", got, want)
	}
	if got, want := e.TotalInWords, "Mười ba triệu chín trăm ba mươi chín nghìn chín trăm chín mươi chín đồng"; got != want {
		t.Errorf("words %q, want %q", got, want)
	}
	// The session of the module without a lecturer is flagged on lecturer_id, not priced.
	if len(e.Flags) != 1 || e.Flags[0].Field != "lecturer_id" || e.Flags[0].SessionID != k.sessions[5].ID {
		t.Errorf("flags %+v, want the 6/12 afternoon session on lecturer_id", e.Flags)
	}
}

func TestSupportByHand(t *testing.T) {
	k := newKnown(t)
	sp, err := k.fin.Support(context.Background(), k.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for _, l := range sp.Lines {
		got[l.FullName] = [2]int64{l.Days, l.Amount}
	}
	want := map[string][2]int64{
		"Nguyễn Văn An": {3, 210_000}, // 50.000 + 80.000 + 80.000
		"Trần Thị Bình": {2, 130_000}, // late on 4/12 counts; 6/12
		"Phạm Văn Dũng": {1, 80_000},
	} // Chi was only excused: not on the list
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	if sp.Total != 420_000 || sp.TotalDays != 6 || sp.TotalInWords != "Bốn trăm hai mươi nghìn đồng" {
		t.Errorf("total %d days %d %q", sp.Total, sp.TotalDays, sp.TotalInWords)
	}
}

func TestHonorariaByHand(t *testing.T) {
	k := newKnown(t)
	h, err := k.fin.Honoraria(context.Background(), k.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	type hrow struct {
		name            string
		sessions        int64
		gross, tax, net int64
	}
	var got []hrow
	for _, l := range h.Lines {
		got = append(got, hrow{l.Name, l.Sessions, l.Gross, l.Tax, l.Amount})
	}
	want := []hrow{
		// 999.999 (4/12) + 1.000.001 (5/12, the new rate) = 2.000.000: at the threshold, 10% withheld.
		{"ThS. Nguyễn Văn Hùng", 2, 2_000_000, 200_000, 1_800_000},
		// 1.999.999: one đồng under the threshold, nothing withheld.
		{"TS. Trần Thị Lan", 1, 1_999_999, 0, 1_999_999},
		{"Lê Minh", 2, 1_000_000, 0, 1_000_000},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows\n%v\nwant\n%v", got, want)
	}
	if h.Gross != 4_999_999 || h.TaxTotal != 200_000 || h.Total != 4_799_999 || h.Sessions != 5 {
		t.Errorf("totals gross %d tax %d net %d sessions %d", h.Gross, h.TaxTotal, h.Total, h.Sessions)
	}
	if h.TotalInWords != "Bốn triệu bảy trăm chín mươi chín nghìn chín trăm chín mươi chín đồng" {
		t.Errorf("words %q", h.TotalInWords)
	}
	if len(h.Flags) != 1 || h.Flags[0].Field != "lecturer_id" {
		t.Errorf("flags %+v, want the session without a lecturer", h.Flags)
	}
}

func TestSettlementByHand(t *testing.T) {
	k := newKnown(t)
	st, err := k.fin.Settlement(context.Background(), k.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	type srow struct {
		label                  string
		estimate, actual, diff int64
		known                  bool
	}
	var got []srow
	for _, l := range st.Lines {
		got = append(got, srow{l.Label, l.Estimate, l.Actual, l.Amount, l.Known})
	}
	want := []srow{
		{"Thù lao báo cáo viên – Cấp tỉnh (999.999 đ)", 999_999, 999_999, 0, true},
		{"Thù lao báo cáo viên – Trung ương (1.999.999 đ)", 1_999_999, 1_999_999, 0, true},
		{"Thù lao báo cáo viên – Cấp tỉnh (1.000.001 đ)", 1_000_001, 1_000_001, 0, true},
		{"Thù lao báo cáo viên – Cấp huyện, xã (500.000 đ)", 1_000_000, 1_000_000, 0, true},
		{"Hỗ trợ tiền ăn học viên (50.000 đ)", 200_000, 100_000, -100_000, true}, // An, Bình on 4/12
		{"Hỗ trợ tiền ăn học viên (80.000 đ)", 640_000, 320_000, -320_000, true}, // 4 person-days
		{"Tài liệu học viên", 120_000, 90_000, -30_000, true},                    // 3 came
		{"Hỗ trợ tiền nghỉ học viên", 1_200_000, 900_000, -300_000, true},
		{"Hỗ trợ tiền đi lại học viên", 600_000, 0, -600_000, false}, // not entered: flagged
		{"Thuê hội trường", 6_000_000, 6_000_000, 0, true},
		{"Nước uống", 180_000, 150_000, -30_000, true},
	}
	if len(got) != len(want) {
		t.Fatalf("lines\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
	if st.EstimateTotal != 13_939_999 || st.Total != 12_559_999 || st.Difference != -1_380_000 {
		t.Errorf("estimate %d actual %d difference %d", st.EstimateTotal, st.Total, st.Difference)
	}
	if st.TotalInWords != "Mười hai triệu năm trăm năm mươi chín nghìn chín trăm chín mươi chín đồng" {
		t.Errorf("words %q", st.TotalInWords)
	}
	var fields []string
	for _, f := range st.Flags {
		fields = append(fields, f.Field)
	}
	if !strings.Contains(strings.Join(fields, ","), "lines.travel") {
		t.Errorf("flags %v, want the travel line without its actual amount", fields)
	}
}

// TestTaxAtTheThreshold: the rate and the threshold are settings; a payment one đồng under
// the threshold is paid in full, one at the threshold is withheld.
func TestTaxAtTheThreshold(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	rt, err := k.fin.Rates(ctx, k.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Tax != finance.DefaultTax() {
		t.Fatalf("tax %+v, want the default 10%% from 2.000.000", rt.Tax)
	}
	// 5% from 1.000.000: Minh's 1.000.000 is now withheld 50.000; Lan's 1.999.999 → 100.000 (99.999,95 rounded).
	var items []finance.RateInput
	for _, r := range rt.Items {
		items = append(items, finance.RateInput{Item: r.Item, Tier: r.Tier, Amount: money(r.Amount), ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Basis: r.Basis})
	}
	bp, th := money(500), money(1_000_000)
	if _, err := k.fin.ReplaceRates(ctx, k.org.ID, items, &finance.TaxInput{RateBP: &bp, Threshold: &th}); err != nil {
		t.Fatal(err)
	}
	h, err := k.fin.Honoraria(ctx, k.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	tax := map[string]int64{}
	for _, l := range h.Lines {
		tax[l.Name] = l.Tax
	}
	if tax["Lê Minh"] != 50_000 || tax["TS. Trần Thị Lan"] != 100_000 || tax["ThS. Nguyễn Văn Hùng"] != 100_000 {
		t.Errorf("tax %v", tax)
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	e, ok := err.(*errs.Error)
	if !ok || e.Code != errs.Invalid {
		t.Fatalf("err %v, want invalid", err)
	}
	out := map[string]string{}
	for k, m := range e.Fields {
		out[k] = m.Key
	}
	return out
}

func TestRatesRefused(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	before, _ := k.fin.Rates(ctx, k.org.ID)
	t.Run("overlap", func(t *testing.T) {
		_, err := k.fin.ReplaceRates(ctx, k.org.ID, []finance.RateInput{
			{Item: "meal", Amount: money(50_000), ValidFrom: "2023-01-01", ValidTo: "2023-12-31"},
			{Item: "honorarium", Tier: "central", Amount: money(1), ValidFrom: "2023-06-01"},
			{Item: "meal", Amount: money(80_000), ValidFrom: "2023-12-31"},
		}, nil)
		f := fieldsOf(t, err)
		if f["items.2.valid_from"] != "finance.err.overlap" || len(f) != 1 {
			t.Errorf("fields %v, want the overlap on items.2.valid_from", f)
		}
	})
	t.Run("same item other tier does not overlap", func(t *testing.T) {
		_, err := k.fin.ReplaceRates(ctx, k.org.ID, []finance.RateInput{
			{Item: "honorarium", Tier: "central", Amount: money(1), ValidFrom: "2023-01-01"},
			{Item: "honorarium", Tier: "district", Amount: money(1), ValidFrom: "2023-01-01"},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.fin.ReplaceRates(ctx, k.org.ID, toInputs(before.Items), nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("bad amounts from JSON", func(t *testing.T) {
		var in struct {
			Items []finance.RateInput `json:"items"`
		}
		body := `{"items":[{"item":"meal","amount":1.5,"valid_from":"2023-01-01"},
			{"item":"lodging","amount":-3,"valid_from":"2023-01-01"},
			{"item":"travel","amount":"12abc","valid_from":"2023-01-01"},
			{"item":"hall","amount":1,"valid_from":"2023-01-01"},
			{"item":"honorarium","amount":1,"valid_from":"2023-01-01"},
			{"item":"materials","amount":"1.500.000","valid_from":"2023-02-30"}]}`
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			t.Fatal(err)
		}
		_, err := k.fin.ReplaceRates(ctx, k.org.ID, in.Items, nil)
		f := fieldsOf(t, err)
		want := map[string]string{"items.0.amount": "finance.err.fraction", "items.1.amount": "finance.err.negative",
			"items.2.amount": "finance.err.amount", "items.3.item": "finance.err.item",
			"items.4.tier": "finance.err.tier_required", "items.5.valid_from": "finance.err.date"}
		if fmt.Sprint(f) != fmt.Sprint(want) {
			t.Errorf("fields\n%v\nwant\n%v", f, want)
		}
	})
	after, _ := k.fin.Rates(ctx, k.org.ID)
	if fmt.Sprint(toInputs(after.Items)) != fmt.Sprint(toInputs(before.Items)) {
		t.Errorf("a refused table changed the rates:\n%v\n%v", before.Items, after.Items)
	}
}

func toInputs(rs []finance.Rate) []finance.RateInput {
	var out []finance.RateInput
	for _, r := range rs {
		out = append(out, finance.RateInput{Item: r.Item, Tier: r.Tier, Amount: money(r.Amount), ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, Basis: r.Basis})
	}
	return out
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]string{"1.500.000": "1500000", "50000": "50000", "1 500 000": "1500000",
		"1.5": "bad", "1,5": "bad", "-3": "bad", "12.34.567": "bad", "abc": "bad"} {
		m := finance.ParseMoney(in)
		got := strconv.FormatInt(m.V, 10)
		if b, _ := json.Marshal(m); m.V == 0 && string(b) == "0" && want == "bad" {
			got = "bad"
		}
		if got != want {
			t.Errorf("ParseMoney(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPlanRefused(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	before, _ := k.fin.Plan(ctx, k.course.ID)
	var in finance.PlanInput
	if err := json.Unmarshal([]byte(`{"expected_trainees": 2.5, "lines":[{"label":"Băng rôn","quantity":1,"unit_price":-100000},
		{"label":"","quantity":1,"unit_price":100}]}`), &in); err != nil {
		t.Fatal(err)
	}
	_, err := k.fin.SavePlan(ctx, k.course.ID, in)
	f := fieldsOf(t, err)
	want := map[string]string{"expected_trainees": "finance.err.whole_number", "lines.0.unit_price": "finance.err.negative",
		"lines.1.label": "err.required"}
	if fmt.Sprint(f) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", f, want)
	}
	after, _ := k.fin.Plan(ctx, k.course.ID)
	ja, _ := json.Marshal(after)
	jb, _ := json.Marshal(before)
	if string(ja) != string(jb) || !before.Saved {
		t.Error("a refused plan changed the saved one")
	}
}

// TestClashByRecord: two people of the same name are two records and may teach at the same
// time; the same record is busy even when the module writes the name differently.
func TestClashByRecord(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	other := coursestest.Course(t, k.db, k.org.ID, func(c *courses.Course) {
		c.StartsOn, c.EndsOn, c.Venue = "2023-12-04", "2023-12-06", "Nhà văn hóa huyện"
	})
	namesake, err := k.fin.CreateLecturer(ctx, finance.LecturerInput{OrganizationID: k.org.ID, FullName: "Nguyễn Văn Hùng", Tier: "district"})
	if err != nil {
		t.Fatal(err)
	}
	m1, err := k.crs.CreateModule(ctx, other.ID, courses.ModuleInput{Title: "Chuyên đề A", LecturerID: namesake.ID})
	if err != nil {
		t.Fatal(err)
	}
	in := courses.SessionInput{ModuleID: m1.ID, StartsAt: database.Time{Time: at("2023-12-04", 7, 30)},
		EndsAt: database.Time{Time: at("2023-12-04", 10, 30)}}
	if _, err := k.crs.CreateSession(ctx, other.ID, in); err != nil {
		t.Fatalf("a namesake (another record) was refused: %v", err)
	}
	m2, err := k.crs.CreateModule(ctx, other.ID, courses.ModuleInput{Title: "Chuyên đề B", Lecturer: "Thầy Hùng", LecturerID: k.hung.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m2.Lecturer != "Thầy Hùng" || m2.LecturerID != k.hung.ID {
		t.Errorf("module %+v, want the name as written and the record", m2)
	}
	in.ModuleID = m2.ID
	in.StartsAt, in.EndsAt = database.Time{Time: at("2023-12-04", 8, 0)}, database.Time{Time: at("2023-12-04", 9, 0)}
	if _, err := k.crs.CreateSession(ctx, other.ID, in); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("the same record at the same time: %v, want a conflict", err)
	}
	// Detaching the record keeps the name as written; pointing to another record writes its name.
	zero := int64(0)
	if m, err := k.crs.UpdateModule(ctx, m2.ID, courses.ModulePatch{LecturerID: &zero}); err != nil || m.Lecturer != "Thầy Hùng" || m.LecturerID != 0 {
		t.Errorf("detached: %+v %v", m, err)
	}
	if m, err := k.crs.UpdateModule(ctx, m2.ID, courses.ModulePatch{LecturerID: &namesake.ID}); err != nil || m.Lecturer != "Nguyễn Văn Hùng" {
		t.Errorf("another record: %+v %v, want its name written", m, err)
	}
	// A lecturer of another organization is not a record this course may use.
	stranger := coursestest.Org(t, k.db, "Sở Y tế")
	sl, _ := k.fin.CreateLecturer(ctx, finance.LecturerInput{OrganizationID: stranger.ID, FullName: "Người Lạ"})
	_, err = k.crs.CreateModule(ctx, other.ID, courses.ModuleInput{Title: "Chuyên đề C", LecturerID: sl.ID})
	if f := fieldsOf(t, err); f["lecturer_id"] != "courses.err.lecturer_unknown" {
		t.Errorf("fields %v", f)
	}
}

// pdfTotals reads the figures of the "Tổng cộng" line of a PDF.
func pdfTotals(t *testing.T, pdf []byte) []int64 {
	t.Helper()
	for _, page := range pdftest.Text(t, pdf, "-layout") {
		for _, line := range strings.Split(page, "\n") {
			if strings.Contains(line, "Tổng cộng") {
				var out []int64
				for _, f := range regexp.MustCompile(`-?[0-9][0-9.]*`).FindAllString(line, -1) {
					n, err := strconv.ParseInt(strings.ReplaceAll(f, ".", ""), 10, 64)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, n)
				}
				return out
			}
		}
	}
	t.Fatal("no Tổng cộng line in the PDF")
	return nil
}

// xlsxTotals recomputes the formulas of the "Tổng cộng" row with excelize.
func xlsxTotals(t *testing.T, b []byte) (totals []int64, formulas []string) {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sh := f.GetSheetName(0)
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Tổng cộng" {
			for c := 1; c <= 12; c++ {
				ref, _ := excelize.CoordinatesToCellName(c, i+1)
				fm, _ := f.GetCellFormula(sh, ref)
				if fm == "" {
					continue
				}
				v, err := f.CalcCellValue(sh, ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatalf("%s %s: %v", ref, fm, err)
				}
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("%s = %q", ref, v)
				}
				totals = append(totals, int64(n))
				formulas = append(formulas, fm)
			}
			return totals, formulas
		}
	}
	t.Fatal("no Tổng cộng row")
	return nil, nil
}

// TestReportsXLSXFormulasAgreeWithPDF: every total of the XLSX is a formula, and excelize's
// calculation of it gives the figures printed on the PDF's total line.
func TestReportsXLSXFormulasAgreeWithPDF(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	want := map[string][]int64{
		finance.KindEstimate:   {13_939_999},
		finance.KindSupport:    {6, 420_000},
		finance.KindHonoraria:  {5, 4_999_999, 200_000, 4_799_999},
		finance.KindSettlement: {13_939_999, 12_559_999, -1_380_000},
	}
	words := map[string]string{
		finance.KindEstimate:   "Mười ba triệu chín trăm ba mươi chín nghìn",
		finance.KindSupport:    "Bốn trăm hai mươi nghìn đồng",
		finance.KindHonoraria:  "Bốn triệu bảy trăm chín mươi chín nghìn",
		finance.KindSettlement: "Mười hai triệu năm trăm năm mươi chín nghìn",
	}
	for _, kind := range finance.Kinds() {
		t.Run(kind, func(t *testing.T) {
			p, err := k.fin.ReportFile(ctx, issuer, k.course.ID, kind, "pdf", finance.ReportOptions{IDNumber: true, BankAccount: true})
			if err != nil {
				t.Fatal(err)
			}
			keep(t, p.Name, p.Data)
			x, err := k.fin.ReportFile(ctx, issuer, k.course.ID, kind, "xlsx", finance.ReportOptions{IDNumber: true, BankAccount: true})
			if err != nil {
				t.Fatal(err)
			}
			keep(t, x.Name, x.Data)
			pt := pdfTotals(t, p.Data)
			xt, formulas := xlsxTotals(t, x.Data)
			if fmt.Sprint(pt) != fmt.Sprint(want[kind]) {
				t.Errorf("PDF totals %v, want %v", pt, want[kind])
			}
			if fmt.Sprint(xt) != fmt.Sprint(pt) {
				t.Errorf("XLSX formulas %v compute %v, PDF prints %v", formulas, xt, pt)
			}
			for _, fm := range formulas {
				if !strings.HasPrefix(fm, "SUM(") {
					t.Errorf("total %q is not a sum", fm)
				}
			}
			text := strings.Join(pdftest.Text(t, p.Data), "\n")
			must := []string{words[kind], "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ", "STT"}
			if kind != finance.KindSupport { // the session without a lecturer
				must = append(must, "chưa tính được")
			}
			for _, s := range must {
				if !strings.Contains(strings.Join(strings.Fields(text), " "), s) {
					t.Errorf("PDF lacks %q", s)
				}
			}
		})
	}
}

// TestHonorariaRowFormulas: the tax and net of each row are formulas too, and recompute at
// both edges of the threshold.
func TestHonorariaRowFormulas(t *testing.T) {
	k := newKnown(t)
	x, err := k.fin.ReportFile(context.Background(), issuer, k.course.ID, finance.KindHonoraria, "xlsx", finance.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(string(x.Data)))
	if err != nil {
		t.Fatal(err)
	}
	sh := f.GetSheetName(0)
	rows, _ := f.GetRows(sh)
	got := map[string]string{}
	for i, r := range rows {
		if len(r) > 1 && (strings.Contains(r[1], "Hùng") || strings.Contains(r[1], "Lan")) {
			tax, _ := f.CalcCellValue(sh, "F"+strconv.Itoa(i+1))
			net, _ := f.CalcCellValue(sh, "G"+strconv.Itoa(i+1))
			got[r[1]] = tax + "/" + net
		}
	}
	want := map[string]string{"ThS. Nguyễn Văn Hùng": "200,000/1,800,000", "TS. Trần Thị Lan": "0/1,999,999"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tax/net %v, want %v", got, want)
	}
}

func TestLecturerRecords(t *testing.T) {
	k := newKnown(t)
	ctx := context.Background()
	_, err := k.fin.CreateLecturer(ctx, finance.LecturerInput{OrganizationID: k.org.ID, FullName: "",
		TaxCode: "12ab", IDNumber: "123", BankAccount: "tk-01", Email: "khong-phai-email"})
	f := fieldsOf(t, err)
	for _, field := range []string{"full_name", "tax_code", "id_number", "bank_account", "email"} {
		if f[field] == "" {
			t.Errorf("no message on %s: %v", field, f)
		}
	}
	l, err := k.fin.CreateLecturer(ctx, finance.LecturerInput{OrganizationID: k.org.ID, FullName: "Võ  Thị   Hoa",
		Tier: "Trung ương", IDNumber: "056 179 001 234"})
	if err != nil {
		t.Fatal(err)
	}
	if l.FullName != "Võ Thị Hoa" || l.Tier != finance.TierCentral || l.IDNumber != "056179001234" {
		t.Errorf("normalised %+v", l)
	}
	p := l.Public()
	if p.IDNumber != "" || p.TaxCode != "" || p.BankAccount != "" {
		t.Errorf("public view keeps private fields: %+v", p)
	}
	tier := "Chuyên gia"
	u, err := k.fin.UpdateLecturer(ctx, l.ID, finance.LecturerPatch{Tier: &tier})
	if err != nil || u.Tier != "Chuyên gia" || u.IDNumber != "056179001234" {
		t.Errorf("patched %+v %v", u, err)
	}
}

func keep(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("FINANCE_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}

func TestEstimateTotal(t *testing.T) {
	k := newKnown(t)
	total, ok, err := k.fin.EstimateTotal(context.Background(), k.course.ID)
	if err != nil || !ok || total != 13_939_999 {
		t.Errorf("EstimateTotal = %d %v %v", total, ok, err)
	}
	other := coursestest.Course(t, k.db, k.org.ID)
	if _, ok, err := k.fin.EstimateTotal(context.Background(), other.ID); ok || err != nil {
		t.Errorf("a course without a plan: ok %v err %v", ok, err)
	}
}
