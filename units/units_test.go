package units_test

import (
	"errors"
	"testing"

	"taphuan/database/dbtest"
	"taphuan/errs"
	"taphuan/units"
)

func TestDirectory(t *testing.T) {
	db := dbtest.New(t)
	s := units.New(db)
	ctx := t.Context()
	u, err := s.Create(ctx, units.Input{Name: " UBND  xã Cam Hải Tây ", Kind: "Xã", Locality: "huyện Cam Lâm",
		Aliases: []string{"Ủy ban nhân dân xã Cam Hải Tây", "Xã Cam Hải Tây", "", "xa cam hai tay"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "UBND xã Cam Hải Tây" || u.Kind != units.KindCommune || len(u.Aliases) != 1 || u.Aliases[0] != "Xã Cam Hải Tây" {
		t.Errorf("created %+v (the alias with the name's key and the repeated one are dropped)", u)
	}
	t.Run("ErrKeyTaken", func(t *testing.T) {
		if _, err := s.Create(ctx, units.Input{Name: "UBND X. Cam Hai Tay"}); !errors.Is(err, units.ErrKeyTaken) {
			t.Errorf("a second unit with the same key: %v", err)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		_, err := s.Create(ctx, units.Input{Name: "", Kind: "hành tinh", ParentID: 999})
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields["name"].Key == "" || e.Fields["kind"].Key == "" {
			t.Errorf("bad fields: %v", err)
		}
		if _, err := s.Create(ctx, units.Input{Name: "Báo Khánh Hòa", ParentID: 999}); !errors.As(err, &e) || e.Fields["parent_id"].Key == "" {
			t.Errorf("unknown parent: %v", err)
		}
	})
	other, err := s.Create(ctx, units.Input{Name: "Báo Khánh Hòa", Kind: units.KindPress})
	if err != nil {
		t.Fatal(err)
	}
	// Search: without diacritics or abbreviations, the exact key first.
	got, total, err := s.List(ctx, units.Filter{Query: "uy ban nhan dan xa cam hai tay"})
	if err != nil || total != 1 || got[0].ID != u.ID {
		t.Errorf("search: %+v %d %v", got, total, err)
	}
	if got, _, _ := s.List(ctx, units.Filter{Query: "khanh"}); len(got) != 1 || got[0].ID != other.ID {
		t.Errorf("search part of a name: %+v", got)
	}
	// A rename keeps the old name as an alias.
	name := "UBND xã Cam Hải Tây (mới)"
	renamed, err := s.Update(ctx, u.ID, units.Patch{Name: &name, Aliases: &[]string{"Xã Cam Hải Tây"}})
	if err != nil {
		t.Fatal(err)
	}
	if id, ok, _ := s.Match(ctx, "UBND xã Cam Hải Tây"); !ok || id != u.ID || len(renamed.Aliases) != 2 {
		t.Errorf("after the rename the old name does not match: %+v", renamed)
	}
	sug, err := s.Suggest(ctx, "Bao Khanh Hoa dien tu", 3)
	if err != nil || len(sug) == 0 || sug[0].Unit.ID != other.ID {
		t.Errorf("suggest: %+v %v", sug, err)
	}
}
