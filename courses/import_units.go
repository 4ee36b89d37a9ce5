package courses

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jmoiron/sqlx"

	"taphuan/units"
	"taphuan/vn"
)

// UnitMapping is one distinct unit text of a roster file in the import preview: matched to
// a unit by its name, short name or an alias (UnitID, automatic), or not, with the close
// matches to suggest to the organizer.
type UnitMapping struct {
	Text        string // as first written in the file
	Rows        int    // rows that write it this way (or another way with the same key)
	UnitID      int64  // 0: no exact match
	UnitName    string
	Suggestions []units.Suggestion
}

// maxUnitSuggestions is how many close matches the preview offers for a text.
const maxUnitSuggestions = 3

// ImportUnits returns the distinct unit texts of the rows (by match key, in the order of
// the file) with their matches: what the preview shows for the organizer to map.
func (s *Service) ImportUnits(ctx context.Context, rows []ImportRow) ([]UnitMapping, error) {
	us := units.New(s.db)
	index := map[string]int{}
	var out []UnitMapping
	for _, r := range rows {
		text := vn.Clean(r.Input.Organization)
		k := units.Key(text)
		if k == "" {
			continue
		}
		if i, ok := index[k]; ok {
			out[i].Rows++
			continue
		}
		index[k] = len(out)
		out = append(out, UnitMapping{Text: text, Rows: 1})
	}
	for i := range out {
		m := &out[i]
		id, ok, err := us.Match(ctx, m.Text)
		if err != nil {
			return nil, err
		}
		if ok {
			u, err := us.Find(ctx, id)
			if err != nil {
				return nil, err
			}
			m.UnitID, m.UnitName = u.ID, u.Name
			continue
		}
		if m.Suggestions, err = us.Suggest(ctx, m.Text, maxUnitSuggestions); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnitChoice is the organizer's mapping of a unit text of the file: to UnitID, or to a new
// unit named as the text (Create). The text is remembered as an alias of the unit.
type UnitChoice struct {
	Text   string
	UnitID int64
	Create bool
}

// applyUnitChoices remembers the organizer's mappings inside the import's transaction, so
// that the rows are matched to the units chosen (and later files too). A text that already
// names a unit is left as it is.
func applyUnitChoices(ctx context.Context, tx *sqlx.Tx, choices []UnitChoice) error {
	sort.SliceStable(choices, func(i, j int) bool { return !choices[i].Create && choices[j].Create })
	for _, ch := range choices {
		text := vn.Clean(ch.Text)
		if _, ok, err := units.MatchTx(ctx, tx, text); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		id := ch.UnitID
		if ch.Create {
			in := units.Input{Name: text, Kind: units.KindOther}
			in.Normalize()
			if err := in.Validate(); err != nil {
				return err
			}
			var err error
			if id, err = units.CreateTx(ctx, tx, in); err != nil {
				return err
			}
			continue
		}
		if id == 0 {
			continue
		}
		if err := units.AddAliasTx(ctx, tx, id, text); err != nil {
			if errors.Is(err, units.ErrNotFound) {
				return fmt.Errorf("courses: import: unit %d: %w", id, err)
			}
			return err
		}
	}
	return nil
}
