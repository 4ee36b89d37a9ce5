package database_test

import (
	"context"
	"slices"
	"testing"

	"taphuan/database"
	"taphuan/database/dbtest"
)

// TestCatalogSameOnBothEngines: Tables and Columns answer alike on both engines — the same
// tables, and for a table its columns in order with the primary key marked.
func TestCatalogSameOnBothEngines(t *testing.T) {
	ctx := context.Background()
	lite, pg := dbtest.NewSQLite(t), dbtest.NewPostgres(t)
	lt, err := lite.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := pg.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lt, pt) || !slices.Contains(lt, "registrations") || slices.Contains(lt, "goose_db_version") {
		t.Errorf("tables: SQLite %v, PostgreSQL %v", lt, pt)
	}
	for _, table := range []string{"registrations", "certificate_counters", "survey_responses"} {
		keys := func(db *database.DB) (names, keyed []string) {
			cols, err := db.Columns(ctx, table)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cols {
				names = append(names, c.Name)
				if c.Key {
					keyed = append(keyed, c.Name)
				}
			}
			return names, keyed
		}
		ln, lk := keys(lite)
		pn, pk := keys(pg)
		if !slices.Equal(ln, pn) || !slices.Equal(lk, pk) || len(lk) == 0 {
			t.Errorf("%s: SQLite %v key %v, PostgreSQL %v key %v", table, ln, lk, pn, pk)
		}
	}
}
