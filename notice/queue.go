package notice

import (
	"context"
	"fmt"
	"sort"

	"critreg/access"
	"critreg/errkind"
)

// QueueEntry is a notice waiting for the bureau.
type QueueEntry struct {
	Notice
	// DaysToStart counts days from today (Riga) to the planned start; negative when it is
	// past. Soon is true when the start is within 7 days.
	DaysToStart int  `json:"days_to_start"`
	Soon        bool `json:"starts_within_7_days"`
}

// Queue lists the notices waiting for the bureau (submitted, resubmitted, under review):
// those starting within 7 days first, then by planned start, then by id.
func (s *Service) Queue(ctx context.Context, a access.Actor) ([]QueueEntry, error) {
	if !a.Is(access.RoleBureau, access.RoleAdmin) {
		return nil, errkind.Forbidden("the review queue is the bureau's")
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+noticeColumns+noticeFrom+`
		WHERE n.state IN ('submitted', 'resubmitted', 'under_review') ORDER BY n.planned_start, n.id`)
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	defer rows.Close()
	today := RigaDate(s.now())
	out := []QueueEntry{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("review queue: %w", err)
		}
		d := daysBetween(today, n.PlannedStart)
		out = append(out, QueueEntry{Notice: n, DaysToStart: d, Soon: d <= 7})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	// The SQL order already puts the soonest first; the stable sort states the rule.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Soon && !out[j].Soon })
	return out, nil
}
