package verify

// The classes of an expected record, as design and reports name them.
const (
	Committed          = "committed"
	Duplicated         = "duplicated"
	Lost               = "lost"
	Altered            = "altered"
	BadDataAccepted    = "bad_data_accepted"
	RejectedAsExpected = "rejected_as_expected"
	Orphan             = "orphan"
)

// Counts are the verdict counts of a run or of one entity in one legal entity.
type Counts struct {
	Expected           int `json:"expected"`
	Committed          int `json:"committed"`
	Duplicated         int `json:"duplicated"`       // records present more than once
	DuplicateCopies    int `json:"duplicate_copies"` // extra copies of those records
	Lost               int `json:"lost"`
	LostAcknowledged   int `json:"lost_acknowledged"`   // a 2xx was seen: silent data loss
	LostNeverAccepted  int `json:"lost_never_accepted"` // every attempt failed
	Altered            int `json:"altered"`
	BadDataAccepted    int `json:"bad_data_accepted"`
	RejectedAsExpected int `json:"rejected_as_expected"`
	Orphans            int `json:"orphans"`
	Unexpected         int `json:"unexpected"` // carry the run's prefix but were never sent
	Recovered          int `json:"recovered"`  // present after a failed or unanswered attempt
	FalseNegatives     int `json:"false_negatives"`
}

// add counts one verdict.
func (c *Counts) add(v verdict) {
	c.Expected++
	switch v.class {
	case Committed:
		c.Committed++
	case Duplicated:
		c.Duplicated++
		c.DuplicateCopies += v.found - 1
	case Lost:
		c.Lost++
		if v.acknowledged {
			c.LostAcknowledged++
		} else {
			c.LostNeverAccepted++
		}
	case Altered:
		c.Altered++
	case BadDataAccepted:
		c.BadDataAccepted++
	case RejectedAsExpected:
		c.RejectedAsExpected++
	case Orphan:
		c.Orphans++
	}
	if v.recovered {
		c.Recovered++
	}
	if v.falseNegative {
		c.FalseNegatives++
	}
}

// EntityCounts are the counts of one entity in one legal entity.
type EntityCounts struct {
	Entity  string `json:"entity"`
	Company string `json:"company"`
	Counts
}

// Result is the outcome of verification.
type Result struct {
	Counts
	Entities []EntityCounts `json:"entities"`
	Read     ReadStats      `json:"read"`
}
