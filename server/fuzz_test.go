package server

import (
	"context"
	"html"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
)

// FuzzRegistrationForm posts arbitrary forms — any bytes in any field (invalid UTF-8,
// markup, huge values), repeated keys, malformed encodings — to the public registration
// form through the real engine, and checks what a trainee and an organizer rely on:
//
//   - the answer is never a 500: 303 for an accepted registration, 409 for a phone number
//     already registered, 422 for anything else;
//   - a registration is written only for a form with consent whose first values (the ones
//     the form binding takes) are valid once normalized, and it holds them as normalized;
//   - a refused form shown again does not echo markup unescaped;
//   - an accepted one redirects to its ticket, whose page shows the name escaped and not
//     the phone number.
func FuzzRegistrationForm(f *testing.F) {
	type seed struct {
		phone, fullName, gender, birthDate, ethnicity, position string
		organization, locality, email, consent, extra           string
		extraFirst                                              bool // extra's values come first
		huge                                                    uint16
	}
	good := seed{"0912 345 678", "H'Hen Niê", "Nữ", "15/03/1985", "Ê Đê", "Phát thanh viên",
		"Đài truyền thanh xã Ea Kly", "xã Ea Kly", "", "true", "", false, 0}
	seeds := []seed{good, {}}
	for _, change := range []func(*seed){
		func(s *seed) {
			s.phone, s.fullName = "+84 987 654 321", "Nguye\u0302\u0303n  Thi\u0323 Ha\u0309i Ye\u0302\u0301n"
		},
		func(s *seed) { s.fullName = "<script>alert(1)</script>" },
		func(s *seed) { s.organization = "<img src=x onerror=alert(1)>\"'&" },
		func(s *seed) { s.fullName = "Hà\xffNội"; s.organization = "\xc3\x28\xa0\xa1" },
		func(s *seed) { s.consent = "" },
		func(s *seed) { s.consent = "on" }, // what a checkbox without a value sends
		func(s *seed) { s.consent = "1" },
		func(s *seed) { s.birthDate = "1985-03-15"; s.gender = "nu" },
		func(s *seed) { s.birthDate = "30/02/1990" },
		func(s *seed) { s.email = "A@B.VN" },
		func(s *seed) {
			s.phone = "0987654322"
			s.extra = "full_name=%3Cb%3EX%3C%2Fb%3E&phone=0123&consent=false"
		},
		func(s *seed) {
			s.phone = "0987654323"
			s.extra = "full_name=L%C3%AA+V%C4%83n+An&consent=true"
			s.extraFirst = true
		},
		func(s *seed) { s.extra = "%zz=1&a=%" },
		func(s *seed) { s.extra = "phone;0912=1" },
		func(s *seed) { s.phone = "0987654324"; s.huge = 300 },            // a long unit name: 422
		func(s *seed) { s.phone = "0987654325"; s.huge = math.MaxUint16 }, // a body over the form limit
	} {
		s := good
		change(&s)
		seeds = append(seeds, s)
	}
	for _, s := range seeds {
		f.Add(s.phone, s.fullName, s.gender, s.birthDate, s.ethnicity, s.position, s.organization, s.locality,
			s.email, s.consent, s.extra, s.extraFirst, s.huge)
	}

	a := newTestApp(f)
	org := coursestest.Org(f, a.db, "Sở Thông tin và Truyền thông tỉnh Đắk Lắk")
	course := coursestest.Course(f, a.db, org.ID, func(c *courses.Course) { c.Capacity = 2 }, coursestest.Upcoming)
	page := "/courses/" + strconv.FormatInt(course.ID, 10)
	client := a.browserClient()
	_, blank := a.get(client, page)
	ticketPath := regexp.MustCompile(`^/tickets/([0-9A-Z]{12})$`)
	ticketName := regexp.MustCompile(`<p class="ticket-name" id="ticket-name">([^<]*)</p>`)

	f.Fuzz(func(t *testing.T, phone, fullName, gender, birthDate, ethnicity, position, organization, locality,
		email, consent, extra string, extraFirst bool, huge uint16) {
		switch {
		case huge == math.MaxUint16:
			organization = strings.Repeat("Đài truyền thanh ", 11<<20/len("Đài truyền thanh ")+1)
		case huge > 0:
			organization = strings.Repeat(organization+"x", min(int(huge), 4096))
		}
		form := url.Values{"phone": {phone}, "full_name": {fullName}, "gender": {gender}, "birth_date": {birthDate},
			"ethnicity": {ethnicity}, "position": {position}, "organization": {organization}, "locality": {locality},
			"email": {email}, "consent": {consent}}
		body := form.Encode()
		if extra != "" {
			if extraFirst {
				body = extra + "&" + body
			} else {
				body = body + "&" + extra
			}
		}

		// What the form binding will see: the first value of each key.
		values, parseErr := url.ParseQuery(body)
		malformed := parseErr != nil || len(body) > 10<<20 // net/http's limit on a form body
		consented, consentErr := strconv.ParseBool(values.Get("consent"))
		if values.Get("consent") == "" {
			consented, consentErr = false, nil
		}
		in := courses.RegisterInput{CourseID: course.ID, FullName: values.Get("full_name"), Gender: values.Get("gender"),
			BirthDate: values.Get("birth_date"), Ethnicity: values.Get("ethnicity"), Position: values.Get("position"),
			Organization: values.Get("organization"), Locality: values.Get("locality"), Phone: values.Get("phone"),
			Email: values.Get("email"), Source: courses.SourceWeb}
		in.Normalize()
		valid := in.Validate() == nil
		taken := valid && activeWithPhone(t, a, course.ID, in.Phone)
		before := count(t, a, "registrations")

		req, _ := http.NewRequest(http.MethodPost, a.ts.URL+page+"/register", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", a.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer := readAll(t, resp)
		written := count(t, a, "registrations") - before

		want := http.StatusUnprocessableEntity
		switch {
		case malformed || consentErr != nil || !consented || !valid:
		case taken:
			want = http.StatusConflict
		default:
			want = http.StatusSeeOther
		}
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d (malformed %v, consent %q, valid %v, phone taken %v) for %.300q",
				resp.StatusCode, want, malformed, values.Get("consent"), valid, taken, body)
		}
		if want != http.StatusSeeOther {
			if written != 0 {
				t.Fatalf("a refused form (%d) wrote %d registrations: %.300q", resp.StatusCode, written, body)
			}
			// Values are shown again in the form: markup in them must come back escaped.
			for _, v := range values {
				if len(v) > 0 && strings.Contains(v[0], "<") && !strings.Contains(blank, v[0]) && strings.Contains(answer, v[0]) {
					t.Fatalf("the refusal page shows %q unescaped", v[0])
				}
			}
			return
		}
		if written != 1 {
			t.Fatalf("an accepted form wrote %d registrations", written)
		}
		m := ticketPath.FindStringSubmatch(resp.Header.Get("Location"))
		if m == nil {
			t.Fatalf("accepted, but redirected to %q", resp.Header.Get("Location"))
		}
		reg, err := a.srv.courses.FindRegistrationByCode(context.Background(), m[1])
		if err != nil {
			t.Fatal(err)
		}
		stored := courses.RegisterInput{CourseID: reg.CourseID, FullName: reg.FullName, Gender: reg.Gender,
			BirthDate: reg.BirthDate, Ethnicity: reg.Ethnicity, Position: reg.Position, Organization: reg.Organization,
			Locality: reg.Locality, Phone: reg.Phone, Email: reg.Email, IDNumber: reg.IDNumber, Source: reg.Source}
		if stored != in {
			t.Fatalf("stored\n%+v\nfor the form\n%+v", stored, in)
		}
		tr, err := client.Get(a.ts.URL + m[0])
		if err != nil {
			t.Fatal(err)
		}
		ticket := readAll(t, tr)
		shown := ticketName.FindStringSubmatch(ticket)
		if tr.StatusCode != http.StatusOK || shown == nil {
			t.Fatalf("ticket %s: status %d, no name", m[0], tr.StatusCode)
		}
		if html.UnescapeString(shown[1]) != reg.FullName || strings.ContainsAny(shown[1], `'"<>`) {
			t.Fatalf("the ticket shows the name %q as %q", reg.FullName, shown[1])
		}
		if strings.Contains(ticket, reg.Phone) {
			t.Fatalf("the public ticket shows the phone number %s", reg.Phone)
		}
	})
}

func count(t *testing.T, a *testApp, table string) int {
	t.Helper()
	var n int
	if err := a.db.R.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func activeWithPhone(t *testing.T, a *testApp, courseID int64, phone string) bool {
	t.Helper()
	var n int
	if err := a.db.R.Get(&n, `SELECT COUNT(*) FROM registrations WHERE course_id = ? AND phone = ?
		AND status NOT IN ('cancelled', 'rejected')`, courseID, phone); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
