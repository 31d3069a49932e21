package inventory

import (
	"cmp"
	"slices"
)

// SortParts orders summaries by operator, network and critical part, the parts in the order
// of annex 6 and parts declared by the operator after them.
func SortParts(ps []PartSummary) {
	rank := annex6Rank()
	slices.SortStableFunc(ps, func(a, b PartSummary) int {
		return cmp.Or(cmp.Compare(a.Operator, b.Operator), cmp.Compare(a.Network, b.Network), cmp.Compare(a.NetworkID, b.NetworkID),
			cmp.Compare(partRank(rank, a.CriticalPart), partRank(rank, b.CriticalPart)), cmp.Compare(a.CriticalPart, b.CriticalPart))
	})
}

func annex6Rank() map[string]int {
	m := make(map[string]int, len(annex6))
	for i, p := range annex6 {
		m[p.Code] = i
	}
	return m
}

func partRank(rank map[string]int, code string) int {
	if r, ok := rank[code]; ok {
		return r
	}
	return len(rank)
}
