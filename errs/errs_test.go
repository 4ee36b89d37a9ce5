package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"taphuan/errs"
)

func TestIsComparesSentinels(t *testing.T) {
	t.Parallel()
	courseMissing := errs.New(errs.NotFound, "err.not_found")
	userMissing := errs.New(errs.NotFound, "err.not_found") // same code and key, another package
	wrapped := fmt.Errorf("courses: course 7: %w", courseMissing.Wrap(errors.New("sql: no rows")))
	with := courseMissing.With(7)
	for _, tc := range []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"sentinel itself", courseMissing, courseMissing, true},
		{"wrapped copy", wrapped, courseMissing, true},
		{"copy with arguments", with, courseMissing, true},
		{"copy of a copy", with.Wrap(errors.New("x")), courseMissing, true},
		{"two copies of one sentinel", with, courseMissing.Wrap(nil), true},
		{"another package's sentinel with the same code and key", wrapped, userMissing, false},
		{"copy against another sentinel", with, userMissing, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errors.Is(tc.err, tc.target); got != tc.want {
				t.Errorf("errors.Is = %v, want %v", got, tc.want)
			}
		})
	}
	if got, want := errs.CodeOf(wrapped), errs.NotFound; got != want {
		t.Errorf("CodeOf = %v, want %v", got, want)
	}
}
