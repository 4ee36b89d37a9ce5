package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"

	"taphuan/database"
	"taphuan/database/dbtest"
	"taphuan/vn"
)

// BenchmarkRegisterPostgres measures how registrations of several instances are kept from
// overbooking on PostgreSQL, the two ways issue 12 names, on the same workload:
//
//   - row-locks (what taphuan does): READ COMMITTED, the course row taken FOR UPDATE first;
//     writers of one course wait for each other, others run side by side.
//   - serializable: SERIALIZABLE transactions without the lock, run again when PostgreSQL
//     gives one up (SQLSTATE 40001/40P01).
//
// Each runs with 1 and 10 courses (every registration of one hot course, or spread), 16
// clients. It reports registrations/s and, for serializable, the retries per registration.
//
//	go test ./courses -run '^$' -bench RegisterPostgres -benchtime 2000x
//
// The PostgreSQL server is the one of package pgtest (TAPHUAN_TEST_PG or a throwaway one).
func BenchmarkRegisterPostgres(b *testing.B) {
	for _, mode := range []string{"row-locks", "serializable"} {
		for _, courses := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/courses=%d", mode, courses), func(b *testing.B) {
				db := dbtest.NewPostgres(b)
				s := New(db)
				ids := benchCourses(b, db, courses)
				var seq, retries atomic.Int64
				register := s.Register
				if mode == "serializable" {
					register = func(ctx context.Context, in RegisterInput) (*Registration, error) {
						reg, n, err := s.registerSerializable(ctx, in)
						retries.Add(int64(n))
						return reg, err
					}
				}
				b.SetParallelism(8) // 16 clients on 2 cores
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						n := seq.Add(1)
						if _, err := register(context.Background(), benchInput(ids[n%int64(len(ids))], n)); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "registrations/s")
				b.ReportMetric(float64(retries.Load())/float64(b.N), "retries/op")
			})
		}
	}
}

func benchCourses(b *testing.B, db *database.DB, n int) []int64 {
	var org int64
	if err := db.W.Get(&org, `INSERT INTO organizations (name, short_name, parent_name, created_at)
		VALUES ('Sở Thông tin và Truyền thông tỉnh Khánh Hòa', 'STTTT', '', ?) RETURNING id`, database.Now()); err != nil {
		b.Fatal(err)
	}
	start := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	var ids []int64
	for range n {
		var id int64
		if err := db.W.Get(&id, `INSERT INTO courses (organization_id, title, title_folded, venue, place_name, starts_on,
			ends_on, capacity, registration_mode, min_attendance_percent, status, created_at, updated_at)
			VALUES (?, 'Tập huấn cán bộ thông tin cơ sở', ?, 'Nha Trang', 'Khánh Hòa', ?, ?, 1000000, 'open', 75, 'open', ?, ?)
			RETURNING id`, org, vn.Fold("Tập huấn cán bộ thông tin cơ sở"), start, start, database.Now(), database.Now()); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func benchInput(course, n int64) RegisterInput {
	return RegisterInput{CourseID: course, FullName: "Nguyễn Văn An", Gender: "Nam", BirthDate: "1985-03-15",
		Ethnicity: "Kinh", Position: "Viên chức", Organization: "Đài truyền thanh xã Ninh Xuân", Locality: "xã Ninh Xuân",
		Phone: fmt.Sprintf("09%08d", n), Source: SourceAPI}
}

// registerSerializable is Register as a SERIALIZABLE transaction without the course lock,
// run again when PostgreSQL gives it up; it returns how many times it ran again. The pool is
// the service's own under another driver name, so database.ForUpdate adds no lock clause.
func (s *Service) registerSerializable(ctx context.Context, in RegisterInput) (*Registration, int, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, 0, err
	}
	pool := sqlx.NewDb(s.db.W.DB, "pgx-serializable")
	for retries := 0; ; retries++ {
		reg, err := func() (*Registration, error) {
			tx, err := pool.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
			if err != nil {
				return nil, err
			}
			defer tx.Rollback()
			in := in
			reg, err := s.registerTx(ctx, tx, &in)
			if err != nil {
				return nil, err
			}
			return reg, tx.Commit()
		}()
		if serializationFailure(err) && retries < 1000 {
			continue
		}
		return reg, retries, err
	}
}

// serializationFailure reports whether PostgreSQL gave the transaction up because it ran
// into another (serialization failure or deadlock): running it again may succeed.
func serializationFailure(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
