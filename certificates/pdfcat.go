package certificates

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
)

// concatPDF joins PDF files into one whose pages are theirs, in order, byte for byte the
// same page content, fonts and images: the combined file prints exactly the certificates
// that were issued, without rendering any again.
//
// It reads files as pdfdoc writes them (one classic cross-reference table, a flat page
// tree, no object streams, no incremental updates) and refuses anything else. Each file's
// objects are renumbered into the new file; its catalog, information dictionary and page
// tree root are replaced by the new file's own.
func concatPDF(files [][]byte) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1–3 are the new page tree, catalog and information dictionary, written last.
	next := 4
	var offsets []int // offsets[n-1] is the offset of object n
	offsets = append(offsets, 0, 0, 0)
	var kids []int
	for i, f := range files {
		p, err := parsePDF(f)
		if err != nil {
			return nil, fmt.Errorf("certificates: combine file %d: %w", i+1, err)
		}
		renum := map[int]int{p.pagesRoot: 1}
		for _, n := range p.order {
			if n == p.root || n == p.info || n == p.pagesRoot {
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
				return nil, fmt.Errorf("certificates: combine file %d, object %d: %w", i+1, n, err)
			}
			offsets = append(offsets, out.Len())
			out.Write(obj)
		}
		for _, k := range p.kids {
			kids = append(kids, renum[k])
		}
	}
	offsets[0] = out.Len()
	fmt.Fprintf(&out, "1 0 obj\n<</Type /Pages\n/Kids [")
	for _, k := range kids {
		fmt.Fprintf(&out, "%d 0 R ", k)
	}
	fmt.Fprintf(&out, "]\n/Count %d\n>>\nendobj\n", len(kids))
	offsets[1] = out.Len()
	out.WriteString("2 0 obj\n<</Type /Catalog\n/Pages 1 0 R\n>>\nendobj\n")
	offsets[2] = out.Len()
	out.WriteString("3 0 obj\n<</Producer (taphuan)\n/Title (Giay chung nhan)\n>>\nendobj\n")
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<<\n/Size %d\n/Root 2 0 R\n/Info 3 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return out.Bytes(), nil
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
	mediaBoxRE  = regexp.MustCompile(`/MediaBox\s*\[[^\]]*\]`)
	refRE       = regexp.MustCompile(`(\d+) 0 R\b`)
	objHeadRE   = regexp.MustCompile(`^(\d+) 0 obj\b`)
	streamRE    = regexp.MustCompile(`>>\s*stream\r?\n`)
	xrefEntryRE = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf])`)
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
	// The table: subsections "first count" followed by count 20-byte entries.
	offsets := map[int]int{}
	lines := bytes.Split(tail[len("xref"):trailerAt], []byte("\n"))
	num := -1
	for _, ln := range lines {
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
		if !ok || !bytes.Contains(dictOf(kid), []byte("/Type /Page\n")) && !bytes.Contains(dictOf(kid), []byte("/Type /Page ")) {
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
