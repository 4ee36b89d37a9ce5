package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHostileRosterFiles (issue 10): the files that took the server to 1 GB, killed it with
// "out of memory" in excelize.GetRows, or inflated 1.5 GB to disk, are uploaded to the real
// server running in its own process. Each gets a clear 422 on the file; the process's peak
// resident memory (VmHWM) stays under 300 MB; the server answers a registration meanwhile
// and afterwards; no temporary file is left behind.
func TestHostileRosterFiles(t *testing.T) {
	db, token := setupServer(t)
	tmp := t.TempDir()
	c := startChildWith(t, db, []string{"TMPDIR=" + tmp})
	course := openCourse(t, c, token, 50)

	header := []string{"Họ và tên", "Giới tính", "Ngày sinh", "Đơn vị công tác", "Số điện thoại"}
	files := []struct {
		name, filename string
		data           []byte
		want           string // the message's words
	}{
		// 8,000 rows, each with one cell in column XFD: about 12 KB zipped, 16,384 cells a row.
		{"one cell in column XFD per row", "wide.xlsx", wideXLSX(t, header, 8000, true), "cột"},
		// 800 MB of worksheet XML zipped into about 0.8 MB.
		{"zip bomb", "bomb.xlsx", bombXLSX(t, header, 800<<20), "giải nén"},
		{"30,000 rows", "long.xlsx", wideXLSX(t, header, 30000, false), "dòng"},
		{"a CSV line of 5 million separators", "wide.csv", []byte(strings.Join(header, ",") + "\n" + strings.Repeat(",", 5<<20) + "\n"), "cột"},
		{"too big", "big.csv", bytes.Repeat([]byte("a"), 11<<20), "MB"},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			t.Logf("%s: %d bytes", f.filename, len(f.data))
			done := make(chan struct{})
			var status int
			var body string
			go func() {
				defer close(done)
				status, body = upload(t, c, token, course, f.filename, f.data)
			}()
			// While the file is read, a registration is answered.
			regStatus, _, err := c.call(token, http.MethodPost, fmt.Sprintf("/api/v1/courses/%d/registrations", course), map[string]any{
				"full_name": "Trần Văn Chờ", "gender": "Nam", "birth_date": "1980-01-02", "ethnicity": "Kinh",
				"organization": "UBND xã Ninh Xuân", "phone": fmt.Sprintf("0905%06d", len(f.data)%1000000)})
			if err != nil || regStatus != http.StatusCreated {
				t.Errorf("a registration during the upload: %d %v", regStatus, err)
			}
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("the upload was not answered within a minute")
			}
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"file"`) || !strings.Contains(body, f.want) {
				t.Errorf("%s: %d %s, want 422 with a message on the file mentioning %q", f.filename, status, trimBody(body), f.want)
			}
		})
	}
	if resp, err := http.Get(c.base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the server does not answer after the files: %v", err)
	} else {
		resp.Body.Close()
	}
	hwm := vmHWM(t, c.cmd.Process.Pid)
	t.Logf("peak resident memory of the server: %d MB", hwm>>20)
	if hwm > 300<<20 {
		t.Errorf("peak resident memory %d MB, want under 300 MB", hwm>>20)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func trimBody(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func upload(t *testing.T, c *child, token string, course int64, filename string, data []byte) (int, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/courses/%d/registrations/import?mode=dry_run", c.base, course), &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "vi")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("upload %s: %v", filename, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// vmHWM reads the peak resident set size of a process from /proc.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// xlsxParts writes the parts of a one-sheet workbook around the sheet that write makes.
func xlsxParts(t *testing.T, sheet func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} {
		w, _ := zw.Create(name)
		io.WriteString(w, parts[name])
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func headerRow(w io.Writer, header []string) {
	io.WriteString(w, `<row r="1">`)
	for i, h := range header {
		fmt.Fprintf(w, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	io.WriteString(w, `</row>`)
}

// wideXLSX: the header, then rows of a person; with far, each row also has a cell in XFD.
func wideXLSX(t *testing.T, header []string, rows int, far bool) []byte {
	return xlsxParts(t, func(w io.Writer) {
		headerRow(w, header)
		for r := 2; r <= rows+1; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>`, r, r)
			if !far { // a whole row: the sheet passes 4 MB, so excelize unzips it to a temporary file
				fmt.Fprintf(w, `<c r="B%d" t="inlineStr"><is><t>Nam</t></is></c><c r="C%d" t="inlineStr"><is><t>15/03/1985</t></is></c>`+
					`<c r="D%d" t="inlineStr"><is><t>Đài truyền thanh xã Ninh Xuân</t></is></c><c r="E%d"><v>9%08d</v></c>`, r, r, r, r, r)
			}
			if far {
				fmt.Fprintf(w, `<c r="XFD%d" t="inlineStr"><is><t>x</t></is></c>`, r)
			}
			io.WriteString(w, `</row>`)
		}
	})
}

// bombXLSX: the header, then size bytes of blank space inside the sheet.
func bombXLSX(t *testing.T, header []string, size int) []byte {
	return xlsxParts(t, func(w io.Writer) {
		headerRow(w, header)
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for n := 0; n < size; n += len(chunk) {
			w.Write(chunk)
		}
	})
}
