package demo

import (
	"context"
	"fmt"

	"taphuan/attendance"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/finance"
	"taphuan/vn"
)

// loadFinance gives the demo organization its lecturers with their tiers, a rate table
// (Nghị quyết 38/2018 and a newer resolution raising the provincial honorarium from
// 5/12/2023, the second day of the workshop), and the workshop's estimate with what was
// actually spent on the items attendance does not tell. The modules, written with free-text
// lecturers, are pointed to the records, keeping their names as written. The payment lists
// and the settlement follow from the attendance.
func loadFinance(ctx context.Context, db *database.DB, orgID, courseID int64) error {
	cs := courses.New(db)
	fin := finance.New(db, cs, attendance.New(db, cs))
	cs.UseLecturers(fin)
	records := map[string]int64{}
	for _, l := range []finance.LecturerInput{
		{FullName: "Nguyễn Văn Hùng", Title: "ThS.", Position: "Trưởng phòng Thông tin cơ sở", Workplace: OrgName,
			Tier: finance.TierProvincial, Phone: "0905123456", TaxCode: "4201234567", IDNumber: "056080001234",
			BankAccount: "0061001234567", BankName: "Vietcombank Khánh Hòa"},
		{FullName: "Trần Thị Mai", Title: "TS.", Position: "Phó Cục trưởng", Workplace: "Cục Thông tin cơ sở, Bộ Thông tin và Truyền thông",
			Tier: finance.TierCentral, Email: "tran.thi.mai@example.gov.vn", TaxCode: "0101234567", IDNumber: "001179004321",
			BankAccount: "1234567890123", BankName: "BIDV Hà Nội"},
		{FullName: "Lê Quang Vinh", Position: "Giám đốc", Workplace: "Đài Phát thanh và Truyền hình Khánh Hòa",
			Tier: finance.TierProvincial, TaxCode: "4207654321", BankAccount: "0061007654321", BankName: "Vietcombank Khánh Hòa"},
		{FullName: "Phạm Minh Tuấn", Title: "KS.", Position: "Phụ trách đài truyền thanh", Workplace: "UBND xã Cam Hải Tây",
			Tier: finance.TierDistrict, BankAccount: "5100201234567", BankName: "Agribank Cam Lâm"},
		{FullName: "Đỗ Thị Hạnh", Title: "ThS.", Workplace: "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa", Tier: finance.TierProvincial},
		{FullName: "Võ Văn Thành", Workplace: "Phòng Văn hóa - Xã hội huyện Cam Lâm", Tier: finance.TierDistrict},
		{FullName: "Ngô Minh Châu", Title: "TS.", Workplace: "Trường Chính trị tỉnh Khánh Hòa", Tier: finance.TierProvincial},
	} {
		l.OrganizationID = orgID
		rec, err := fin.CreateLecturer(ctx, l)
		if err != nil {
			return fmt.Errorf("demo: lecturer %s: %w", l.FullName, err)
		}
		records[vn.Fold(l.FullName)] = rec.ID
	}
	list, _, err := cs.ListCourses(ctx, courses.CourseFilter{OrgIDs: []int64{orgID}})
	if err != nil {
		return fmt.Errorf("demo: finance: %w", err)
	}
	for _, c := range list {
		modules, err := cs.ListModules(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("demo: finance: %w", err)
		}
		for _, m := range modules {
			for name, id := range records {
				if vn.Fold(m.Lecturer) == name || hasSuffixWord(vn.Fold(m.Lecturer), name) {
					if _, err := cs.UpdateModule(ctx, m.ID, courses.ModulePatch{LecturerID: &id, Lecturer: &m.Lecturer}); err != nil {
						return fmt.Errorf("demo: module %d: %w", m.ID, err)
					}
				}
			}
		}
	}
	nq38, nq15 := "Nghị quyết số 38/2018/NQ-HĐND ngày 07/12/2018 của HĐND tỉnh Khánh Hòa",
		"Nghị quyết số 15/2023/NQ-HĐND ngày 24/11/2023 của HĐND tỉnh Khánh Hòa"
	m := finance.M
	if _, err := fin.ReplaceRates(ctx, orgID, []finance.RateInput{
		{Item: finance.ItemHonorarium, Tier: finance.TierCentral, Amount: m(2_000_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemHonorarium, Tier: finance.TierProvincial, Amount: m(1_000_000), ValidFrom: "2019-01-01", ValidTo: "2023-12-04", Basis: nq38},
		{Item: finance.ItemHonorarium, Tier: finance.TierProvincial, Amount: m(1_200_000), ValidFrom: "2023-12-05", Basis: nq15},
		{Item: finance.ItemHonorarium, Tier: finance.TierDistrict, Amount: m(600_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemMeal, Amount: m(150_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemLodging, Amount: m(300_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemTravel, Amount: m(200_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemTravel, Tier: "trên 50 km", Amount: m(300_000), ValidFrom: "2019-01-01", Basis: nq38},
		{Item: finance.ItemMaterials, Amount: m(50_000), ValidFrom: "2019-01-01", Basis: nq38},
	}, nil); err != nil {
		return fmt.Errorf("demo: rates: %w", err)
	}
	if courseID == 0 {
		return nil
	}
	if _, err := fin.SavePlan(ctx, courseID, finance.PlanInput{
		ExpectedTrainees: m(200), LodgingTrainees: m(40), LodgingNights: m(1), TravelTrainees: m(60), TravelTier: "trên 50 km",
		ActualLodging: m(11_400_000), ActualTravel: m(16_800_000),
		Lines: []finance.ManualLineInput{
			{Label: "Thuê hội trường, âm thanh, máy chiếu", Unit: "ngày", Quantity: m(2), UnitPrice: m(5_000_000), Actual: m(10_000_000)},
			{Label: "Băng rôn, khẩu hiệu, phông lớp", Unit: "bộ", Quantity: m(1), UnitPrice: m(1_500_000), Actual: m(1_500_000)},
			{Label: "Nước uống giữa giờ", Unit: "người-buổi", Quantity: m(800), UnitPrice: m(15_000), Actual: m(11_250_000)},
			{Label: "Văn phòng phẩm", Unit: "bộ", Quantity: m(200), UnitPrice: m(20_000), Actual: m(3_800_000)},
		}}); err != nil {
		return fmt.Errorf("demo: estimate: %w", err)
	}
	return nil
}

// hasSuffixWord reports whether folded name s ends with the words of name ("ths. nguyen van
// hung" ends with "nguyen van hung").
func hasSuffixWord(s, name string) bool {
	return len(s) > len(name) && s[len(s)-len(name):] == name && s[len(s)-len(name)-1] == ' '
}
