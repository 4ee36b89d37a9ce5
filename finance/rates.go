package finance

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"taphuan/database"
	"taphuan/errs"
	"taphuan/vn"
)

// Items of the cost norms.
const (
	ItemHonorarium = "honorarium" // per session (buổi), by the lecturer's tier
	ItemMeal       = "meal"       // per trainee per day attended
	ItemLodging    = "lodging"    // per trainee per night
	ItemTravel     = "travel"     // per trainee: tier "" a fixed amount, else a distance band
	ItemMaterials  = "materials"  // per trainee
)

// Items returns the items in the order of the estimate (a fresh slice each call).
func Items() []string {
	return []string{ItemHonorarium, ItemMeal, ItemLodging, ItemTravel, ItemMaterials}
}

// PerOf is what an item's amount is paid for, as in API.md's "per".
func PerOf(item string) string {
	switch item {
	case ItemHonorarium:
		return "session"
	case ItemMeal:
		return "trainee_day"
	case ItemLodging:
		return "trainee_night"
	case ItemTravel:
		return "trainee_trip"
	case ItemMaterials:
		return "trainee"
	}
	return ""
}

// Rate is one line of an organization's cost norms: the amount of an item (for a tier)
// in force from ValidFrom to ValidTo inclusive ("" = still in force), with its legal basis.
type Rate struct {
	ID             int64  `db:"id" json:"-"`
	OrganizationID int64  `db:"organization_id" json:"-"`
	Item           string `db:"item" json:"item"`
	Tier           string `db:"tier" json:"tier"`
	Amount         int64  `db:"amount" json:"amount"`
	Per            string `db:"-" json:"per"`
	ValidFrom      string `db:"valid_from" json:"valid_from"`
	ValidTo        string `db:"valid_to" json:"valid_to"`
	Basis          string `db:"basis" json:"basis"`
}

// InForce reports whether r applies on day (YYYY-MM-DD).
func (r Rate) InForce(day string) bool {
	return r.ValidFrom <= day && (r.ValidTo == "" || day <= r.ValidTo)
}

// RateInput is one line of a rate table as sent.
type RateInput struct {
	Item      string `json:"item"`
	Tier      string `json:"tier"`
	Amount    Money  `json:"amount"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Basis     string `json:"basis"`
}

// Tax is the personal income tax withheld from a payment of Threshold đồng or more to a
// person without a labour contract: RateBP basis points (1000 = 10%).
type Tax struct {
	RateBP    int64 `db:"pit_rate_bp" json:"rate_bp"`
	Threshold int64 `db:"pit_threshold" json:"threshold"`
}

// DefaultTax returns the law at the time of writing: 10% of 2,000,000 đ or more.
func DefaultTax() Tax { return Tax{RateBP: 1000, Threshold: 2_000_000} }

// RateTable is an organization's cost norms and tax settings.
type RateTable struct {
	Items []Rate `json:"items"`
	Tax   Tax    `json:"tax"`
}

// TaxInput changes the tax settings; nil fields stay.
type TaxInput struct {
	RateBP    *Money `json:"rate_bp"`
	Threshold *Money `json:"threshold"`
}

func normDate(s string) (string, bool) {
	s = vn.Clean(s)
	if s == "" {
		return "", true
	}
	t, err := vn.ParseDate(s)
	if err != nil {
		return s, false
	}
	return t.Format("2006-01-02"), true
}

// normalizeRates cleans and checks the lines; field names are "items.N.field" (N from 0).
// Two lines of the same item and tier whose periods overlap are refused on the later one's
// valid_from, naming the other line (1-based, as people count).
func normalizeRates(in []RateInput) ([]Rate, error) {
	f := errs.Fields{}
	if len(in) > 500 {
		f.Add("items", "finance.err.too_many", 500)
		return nil, f.Err()
	}
	out := make([]Rate, len(in))
	for i, r := range in {
		p := "items." + strconv.Itoa(i) + "."
		item := vn.Fold(vn.Clean(r.Item))
		if !slices.Contains(Items(), item) {
			f.Add(p+"item", "finance.err.item")
		}
		tier := vn.Clean(r.Tier)
		switch item {
		case ItemHonorarium:
			tier = NormalizeTier(tier)
			f.Check(tier != "", p+"tier", "finance.err.tier_required")
		case ItemTravel:
		default:
			f.Check(tier == "", p+"tier", "finance.err.tier_none")
		}
		f.Check(len([]rune(tier)) <= 50, p+"tier", "err.too_long", 50)
		r.Amount.check(f, p+"amount", true)
		from, ok := normDate(r.ValidFrom)
		f.Check(ok, p+"valid_from", "finance.err.date")
		f.Check(from != "", p+"valid_from", "err.required")
		to, ok := normDate(r.ValidTo)
		f.Check(ok, p+"valid_to", "finance.err.date")
		if to != "" && from != "" && ok {
			f.Check(to >= from, p+"valid_to", "finance.err.period_order")
		}
		basis := vn.Clean(r.Basis)
		f.Check(len([]rune(basis)) <= 300, p+"basis", "err.too_long", 300)
		out[i] = Rate{Item: item, Tier: tier, Amount: r.Amount.V, Per: PerOf(item), ValidFrom: from, ValidTo: to, Basis: basis}
	}
	if len(f) > 0 {
		return nil, f.Err()
	}
	for i, a := range out {
		for j := range i {
			b := out[j]
			if a.Item == b.Item && vn.Fold(a.Tier) == vn.Fold(b.Tier) && overlaps(a, b) {
				f.Add("items."+strconv.Itoa(i)+".valid_from", "finance.err.overlap", j+1)
				break
			}
		}
	}
	if len(f) > 0 {
		return nil, f.Err()
	}
	return out, nil
}

func overlaps(a, b Rate) bool {
	aEnd, bEnd := a.ValidTo, b.ValidTo
	if aEnd == "" {
		aEnd = "9999-12-31"
	}
	if bEnd == "" {
		bEnd = "9999-12-31"
	}
	return a.ValidFrom <= bEnd && b.ValidFrom <= aEnd
}

// Rates returns the cost norms of an organization (by item, tier, date) and its tax settings.
func (s *Service) Rates(ctx context.Context, orgID int64) (*RateTable, error) {
	t := &RateTable{Items: []Rate{}, Tax: DefaultTax()}
	if err := s.db.R.SelectContext(ctx, &t.Items, `
		SELECT id, organization_id, item, tier, amount, valid_from, COALESCE(valid_to, '') AS valid_to, basis
		FROM finance_rates WHERE organization_id = ?
		ORDER BY CASE item WHEN 'honorarium' THEN 1 WHEN 'meal' THEN 2 WHEN 'lodging' THEN 3 WHEN 'travel' THEN 4 ELSE 5 END,
			tier, valid_from, id`, orgID); err != nil {
		return nil, fmt.Errorf("finance: rates of %d: %w", orgID, err)
	}
	for i := range t.Items {
		t.Items[i].Per = PerOf(t.Items[i].Item)
	}
	var tax []Tax
	if err := s.db.R.SelectContext(ctx, &tax, `SELECT pit_rate_bp, pit_threshold FROM finance_settings WHERE organization_id = ?`, orgID); err != nil {
		return nil, fmt.Errorf("finance: tax settings of %d: %w", orgID, err)
	}
	if len(tax) == 1 {
		t.Tax = tax[0]
	}
	return t, nil
}

// ReplaceRates replaces the whole rate table of an organization with items (all or
// nothing) and, when given, the tax settings.
func (s *Service) ReplaceRates(ctx context.Context, orgID int64, items []RateInput, tax *TaxInput) (*RateTable, error) {
	rates, err := normalizeRates(items)
	if err != nil {
		return nil, err
	}
	cur, err := s.Rates(ctx, orgID)
	if err != nil {
		return nil, err
	}
	t := cur.Tax
	if tax != nil {
		f := errs.Fields{}
		if tax.RateBP != nil {
			tax.RateBP.check(f, "tax.rate_bp", true)
			f.Check(tax.RateBP.V <= 10000, "tax.rate_bp", "finance.err.rate_bp")
			t.RateBP = tax.RateBP.V
		}
		if tax.Threshold != nil {
			tax.Threshold.check(f, "tax.threshold", true)
			t.Threshold = tax.Threshold.V
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
	}
	tx, err := s.db.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("finance: rates of %d: %w", orgID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM finance_rates WHERE organization_id = ?`, orgID); err != nil {
		return nil, fmt.Errorf("finance: rates of %d: %w", orgID, err)
	}
	for _, r := range rates {
		var to any
		if r.ValidTo != "" {
			to = r.ValidTo
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO finance_rates (organization_id, item, tier, amount, valid_from, valid_to, basis)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, r.Item, r.Tier, r.Amount, r.ValidFrom, to, r.Basis); err != nil {
			return nil, fmt.Errorf("finance: rates of %d: %w", orgID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO finance_settings (organization_id, pit_rate_bp, pit_threshold, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (organization_id) DO UPDATE SET pit_rate_bp = excluded.pit_rate_bp,
			pit_threshold = excluded.pit_threshold, updated_at = excluded.updated_at`,
		orgID, t.RateBP, t.Threshold, database.Now()); err != nil {
		return nil, fmt.Errorf("finance: tax settings of %d: %w", orgID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("finance: rates of %d: %w", orgID, err)
	}
	return s.Rates(ctx, orgID)
}

// rateAt returns the rate of item (and tier) in force on day.
func (t *RateTable) rateAt(item, tier, day string) (Rate, bool) {
	for _, r := range t.Items {
		if r.Item == item && vn.Fold(r.Tier) == vn.Fold(tier) && r.InForce(day) {
			return r, true
		}
	}
	return Rate{}, false
}
