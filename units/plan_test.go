package units

import (
	"errors"
	"testing"

	"taphuan/errs"
)

func TestParsePlanTable(t *testing.T) {
	rows, err := ParsePlanTable("STT\tĐơn vị\tSố lượng\n1\tUBND xã Cam Hải Tây\t2\n\n2\tBáo Khánh Hòa\t3\r\nĐài TT-TH huyện Vạn Ninh; 1\nTrung tâm VH-TT-TT 4\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []PlanRow{{2, "UBND xã Cam Hải Tây", 2}, {4, "Báo Khánh Hòa", 3}, {5, "Đài TT-TH huyện Vạn Ninh", 1}, {6, "Trung tâm VH-TT-TT", 4}}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], want[i])
		}
	}
	// The column headers are the units.
	rows, err = ParsePlanTable("UBND xã Cam Hải Tây\tBáo Khánh Hòa\n2\t3\n")
	if err != nil || len(rows) != 2 || rows[1].Unit != "Báo Khánh Hòa" || rows[1].Seats != 3 {
		t.Fatalf("transposed: %+v %v", rows, err)
	}
	_, err = ParsePlanTable("Đơn vị\tSố lượng\nBáo Khánh Hòa\tba\n")
	var e *errs.Error
	if !errors.As(err, &e) || e.Fields["paste"].Key != "unit.err.paste_seats" || e.Fields["paste"].Args[0] != 2 {
		t.Errorf("bad seats: %v", err)
	}
}
