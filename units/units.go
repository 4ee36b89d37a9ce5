// Package units owns the directory of sending units (đơn vị cử người: communes, district
// centres, press agencies, offices) shared by the whole deployment: their names, kinds,
// localities and parents, the aliases people write them by, the matching of typed text to a
// unit (units.Key: diacritics, tone placement, case, spaces and the usual abbreviations do
// not count), close-match suggestions, and the directory part of a merge (its aliases and
// the merge log). What points at a unit from elsewhere (focal points, registrations, quotas)
// is moved by its owner, in the same transaction (courses.MergeUnits).
package units

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Kinds of unit (the closed set; "" normalizes to KindOther).
const (
	KindCommune    = "commune"    // xã / phường / đặc khu (their People's Committee)
	KindCentre     = "centre"     // trung tâm
	KindPress      = "press"      // báo / đài
	KindOffice     = "office"     // phòng
	KindDepartment = "department" // sở, ban, ngành
	KindOther      = "other"
)

// KindLabel is the Vietnamese name of a kind, as reports print it.
func KindLabel(kind string) string {
	switch kind {
	case KindCommune:
		return "Xã, phường"
	case KindCentre:
		return "Trung tâm"
	case KindPress:
		return "Báo, đài"
	case KindOffice:
		return "Phòng"
	case KindDepartment:
		return "Sở, ban, ngành"
	case KindOther:
		return "Khác"
	}
	return ""
}

// Kinds returns the kinds in the order forms offer them (a fresh slice each call).
func Kinds() []string {
	return []string{KindCommune, KindCentre, KindPress, KindOffice, KindDepartment, KindOther}
}

// Errors of the directory.
var (
	ErrNotFound = errs.New(errs.NotFound, "err.not_found")
	// ErrKeyTaken: a name or alias already names another unit (its name is the argument).
	ErrKeyTaken = errs.New(errs.Conflict, "unit.err.key_taken")
	// ErrSelfMerge: a unit cannot be merged into itself.
	ErrSelfMerge = errs.New(errs.Conflict, "unit.err.self_merge")
	// ErrCycle: the parent (or the merge) would make a unit its own ancestor.
	ErrCycle = errs.New(errs.Conflict, "unit.err.cycle")
	// ErrMerged: the unit was merged into another and takes no changes.
	ErrMerged = errs.New(errs.Conflict, "unit.err.merged")
)

const (
	maxNameLen     = 200
	maxShortLen    = 60
	maxLocalityLen = 100
	maxAliases     = 50
)

// Service holds the database handles.
type Service struct {
	db *database.DB
}

// New returns a Service over db.
func New(db *database.DB) *Service { return &Service{db: db} }

// Unit is a sending unit of the directory.
type Unit struct {
	ID         int64    `db:"id" json:"id"`
	Name       string   `db:"name" json:"name"`
	ShortName  string   `db:"short_name" json:"short_name"`
	Kind       string   `db:"kind" json:"kind"`
	Locality   string   `db:"locality" json:"locality"`
	ParentID   *int64   `db:"parent_id" json:"parent_id"`
	MergedInto *int64   `db:"merged_into" json:"merged_into,omitempty"`
	Aliases    []string `db:"-" json:"aliases"`
}

const unitColumns = `u.id, u.name, u.short_name, u.kind, u.locality, u.parent_id, u.merged_into`

// Input creates a unit or, with PATCH semantics in Update, changes one (nil: unchanged).
type Input struct {
	Name      string
	ShortName string
	Kind      string
	Locality  string
	ParentID  int64 // 0: none
	Aliases   []string
	UserID    int64
}

// Normalize cleans the texts and brings the kind into its closed set (unknown stays as
// typed for Validate); aliases are cleaned, blank and repeated ones dropped.
func (in *Input) Normalize() {
	in.Name = vn.Clean(in.Name)
	in.ShortName = vn.Clean(in.ShortName)
	in.Locality = vn.Clean(in.Locality)
	in.Kind = NormalizeKind(in.Kind)
	seen := map[string]bool{Key(in.Name): true, Key(in.ShortName): true}
	var al []string
	for _, a := range in.Aliases {
		a = vn.Clean(a)
		k := Key(a)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		al = append(al, a)
	}
	in.Aliases = al
}

// NormalizeKind maps a kind as given (any case, or the Vietnamese words) to the closed set;
// unknown text is returned trimmed, for Validate to refuse.
func NormalizeKind(s string) string {
	k := strings.TrimSpace(strings.ToLower(s))
	switch vn.Fold(k) {
	case "":
		return KindOther
	case "xa", "phuong", "xa/phuong", "xa, phuong", "dac khu":
		return KindCommune
	case "trung tam":
		return KindCentre
	case "bao", "dai", "bao/dai", "bao, dai":
		return KindPress
	case "phong":
		return KindOffice
	case "so", "ban", "nganh":
		return KindDepartment
	case "khac":
		return KindOther
	}
	for _, known := range Kinds() {
		if k == known {
			return k
		}
	}
	return k
}

// Validate checks the fields.
func (in Input) Validate() error {
	f := errs.Fields{}
	f.Check(in.Name != "", "name", "err.required")
	f.Check(Key(in.Name) != "" || in.Name == "", "name", "unit.err.no_letters")
	f.Check(len([]rune(in.Name)) <= maxNameLen, "name", "err.too_long", maxNameLen)
	f.Check(len([]rune(in.ShortName)) <= maxShortLen, "short_name", "err.too_long", maxShortLen)
	f.Check(len([]rune(in.Locality)) <= maxLocalityLen, "locality", "err.too_long", maxLocalityLen)
	known := false
	for _, k := range Kinds() {
		known = known || in.Kind == k
	}
	f.Check(known, "kind", "unit.err.kind")
	f.Check(in.ParentID >= 0, "parent_id", "unit.err.parent")
	f.Check(len(in.Aliases) <= maxAliases, "aliases", "unit.err.aliases", maxAliases)
	for _, a := range in.Aliases {
		f.Check(len([]rune(a)) <= maxNameLen, "aliases", "err.too_long", maxNameLen)
	}
	return f.Err()
}

// Create adds a unit with its aliases. Returns an invalid error for bad fields or an
// unknown parent, and ErrKeyTaken when its name, short name or an alias names another unit.
func (s *Service) Create(ctx context.Context, in Input) (*Unit, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("units: create: %w", err)
	}
	defer tx.Rollback()
	id, err := CreateTx(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("units: create: %w", err)
	}
	return s.Find(ctx, id)
}

// CreateTx is Create inside the caller's write transaction (in normalized and valid);
// returns the new unit's id.
func CreateTx(ctx context.Context, tx *sqlx.Tx, in Input) (int64, error) {
	var parent any
	if in.ParentID != 0 {
		if _, err := findTx(ctx, tx, in.ParentID); err != nil {
			return 0, errs.Fields{"parent_id": {Key: "unit.err.parent"}}.Err()
		}
		parent = in.ParentID
	}
	now := database.Now()
	var id int64
	err := tx.QueryRowxContext(ctx, `INSERT INTO units (name, short_name, kind, locality, parent_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.ShortName, in.Kind, in.Locality, parent, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("units: create: %w", err)
	}
	if err := putKey(ctx, tx, id, "name", in.Name); err != nil {
		return 0, err
	}
	if in.ShortName != "" {
		if err := putKey(ctx, tx, id, "short_name", in.ShortName); err != nil {
			return 0, err
		}
	}
	for _, a := range in.Aliases {
		if err := putKey(ctx, tx, id, "alias", a); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// putKey records text as a spelling of unit id; a key of the same unit is replaced (a
// name that was an alias stays one row), a key of another unit is ErrKeyTaken.
func putKey(ctx context.Context, tx *sqlx.Tx, id int64, source, text string) error {
	k := Key(text)
	if k == "" {
		return nil
	}
	var owner struct {
		ID   int64  `db:"unit_id"`
		Name string `db:"name"`
	}
	err := tx.GetContext(ctx, &owner, `SELECT k.unit_id, u.name FROM unit_keys k JOIN units u ON u.id = k.unit_id
		WHERE k.match_key = ?`, k)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("units: key: %w", err)
	case owner.ID != id:
		return fmt.Errorf("units: %q: %w", text, ErrKeyTaken.With(text, owner.Name))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO unit_keys (match_key, unit_id, source, text) VALUES (?, ?, ?, ?)
		ON CONFLICT (match_key) DO UPDATE SET source = excluded.source, text = excluded.text`, k, id, source, text); err != nil {
		return fmt.Errorf("units: key: %w", err)
	}
	return nil
}

// Patch changes a unit; nil fields stay as they are. Aliases, when given, replace the
// unit's aliases. A new name keeps the old one as an alias (what was written before still
// matches); registrations keep the text they recorded.
type Patch struct {
	Name      *string
	ShortName *string
	Kind      *string
	Locality  *string
	ParentID  *int64 // 0: no parent
	Aliases   *[]string
	UserID    int64
}

// Update applies p to unit id. Returns ErrNotFound, ErrMerged for a merged unit, ErrCycle
// when the parent would make the unit its own ancestor, ErrKeyTaken, or invalid fields.
func (s *Service) Update(ctx context.Context, id int64, p Patch) (*Unit, error) {
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("units: update %d: %w", id, err)
	}
	defer tx.Rollback()
	cur, err := findTx(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if cur.MergedInto != nil {
		return nil, fmt.Errorf("units: update %d: %w", id, ErrMerged)
	}
	in := Input{Name: cur.Name, ShortName: cur.ShortName, Kind: cur.Kind, Locality: cur.Locality, Aliases: cur.Aliases}
	if cur.ParentID != nil {
		in.ParentID = *cur.ParentID
	}
	if p.Name != nil {
		in.Name = *p.Name
	}
	if p.ShortName != nil {
		in.ShortName = *p.ShortName
	}
	if p.Kind != nil {
		in.Kind = *p.Kind
	}
	if p.Locality != nil {
		in.Locality = *p.Locality
	}
	if p.ParentID != nil {
		in.ParentID = *p.ParentID
	}
	if p.Aliases != nil {
		in.Aliases = *p.Aliases
	}
	oldName := cur.Name
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var parent any
	if in.ParentID != 0 {
		if err := checkParent(ctx, tx, id, in.ParentID); err != nil {
			return nil, err
		}
		parent = in.ParentID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE units SET name = ?, short_name = ?, kind = ?, locality = ?, parent_id = ?,
		updated_at = ? WHERE id = ?`, in.Name, in.ShortName, in.Kind, in.Locality, parent, database.Now(), id); err != nil {
		return nil, fmt.Errorf("units: update %d: %w", id, err)
	}
	aliases := in.Aliases
	if Key(oldName) != Key(in.Name) {
		// What was written before the rename still names the unit.
		aliases = append(aliases, oldName)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM unit_keys WHERE unit_id = ?`, id); err != nil {
		return nil, fmt.Errorf("units: update %d: %w", id, err)
	}
	for _, k := range []struct{ src, text string }{{"name", in.Name}, {"short_name", in.ShortName}} {
		if err := putKey(ctx, tx, id, k.src, k.text); err != nil {
			return nil, err
		}
	}
	for _, a := range aliases {
		if Key(a) == Key(in.Name) || Key(a) == Key(in.ShortName) {
			continue
		}
		if err := putKey(ctx, tx, id, "alias", a); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("units: update %d: %w", id, err)
	}
	return s.Find(ctx, id)
}

// checkParent refuses a parent that is unknown, merged, or has id among its ancestors.
func checkParent(ctx context.Context, q sqlx.QueryerContext, id, parent int64) error {
	seen := map[int64]bool{id: true}
	for cur := parent; cur != 0; {
		if seen[cur] {
			return fmt.Errorf("units: parent %d of %d: %w", parent, id, ErrCycle)
		}
		seen[cur] = true
		u, err := findTx(ctx, q, cur)
		if err != nil {
			return errs.Fields{"parent_id": {Key: "unit.err.parent"}}.Err()
		}
		if u.MergedInto != nil && cur == parent {
			return errs.Fields{"parent_id": {Key: "unit.err.parent"}}.Err()
		}
		if u.ParentID == nil {
			break
		}
		cur = *u.ParentID
	}
	return nil
}

// AddAliasTx remembers text as an alias of unit id (the import preview's mapping) inside
// the caller's transaction. A text that already names this unit is a no-op; one that names
// another unit is ErrKeyTaken.
func AddAliasTx(ctx context.Context, tx *sqlx.Tx, id int64, text string) error {
	text = vn.Clean(text)
	u, err := findTx(ctx, tx, id)
	if err != nil {
		return err
	}
	if u.MergedInto != nil {
		return fmt.Errorf("units: alias of %d: %w", id, ErrMerged)
	}
	k := Key(text)
	if k == "" {
		return nil
	}
	owner, ok, err := keyOwner(ctx, tx, k)
	if err != nil {
		return err
	}
	if ok && owner == id {
		return nil
	}
	return putKey(ctx, tx, id, "alias", text)
}

// Find returns unit id with its aliases; ErrNotFound for an unknown id.
func (s *Service) Find(ctx context.Context, id int64) (*Unit, error) {
	return findTx(ctx, s.db.R, id)
}

func findTx(ctx context.Context, q sqlx.QueryerContext, id int64) (*Unit, error) {
	var u Unit
	err := sqlx.GetContext(ctx, q, &u, `SELECT `+unitColumns+` FROM units u WHERE u.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("units: unit %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("units: unit %d: %w", id, err)
	}
	if err := loadAliases(ctx, q, []*Unit{&u}); err != nil {
		return nil, err
	}
	return &u, nil
}

func loadAliases(ctx context.Context, q sqlx.QueryerContext, us []*Unit) error {
	if len(us) == 0 {
		return nil
	}
	byID := map[int64]*Unit{}
	ids := make([]int64, 0, len(us))
	for _, u := range us {
		u.Aliases = []string{}
		byID[u.ID] = u
		ids = append(ids, u.ID)
	}
	var rows []struct {
		ID   int64  `db:"unit_id"`
		Text string `db:"text"`
	}
	query, args, err := sqlx.In(`SELECT unit_id, text FROM unit_keys WHERE source = 'alias' AND unit_id IN (?) ORDER BY text`, ids)
	if err != nil {
		return fmt.Errorf("units: aliases: %w", err)
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return fmt.Errorf("units: aliases: %w", err)
	}
	for _, r := range rows {
		byID[r.ID].Aliases = append(byID[r.ID].Aliases, r.Text)
	}
	return nil
}

// Filter selects units of the directory.
type Filter struct {
	Query  string // matched by key against names, short names and aliases ("" : all)
	Kind   string
	Limit  int // 0: no limit
	Offset int
}

// List returns the units (not merged ones) that match f, by name in Vietnamese order (exact
// key matches first), and how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Unit, int, error) {
	where := []string{"u.merged_into IS NULL"}
	var args []any
	k := Key(f.Query)
	if k != "" {
		where = append(where, `u.id IN (SELECT unit_id FROM unit_keys WHERE match_key LIKE ? ESCAPE '\')`)
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(k)+"%")
	}
	if f.Kind != "" {
		where = append(where, "u.kind = ?")
		args = append(args, NormalizeKind(f.Kind))
	}
	var all []Unit
	if err := s.db.R.SelectContext(ctx, &all, `SELECT `+unitColumns+` FROM units u WHERE `+strings.Join(where, " AND "), args...); err != nil {
		return nil, 0, fmt.Errorf("units: list: %w", err)
	}
	exact := map[int64]bool{}
	if k != "" {
		id, ok, err := keyOwner(ctx, s.db.R, k)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			exact[id] = true
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if exact[all[i].ID] != exact[all[j].ID] {
			return exact[all[i].ID]
		}
		return compareNames(all[i].Name, all[j].Name) < 0
	})
	total := len(all)
	if f.Offset > 0 {
		all = all[min(f.Offset, len(all)):]
	}
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	ptrs := make([]*Unit, len(all))
	for i := range all {
		ptrs[i] = &all[i]
	}
	if err := loadAliases(ctx, s.db.R, ptrs); err != nil {
		return nil, 0, err
	}
	return all, total, nil
}

func compareNames(a, b string) int {
	return strings.Compare(string(vn.SortKey(a, a)), string(vn.SortKey(b, b)))
}

// MatchTx returns the unit named by text (its name, short name or an alias, by key),
// following merges to the survivor; ok is false when nothing matches. It runs on q (a
// transaction of the caller, so that a registration is matched in its own transaction).
func MatchTx(ctx context.Context, q sqlx.QueryerContext, text string) (id int64, ok bool, err error) {
	k := Key(text)
	if k == "" {
		return 0, false, nil
	}
	return keyOwner(ctx, q, k)
}

// keyOwner is the one lookup of a matching key: the unit it names, ok false when none
// (match_key is the table's primary key: one unit at most).
func keyOwner(ctx context.Context, q sqlx.QueryerContext, k string) (id int64, ok bool, err error) {
	err = sqlx.GetContext(ctx, q, &id, `SELECT unit_id FROM unit_keys WHERE match_key = ?`, k)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("units: key %q: %w", k, err)
	}
	return id, true, nil
}

// Match is MatchTx on the reader pool.
func (s *Service) Match(ctx context.Context, text string) (int64, bool, error) {
	return MatchTx(ctx, s.db.R, text)
}

// ActiveTx returns unit id if it exists and is not merged (a registration or a quota may
// point at it); ErrNotFound otherwise.
func ActiveTx(ctx context.Context, q sqlx.QueryerContext, id int64) (*Unit, error) {
	u, err := findTx(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if u.MergedInto != nil {
		return nil, fmt.Errorf("units: unit %d merged: %w", id, ErrNotFound)
	}
	return u, nil
}

// Suggestion is a unit that a text may mean, with how close its best spelling is (0 … 1).
type Suggestion struct {
	Unit  Unit    `json:"unit"`
	Score float64 `json:"score"`
}

// minSuggestScore is how close a spelling must be to be suggested.
const minSuggestScore = 0.6

// Suggest returns up to n units whose name, short name or alias is close to text, the
// closest first (an exact key match scores 1).
func (s *Service) Suggest(ctx context.Context, text string, n int) ([]Suggestion, error) {
	k := Key(text)
	if k == "" {
		return nil, nil // nothing to match: no suggestions
	}
	var keys []struct {
		Key  string `db:"match_key"`
		ID   int64  `db:"unit_id"`
		Text string `db:"text"`
	}
	if err := s.db.R.SelectContext(ctx, &keys, `SELECT k.match_key, k.unit_id, k.text FROM unit_keys k
		JOIN units u ON u.id = k.unit_id WHERE u.merged_into IS NULL`); err != nil {
		return nil, fmt.Errorf("units: suggest: %w", err)
	}
	// Close by the expanded keys, or by the texts as written (an abbreviation the key does
	// not know, "UB xã …", is closer to "UBND xã …" than to "Ủy ban nhân dân xã …").
	raw := rawKey(text)
	best := map[int64]float64{}
	for _, row := range keys {
		sc := max(similarity(k, row.Key), similarity(raw, rawKey(row.Text)))
		if sc >= minSuggestScore && sc > best[row.ID] {
			best[row.ID] = sc
		}
	}
	out := make([]Suggestion, 0, len(best))
	for id, sc := range best {
		u, err := s.Find(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, Suggestion{Unit: *u, Score: sc})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Unit.ID < out[j].Unit.ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// MergeTx does the directory's part of merging unit from into unit into, inside the
// caller's write transaction: refuses a self-merge (ErrSelfMerge), a merged or unknown
// unit, and a survivor that descends from the merged unit (ErrCycle, the parents would
// loop); moves the merged unit's spellings (its name becomes an alias) and its children to
// the survivor, marks it merged, and logs the merge with the counts the caller moved.
// Returns the id of the log row, for the caller's counts (SetMergeCounts). What points at
// the unit from other packages' tables (focal points, registrations, quotas) is moved by
// their owners in the same transaction (courses.MergeUnits).
func MergeTx(ctx context.Context, tx *sqlx.Tx, from, into, userID int64) (int64, error) {
	if from == into {
		return 0, fmt.Errorf("units: merge %d into itself: %w", from, ErrSelfMerge)
	}
	// Two merges at once (A into B and B into A) would each find both units active; the
	// merges take turns.
	if err := database.Lock(ctx, tx, "units.merge"); err != nil {
		return 0, err
	}
	fu, err := ActiveTx(ctx, tx, from)
	if err != nil {
		return 0, err
	}
	if _, err := ActiveTx(ctx, tx, into); err != nil {
		return 0, err
	}
	// The survivor must not sit below the merged unit: its children move up to the
	// survivor, which would then be its own child.
	for cur := into; ; {
		u, err := findTx(ctx, tx, cur)
		if err != nil {
			return 0, err
		}
		if u.ParentID == nil {
			break
		}
		if *u.ParentID == from {
			return 0, fmt.Errorf("units: merge %d into its descendant %d: %w", from, into, ErrCycle)
		}
		cur = *u.ParentID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE unit_keys SET unit_id = ?, source = 'alias' WHERE unit_id = ?`, into, from); err != nil {
		return 0, fmt.Errorf("units: merge %d: %w", from, err)
	}
	now := database.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = ?, updated_at = ? WHERE parent_id = ?`, into, now, from); err != nil {
		return 0, fmt.Errorf("units: merge %d: %w", from, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE units SET merged_into = ?, updated_at = ? WHERE id = ?`, into, now, from); err != nil {
		return 0, fmt.Errorf("units: merge %d: %w", from, err)
	}
	var uid any
	if userID != 0 {
		uid = userID
	}
	var id int64
	err = tx.QueryRowxContext(ctx, `INSERT INTO unit_merges (from_unit_id, into_unit_id, user_id, at) VALUES (?, ?, ?, ?) RETURNING id`,
		from, into, uid, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("units: merge %d: %w", from, err)
	}
	_ = fu
	return id, nil
}

// SetMergeCounts records in the merge log what the caller moved.
func SetMergeCounts(ctx context.Context, tx *sqlx.Tx, logID int64, registrations, quotas int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE unit_merges SET moved_registrations = ?, moved_quotas = ? WHERE id = ?`,
		registrations, quotas, logID); err != nil {
		return fmt.Errorf("units: merge log %d: %w", logID, err)
	}
	return nil
}

// MergeRecord is one merge of the log.
type MergeRecord struct {
	ID                 int64  `db:"id" json:"id"`
	FromUnitID         int64  `db:"from_unit_id" json:"from_unit_id"`
	FromName           string `db:"from_name" json:"from_name"`
	IntoUnitID         int64  `db:"into_unit_id" json:"into_unit_id"`
	IntoName           string `db:"into_name" json:"into_name"`
	MovedRegistrations int64  `db:"moved_registrations" json:"moved_registrations"`
	MovedQuotas        int64  `db:"moved_quotas" json:"moved_quotas"`
	UserName           string `db:"user_name" json:"user_name"`
	At                 string `db:"at" json:"at"`
}

// Merges returns the merge log, newest first.
func (s *Service) Merges(ctx context.Context) ([]MergeRecord, error) {
	out := []MergeRecord{}
	err := s.db.R.SelectContext(ctx, &out, `SELECT m.id, m.from_unit_id, f.name AS from_name, m.into_unit_id,
		i.name AS into_name, m.moved_registrations, m.moved_quotas, COALESCE(u.name, '') AS user_name, m.at
		FROM unit_merges m JOIN units f ON f.id = m.from_unit_id JOIN units i ON i.id = m.into_unit_id
		LEFT JOIN users u ON u.id = m.user_id ORDER BY m.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("units: merges: %w", err)
	}
	return out, nil
}

// Collision is two units whose spellings have the same key once keys are recomputed.
type Collision struct{ Keep, Merge int64 }

// RekeyTx recomputes every key from its text (after a change of Key, and for the units
// the migration made from text quotas, whose keys were only folded). Two units that turn
// out to share a key are returned as a collision (the older unit is kept) for the caller
// to merge; their shared spelling goes to the kept unit.
func RekeyTx(ctx context.Context, tx *sqlx.Tx) ([]Collision, error) {
	var rows []struct {
		Key    string `db:"match_key"`
		ID     int64  `db:"unit_id"`
		Source string `db:"source"`
		Text   string `db:"text"`
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT match_key, unit_id, source, text FROM unit_keys ORDER BY unit_id, source`); err != nil {
		return nil, fmt.Errorf("units: rekey: %w", err)
	}
	stale := false
	for _, r := range rows {
		if Key(r.Text) != r.Key {
			stale = true
			break
		}
	}
	if !stale {
		return nil, nil // nothing to do: every key is current, so nothing collides
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM unit_keys`); err != nil {
		return nil, fmt.Errorf("units: rekey: %w", err)
	}
	owner := map[string]int64{}
	seen := map[Collision]bool{}
	var out []Collision
	for _, r := range rows {
		k := Key(r.Text)
		if k == "" {
			continue
		}
		if o, ok := owner[k]; ok {
			if o != r.ID {
				c := Collision{Keep: o, Merge: r.ID}
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
			continue
		}
		owner[k] = r.ID
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_keys (match_key, unit_id, source, text) VALUES (?, ?, ?, ?)`,
			k, r.ID, r.Source, r.Text); err != nil {
			return nil, fmt.Errorf("units: rekey: %w", err)
		}
	}
	return out, nil
}
