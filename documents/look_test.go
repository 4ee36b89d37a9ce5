package documents

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSamples writes every document of the scene to $TAPHUAN_DOCUMENTS (when set), to
// look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("TAPHUAN_DOCUMENTS")
	if dir == "" {
		return
	}
	sc := newScene(t, Sources{})
	for _, k := range Kinds {
		for _, f := range []string{FormatPDF, FormatDOCX} {
			file, err := sc.svc.Draft(context.Background(), sc.course.ID, k, f, Unit{Name: unitA})
			if err != nil {
				t.Fatal(k, f, err)
			}
			if err := os.WriteFile(filepath.Join(dir, file.Name), file.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
