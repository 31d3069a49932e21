package discovery

import (
	"context"

	"critreg/access"
	"critreg/inventory"
	"critreg/notice"
)

// NoticesOf looks notices up in the notice service: an item has a notice on record when a
// notice of its operator that reached the bureau (submitted, under review, accepted or
// resubmitted) has a line changing it.
func NoticesOf(svc *notice.Service) NoticeLookup {
	return func(ctx context.Context, a access.Actor, operatorID, itemID int64) (bool, error) {
		for p := (inventory.Page{Limit: inventory.MaxLimit}); ; {
			ns, next, err := svc.Notices(ctx, a, notice.NoticeFilter{}, p)
			if err != nil {
				return false, err
			}
			for _, n := range ns {
				if n.OperatorID != operatorID {
					continue
				}
				switch n.State {
				case notice.StateDraft, notice.StateWithdrawn, notice.StateObjection:
					continue
				}
				full, err := svc.Notice(ctx, a, n.ID)
				if err != nil {
					return false, err
				}
				for _, ln := range full.Lines {
					if ln.CurrentItemID == itemID {
						return true, nil
					}
				}
			}
			if next == 0 {
				return false, nil
			}
			p.After = next
		}
	}
}
