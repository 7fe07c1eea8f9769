package scenarios

import "strings"

// nearest returns the candidate closest to word, or "" when none is close enough to be
// a likely typo. Closeness is the edit distance with adjacent transpositions, ignoring
// case, and a candidate that starts with word (or the reverse) counts as close. Ties go
// to the earlier candidate, so suggestions are stable.
func nearest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(w, strings.ToLower(c))
		if !closeEnough(w, strings.ToLower(c), d) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// closeEnough reports whether a distance d between w and c suggests a typo: at most a
// third of the longer word (and at least 1), or one word is a prefix of the other.
func closeEnough(w, c string, d int) bool {
	limit := max(1, max(len(w), len(c))/3)
	if d <= limit {
		return true
	}
	short := min(len(w), len(c))
	return short >= 3 && (strings.HasPrefix(c, w) || strings.HasPrefix(w, c))
}

// editDistance is the optimal string alignment distance between a and b: insertions,
// deletions, substitutions and swaps of two adjacent bytes each cost 1.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
