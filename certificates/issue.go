package certificates

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"taphuan/accounts"
	"taphuan/courses"
	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// IssueInput asks for the certificates of a course.
type IssueInput struct {
	CourseID int64
	UserID   int64 // who issues; 0 for none (the demo loader)
	// IssuedOn is the date printed (YYYY-MM-DD); empty means the course's last day. Its year
	// chooses the register's yearly sequence.
	IssuedOn string
	// VerifyBase is the public address the code is appended to for the QR code, e.g.
	// "https://taphuan.khanhhoa.gov.vn/verify/".
	VerifyBase string
}

// Issued is one certificate given by Issue.
type Issued struct {
	RegistrationID int64  `json:"registration_id"`
	CertificateID  int64  `json:"certificate_id"`
	Number         string `json:"number"`
}

// IssueResult lists what Issue did: the certificates it issued, in register order, and the
// confirmed trainees it left out because they are not eligible. Trainees who already hold
// a valid certificate are in neither list.
type IssueResult struct {
	Issued     []Issued
	Ineligible []Eligibility
}

// batchSize bounds how many certificates one write transaction registers, so the single
// writer is never held for long while others (check-in at the door) wait.
const batchSize = 50

var errBadDate = errs.New(errs.Invalid, "cert.err.issued_on")

// Issue gives a certificate to every eligible confirmed trainee of the course who has no
// valid one. Numbers come from the organization's yearly counter inside the transaction
// that registers the certificates, so they are sequential, never repeat and never skip,
// even while other courses of the organization issue at the same time.
//
// The PDFs, which print the number, are rendered before the transaction with the numbers
// the counter predicts; if another issue took those numbers meanwhile, the transaction
// renders the affected certificates again with the numbers it really assigns.
func (s *Service) Issue(ctx context.Context, in IssueInput) (*IssueResult, error) {
	preview, err := s.Eligibility(ctx, in.CourseID)
	if err != nil {
		return nil, err
	}
	course := preview.Course
	issuedOn := in.IssuedOn
	if issuedOn == "" {
		issuedOn = course.EndsOn
	}
	date, err := vn.ParseDate(issuedOn)
	if err != nil {
		f := errs.Fields{}
		f.Add("issued_on", "cert.err.issued_on")
		return nil, f.Err()
	}
	issuedOn = date.Format("2006-01-02")
	res := &IssueResult{Issued: []Issued{}, Ineligible: []Eligibility{}}
	var due []courses.Registration
	for _, e := range preview.Rows {
		switch {
		case !e.Eligible:
			res.Ineligible = append(res.Ineligible, e)
		case e.Certificate == nil:
			due = append(due, e.Registration)
		}
	}
	if len(due) == 0 {
		return res, nil
	}
	iss, err := s.newIssuer(ctx, course, in.VerifyBase, in.UserID, issuedOn)
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(due); start += batchSize {
		batch := due[start:min(start+batchSize, len(due))]
		drafts := make([]*draft, len(batch))
		for i := range batch {
			drafts[i] = &draft{reg: batch[i]}
		}
		done, err := iss.register(ctx, drafts, stillDueForIssue, nil)
		if err != nil {
			return nil, err
		}
		for _, d := range done {
			res.Issued = append(res.Issued, Issued{RegistrationID: d.reg.ID, CertificateID: d.id, Number: d.number})
		}
	}
	return res, nil
}

// stillDueForIssue keeps the drafts whose registration is still confirmed and still
// without a valid certificate, looked at inside the registering transaction: a second
// issue of the same course may have been quicker.
func stillDueForIssue(ctx context.Context, tx *sqlx.Tx, drafts []*draft) ([]*draft, error) {
	ids := make([]int64, len(drafts))
	for i, d := range drafts {
		ids[i] = d.reg.ID
	}
	q, args, err := sqlx.In(`SELECT r.id FROM registrations r WHERE r.id IN (?) AND r.status = 'confirmed'
		AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.registration_id = r.id AND c.status = 'valid')`, ids)
	if err != nil {
		return nil, err
	}
	var ok []int64
	if err := tx.SelectContext(ctx, &ok, q, args...); err != nil {
		return nil, fmt.Errorf("certificates: still due: %w", err)
	}
	keep := make(map[int64]bool, len(ok))
	for _, id := range ok {
		keep[id] = true
	}
	out := drafts[:0:0]
	for _, d := range drafts {
		if keep[d.reg.ID] {
			out = append(out, d)
		}
	}
	return out, nil
}

// draft is a certificate on its way into the register.
type draft struct {
	reg      courses.Registration
	replaces *Certificate // reissue: the certificate this one supersedes
	code     string
	seq      int
	number   string
	pdf      []byte
	sum      string
	id       int64
}

// issuer holds what every certificate of one course issued at one time shares.
type issuer struct {
	s          *Service
	course     *courses.Course
	org        *accounts.Organization
	settings   *Settings
	signers    *CourseSigners // the course's own signers, over the organization's
	verifyBase string
	userID     int64
	issuedOn   string
	year       int
}

func (s *Service) newIssuer(ctx context.Context, course *courses.Course, verifyBase string, userID int64, issuedOn string) (*issuer, error) {
	if !strings.HasPrefix(verifyBase, "http://") && !strings.HasPrefix(verifyBase, "https://") {
		return nil, fmt.Errorf("certificates: verification address %q is not absolute", verifyBase)
	}
	org, err := s.accounts.FindOrganizationByID(ctx, course.OrganizationID)
	if err != nil {
		return nil, err
	}
	st, err := s.Settings(ctx, course.OrganizationID)
	if err != nil {
		return nil, err
	}
	if !ValidNumberFormat(st.NumberFormat) {
		return nil, fmt.Errorf("certificates: organization %d: number format %q: %w", org.ID, st.NumberFormat,
			errs.New(errs.Invalid, "cert.err.number_format"))
	}
	signers, err := s.CourseSigners(ctx, course.ID)
	if err != nil {
		return nil, err
	}
	date, _ := vn.ParseDate(issuedOn)
	return &issuer{s: s, course: course, org: org, settings: st, signers: signers, verifyBase: verifyBase, userID: userID,
		issuedOn: issuedOn, year: date.Year()}, nil
}

// content is what the draft's certificate prints.
func (is *issuer) content(d *draft) Content {
	place := is.settings.PlaceName
	if place == "" {
		place = is.course.PlaceName
	}
	c := Content{
		ParentAgency: is.org.ParentName, Agency: is.org.Name, Number: d.number,
		Gender: d.reg.Gender, FullName: d.reg.FullName, BirthDate: d.reg.BirthDate, Unit: d.reg.Organization,
		Wording: is.settings.Wording, CourseTitle: is.course.Title, StartsOn: is.course.StartsOn, EndsOn: is.course.EndsOn,
		Place: place, IssuedOn: is.issuedOn, SignerTitle: is.settings.SignerTitle, SignerSub: is.settings.SignerSubtitle,
		SignerName: is.settings.SignerName, Logo: is.settings.LogoPNG, VerifyURL: is.verifyBase + d.code,
	}
	is.signers.apply(&c)
	return c
}

// number gives d the sequence number seq and renders its PDF, unless it is already
// rendered with that number.
func (is *issuer) number(d *draft, seq int) (bool, error) {
	if d.pdf != nil && d.seq == seq {
		return false, nil
	}
	n, err := FormatNumber(is.settings.NumberFormat, seq)
	if err != nil {
		return false, err
	}
	d.seq, d.number = seq, n
	d.pdf, d.sum = nil, ""
	return true, nil
}

// renderAll renders the drafts that need it: in one batch document per core (rendering is
// CPU-bound, and a batch shares the fonts' work), cut into one file per draft.
func (is *issuer) renderAll(ctx context.Context, drafts []*draft) error {
	var todo []*draft
	for _, d := range drafts {
		if d.pdf == nil {
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	workers := min(runtime.GOMAXPROCS(0), (len(todo)+minPerBatch-1)/minPerBatch)
	per := (len(todo) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		part := todo[min(w*per, len(todo)):min((w+1)*per, len(todo))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			cs := make([]Content, len(part))
			for i, d := range part {
				cs[i] = is.content(d)
			}
			files, err := RenderAll(cs)
			if err != nil {
				errs[w] = err
				return
			}
			for i, d := range part {
				sum := sha256.Sum256(files[i])
				d.pdf, d.sum = files[i], hex.EncodeToString(sum[:])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// minPerBatch is the fewest certificates worth a batch document of their own: below it,
// the fonts' fixed cost outweighs another core.
const minPerBatch = 8

// A hook runs inside the registering transaction: check filters the drafts still to be
// registered; before runs for each draft before its insert, after with its new id.
type (
	checkFunc func(ctx context.Context, tx *sqlx.Tx, drafts []*draft) ([]*draft, error)
	hookFunc  func(ctx context.Context, tx *sqlx.Tx, d *draft) error
)

type hooks struct{ before, after hookFunc }

// register numbers, renders and inserts drafts in one write transaction and returns those
// registered. The counter is read, the certificates inserted and the counter moved on in
// that transaction, so a failure leaves no trace and skips no number.
func (is *issuer) register(ctx context.Context, drafts []*draft, check checkFunc, h *hooks) ([]*draft, error) {
	for _, d := range drafts {
		if d.code == "" {
			code, err := newCode()
			if err != nil {
				return nil, err
			}
			d.code = code
		}
	}
	// Render outside the transaction with the numbers the counter predicts.
	var last int
	if err := is.s.db.R.GetContext(ctx, &last, `SELECT COALESCE(MAX(last_number), 0) FROM certificate_counters
		WHERE organization_id = ? AND year = ?`, is.org.ID, is.year); err != nil {
		return nil, fmt.Errorf("certificates: counter: %w", err)
	}
	for i, d := range drafts {
		if _, err := is.number(d, last+1+i); err != nil {
			return nil, err
		}
	}
	if err := is.renderAll(ctx, drafts); err != nil {
		return nil, err
	}

	if is.s.beforeRegister != nil {
		is.s.beforeRegister()
	}
	tx, err := is.s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("certificates: register: %w", err)
	}
	defer tx.Rollback()
	// The counter row orders the organization's issues: it is made if missing and, on
	// PostgreSQL, locked until commit, so two instances never hand out one number.
	if _, err := tx.ExecContext(ctx, `INSERT INTO certificate_counters (organization_id, year, last_number)
		VALUES (?, ?, 0) ON CONFLICT DO NOTHING`, is.org.ID, is.year); err != nil {
		return nil, fmt.Errorf("certificates: counter: %w", err)
	}
	if err := tx.GetContext(ctx, &last, `SELECT last_number FROM certificate_counters
		WHERE organization_id = ? AND year = ?`+database.ForUpdate(tx), is.org.ID, is.year); err != nil {
		return nil, fmt.Errorf("certificates: counter: %w", err)
	}
	if check != nil {
		if drafts, err = check(ctx, tx, drafts); err != nil {
			return nil, err
		}
	}
	if len(drafts) == 0 {
		return drafts, nil
	}
	for i, d := range drafts {
		if _, err := is.number(d, last+1+i); err != nil {
			return nil, err
		}
	}
	// Another issue took the predicted numbers: render again, holding the writer.
	if err := is.renderAll(ctx, drafts); err != nil {
		return nil, err
	}
	now := database.Now()
	var user any
	if is.userID != 0 {
		user = is.userID
	}
	for _, d := range drafts {
		if h != nil && h.before != nil {
			if err := h.before(ctx, tx, d); err != nil {
				return nil, err
			}
		}
		var replaces any
		if d.replaces != nil {
			replaces = d.replaces.ID
		}
		err := tx.QueryRowxContext(ctx, `INSERT INTO certificates (organization_id, course_id, registration_id, year, seq,
				number, code, status, full_name, course_title, course_starts_on, course_ends_on, agency,
				issued_on, issued_at, issued_by, pdf, sha256, replaces_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			is.org.ID, is.course.ID, d.reg.ID, is.year, d.seq, d.number, d.code, d.reg.FullName, is.course.Title,
			is.course.StartsOn, is.course.EndsOn, is.org.Name, is.issuedOn, now, user, d.pdf, d.sum, replaces).Scan(&d.id)
		if database.IsUniqueViolation(err) {
			// The registration got a valid certificate by another way meanwhile.
			return nil, fmt.Errorf("certificates: register %s: %w", d.number, ErrChanged.Wrap(err))
		}
		if err != nil {
			return nil, fmt.Errorf("certificates: register %s: %w", d.number, err)
		}
		if is.s.listener != nil {
			if err := is.s.listener.CertificateIssued(ctx, tx, is.course.ID, d.reg.ID, d.reg.Email, d.code); err != nil {
				return nil, err
			}
		}
		if h != nil && h.after != nil {
			if err := h.after(ctx, tx, d); err != nil {
				return nil, err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO certificate_counters (organization_id, year, last_number) VALUES (?, ?, ?)
		ON CONFLICT (organization_id, year) DO UPDATE SET last_number = excluded.last_number`,
		is.org.ID, is.year, last+len(drafts))
	if err != nil {
		return nil, fmt.Errorf("certificates: counter: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("certificates: register: %w", err)
	}
	return drafts, nil
}

// ReissueInput asks for a new certificate in place of one.
type ReissueInput struct {
	CertificateID int64
	UserID        int64
	// IssuedOn is the date printed (YYYY-MM-DD); empty keeps the replaced certificate's.
	IssuedOn   string
	VerifyBase string
}

// Reissue issues a new certificate — new number, new code, rendered from the trainee's,
// course's and organization's data as they are now — in place of a valid or revoked one,
// which then points to it (superseded_by; a valid one becomes superseded, a revoked one
// stays revoked). Returns ErrSuperseded for a certificate already replaced.
func (s *Service) Reissue(ctx context.Context, in ReissueInput) (*Certificate, error) {
	old, err := s.FindByID(ctx, in.CertificateID)
	if err != nil {
		return nil, err
	}
	if old.SupersededBy.Valid || old.Status == Superseded {
		return nil, fmt.Errorf("certificates: reissue %d: %w", old.ID, ErrSuperseded)
	}
	reg, err := s.courses.FindRegistrationByID(ctx, old.RegistrationID)
	if err != nil {
		return nil, err
	}
	course, err := s.courses.FindCourseByID(ctx, old.CourseID)
	if err != nil {
		return nil, err
	}
	issuedOn := in.IssuedOn
	if issuedOn == "" {
		issuedOn = old.IssuedOn
	}
	date, err := vn.ParseDate(issuedOn)
	if err != nil {
		f := errs.Fields{}
		f.Add("issued_on", "cert.err.issued_on")
		return nil, f.Err()
	}
	iss, err := s.newIssuer(ctx, course, in.VerifyBase, in.UserID, date.Format("2006-01-02"))
	if err != nil {
		return nil, err
	}
	d := &draft{reg: *reg, replaces: old}
	check := func(ctx context.Context, tx *sqlx.Tx, drafts []*draft) ([]*draft, error) {
		var cur struct {
			Status       string        `db:"status"`
			SupersededBy sql.NullInt64 `db:"superseded_by"`
		}
		if err := tx.GetContext(ctx, &cur, `SELECT status, superseded_by FROM certificates WHERE id = ?`, old.ID); err != nil {
			return nil, fmt.Errorf("certificates: reissue %d: %w", old.ID, err)
		}
		if cur.Status != old.Status || cur.SupersededBy.Valid {
			return nil, fmt.Errorf("certificates: reissue %d: %w", old.ID, ErrChanged)
		}
		return drafts, nil
	}
	h := &hooks{
		// The old certificate stops being valid before the new one is inserted: one valid
		// certificate per registration is a constraint of the table.
		before: func(ctx context.Context, tx *sqlx.Tx, d *draft) error {
			_, err := tx.ExecContext(ctx, `UPDATE certificates SET status = 'superseded' WHERE id = ? AND status = 'valid'`, old.ID)
			return err
		},
		after: func(ctx context.Context, tx *sqlx.Tx, d *draft) error {
			_, err := tx.ExecContext(ctx, `UPDATE certificates SET superseded_by = ? WHERE id = ?`, d.id, old.ID)
			return err
		},
	}
	done, err := iss.register(ctx, []*draft{d}, check, h)
	if err != nil {
		return nil, err
	}
	return s.FindByID(ctx, done[0].id)
}

// RevokeInput withdraws a certificate.
type RevokeInput struct {
	CertificateID int64  `json:"-"`
	Reason        string `json:"reason"`
	UserID        int64  `json:"-"` // who revokes, recorded as revoked_by; 0 for none
}

// Normalize cleans the reason.
func (in *RevokeInput) Normalize() { in.Reason = vn.Clean(in.Reason) }

// Validate requires a reason.
func (in RevokeInput) Validate() error {
	f := errs.Fields{}
	f.Check(in.Reason != "", "reason", "cert.err.reason_required")
	f.Check(utf8.RuneCountInString(in.Reason) <= 500, "reason", "err.too_long", 500)
	return f.Err()
}

// Revoke marks a valid certificate revoked, with the reason, the time and who revoked it;
// its verification page says so from then on. Returns ErrNotValid if it is not valid.
func (s *Service) Revoke(ctx context.Context, in RevokeInput) (*Certificate, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var user any
	if in.UserID != 0 {
		user = in.UserID
	}
	r, err := s.db.W.ExecContext(ctx, `UPDATE certificates SET status = 'revoked', revoked_at = ?, revoke_reason = ?,
		revoked_by = ? WHERE id = ? AND status = 'valid'`, database.Now(), in.Reason, user, in.CertificateID)
	if err != nil {
		return nil, fmt.Errorf("certificates: revoke %d: %w", in.CertificateID, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return nil, fmt.Errorf("certificates: revoke %d: %w", in.CertificateID, err)
	}
	c, err := s.FindByID(ctx, in.CertificateID)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("certificates: revoke %d (%s): %w", c.ID, c.Status, ErrNotValid)
	}
	return c, nil
}
