package server

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// docs/API.md is the reference outside tools read: every path it names must be a route of
// the engine, and every route of the JSON API must be in it, so the page cannot fall behind
// the code (the way the authorization matrix keeps every route decided).
func TestAPIDocumentMatchesRoutes(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	doc, err := os.ReadFile("../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	routes := a.srv.engine.Routes()
	documented := map[string]bool{}
	n := 0
	for _, m := range apiDocPath.FindAllStringSubmatch(string(doc), -1) {
		for _, method := range strings.Split(m[1], "/") {
			for _, path := range expandAlternatives(m[2]) {
				n++
				concrete := docPlaceholder.ReplaceAllString(path, "1")
				route, err := routeOf(routes, method, concrete)
				if err != nil {
					t.Errorf("docs/API.md names %s %s: %v", method, path, err)
					continue
				}
				documented[route] = true
			}
		}
	}
	if n < 50 {
		t.Fatalf("found %d paths in docs/API.md: the test would prove nothing", n)
	}
	var missing []string
	for _, r := range routes {
		if strings.HasPrefix(r.Path, "/api/v1/") && !documented[r.Method+" "+r.Path] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s is not in docs/API.md", m)
	}
}

// `GET /api/v1/courses/{id}` and `GET/POST /api/v1/lecturers`, inside backquotes.
var apiDocPath = regexp.MustCompile("`((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (/[^`\\s]*)")

var docPlaceholder = regexp.MustCompile(`\{[a-z_]+\}`)

// expandAlternatives turns /reports/{estimate|honoraria}.{pdf|xlsx} into its four paths.
func expandAlternatives(path string) []string {
	i := strings.Index(path, "{")
	for i >= 0 {
		j := strings.Index(path[i:], "}")
		if j < 0 {
			return []string{path}
		}
		inner := path[i+1 : i+j]
		if strings.Contains(inner, "|") {
			var out []string
			for _, alt := range strings.Split(inner, "|") {
				out = append(out, expandAlternatives(path[:i]+alt+path[i+j+1:])...)
			}
			return out
		}
		next := strings.Index(path[i+j:], "{")
		if next < 0 {
			break
		}
		i = i + j + next
	}
	return []string{strings.SplitN(path, "?", 2)[0]}
}
