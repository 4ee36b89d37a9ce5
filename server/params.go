package server

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/gin-gonic/gin"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/errs"
)

// The reading of a request's parameters shared by the handlers: path and query ids, the
// objects a path names (loaded under the rules of access.go), list and page parameters,
// JSON bodies.

// paramID reads a positive integer path parameter; anything else is not found.
func paramID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func parsePositive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errs.New(errs.Invalid, "err.bad_id")
	}
	return n, nil
}

// orgParam reads the organization of the path (":id") for the current user to read, or to
// change with manage, and makes sure it exists.
func (s *Server) orgParam(c *gin.Context, manage bool) (int64, error) {
	org, err := s.orgNamed(c, c.Param("id"), manage)
	if err != nil {
		return 0, err
	}
	return org.ID, nil
}

// orgNamed loads the organization whose id is raw (a path or query value) for the current
// user to read, or to change with manage; anything but a positive id is not found.
func (s *Server) orgNamed(c *gin.Context, raw string, manage bool) (*accounts.Organization, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	if err := orgAccess(currentUser(c), id, manage); err != nil {
		return nil, err
	}
	return s.accounts.FindOrganizationByID(c.Request.Context(), id)
}

// courseParam reads the course id of the path (":id") and loads it to read or to change.
func (s *Server) courseParam(c *gin.Context, manage bool) (*courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.loadCourse(c, id, manage)
}

// publicCourseParam reads the course id of the path (":id") and loads it for a public page.
func (s *Server) publicCourseParam(c *gin.Context) (*courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.publicCourse(c, id)
}

// sessionParam loads the session of the path (":id") and its course, to read or to change.
func (s *Server) sessionParam(c *gin.Context, manage bool) (*courses.Session, *courses.Course, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	return s.loadSession(c, id, manage)
}

// listParams reads limit (default 50, at most 1000) and offset, as in API.md.
func listParams(c *gin.Context) (limit, offset int) {
	limit = 50
	if n, err := strconv.Atoi(c.Query("limit")); err == nil && n > 0 {
		limit = min(n, 1000)
	}
	if n, err := strconv.Atoi(c.Query("offset")); err == nil && n > 0 {
		offset = n
	}
	return limit, offset
}

// bindJSON decodes the request body into v; a malformed body is invalid input.
func bindJSON(c *gin.Context, v any) error {
	if err := c.ShouldBindJSON(v); err != nil {
		return errBadJSON.Wrap(err)
	}
	return nil
}

// bindOptionalJSON decodes a JSON body into v when there is one: some actions (cancel,
// issue, reissue…) may be posted with no body at all.
func bindOptionalJSON(c *gin.Context, v any) error {
	b, err := io.ReadAll(io.LimitReader(c.Request.Body, 1<<16))
	if err != nil {
		return errBadJSON.Wrap(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errBadJSON.Wrap(err)
	}
	return nil
}

// Pager splits a long list into pages; the page number is a query parameter ("page").
type Pager struct {
	Page, Pages, PerPage, Total int
	HasPrev, HasNext            bool
	PrevURL, NextURL            string
}

// Offset is the index of the first item of the page.
func (p Pager) Offset() int { return (p.Page - 1) * p.PerPage }

// newPager is the pager of the page the query parameter "page" names.
func newPager(c *gin.Context, total, perPage int) Pager {
	return pagerOn(c, "page", total, perPage)
}

// pagerOn is newPager with its own query parameter, for a page with two paged lists.
func pagerOn(c *gin.Context, param string, total, perPage int) Pager {
	n, _ := parsePositive(c.Query(param))
	return pagerAt(c, param, total, perPage, n)
}

// pagerAt is the pager showing page n (within the pages there are) whatever the query says;
// its links set the query parameter param.
func pagerAt(c *gin.Context, param string, total, perPage, n int) Pager {
	p := Pager{PerPage: perPage, Total: total}
	p.Pages = max(1, (total+perPage-1)/perPage)
	p.Page = min(max(n, 1), p.Pages)
	link := func(page int) string {
		q := c.Request.URL.Query()
		q.Set(param, strconv.Itoa(page))
		return c.Request.URL.Path + "?" + q.Encode()
	}
	p.HasPrev, p.HasNext = p.Page > 1, p.Page < p.Pages
	p.PrevURL, p.NextURL = link(p.Page-1), link(p.Page+1)
	return p
}

// pageOf fetches the page of a list that the query parameter "page" names (the first page
// when it names none): fetch(limit, offset) returns one page's items and the total. A page
// past the end shows the last one.
func pageOf[T any](c *gin.Context, perPage int, fetch func(limit, offset int) ([]T, int, error)) ([]T, Pager, error) {
	offset := 0
	if n, err := parsePositive(c.Query("page")); err == nil {
		offset = (n - 1) * perPage
	}
	items, total, err := fetch(perPage, offset)
	if err != nil {
		return nil, Pager{}, err
	}
	p := newPager(c, total, perPage)
	if p.Offset() != offset {
		if items, _, err = fetch(perPage, p.Offset()); err != nil {
			return nil, Pager{}, err
		}
	}
	return items, p, nil
}
