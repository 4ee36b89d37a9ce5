package main

// The architecture test holds the import graph to the one documented in
// docs/ARCHITECTURE.md, as the authorization matrix holds the routes to their rules: the
// layers are read from the document's `layers` block, the imports from `go list`, so the
// document and the code cannot drift apart.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "taphuan"

// listedPackage is what the architecture test needs of `go list -json`.
type listedPackage struct {
	ImportPath string
	Imports    []string // direct imports of the package's non-test files
	Deps       []string // every package it depends on, transitively
}

// layering is the documented order: a package may import ours only from a lower layer,
// and a test-helper package (a child like courses/coursestest) also from its parent.
type layering map[string]int // package path below the module ("courses", "." for main) → layer

// Third-party packages that only some of ours may use.
var restricted = []struct {
	pkg        string
	transitive bool     // judged on every dependency, not only direct imports
	allowed    []string // who may
	why        string
}{
	{"github.com/gin-gonic/gin", true, []string{"server", "tools/load", "."}, "only server speaks HTTP (main gets gin by starting server)"},
	{"net/http", false, []string{"server", "tools/load"}, "only server speaks HTTP"},
	{"github.com/jung-kurt/gofpdf", false, []string{"pdfdoc", "pdfdoc/pdftest"}, "PDFs are built with pdfdoc"},
}

func TestArchitecture(t *testing.T) {
	layers := readLayers(t, "docs/ARCHITECTURE.md")
	cmd := exec.Command("go", "list", "-json", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.String())
	}
	pkgs, err := decodePackages(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: the test would prove nothing", len(pkgs))
	}
	for _, v := range checkArchitecture(layers, pkgs) {
		t.Error(v)
	}
}

// TestArchitectureCatchesBadImports feeds the checker a graph with the mistakes it exists
// for, so that a checker that finds nothing cannot pass for one that holds.
func TestArchitectureCatchesBadImports(t *testing.T) {
	layers := layering{"errs": 0, "database": 1, "courses": 3, "attendance": 4, "pdfdoc": 0, "server": 7}
	pkgs := []listedPackage{
		{ImportPath: "taphuan/courses", Imports: []string{"taphuan/attendance", "net/http", "github.com/jung-kurt/gofpdf"}},
		{ImportPath: "taphuan/attendance", Imports: []string{"taphuan/courses"}, Deps: []string{"github.com/gin-gonic/gin"}},
		{ImportPath: "taphuan/newthing"},
		{ImportPath: "taphuan/server", Imports: []string{"taphuan/courses", "net/http", "github.com/gin-gonic/gin"}},
	}
	got := strings.Join(checkArchitecture(layers, pkgs), "\n")
	for _, want := range []string{
		"courses (layer 3) imports attendance (layer 4)",
		"courses imports net/http",
		"courses imports github.com/jung-kurt/gofpdf",
		"attendance depends on github.com/gin-gonic/gin",
		"newthing is in no layer",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checker did not report %q; it reported:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\nserver ") || strings.HasPrefix(got, "server ") {
		t.Errorf("the checker refused server, which may import all of these:\n%s", got)
	}
}

func checkArchitecture(layers layering, pkgs []listedPackage) []string {
	var bad []string
	for _, p := range pkgs {
		name := rel(p.ImportPath)
		layer, ok := layers[name]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is in no layer of docs/ARCHITECTURE.md: place it there", name))
			continue
		}
		parent, isHelper := helperParent(name, layers)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") && imp != module {
				continue
			}
			dep := rel(imp)
			dl, ok := layers[dep]
			switch {
			case !ok:
				// Reported on its own entry.
			case isHelper && dep == parent:
			case dl >= layer:
				bad = append(bad, fmt.Sprintf("%s (layer %d) imports %s (layer %d): imports point down the layers of docs/ARCHITECTURE.md", name, layer, dep, dl))
			}
		}
		for _, r := range restricted {
			if slices.Contains(r.allowed, name) {
				continue
			}
			if slices.Contains(p.Imports, r.pkg) {
				bad = append(bad, fmt.Sprintf("%s imports %s: %s", name, r.pkg, r.why))
			} else if r.transitive && slices.Contains(p.Deps, r.pkg) {
				bad = append(bad, fmt.Sprintf("%s depends on %s: %s", name, r.pkg, r.why))
			}
		}
	}
	return bad
}

// helperParent tells whether name is a test-helper child of a layered package
// (courses/coursestest → courses).
func helperParent(name string, layers layering) (string, bool) {
	i := strings.LastIndex(name, "/")
	if i < 0 || !strings.HasSuffix(name, "test") {
		return "", false
	}
	parent := name[:i]
	_, ok := layers[parent]
	return parent, ok
}

func rel(importPath string) string {
	if importPath == module {
		return "."
	}
	return strings.TrimPrefix(importPath, module+"/")
}

func decodePackages(r io.Reader) ([]listedPackage, error) {
	dec := json.NewDecoder(r)
	var pkgs []listedPackage
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// readLayers reads the fenced ```layers block of the document: one line per layer, its
// number then its packages.
func readLayers(t *testing.T, path string) layering {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	layers := layering{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```layers":
			in = true
		case in && line == "```":
			in = false
		case in && line != "":
			fields := strings.Fields(line)
			n, err := strconv.Atoi(fields[0])
			if err != nil {
				t.Fatalf("%s: layer line %q does not start with its number", path, line)
			}
			for _, p := range fields[1:] {
				layers[p] = n
			}
		}
	}
	if len(layers) == 0 {
		t.Fatalf("%s has no ```layers block", path)
	}
	return layers
}
