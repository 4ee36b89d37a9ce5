package courses

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// exportHeaders are the columns of an exported roster: the participant list of DOMAIN.md,
// then the ID number and the status. ParseRoster reads them back.
var exportHeaders = []string{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ",
	"Đơn vị công tác", "Địa phương", "Số điện thoại", "Email", "Số CCCD", "Trạng thái"}

// statusLabels are the statuses as an exported file writes them.
var statusLabels = map[string]string{
	RegConfirmed: "Đã xác nhận", RegWaitlisted: "Danh sách chờ", RegPending: "Chờ duyệt",
	RegCancelled: "Đã hủy", RegRejected: "Không duyệt",
}

// ExportRows returns the roster selected by f (Limit and Offset ignored) as the rows of an
// exported file, in Vietnamese order, dates as dd/mm/yyyy, without the header.
func (s *Service) ExportRows(ctx context.Context, f RegistrationFilter) ([][]string, error) {
	f.Limit, f.Offset = 0, 0
	regs, _, err := s.ListRegistrations(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([][]string, 0, len(regs))
	for i, r := range regs {
		status := statusLabels[r.Status]
		if r.WaitlistPosition != nil {
			status += " (" + strconv.Itoa(*r.WaitlistPosition) + ")"
		}
		out = append(out, []string{strconv.Itoa(i + 1), r.FullName, r.Gender, r.BirthDay(), r.Ethnicity, r.Position,
			r.Organization, r.Locality, r.Phone, r.Email, r.IDNumber, status})
	}
	return out, nil
}

// escapeCell keeps a spreadsheet from running text as a formula (CSV injection): text
// starting with = + - @ gets an apostrophe, which ParseRoster removes again. Text that
// already starts with apostrophes before such a sign gets one more, so that it reads back
// as written.
func escapeCell(s string) string {
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// formulaLike reports whether s, after any leading apostrophes, starts with = + - or @.
func formulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}

// WriteRosterCSV writes rows under exportHeaders as CSV with a UTF-8 byte-order mark, so
// that Excel opens the Vietnamese text correctly.
func WriteRosterCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return fmt.Errorf("courses: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(exportHeaders); err != nil {
		return fmt.Errorf("courses: write csv: %w", err)
	}
	for _, row := range rows {
		esc := make([]string, len(row))
		for i, c := range row {
			esc[i] = escapeCell(c)
		}
		if err := cw.Write(esc); err != nil {
			return fmt.Errorf("courses: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("courses: write csv: %w", err)
	}
	return nil
}

// WriteRosterXLSX writes rows under exportHeaders as one sheet, every cell as text (phone
// numbers keep their leading 0, dates stay dd/mm/yyyy), the header bold and frozen.
func WriteRosterXLSX(w io.Writer, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Danh sách"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EBF0"}}})
	if err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	widths := []float64{6, 28, 9, 12, 10, 22, 40, 22, 14, 28, 15, 18}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("courses: write xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	header := make([]any, len(exportHeaders))
	for i, h := range exportHeaders {
		header[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			if j == 0 {
				n, _ := strconv.Atoi(c)
				cells[j] = n
				continue
			}
			cells[j] = excelize.Cell{Value: c, StyleID: text}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("courses: write xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("courses: write xlsx: %w", err)
	}
	return nil
}
