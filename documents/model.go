// Package documents drafts the official documents of a course on the layout of Decree
// 30/2020/NĐ-CP — the decision to open the course with its plan, the call-up letters to the
// sending units and the letter to all of them, the decision granting certificates with its
// list, the course's result report — from the data taphuan already holds, so the clerk only
// reviews, numbers and signs them. Each document is built once as a Document (this file)
// and rendered two ways: PDF through pdfdoc (pdf.go) and DOCX through godocx (docx.go).
//
// It owns the tables document_settings (an organization's defaults: legal bases, signer
// and recipients per kind, the agency's symbol) and course_documents (what a course
// changed before drafting, and the report's assessment and proposals). Figures from areas
// built elsewhere (the estimate, the evaluation, the settlement, the units directory) come
// through the small interfaces of sources.go.
package documents

// Document is one file: one or more parts, each starting on a new page (a decision and the
// plan or list attached to it).
type Document struct {
	Title string // the file's title (PDF metadata, DOCX core properties)
	Parts []Part
}

// Part is one official text: an optional header block, its type and summary, the body and
// the closing (recipients and signer).
type Part struct {
	// Header is the agencies, number, place and date block; nil for an annex, which has
	// only Note under its title.
	Header *Header
	// Type is the kind of document in bold upper case ("QUYẾT ĐỊNH", "KẾ HOẠCH"); empty for
	// a letter (công văn), whose summary stands under the number instead.
	Type string
	// Summary is the trích yếu, bold, under Type ("Về việc mở lớp …").
	Summary string
	// Note is an italic line under the summary ("(Kèm theo Quyết định số …)").
	Note string
	// Addressees are the "Kính gửi:" lines of a letter.
	Addressees []string
	// Authority is the bold line that states who decides ("GIÁM ĐỐC SỞ …"), decisions only.
	Authority string
	// Bases are the "Căn cứ …" lines, in italics.
	Bases []string
	// Decides prints "QUYẾT ĐỊNH:" after the bases.
	Decides bool
	Body    []Block
	// Recipients are the items of "Nơi nhận:"; none prints no such block.
	Recipients []string
	Signer     *Signer
}

// Header is the header block: governing body and issuing agency left, the national title
// and motto right, then the number (left) and the place and date (right, italics).
type Header struct {
	ParentAgency string // "UBND TỈNH KHÁNH HÒA"
	Agency       string // "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
	Number       string // "Số:       /QĐ-STTTT" — left blank for the clerk
	// LetterSummary is the trích yếu of a letter, under the number ("V/v …").
	LetterSummary string
	Date          string // "Khánh Hòa, ngày      tháng      năm 2026"
}

// Signer is the signature block: the authority ("KT. GIÁM ĐỐC"), the title ("PHÓ GIÁM
// ĐỐC"), room to sign, and the name.
type Signer struct {
	Authority string
	Title     string
	Name      string
}

// BlockKind says how a Block is drawn.
type BlockKind int

const (
	// Para is a justified paragraph with a first-line indent; Lead, if any, is drawn bold
	// at its start ("Điều 1.", "1.").
	Para BlockKind = iota
	// Heading is a bold line at the left margin ("I. MỤC ĐÍCH, YÊU CẦU").
	Heading
	// Centered is a bold centred line ("QUYẾT ĐỊNH:" is Part.Decides; this is for others).
	Centered
	// TableBlock is a bordered table.
	TableBlock
)

// Block is one piece of a part's body.
type Block struct {
	Kind  BlockKind
	Lead  string
	Text  string
	Table *Table
}

// Table is a bordered table; widths are in mm and add up to the width wanted (the content
// width when they add up to it). The header row is bold and centred.
type Table struct {
	Columns []Column
	Rows    [][]string
	// Total is a bold last row; its first cell spans TotalSpan columns (0 means 1).
	Total     []string
	TotalSpan int
}

// Column is one column of a Table.
type Column struct {
	Title  string
	Width  float64 // mm
	Right  bool    // numbers
	Center bool
}

// Page layout, shared by both renderers (mm and pt): A4 portrait inside the ranges of
// Decree 30/2020 (top and bottom 20–25, left 30–35, right 15–20; body 13–14 pt).
const (
	pageW, pageH = 210.0, 297.0
	marginTop    = 21.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	contentW     = pageW - marginLeft - marginRight // 165

	bodySize   = 14.0
	headSize   = 13.0 // header block
	tableSize  = 12.0
	recipSize  = 11.0 // "Nơi nhận" items
	recipTitle = 12.0
	indentMM   = 10.0 // first-line indent of paragraphs
	// headerLeftShare is the share of the content width of the header's left column (as
	// pdfdoc.OfficialHeader lays it out: the right column is 58%).
	headerLeftShare = 0.42
)

// blank is the space left for the clerk in "Số:" and in the date line.
const blank = "         "

// Para, Heading and friends, to build bodies briefly.
func para(text string) Block     { return Block{Kind: Para, Text: text} }
func lead(l, text string) Block  { return Block{Kind: Para, Lead: l, Text: text} }
func heading(text string) Block  { return Block{Kind: Heading, Text: text} }
func centered(text string) Block { return Block{Kind: Centered, Text: text} }
func tableBlock(t *Table) Block  { return Block{Kind: TableBlock, Table: t} }
