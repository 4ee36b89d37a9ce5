package units

import (
	"strconv"
	"strings"

	"taphuan/errs"
	"taphuan/vn"
)

// PlanRow is one unit's seats read from a plan's table: the unit as written and the line
// it came from (1-based).
type PlanRow struct {
	Line  int
	Unit  string
	Seats int
}

// maxPlanBytes and maxPlanRows bound a pasted table.
const (
	maxPlanBytes = 256 << 10
	maxPlanRows  = 2000
)

// ParsePlanTable reads the quota table of a plan as pasted from a spreadsheet or a document:
// one unit a line ("STT | Đơn vị | Số lượng", cells separated by tabs or semicolons, the
// seats the last cell; a header line and an STT column are skipped), or the transposed
// layout where the column headers are the units and the line below holds their seats.
// Errors name the line: a line without seats, seats that are not a whole number 0…100000.
func ParsePlanTable(text string) ([]PlanRow, error) {
	if len(text) > maxPlanBytes {
		return nil, errs.Fields{"paste": {Key: "unit.err.paste_big"}}.Err()
	}
	var lines [][]string
	var lineNos []int
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		cells := splitCells(raw)
		if len(cells) == 0 {
			continue
		}
		lines = append(lines, cells)
		lineNos = append(lineNos, i+1)
	}
	if len(lines) > maxPlanRows {
		return nil, errs.Fields{"paste": {Key: "unit.err.paste_rows", Args: []any{maxPlanRows}}}.Err()
	}
	if len(lines) == 0 {
		return nil, nil // an empty paste: no rows, nothing to apply
	}
	// Transposed: units across the first line, their seats across the second.
	if len(lines) == 2 && len(lines[0]) >= 2 && len(lines[0]) == len(lines[1]) && allNumbers(lines[1]) && !anyNumber(lines[0]) {
		var out []PlanRow
		for k, u := range lines[0] {
			n, _ := seatsOf(lines[1][k])
			out = append(out, PlanRow{Line: lineNos[0], Unit: u, Seats: n})
		}
		return out, nil
	}
	var out []PlanRow
	f := errs.Fields{}
	for k, cells := range lines {
		last := cells[len(cells)-1]
		n, ok := seatsOf(last)
		if !ok {
			if k == 0 {
				continue // the header
			}
			f.Add("paste", "unit.err.paste_seats", lineNos[k], last)
			continue
		}
		unit := ""
		for _, c := range cells[:len(cells)-1] {
			if _, isNum := seatsOf(c); isNum && unit == "" {
				continue // STT
			}
			if unit == "" {
				unit = c
			}
		}
		if unit == "" {
			f.Add("paste", "unit.err.paste_unit", lineNos[k])
			continue
		}
		if n < 0 || n > 100000 {
			f.Add("paste", "unit.err.paste_seats", lineNos[k], last)
			continue
		}
		out = append(out, PlanRow{Line: lineNos[k], Unit: unit, Seats: n})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// splitCells splits a pasted line into its cleaned, non-empty cells: by tabs, else by
// semicolons or vertical bars, else the last word is the number ("Báo Khánh Hòa 3").
func splitCells(raw string) []string {
	var parts []string
	switch {
	case strings.Contains(raw, "\t"):
		parts = strings.Split(raw, "\t")
	case strings.Contains(raw, ";"):
		parts = strings.Split(raw, ";")
	case strings.Contains(raw, "|"):
		parts = strings.Split(raw, "|")
	default:
		c := vn.Clean(raw)
		if i := strings.LastIndexByte(c, ' '); i > 0 {
			if _, ok := seatsOf(c[i+1:]); ok {
				parts = []string{c[:i], c[i+1:]}
				break
			}
		}
		parts = []string{c}
	}
	var out []string
	for _, p := range parts {
		if p = vn.Clean(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func seatsOf(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "."))
	return n, err == nil
}

func allNumbers(cells []string) bool {
	for _, c := range cells {
		if _, ok := seatsOf(c); !ok {
			return false
		}
	}
	return true
}

func anyNumber(cells []string) bool {
	for _, c := range cells {
		if _, ok := seatsOf(c); ok {
			return true
		}
	}
	return false
}
