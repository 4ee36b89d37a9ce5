package certificates

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"
	"unicode/utf16"
)

// This file rearranges whole pages of PDF files as pdfdoc writes them (one classic
// cross-reference table, a flat page tree, no object streams, no incremental updates),
// byte for byte, without drawing anything again:
//
//   - concatPDF joins stored certificates into one file for printing;
//   - splitPDF cuts a document of many certificates into one file per page, so that a
//     batch is drawn in one document and the fonts are parsed, subset and compressed once
//     for the batch instead of once per certificate.
//
// Anything else is refused with an error rather than guessed at.

// pdfInfo is the information dictionary written into a file.
type pdfInfo struct {
	Title, Author string
	Created       time.Time
}

// concatPDF joins PDF files into one whose pages are theirs, in order, with their page
// content, fonts and images unchanged: the combined file prints exactly the certificates
// that were issued.
func concatPDF(files [][]byte, info pdfInfo) ([]byte, error) {
	w := newPDFWriter()
	for i, f := range files {
		p, err := parsePDF(f)
		if err != nil {
			return nil, fmt.Errorf("certificates: combine file %d: %w", i+1, err)
		}
		if err := w.addPages(p, func(int) bool { return true }, p.kids); err != nil {
			return nil, fmt.Errorf("certificates: combine file %d: %w", i+1, err)
		}
	}
	return w.finish(info), nil
}

// splitPDF returns one file per page of pdf: each holds its page, that page's content
// and everything the pages share (fonts, images, resources). infos[i] is the
// information dictionary of page i's file.
func splitPDF(pdf []byte, infos []pdfInfo) ([][]byte, error) {
	p, err := parsePDF(pdf)
	if err != nil {
		return nil, fmt.Errorf("certificates: split: %w", err)
	}
	if len(infos) != len(p.kids) {
		return nil, fmt.Errorf("certificates: split: %d pages, %d descriptions", len(p.kids), len(infos))
	}
	owner := map[int]int{} // object → the page it belongs to alone
	for _, k := range p.kids {
		owner[k] = k
		for _, r := range contentsRE.FindAllSubmatch(dictOf(p.objects[k]), -1) {
			for _, ref := range refRE.FindAllSubmatch(r[1], -1) {
				n, _ := strconv.Atoi(string(ref[1]))
				owner[n] = k
			}
		}
	}
	out := make([][]byte, len(p.kids))
	for i, k := range p.kids {
		w := newPDFWriter()
		err := w.addPages(p, func(n int) bool {
			o, ok := owner[n]
			return !ok || o == k
		}, []int{k})
		if err != nil {
			return nil, fmt.Errorf("certificates: split page %d: %w", i+1, err)
		}
		out[i] = w.finish(infos[i])
	}
	return out, nil
}

// pdfWriter writes a new file: objects 1–3 are its page tree, catalog and information
// dictionary, written last; the objects taken from other files are renumbered from 4.
type pdfWriter struct {
	out     bytes.Buffer
	offsets []int // offsets[n-1] is the offset of object n
	kids    []int
}

func newPDFWriter() *pdfWriter {
	w := &pdfWriter{offsets: []int{0, 0, 0}}
	w.out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	return w
}

// addPages copies the objects of p that keep accepts — never its catalog, information
// dictionary or page tree root — renumbered, and appends pages (p's page objects, which
// keep must accept) to the new page tree.
func (w *pdfWriter) addPages(p *parsedPDF, keep func(n int) bool, pages []int) error {
	renum := map[int]int{p.pagesRoot: 1}
	next := len(w.offsets) + 1
	for _, n := range p.order {
		if n == p.root || n == p.info || n == p.pagesRoot || !keep(n) {
			continue
		}
		renum[n] = next
		next++
	}
	isPage := map[int]bool{}
	for _, k := range p.kids {
		isPage[k] = true
	}
	for _, n := range p.order {
		newN, ok := renum[n]
		if !ok || newN == 1 {
			continue
		}
		obj, err := rewriteObject(p.objects[n], newN, renum, isPage[n], p.mediaBox)
		if err != nil {
			return fmt.Errorf("object %d: %w", n, err)
		}
		w.offsets = append(w.offsets, w.out.Len())
		w.out.Write(obj)
	}
	for _, k := range pages {
		nk, ok := renum[k]
		if !ok {
			return fmt.Errorf("page %d was not copied", k)
		}
		w.kids = append(w.kids, nk)
	}
	return nil
}

// finish writes the page tree, catalog, information dictionary, cross-reference table and
// trailer, and returns the file.
func (w *pdfWriter) finish(info pdfInfo) []byte {
	out := &w.out
	w.offsets[0] = out.Len()
	out.WriteString("1 0 obj\n<</Type /Pages\n/Kids [")
	for _, k := range w.kids {
		fmt.Fprintf(out, "%d 0 R ", k)
	}
	fmt.Fprintf(out, "]\n/Count %d\n>>\nendobj\n", len(w.kids))
	w.offsets[1] = out.Len()
	out.WriteString("2 0 obj\n<</Type /Catalog\n/Pages 1 0 R\n>>\nendobj\n")
	w.offsets[2] = out.Len()
	out.WriteString("3 0 obj\n<</Producer (taphuan)\n/Creator (taphuan)\n")
	if info.Title != "" {
		fmt.Fprintf(out, "/Title %s\n", pdfTextString(info.Title))
	}
	if info.Author != "" {
		fmt.Fprintf(out, "/Author %s\n", pdfTextString(info.Author))
	}
	if !info.Created.IsZero() {
		d := info.Created.UTC().Format("20060102150405")
		fmt.Fprintf(out, "/CreationDate (D:%sZ)\n/ModDate (D:%sZ)\n", d, d)
	}
	out.WriteString(">>\nendobj\n")
	xref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, off := range w.offsets {
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(out, "trailer\n<<\n/Size %d\n/Root 2 0 R\n/Info 3 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets)+1, xref)
	return out.Bytes()
}

// pdfTextString encodes s as a PDF text string: UTF-16BE with a byte order mark, in hex.
func pdfTextString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// parsedPDF is the object table of one file.
type parsedPDF struct {
	objects   map[int][]byte // object number → "n 0 obj … endobj"
	order     []int          // object numbers by offset
	root      int            // catalog
	info      int            // information dictionary, 0 if none
	pagesRoot int
	kids      []int
	mediaBox  []byte // the page tree root's, inherited by pages that have none
}

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	rootRE      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	infoRE      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
	pagesRE     = regexp.MustCompile(`/Pages\s+(\d+)\s+0\s+R`)
	kidsRE      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	contentsRE  = regexp.MustCompile(`/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)`)
	mediaBoxRE  = regexp.MustCompile(`/MediaBox\s*\[[^\]]*\]`)
	refRE       = regexp.MustCompile(`(\d+) 0 R\b`)
	objHeadRE   = regexp.MustCompile(`^(\d+) 0 obj\b`)
	streamRE    = regexp.MustCompile(`>>\s*stream\r?\n`)
	xrefEntryRE = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf])`)
	pageTypeRE  = regexp.MustCompile(`/Type\s*/Page\b`)
)

func parsePDF(f []byte) (*parsedPDF, error) {
	m := startxrefRE.FindSubmatch(f)
	if m == nil {
		return nil, fmt.Errorf("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref <= 0 || xref >= len(f) || !bytes.HasPrefix(f[xref:], []byte("xref")) {
		return nil, fmt.Errorf("no classic cross-reference table at %d", xref)
	}
	tail := f[xref:]
	trailerAt := bytes.Index(tail, []byte("trailer"))
	if trailerAt < 0 {
		return nil, fmt.Errorf("no trailer")
	}
	trailer := tail[trailerAt:]
	if bytes.Contains(trailer, []byte("/Prev")) {
		return nil, fmt.Errorf("incremental updates are not supported")
	}
	p := &parsedPDF{objects: map[int][]byte{}}
	if m := rootRE.FindSubmatch(trailer); m != nil {
		p.root, _ = strconv.Atoi(string(m[1]))
	} else {
		return nil, fmt.Errorf("no /Root")
	}
	if m := infoRE.FindSubmatch(trailer); m != nil {
		p.info, _ = strconv.Atoi(string(m[1]))
	}
	// The table: subsections "first count", each followed by count 20-byte entries.
	offsets := map[int]int{}
	num := -1
	for _, ln := range bytes.Split(tail[len("xref"):trailerAt], []byte("\n")) {
		ln = bytes.TrimRight(ln, "\r ")
		if len(ln) == 0 {
			continue
		}
		if e := xrefEntryRE.FindSubmatch(ln); e != nil {
			if num < 0 {
				return nil, fmt.Errorf("cross-reference entry before a subsection")
			}
			if string(e[3]) == "n" {
				off, _ := strconv.Atoi(string(e[1]))
				offsets[num] = off
			}
			num++
			continue
		}
		var first, count int
		if _, err := fmt.Sscanf(string(ln), "%d %d", &first, &count); err != nil {
			return nil, fmt.Errorf("bad cross-reference line %q", ln)
		}
		num = first
	}
	type at struct{ num, off int }
	var objs []at
	for n, off := range offsets {
		if off <= 0 || off >= xref {
			return nil, fmt.Errorf("object %d at %d is outside the body", n, off)
		}
		objs = append(objs, at{n, off})
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].off < objs[j].off })
	for i, o := range objs {
		end := xref
		if i+1 < len(objs) {
			end = objs[i+1].off
		}
		body := f[o.off:end]
		h := objHeadRE.FindSubmatch(body)
		if h == nil || string(h[1]) != strconv.Itoa(o.num) {
			return nil, fmt.Errorf("object %d does not start where the table says", o.num)
		}
		e := bytes.LastIndex(body, []byte("endobj"))
		if e < 0 {
			return nil, fmt.Errorf("object %d has no endobj", o.num)
		}
		p.objects[o.num] = body[:e+len("endobj")]
		p.order = append(p.order, o.num)
	}
	cat, ok := p.objects[p.root]
	if !ok {
		return nil, fmt.Errorf("no catalog object %d", p.root)
	}
	pm := pagesRE.FindSubmatch(dictOf(cat))
	if pm == nil {
		return nil, fmt.Errorf("catalog has no /Pages")
	}
	p.pagesRoot, _ = strconv.Atoi(string(pm[1]))
	pages, ok := p.objects[p.pagesRoot]
	if !ok {
		return nil, fmt.Errorf("no page tree object %d", p.pagesRoot)
	}
	km := kidsRE.FindSubmatch(dictOf(pages))
	if km == nil {
		return nil, fmt.Errorf("page tree has no /Kids")
	}
	for _, r := range refRE.FindAllSubmatch(km[1], -1) {
		k, _ := strconv.Atoi(string(r[1]))
		kid, ok := p.objects[k]
		if !ok || !pageTypeRE.Match(dictOf(kid)) || bytes.Contains(dictOf(kid), []byte("/Kids")) {
			return nil, fmt.Errorf("page tree kid %d is not a page (nested page trees are not supported)", k)
		}
		p.kids = append(p.kids, k)
	}
	p.mediaBox = mediaBoxRE.Find(dictOf(pages))
	return p, nil
}

// dictOf returns the part of an object before its stream, where references live.
func dictOf(obj []byte) []byte {
	if loc := streamRE.FindIndex(obj); loc != nil {
		return obj[:loc[0]+2]
	}
	return obj
}

// rewriteObject renumbers an object and the references in its dictionary; a page gets the
// media box it inherited from its old page tree.
func rewriteObject(obj []byte, newNum int, renum map[int]int, isPage bool, mediaBox []byte) ([]byte, error) {
	dict := dictOf(obj)
	rest := obj[len(dict):]
	h := objHeadRE.FindIndex(dict)
	body := dict[h[1]:]
	var bad error
	body = refRE.ReplaceAllFunc(body, func(ref []byte) []byte {
		n, _ := strconv.Atoi(string(ref[:bytes.IndexByte(ref, ' ')]))
		nn, ok := renum[n]
		if !ok {
			bad = fmt.Errorf("reference to object %d, which is not carried over", n)
			return ref
		}
		return []byte(strconv.Itoa(nn) + " 0 R")
	})
	if bad != nil {
		return nil, bad
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d 0 obj", newNum)
	if isPage && mediaBox != nil && !mediaBoxRE.Match(body) {
		i := bytes.Index(body, []byte("<<"))
		if i < 0 {
			return nil, fmt.Errorf("page is not a dictionary")
		}
		b.Write(body[:i+2])
		b.Write(mediaBox)
		b.WriteByte('\n')
		b.Write(body[i+2:])
	} else {
		b.Write(body)
	}
	b.Write(rest)
	b.WriteByte('\n')
	return b.Bytes(), nil
}
