package database

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"
)

// CopyReport says what Copy moved: the rows of each table, checked on both sides.
type CopyReport struct {
	Tables []TableCount
	// Certificates is the number of stored certificate PDFs whose SHA-256 the target
	// recomputed and found equal to the one recorded at issue.
	Certificates int
}

// TableCount is one table's rows in the source and, after the copy, in the target.
type TableCount struct {
	Table  string
	Source int64
	Target int64
}

// Copy copies every row of a SQLite database into an empty PostgreSQL one of the same schema
// version, in one transaction of the target, and checks the counts of every table (and the
// SHA-256 of every stored certificate PDF) before it commits. It refuses a target that holds
// any row. Ids are kept; the identity sequences move past them; the trigger-kept counters
// are copied as they are (the triggers stay off while the rows arrive).
func Copy(ctx context.Context, from, to *DB) (*CopyReport, error) {
	if from.Engine != SQLite || to.Engine != Postgres {
		return nil, fmt.Errorf("database: copy goes from a SQLite file to a PostgreSQL database")
	}
	var fromVer, toVer int64
	if err := from.R.GetContext(ctx, &fromVer, `SELECT MAX(version_id) FROM goose_db_version`); err != nil {
		return nil, fmt.Errorf("database: copy: version of the source: %w", err)
	}
	if err := to.R.GetContext(ctx, &toVer, `SELECT MAX(version_id) FROM goose_db_version`); err != nil {
		return nil, fmt.Errorf("database: copy: version of the target: %w", err)
	}
	if fromVer != toVer {
		return nil, fmt.Errorf("database: copy: the source is at schema version %d, the target at %d", fromVer, toVer)
	}
	tables, err := copyOrder(ctx, from)
	if err != nil {
		return nil, err
	}
	// A read transaction on the source: one snapshot, while the server may still write.
	src, err := from.R.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	defer src.Rollback()
	dst, err := to.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	defer dst.Rollback()
	for _, t := range tables {
		var n int64
		if err := dst.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
			return nil, fmt.Errorf("database: copy: table %s of the target: %w", t.name, err)
		}
		if n > 0 {
			return nil, fmt.Errorf("database: copy: the target is not empty (%s holds %d rows); "+
				"copy into a new, empty database", t.name, n)
		}
	}
	rep := &CopyReport{}
	for _, t := range tables {
		if len(t.triggers) > 0 {
			if _, err := dst.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t.name)+` DISABLE TRIGGER USER`); err != nil {
				return nil, fmt.Errorf("database: copy: %s: %w", t.name, err)
			}
		}
		n, err := copyTable(ctx, src, dst, t)
		if err != nil {
			return nil, err
		}
		if len(t.triggers) > 0 {
			if _, err := dst.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t.name)+` ENABLE TRIGGER USER`); err != nil {
				return nil, fmt.Errorf("database: copy: %s: %w", t.name, err)
			}
		}
		var got int64
		if err := dst.GetContext(ctx, &got, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
			return nil, fmt.Errorf("database: copy: %s: %w", t.name, err)
		}
		if got != n {
			return nil, fmt.Errorf("database: copy: %s: %d rows read, %d in the target", t.name, n, got)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t.name, Source: n, Target: got})
		if t.identity {
			if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+
				quoteIdent(t.name), t.name); err != nil {
				return nil, fmt.Errorf("database: copy: sequence of %s: %w", t.name, err)
			}
		}
	}
	var bad int
	if err := dst.GetContext(ctx, &bad, `SELECT COUNT(*) FROM certificates WHERE encode(sha256(pdf), 'hex') <> sha256`); err != nil {
		return nil, fmt.Errorf("database: copy: certificate files: %w", err)
	}
	if bad > 0 {
		return nil, fmt.Errorf("database: copy: %d certificate files differ from their recorded SHA-256", bad)
	}
	if err := dst.GetContext(ctx, &rep.Certificates, `SELECT COUNT(*) FROM certificates`); err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	if err := dst.Commit(); err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	return rep, nil
}

type tableInfo struct {
	name     string
	deps     []string
	selfCols []string // columns that refer to the table itself: filled in after its rows
	triggers []string
	identity bool // an INTEGER PRIMARY KEY named id
}

// copyOrder lists the source's tables so that each comes after the tables it refers to.
func copyOrder(ctx context.Context, from *DB) ([]tableInfo, error) {
	names, err := from.Tables(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: copy: %w", err)
	}
	q := from.R
	byName := map[string]*tableInfo{}
	for _, n := range names {
		t := &tableInfo{name: n}
		var fks []struct {
			Table string `db:"table"`
			From  string `db:"from"`
		}
		if err := sqlx.SelectContext(ctx, q, &fks, `SELECT "table", "from" FROM pragma_foreign_key_list(?)`, n); err != nil {
			return nil, fmt.Errorf("database: copy: references of %s: %w", n, err)
		}
		for _, fk := range fks {
			if fk.Table == n {
				t.selfCols = append(t.selfCols, fk.From)
			} else {
				t.deps = append(t.deps, fk.Table)
			}
		}
		if err := sqlx.SelectContext(ctx, q, &t.triggers, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, n); err != nil {
			return nil, fmt.Errorf("database: copy: triggers of %s: %w", n, err)
		}
		cols, err := from.Columns(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("database: copy: %w", err)
		}
		var pk []Column
		for _, c := range cols {
			if c.Key {
				pk = append(pk, c)
			}
		}
		// survey_responses.id is a TEXT key: no identity behind it.
		t.identity = len(pk) == 1 && pk[0].Name == "id" && strings.EqualFold(pk[0].Type, "INTEGER")
		byName[n] = t
	}
	var out []tableInfo
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("database: copy: the tables refer to each other in a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		t := byName[n]
		sort.Strings(t.deps)
		for _, d := range t.deps {
			if _, ok := byName[d]; ok {
				if err := visit(d); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		out = append(out, *t)
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// copyBatch is how many rows one INSERT carries (PostgreSQL takes up to 65,535 parameters).
const copyBatch = 200

// copyTable copies the rows of t and returns how many it read.
func copyTable(ctx context.Context, src, dst *sqlx.Tx, t tableInfo) (int64, error) {
	rows, err := src.QueryxContext(ctx, `SELECT * FROM `+quoteIdent(t.name)+``)
	if err != nil {
		return 0, fmt.Errorf("database: copy: read %s: %w", t.name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	self := map[string]bool{}
	for _, c := range t.selfCols {
		self[c] = true
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var (
		n     int64
		batch []any
		later [][]any // key and self-referring values, set after all rows are in
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		k := len(batch) / len(cols)
		q := `INSERT INTO ` + quoteIdent(t.name) + ` (` + strings.Join(quoted, ", ") + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		if _, err := dst.ExecContext(ctx, q, batch...); err != nil {
			return fmt.Errorf("database: copy: write %s: %w", t.name, err)
		}
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			return 0, fmt.Errorf("database: copy: read %s: %w", t.name, err)
		}
		if len(self) > 0 {
			keep := []any{}
			for i, c := range cols {
				if c == "id" {
					keep = append([]any{vals[i]}, keep...)
				}
			}
			for i, c := range cols {
				if self[c] {
					keep = append(keep, vals[i])
					vals[i] = nil
				}
			}
			later = append(later, keep)
		}
		batch = append(batch, vals...)
		n++
		if len(batch) >= copyBatch*len(cols) {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("database: copy: read %s: %w", t.name, err)
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if len(later) > 0 {
		sets := make([]string, len(t.selfCols))
		for i, c := range t.selfCols {
			sets[i] = quoteIdent(c) + " = ?"
		}
		q := `UPDATE ` + quoteIdent(t.name) + ` SET ` + strings.Join(sets, ", ") + ` WHERE id = ?`
		for _, k := range later {
			args := append(append([]any{}, k[1:]...), k[0])
			nonNull := false
			for _, v := range k[1:] {
				nonNull = nonNull || v != nil
			}
			if !nonNull {
				continue
			}
			if _, err := dst.ExecContext(ctx, q, args...); err != nil {
				return 0, fmt.Errorf("database: copy: references within %s: %w", t.name, err)
			}
		}
	}
	return n, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
