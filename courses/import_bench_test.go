package courses_test

import (
	"strings"
	"testing"

	"taphuan/courses"
	"taphuan/courses/coursestest"
	"taphuan/database/dbtest"
)

// BenchmarkImport5000 imports a roster of 5,000 rows (parse, validate, one transaction),
// a fresh course each time; the baseline is the parse alone.
//
//	go test ./courses/ -run '^$' -bench Import -benchtime 5x
func BenchmarkImport5000(b *testing.B) { benchImport(b, 5000) }

// BenchmarkImport2000 is the same for the 2,000-person course of BENCHMARKS.md.
func BenchmarkImport2000(b *testing.B) { benchImport(b, 2000) }

func benchImport(b *testing.B, n int) {
	db := dbtest.New(b)
	org := coursestest.Org(b, db, "Sở Thông tin và Truyền thông tỉnh Khánh Hòa")
	s := courses.New(db)
	data := bigRoster(n)
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := courses.ParseRoster(strings.NewReader(data), "big.csv"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse+import", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := coursestest.Course(b, db, org.ID, func(c *courses.Course) { c.Capacity = n })
			b.StartTimer()
			rows, err := courses.ParseRoster(strings.NewReader(data), "big.csv")
			if err != nil {
				b.Fatal(err)
			}
			res, err := s.Import(b.Context(), courses.ImportInput{CourseID: c.ID, Rows: rows})
			if err != nil || res.Imported != n {
				b.Fatalf("%+v %v", res, err)
			}
		}
	})
}
