package server

import (
	"html"
	"regexp"
	"sort"
	"strings"
)

// errorItem is one entry of the error summary at the top of a page that was refused: the
// message and, for a bad field, the id of its input (a link target) and its label.
type errorItem struct {
	Target, Label, Message string
	pos                    int
}

// formLevel reports whether an Errors key is a message about the whole form ("_", "form",
// "copy_form", "session_form"…) rather than about one field.
func formLevel(key string) bool {
	return key == "_" || key == "form" || strings.HasSuffix(key, "_form")
}

var labelText = regexp.MustCompile(`^[^>]*>([^<]*)`)

// errorSummary builds the summary of errs from the rendered page: each field's input is
// the element with id "f-NAME" (or, for a group of radio buttons, the first "f-NAME-…"),
// its label the text of <label for=…>. Form messages come first, then the fields in the
// order they appear; a field with no input on the page is listed without a link.
func errorSummary(page string, errs map[string]string) []errorItem {
	items := make([]errorItem, 0, len(errs))
	for key, msg := range errs {
		it := errorItem{Message: msg, pos: -1}
		if !formLevel(key) {
			it.pos = len(page) // after every field that was found
			id := "f-" + key
			if i := strings.Index(page, ` id="`+id+`"`); i >= 0 {
				it.Target, it.pos = id, i
			} else if i := strings.Index(page, ` id="`+id+`-`); i >= 0 {
				rest := page[i+len(` id="`):]
				it.Target, it.pos = rest[:strings.IndexByte(rest, '"')], i
			}
			if it.Target != "" {
				if i := strings.Index(page, `<label for="`+it.Target+`"`); i >= 0 {
					if m := labelText.FindStringSubmatch(page[i:]); m != nil {
						it.Label = strings.TrimSpace(html.UnescapeString(m[1]))
					}
				} else if i := strings.LastIndex(page[:it.pos], "<legend"); i >= 0 && !strings.Contains(page[i:it.pos], "</fieldset>") {
					if m := labelText.FindStringSubmatch(page[i:]); m != nil { // a group: its legend
						it.Label = strings.TrimSpace(html.UnescapeString(m[1]))
					}
				}
			}
		}
		if it.Label != "" && strings.HasPrefix(strings.ToLower(it.Message), strings.ToLower(it.Label)) {
			it.Label = "" // the message names its field already
		}
		items = append(items, it)
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].pos != items[j].pos {
			return items[i].pos < items[j].pos
		}
		return items[i].Message < items[j].Message
	})
	return items
}
