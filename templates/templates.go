// Package templates holds what the web pages are made of, embedded in the binary: the
// html/template layout, pages and partials, the static CSS and JS, and the translation
// catalogs (Vietnamese first, English second), one JSON file per area in i18n/<lang>/.
package templates

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

//go:embed layout.html partials pages static i18n
var files embed.FS

// Languages returns the supported languages, the default first (a fresh slice each
// call).
func Languages() []string { return []string{DefaultLanguage, "en"} }

// DefaultLanguage is the language of a visitor who chose none: Vietnamese.
const DefaultLanguage = "vi"

// Static returns the static assets (served under /static/).
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Messages returns the catalog of lang: every i18n/<lang>/*.json merged. A key defined in
// two files is an error, so areas cannot silently override each other.
func Messages(lang string) (map[string]string, error) {
	entries, err := fs.ReadDir(files, "i18n/"+lang)
	if err != nil {
		return nil, fmt.Errorf("templates: no catalog for %q: %w", lang, err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := path.Join("i18n", lang, e.Name())
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", name, err)
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("templates: %s: key %q defined twice", name, k)
			}
			out[k] = v
		}
	}
	return out, nil
}

// Parse returns one template per page (pages/NAME.html → "NAME"), each the layout and the
// partials plus that page, with funcs bound (e.g. to one language).
func Parse(funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	pages, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(files, p)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}
