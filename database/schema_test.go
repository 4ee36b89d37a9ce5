package database_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/migrations"
)

// TestSchemaSameOnBothEngines migrates a SQLite and a PostgreSQL database and compares what
// their catalogs say: tables; columns in order (name, type class, not null, default); primary
// keys; indexes by name (unique, columns, partial predicate); unique constraints as column
// lists (SQLite's are unnamed autoindexes); foreign keys (columns → table (columns), on
// delete, on update); CHECK constraints by count per table and each by its terms; triggers
// by name (table, timing, event, UPDATE OF columns, WHEN terms). An expression (a CHECK, an
// index predicate, a trigger's WHEN) is compared by its terms — the table's columns and the
// literals it names — since each engine writes expressions back its own way ("role IN
// ('a', 'b')" is "role = ANY (ARRAY['a'::text, 'b'::text])" on PostgreSQL).
// goose_db_version is left out: each dialect of goose keeps its own.
func TestSchemaSameOnBothEngines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lite := sqliteSchema(ctx, t, dbtest.NewSQLite(t).R)
	pg := postgresSchema(ctx, t, dbtest.NewPostgres(t).R)
	if d := schemaDiff(lite, pg); d != "" {
		t.Errorf("the engines end at different schemas:\n%s", d)
	}
	// The comparison must have compared something.
	var tables, triggers int
	for _, l := range lite {
		if strings.HasPrefix(l, "table ") {
			tables++
		}
		if strings.HasPrefix(l, "trigger ") {
			triggers++
		}
	}
	if tables < 40 || triggers < 3 {
		t.Errorf("SQLite schema has %d tables and %d triggers: the migrations did not run?", tables, triggers)
	}
}

// TestOpenAppliesMigrationsPostgres: Open migrates an empty PostgreSQL database to the newest
// version (goose's version table has a boolean, which taphuan's own driver would send as 1),
// and opens it again with nothing to apply.
func TestOpenAppliesMigrationsPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.EmptyPostgresURL(t)
	latest, err := migrations.Latest()
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		db, err := database.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var version int64
		err = db.R.GetContext(ctx, &version, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`)
		db.Close()
		if err != nil || version != latest {
			t.Fatalf("version %d (%v), want %d", version, err, latest)
		}
	}
}

// TestSchemaDiffShowsDifferences: a difference on either side is reported, with its side.
func TestSchemaDiffShowsDifferences(t *testing.T) {
	a := []string{"table a", "column a.id integer not null"}
	b := []string{"table a", "column a.id text not null", "table b"}
	d := schemaDiff(a, b)
	for _, want := range []string{"only in SQLite:", "+ column a.id integer not null",
		"only in PostgreSQL:", "+ column a.id text not null", "+ table b"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if schemaDiff(a, a) != "" {
		t.Errorf("a schema differs from itself")
	}
}

// TestSchemaExprTerms: an expression as SQLite keeps it and as PostgreSQL writes it back
// reduce to the same terms; the CHECKs of a CREATE TABLE are found whole, comments aside.
func TestSchemaExprTerms(t *testing.T) {
	cols := []string{"role", "organization_id", "text", "kind"}
	lite := exprTerms(`role IN ('admin', 'unit') OR organization_id IS NOT NULL`, cols)
	pg := exprTerms(`CHECK (((role = ANY (ARRAY['admin'::text, 'unit'::text])) OR (organization_id IS NOT NULL)))`, cols)
	if lite != pg || lite != "('admin', 'unit', organization_id, role)" {
		t.Errorf("terms %s and %s", lite, pg)
	}
	if got := exprTerms(`(kind = ANY (ARRAY['a'::text, 'b'::character varying]))`, cols); got != "('a', 'b', kind)" {
		t.Errorf("a cast is not a column named text: %s", got)
	}
	checks := sqliteChecks("CREATE TABLE x (\n a INTEGER CHECK (a BETWEEN 0 AND (100)), -- CHECK (no)\n b TEXT CHECK (b IN (')', 'x')),\n CHECK (a > 1))")
	want := []string{"a BETWEEN 0 AND (100)", "b IN (')', 'x')", "a > 1"}
	if !slices.Equal(checks, want) {
		t.Errorf("checks %q, want %q", checks, want)
	}
}

// schemaDiff lists the lines of each schema that the other lacks, or "" when they agree.
func schemaDiff(lite, pg []string) string {
	var b strings.Builder
	for _, side := range []struct {
		name        string
		have, other []string
	}{{"SQLite", lite, pg}, {"PostgreSQL", pg, lite}} {
		var only []string
		for _, l := range side.have {
			if !slices.Contains(side.other, l) {
				only = append(only, l)
			}
		}
		if len(only) > 0 {
			fmt.Fprintf(&b, "only in %s:\n", side.name)
			for _, l := range only {
				fmt.Fprintf(&b, "  + %s\n", l)
			}
		}
	}
	return b.String()
}

// typeClass reduces a declared type to SQLite's storage classes.
func typeClass(declared string) string {
	t := strings.ToLower(declared)
	switch {
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "text"), strings.Contains(t, "char"):
		return "text"
	case strings.Contains(t, "blob"), t == "bytea":
		return "blob"
	case strings.Contains(t, "real"), strings.Contains(t, "double"), strings.Contains(t, "float"), t == "numeric":
		return "real"
	}
	return "unknown type " + declared
}

var pgCast = regexp.MustCompile(`::[a-z ]+$`)

// normalDefault writes a column default the same way for both engines: PostgreSQL's
// '…'::text is SQLite's '…'.
func normalDefault(d *string) string {
	if d == nil {
		return "no default"
	}
	return "default " + pgCast.ReplaceAllString(strings.TrimSpace(*d), "")
}

func columnLine(table, name, declared string, notNull bool, dflt *string) string {
	nn := "null"
	if notNull {
		nn = "not null"
	}
	return fmt.Sprintf("column %s.%s %s %s %s", table, name, typeClass(declared), nn, normalDefault(dflt))
}

func onAction(a string) string { return strings.ToUpper(a) }

var (
	sqlComment = regexp.MustCompile(`--[^\n]*`)
	checkWord  = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	triggerOn  = regexp.MustCompile(`(?i)\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b`)
	updateOf   = regexp.MustCompile(`(?is)\bUPDATE\s+OF\s+(.+?)\s+ON\b`)
	whenLite   = regexp.MustCompile(`(?is)\bWHEN\b(.*?)\bBEGIN\b`)
	whenPG     = regexp.MustCompile(`(?is)\bWHEN\b(.*?)\bEXECUTE\b`)
	whereWord  = regexp.MustCompile(`(?is)\bWHERE\b(.*)$`)
	exprCast   = regexp.MustCompile(`::[a-z_]+( varying| precision)?(\[\])?`)
	exprToken  = regexp.MustCompile(`'(?:[^']|'')*'|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*|[0-9]+`)
)

// exprTerms reduces an expression to the sorted set of the columns (of cols) and the
// literals it names.
func exprTerms(expr string, cols []string) string {
	set := map[string]bool{}
	for _, tok := range exprToken.FindAllString(exprCast.ReplaceAllString(expr, ""), -1) {
		switch {
		case tok[0] == '\'' || tok[0] >= '0' && tok[0] <= '9':
			set[tok] = true
		case tok[0] == '"' && slices.Contains(cols, tok[1:len(tok)-1]):
			set[tok[1:len(tok)-1]] = true
		case slices.Contains(cols, strings.ToLower(tok)):
			set[strings.ToLower(tok)] = true
		}
	}
	terms := make([]string, 0, len(set))
	for k := range set {
		terms = append(terms, k)
	}
	slices.Sort(terms)
	return "(" + strings.Join(terms, ", ") + ")"
}

// sqliteChecks returns the expressions inside each CHECK ( … ) of a CREATE TABLE text.
func sqliteChecks(createSQL string) []string {
	src := sqlComment.ReplaceAllString(createSQL, "")
	var out []string
	for _, loc := range checkWord.FindAllStringIndex(src, -1) {
		depth, quoted := 1, false
		i := loc[1]
		for ; i < len(src) && depth > 0; i++ {
			switch c := src[i]; {
			case c == '\'':
				quoted = !quoted
			case quoted:
			case c == '(':
				depth++
			case c == ')':
				depth--
			}
		}
		out = append(out, src[loc[1]:i-1])
	}
	return out
}

func sqliteSchema(ctx context.Context, t *testing.T, db *sqlx.DB) []string {
	t.Helper()
	var tables []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := db.SelectContext(ctx, &tables, `SELECT name, sql FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	var out []string
	tableCols := map[string][]string{}
	for _, tb := range tables {
		out = append(out, "table "+tb.Name)
		var cols []struct {
			Name    string  `db:"name"`
			Type    string  `db:"type"`
			NotNull bool    `db:"notnull"`
			Default *string `db:"dflt_value"`
			PK      int     `db:"pk"`
		}
		if err := db.SelectContext(ctx, &cols, `SELECT name, type, "notnull", dflt_value, pk
			FROM pragma_table_info(?) ORDER BY cid`, tb.Name); err != nil {
			t.Fatal(err)
		}
		var names []string
		pk := map[int]string{}
		for _, c := range cols {
			names = append(names, c.Name)
			// A primary key column is never NULL on PostgreSQL; on SQLite an INTEGER
			// PRIMARY KEY is the rowid (never NULL) and the pragma says notnull 0 for it.
			out = append(out, columnLine(tb.Name, c.Name, c.Type, c.NotNull || c.PK > 0, c.Default))
			if c.PK > 0 {
				pk[c.PK] = c.Name
			}
		}
		out = append(out, fmt.Sprintf("columns %s (%s)", tb.Name, strings.Join(names, ", ")))
		tableCols[tb.Name] = names
		var pkCols []string
		for i := 1; i <= len(pk); i++ {
			pkCols = append(pkCols, pk[i])
		}
		if len(pkCols) > 0 {
			out = append(out, fmt.Sprintf("primary key %s (%s)", tb.Name, strings.Join(pkCols, ", ")))
		}

		var idx []struct {
			Name    string  `db:"name"`
			Unique  bool    `db:"unique"`
			Origin  string  `db:"origin"`
			Partial bool    `db:"partial"`
			SQL     *string `db:"sql"`
		}
		if err := db.SelectContext(ctx, &idx, `SELECT l.name, l."unique", l.origin, l.partial, m.sql
			FROM pragma_index_list(?) l LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name`, tb.Name); err != nil {
			t.Fatal(err)
		}
		for _, ix := range idx {
			var icols []string
			if err := db.SelectContext(ctx, &icols, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.Name); err != nil {
				t.Fatal(err)
			}
			switch ix.Origin {
			case "pk": // compared as the primary key
			case "u":
				out = append(out, fmt.Sprintf("unique %s (%s)", tb.Name, strings.Join(icols, ", ")))
			default:
				where := ""
				if ix.Partial {
					m := whereWord.FindStringSubmatch(sqlComment.ReplaceAllString(*ix.SQL, ""))
					if m == nil {
						t.Fatalf("index %s: partial without WHERE: %s", ix.Name, *ix.SQL)
					}
					where = exprTerms(m[1], names)
				}
				out = append(out, indexLine(tb.Name, ix.Name, ix.Unique, icols, where))
			}
		}

		var fks []struct {
			ID       int     `db:"id"`
			Table    string  `db:"table"`
			From     string  `db:"from"`
			To       *string `db:"to"`
			OnUpdate string  `db:"on_update"`
			OnDelete string  `db:"on_delete"`
		}
		if err := db.SelectContext(ctx, &fks, `SELECT id, "table", "from", "to", on_update, on_delete
			FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tb.Name); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(fks); {
			j := i
			var from, to []string
			for ; j < len(fks) && fks[j].ID == fks[i].ID; j++ {
				from = append(from, fks[j].From)
				if fks[j].To != nil {
					to = append(to, *fks[j].To)
				}
			}
			if len(to) == 0 { // REFERENCES t without columns: its primary key
				if err := db.SelectContext(ctx, &to, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, fks[i].Table); err != nil {
					t.Fatal(err)
				}
			}
			out = append(out, fkLine(tb.Name, from, fks[i].Table, to, fks[i].OnDelete, fks[i].OnUpdate))
			i = j
		}

		checks := sqliteChecks(tb.SQL)
		out = append(out, fmt.Sprintf("checks %s %d", tb.Name, len(checks)))
		for _, c := range checks {
			out = append(out, fmt.Sprintf("check %s %s", tb.Name, exprTerms(c, names)))
		}
	}

	var triggers []struct {
		Name  string `db:"name"`
		Table string `db:"tbl_name"`
		SQL   string `db:"sql"`
	}
	if err := db.SelectContext(ctx, &triggers, `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`); err != nil {
		t.Fatal(err)
	}
	for _, tr := range triggers {
		m := triggerOn.FindStringSubmatch(tr.SQL)
		if m == nil {
			t.Fatalf("trigger %s: no timing and event in %s", tr.Name, tr.SQL)
		}
		var of []string
		if u := updateOf.FindStringSubmatch(tr.SQL); u != nil {
			for _, c := range strings.Split(u[1], ",") {
				of = append(of, strings.TrimSpace(c))
			}
		}
		when := ""
		if w := whenLite.FindStringSubmatch(tr.SQL); w != nil {
			when = exprTerms(w[1], tableCols[tr.Table])
		}
		out = append(out, triggerLine(tr.Name, tr.Table, strings.Join(strings.Fields(strings.ToUpper(m[1])), " "), strings.ToUpper(m[2]), of, when))
	}

	var views []string
	if err := db.SelectContext(ctx, &views, `SELECT name FROM sqlite_master WHERE type = 'view'`); err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		out = append(out, "view "+v)
	}
	slices.Sort(out)
	return out
}

// indexLine: where is the terms of a partial index's predicate, "" for a whole index.
func indexLine(table, name string, unique bool, cols []string, where string) string {
	kind := "index"
	if unique {
		kind = "unique index"
	}
	if where != "" {
		where = " partial where " + where
	}
	return fmt.Sprintf("%s %s on %s (%s)%s", kind, name, table, strings.Join(cols, ", "), where)
}

func fkLine(table string, from []string, ref string, to []string, onDelete, onUpdate string) string {
	return fmt.Sprintf("foreign key %s (%s) → %s (%s) on delete %s on update %s", table,
		strings.Join(from, ", "), ref, strings.Join(to, ", "), onAction(onDelete), onAction(onUpdate))
}

func triggerLine(name, table, timing, event string, of []string, when string) string {
	slices.Sort(of)
	if len(of) > 0 {
		event += " of (" + strings.Join(of, ", ") + ")"
	}
	if when != "" {
		when = " when " + when
	}
	return fmt.Sprintf("trigger %s on %s %s %s%s", name, table, timing, event, when)
}

// pgAction spells pg_constraint's confdeltype/confupdtype as SQLite's pragma does.
var pgAction = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

func postgresSchema(ctx context.Context, t *testing.T, db *sqlx.DB) []string {
	t.Helper()
	// The columns of a constraint's key array, in key order.
	const keyCols = `(SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
		FROM unnest(%s) WITH ORDINALITY k(num, ord)
		JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.num)`
	var tables []struct {
		OID  uint32 `db:"oid"`
		Name string `db:"relname"`
	}
	if err := db.SelectContext(ctx, &tables, `SELECT c.oid, c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	var out []string
	tableCols := map[string][]string{}
	for _, tb := range tables {
		out = append(out, "table "+tb.Name)
		var cols []struct {
			Name     string  `db:"column_name"`
			Type     string  `db:"data_type"`
			Nullable string  `db:"is_nullable"`
			Default  *string `db:"column_default"`
		}
		if err := db.SelectContext(ctx, &cols, `SELECT column_name, data_type, is_nullable, column_default
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
			ORDER BY ordinal_position`, tb.Name); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cols {
			names = append(names, c.Name)
			out = append(out, columnLine(tb.Name, c.Name, c.Type, c.Nullable == "NO", c.Default))
		}
		out = append(out, fmt.Sprintf("columns %s (%s)", tb.Name, strings.Join(names, ", ")))
		tableCols[tb.Name] = names

		var cons []struct {
			Type     string  `db:"contype"`
			Cols     string  `db:"cols"`
			RefTable *string `db:"reftable"`
			RefCols  *string `db:"refcols"`
			OnDelete string  `db:"confdeltype"`
			OnUpdate string  `db:"confupdtype"`
			Def      string  `db:"def"`
		}
		if err := db.SelectContext(ctx, &cons, fmt.Sprintf(`SELECT con.contype::text AS contype,
			COALESCE(%s, '') AS cols,
			r.relname AS reftable, %s AS refcols,
			con.confdeltype::text AS confdeltype, con.confupdtype::text AS confupdtype,
			pg_get_constraintdef(con.oid) AS def
			FROM pg_constraint con LEFT JOIN pg_class r ON r.oid = con.confrelid
			WHERE con.conrelid = ?`,
			fmt.Sprintf(keyCols, "con.conkey", "con.conrelid"),
			fmt.Sprintf(keyCols, "con.confkey", "con.confrelid")), tb.OID); err != nil {
			t.Fatal(err)
		}
		checks := 0
		for _, c := range cons {
			switch c.Type {
			case "p":
				out = append(out, fmt.Sprintf("primary key %s (%s)", tb.Name, c.Cols))
			case "u":
				out = append(out, fmt.Sprintf("unique %s (%s)", tb.Name, c.Cols))
			case "f":
				out = append(out, fkLine(tb.Name, strings.Split(c.Cols, ", "), *c.RefTable,
					strings.Split(*c.RefCols, ", "), pgAction[c.OnDelete], pgAction[c.OnUpdate]))
			case "c":
				checks++
				out = append(out, fmt.Sprintf("check %s %s", tb.Name, exprTerms(c.Def, names)))
			default:
				out = append(out, fmt.Sprintf("constraint %s of type %s (%s)", tb.Name, c.Type, c.Cols))
			}
		}
		out = append(out, fmt.Sprintf("checks %s %d", tb.Name, checks))

		// Indexes of their own; those behind a primary key or unique constraint are above.
		var idx []struct {
			Name   string  `db:"relname"`
			Unique bool    `db:"indisunique"`
			Where  *string `db:"predicate"`
			Cols   string  `db:"cols"`
		}
		if err := db.SelectContext(ctx, &idx, fmt.Sprintf(`SELECT i.relname, x.indisunique,
			pg_get_expr(x.indpred, x.indrelid) AS predicate, COALESCE(%s, '') AS cols
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
			WHERE x.indrelid = ?
			AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid)`,
			fmt.Sprintf(keyCols, "x.indkey::int2[]", "x.indrelid")), tb.OID); err != nil {
			t.Fatal(err)
		}
		for _, ix := range idx {
			where := ""
			if ix.Where != nil {
				where = exprTerms(*ix.Where, names)
			}
			out = append(out, indexLine(tb.Name, ix.Name, ix.Unique, strings.Split(ix.Cols, ", "), where))
		}
	}

	var triggers []struct {
		Name  string  `db:"tgname"`
		Table string  `db:"relname"`
		Type  int     `db:"tgtype"`
		Of    *string `db:"of"`
		Def   string  `db:"def"`
	}
	if err := db.SelectContext(ctx, &triggers, fmt.Sprintf(`SELECT t.tgname, c.relname, t.tgtype::int AS tgtype,
		%s AS of, pg_get_triggerdef(t.oid) AS def
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT t.tgisinternal AND n.nspname = current_schema()`,
		fmt.Sprintf(keyCols, "t.tgattr::int2[]", "t.tgrelid"))); err != nil {
		t.Fatal(err)
	}
	for _, tr := range triggers {
		// tgtype bits (pg_trigger.h): 1 row, 2 before, 4 insert, 8 delete, 16 update, 64 instead.
		timing := "AFTER"
		switch {
		case tr.Type&2 != 0:
			timing = "BEFORE"
		case tr.Type&64 != 0:
			timing = "INSTEAD OF"
		}
		for _, ev := range []struct {
			bit  int
			name string
		}{{4, "INSERT"}, {8, "DELETE"}, {16, "UPDATE"}} {
			if tr.Type&ev.bit != 0 {
				var of []string
				if tr.Of != nil && ev.name == "UPDATE" {
					of = strings.Split(*tr.Of, ", ")
				}
				when := ""
				if w := whenPG.FindStringSubmatch(tr.Def); w != nil {
					when = exprTerms(w[1], tableCols[tr.Table])
				}
				out = append(out, triggerLine(tr.Name, tr.Table, timing, ev.name, of, when))
			}
		}
		if tr.Type&1 == 0 {
			out = append(out, "statement-level trigger "+tr.Name)
		}
	}

	var views []string
	if err := db.SelectContext(ctx, &views, `SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()`); err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		out = append(out, "view "+v)
	}
	slices.Sort(out)
	return out
}
