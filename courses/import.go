package courses

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"taphuan/errs"
	"taphuan/vn"
)

// Import modes (API.md).
const (
	ImportStrict      = "strict"       // anything invalid: nothing imported
	ImportSkipInvalid = "skip_invalid" // the valid rows are imported, the others reported
	ImportDryRun      = "dry_run"      // everything checked and counted, nothing imported
)

// Limits of a roster file. Everything is bounded before it is parsed: the upload's size,
// the size of the spreadsheet once unzipped (a zip bomb inflates 1000-fold), the rows read
// and the columns of each row (one cell in column XFD makes a row 16,384 cells wide).
const (
	MaxImportBytes   = 10 << 20
	MaxImportRows    = 20000
	MaxImportColumns = 64
	// MaxUnzippedBytes bounds the whole unzipped spreadsheet, MaxUnzippedPart any one part
	// of it but the worksheets (which are streamed from a temporary file past
	// xlsxMemoryPart), notably the shared strings, which are decoded in memory.
	MaxUnzippedBytes = 64 << 20
	MaxUnzippedPart  = 12 << 20
	xlsxMemoryPart   = 4 << 20
)

// Errors of reading a roster file (they concern the whole file, field "file").
var (
	ErrImportMode = errs.New(errs.Invalid, "reg.err.import_mode")
)

// ImportRow is one data row of a roster file, with its line in the file (the header is
// line 1 when it is the first).
type ImportRow struct {
	Line  int
	Input RegisterInput
}

// RowError is one problem of one row: the line, the field (JSON name) and the message,
// with the row's name and the bad value as the file has them, so that the person who
// fixes the file finds the row without counting lines.
type RowError struct {
	Row   int
	Field string
	Msg   errs.Msg
	Name  string // the row's full name (normalized), "" when the file has none
	Value string // the field's value as written in the file
}

// ImportResult says what an import did (or, for a dry run, would do).
type ImportResult struct {
	Rows       int // data rows read
	Valid      int // rows without errors
	Imported   int // rows written (0 for a dry run and for a refused strict import)
	Confirmed  int // of the valid rows: how they were (would be) placed
	Waitlisted int
	Errors     []RowError // by row, then field in the order of the form
	// Sample is the first rows as they will be stored, to check the column mapping.
	Sample []ImportRow
	// Recased lists the names written in capitals that are stored in title case.
	Recased []Recased
}

// ImportSampleRows is how many rows Sample holds.
const ImportSampleRows = 5

// Recased is a name of the file typed in capitals and stored in title case.
type Recased struct {
	Row  int    `json:"row"`
	From string `json:"from"`
	To   string `json:"to"`
}

// columns maps folded header texts — the Vietnamese headers of a participant list and
// their common variants, and the JSON field names — to the JSON field names.
var columns = map[string]string{
	"ho va ten": "full_name", "ho ten": "full_name", "full_name": "full_name", "ten hoc vien": "full_name",
	"gioi tinh": "gender", "gender": "gender", "nam/nu": "gender", "nam nu": "gender",
	"ngay sinh": "birth_date", "ngay thang nam sinh": "birth_date", "birth_date": "birth_date",
	"dan toc": "ethnicity", "ethnicity": "ethnicity",
	"chuc vu": "position", "position": "position", "chuc danh": "position",
	"don vi cong tac": "organization", "don vi": "organization", "co quan": "organization",
	"co quan, don vi": "organization", "organization": "organization", "noi cong tac": "organization",
	"dia phuong": "locality", "locality": "locality",
	"so dien thoai": "phone", "dien thoai": "phone", "sdt": "phone", "phone": "phone", "so dt": "phone",
	"email": "email", "thu dien tu": "email", "e-mail": "email",
	"so cccd": "id_number", "cccd": "id_number", "can cuoc cong dan": "id_number", "so can cuoc": "id_number",
	"id_number":   "id_number",
	"ten sap xep": "sort_name", "sort_name": "sort_name",
}

// requiredColumns must be in every roster file.
var requiredColumns = []string{"full_name", "gender", "birth_date", "organization", "phone"}

// fieldOrder is the order of the form; row errors are reported in it.
var fieldOrder = map[string]int{"full_name": 1, "gender": 2, "birth_date": 3, "ethnicity": 4, "position": 5,
	"organization": 6, "locality": 7, "phone": 8, "email": 9, "id_number": 10, "sort_name": 11}

// ParseRoster reads a roster file: .xlsx (the first sheet), or CSV in UTF-8 with or
// without a byte-order mark, separated by commas or semicolons. The header row is the
// first row, within the first ten, whose cells name at least two known columns (titles
// above it are skipped); unknown columns (STT, Trạng thái …) are ignored. Empty rows are
// skipped. Text is left as written (Import normalizes it), except that in CSV the
// apostrophe the export puts before formula-like text (escapeCell) is removed.
//
// Errors concern the whole file (an errs.Invalid with the field "file"): not CSV/XLSX,
// not UTF-8, no header, a required column missing, too many rows.
func ParseRoster(r io.Reader, filename string) ([]ImportRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("courses: read roster: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, fileErr("reg.err.file_too_big", MaxImportBytes>>20)
	}
	var table [][]string
	var lines []int
	xlsx := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	if xlsx {
		table, lines, err = readXLSX(data)
	} else {
		if strings.HasSuffix(strings.ToLower(filename), ".xls") {
			return nil, fileErr("reg.err.file_xls")
		}
		table, lines, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	header := -1
	var cols map[int]string
	for i := 0; i < len(table) && i < 10; i++ {
		c := map[int]string{}
		for j, cell := range table[i] {
			if f, ok := columns[headerKey(cell)]; ok {
				c[j] = f
			}
		}
		if len(c) >= 2 {
			header, cols = i, c
			break
		}
	}
	if header < 0 {
		return nil, fileErr("reg.err.no_header")
	}
	have := map[string]bool{}
	for _, f := range cols {
		have[f] = true
	}
	var missing []string
	for _, f := range requiredColumns {
		if !have[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, fileErr("reg.err.missing_columns", strings.Join(missing, ", "))
	}
	var rows []ImportRow
	for i := header + 1; i < len(table); i++ {
		rec := table[i]
		if blank(rec) {
			continue
		}
		if len(rows) == MaxImportRows {
			return nil, fileErr("reg.err.too_many_rows", MaxImportRows)
		}
		var in RegisterInput
		for j, cell := range rec {
			f, ok := cols[j]
			if !ok {
				continue
			}
			if !xlsx {
				// Only the CSV export escapes; an XLSX cell is text as written.
				cell = unescapeCell(cell)
			}
			switch f {
			case "full_name":
				in.FullName = cell
			case "gender":
				in.Gender = cell
			case "birth_date":
				in.BirthDate = importDate(cell, xlsx)
			case "ethnicity":
				in.Ethnicity = cell
			case "position":
				in.Position = cell
			case "organization":
				in.Organization = cell
			case "locality":
				in.Locality = cell
			case "phone":
				in.Phone = importPhone(cell)
			case "email":
				in.Email = cell
			case "id_number":
				in.IDNumber = cell
			case "sort_name":
				in.SortName = cell
			}
		}
		rows = append(rows, ImportRow{Line: lines[i], Input: in})
	}
	return rows, nil
}

func fileErr(key string, args ...any) error {
	return errs.Fields{"file": {Key: key, Args: args}}.Err()
}

// headerKey folds a header cell for the columns table: "Số điện thoại (*)" → "so dien thoai".
func headerKey(s string) string {
	s = vn.Fold(s)
	s = strings.TrimSpace(strings.NewReplacer("(*)", "", "*", "", ":", "").Replace(s))
	return s
}

func blank(rec []string) bool {
	for _, c := range rec {
		if vn.Clean(c) != "" {
			return false
		}
	}
	return true
}

// readCSV decodes a CSV file and returns its records with the line each starts on.
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return nil, nil, fileErr("reg.err.not_utf8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, fileErr("reg.err.no_header")
	}
	comma := guessComma(data)
	// A line of a million separators would be a million fields: bound the columns before
	// the CSV reader allocates them (counted per physical line, an upper bound).
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if bytes.Count(line, []byte(string(comma))) >= MaxImportColumns*4 {
			return nil, nil, fileErr("reg.err.too_many_columns", MaxImportColumns, i+1)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var table [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fileErr("reg.err.csv_line", pe.Line)
			}
			return nil, nil, fileErr("reg.err.file_format")
		}
		line, _ := cr.FieldPos(0)
		table = append(table, rec)
		lines = append(lines, line)
		if len(table) > MaxImportRows+10 {
			return nil, nil, fileErr("reg.err.too_many_rows", MaxImportRows)
		}
	}
	return table, lines, nil
}

// guessComma picks the separator of the first line: Excel in Vietnamese locale saves
// "CSV" with semicolons, because the comma is the decimal separator.
func guessComma(data []byte) rune {
	first := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		first = data[:i]
	}
	best, n := ',', bytes.Count(first, []byte{','})
	for _, c := range []rune{';', '\t'} {
		if m := bytes.Count(first, []byte(string(c))); m > n {
			best, n = c, m
		}
	}
	return best
}

// checkZip refuses, before excelize reads anything, a spreadsheet whose parts unzip to
// more than the limits (the sizes the zip declares; archive/zip fails a part that inflates
// past its declared size, so they cannot lie).
func checkZip(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileErr("reg.err.file_format")
	}
	if len(zr.File) > 1000 {
		return fileErr("reg.err.file_unzipped_too_big", MaxUnzippedBytes>>20)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		worksheet := strings.HasPrefix(strings.ToLower(zf.Name), "xl/worksheets/")
		if total > MaxUnzippedBytes || !worksheet && zf.UncompressedSize64 > MaxUnzippedPart {
			return fileErr("reg.err.file_unzipped_too_big", MaxUnzippedBytes>>20)
		}
	}
	return nil
}

// readXLSX reads the first sheet row by row with excelize's streaming iterator (never the
// whole grid at once), keeping the non-blank rows with their line numbers, and stops at the
// row and column limits. excelize's own unzip limits are set too; its temporary files (a
// large worksheet is unzipped to disk) are removed by Close on every path.
func readXLSX(data []byte) ([][]string, []int, error) {
	if err := checkZip(data); err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzippedBytes, UnzipXMLSizeLimit: xlsxMemoryPart})
	if err != nil {
		return nil, nil, fileErr("reg.err.file_format")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileErr("reg.err.no_header")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, fileErr("reg.err.file_format")
	}
	defer rows.Close()
	var table [][]string
	var lines []int
	line := 0
	for rows.Next() {
		line++
		// Raw values: a date cell comes as its serial number, whatever its display format.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fileErr("reg.err.file_format")
		}
		if blank(cells) {
			continue
		}
		if len(cells) > MaxImportColumns {
			if !blank(cells[MaxImportColumns:]) {
				return nil, nil, fileErr("reg.err.too_many_columns", MaxImportColumns, line)
			}
			cells = cells[:MaxImportColumns:MaxImportColumns]
		}
		table = append(table, cells)
		lines = append(lines, line)
		if len(table) > MaxImportRows+10 {
			return nil, nil, fileErr("reg.err.too_many_rows", MaxImportRows)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, nil, fileErr("reg.err.file_format")
	}
	return table, lines, nil
}

var otherDateSeparators = regexp.MustCompile(`^(\d{1,2})[.\-](\d{1,2})[.\-](\d{4})$`)

// importDate reads the dates spreadsheets produce: dd/mm/yyyy, ISO, dd-mm-yyyy,
// dd.mm.yyyy, and in XLSX a date cell's serial number.
func importDate(s string, xlsx bool) string {
	s = vn.Clean(s)
	if m := otherDateSeparators.FindStringSubmatch(s); m != nil {
		return m[1] + "/" + m[2] + "/" + m[3]
	}
	if xlsx {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return t.Format("2006-01-02")
			}
		}
	}
	return s
}

// importPhone puts back the leading 0 a spreadsheet drops when a phone number is stored
// as a number (912345678 → 0912345678).
func importPhone(s string) string {
	s = vn.Clean(s)
	if len(s) == 9 && allDigits(s) && strings.ContainsRune("235789", rune(s[0])) {
		return "0" + s
	}
	return s
}

// unescapeCell undoes the apostrophe the CSV export puts before text that a spreadsheet
// would run as a formula (escapeCell).
func unescapeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaLike(s[1:]) {
		return s[1:]
	}
	return s
}

// ImportInput imports rows into a course.
type ImportInput struct {
	CourseID int64
	Rows     []ImportRow
	Mode     string // ImportStrict (default), ImportSkipInvalid, ImportDryRun
	UserID   int64
	// Units maps the file's unit texts that matched no unit (the preview's choices),
	// remembered as aliases in the same transaction.
	Units []UnitChoice
}

// Import registers the rows of a roster file in one write transaction. Every row is
// normalized and validated; a phone number twice in the file, or already registered in the
// course, is an error of the later row. Valid rows are placed as Register places them
// (confirmed while seats and quotas allow, else waitlisted) — but never pending: an
// organizer's import is the approval. The registration window does not apply (organizers
// import lists after it closed), but a cancelled or completed course takes no one
// (ErrRegistrationClosed).
//
// Modes: strict imports nothing when any row is bad; skip_invalid imports the valid rows;
// dry_run imports nothing and reports what would happen. Returns ErrNotFound for an
// unknown course.
func (s *Service) Import(ctx context.Context, in ImportInput) (*ImportResult, error) {
	if in.Mode == "" {
		in.Mode = ImportStrict
	}
	if in.Mode != ImportStrict && in.Mode != ImportSkipInvalid && in.Mode != ImportDryRun {
		return nil, ErrImportMode
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("courses: import: %w", err)
	}
	defer tx.Rollback()
	r, err := s.registrar(ctx, tx, in.CourseID)
	if err != nil {
		return nil, err
	}
	// A course that is over still takes its roster (a course run on paper, recorded after
	// the fact); a cancelled one does not.
	if r.course.Status == StatusCancelled {
		return nil, fmt.Errorf("courses: import into course %d (%s): %w", in.CourseID, r.course.Status, ErrRegistrationClosed)
	}
	res := &ImportResult{Rows: len(in.Rows), Errors: []RowError{}}
	seen := map[string]int{} // phone → line
	var valid []*RegisterInput
	for i := range in.Rows {
		row := &in.Rows[i]
		row.Input.CourseID, row.Input.Source, row.Input.UserID = in.CourseID, SourceImport, in.UserID
		raw := row.Input
		row.Input.Normalize()
		if cleaned := vn.Clean(raw.FullName); cleaned != row.Input.FullName && vn.AllCaps(cleaned) {
			res.Recased = append(res.Recased, Recased{Row: row.Line, From: cleaned, To: row.Input.FullName})
		}
		if len(res.Sample) < ImportSampleRows {
			res.Sample = append(res.Sample, *row)
		}
		bad := false
		if err := row.Input.Validate(); err != nil {
			var e *errs.Error
			if !errors.As(err, &e) {
				return nil, err
			}
			for field, m := range e.Fields {
				res.Errors = append(res.Errors, RowError{Row: row.Line, Field: field, Msg: m,
					Name: row.Input.FullName, Value: shown(raw.field(field))})
			}
			bad = true
		}
		if _, phoneErr := vn.NormalizePhone(row.Input.Phone); phoneErr == nil {
			if first, ok := seen[row.Input.Phone]; ok {
				res.Errors = append(res.Errors, RowError{Row: row.Line, Field: "phone", Msg: errs.Msg{Key: "reg.err.dup_in_file", Args: []any{first}},
					Name: row.Input.FullName, Value: shown(raw.Phone)})
				bad = true
			} else {
				seen[row.Input.Phone] = row.Line
				var dup *DuplicateError
				switch err := r.phoneFree(ctx, row.Input.Phone); {
				case errors.As(err, &dup):
					res.Errors = append(res.Errors, RowError{Row: row.Line, Field: "phone", Msg: errs.Msg{Key: "reg.err.dup_existing", Args: []any{dup.ExistingName}},
						Name: row.Input.FullName, Value: shown(raw.Phone)})
					bad = true
				case err != nil:
					return nil, err
				}
			}
		}
		if !bad {
			valid = append(valid, &row.Input)
		}
	}
	sort.SliceStable(res.Errors, func(i, j int) bool {
		a, b := res.Errors[i], res.Errors[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return fieldOrder[a.Field] < fieldOrder[b.Field]
	})
	res.Valid = len(valid)
	if in.Mode == ImportStrict && len(res.Errors) > 0 {
		return res, nil
	}
	if err := applyUnitChoices(ctx, tx, in.Units); err != nil {
		return nil, err
	}
	if err := r.countAtEndOfTx(ctx); err != nil {
		return nil, err
	}
	for _, v := range valid {
		before := r.confirmed
		if _, err := r.register(ctx, v, false); err != nil {
			return nil, fmt.Errorf("courses: import line: %w", err)
		}
		if r.confirmed > before {
			res.Confirmed++
		} else {
			res.Waitlisted++
		}
	}
	if in.Mode == ImportDryRun {
		return res, nil
	}
	if err := r.finish(ctx); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("courses: import: %w", err)
	}
	res.Imported = len(valid)
	return res, nil
}
