package generators

import (
	"crypto/rand"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A Schedule turns a vegeta pacer into the due time of each new message, counted from the
// start of the load. It runs the pacer on a virtual clock, so the schedule is the same on
// every run and every machine; the engine then sends each message when it falls due.
// Retries and injected copies are scheduled apart and do not consume the pacer's hits,
// so a rate counts messages, as scenarios define it.
type Schedule struct {
	pacer    vegeta.Pacer
	duration time.Duration // 0 means unbounded
	elapsed  time.Duration
	hits     uint64

	burstAt   time.Duration
	burstLeft int
	burst     int  // slots the burst has handed out so far
	lastBurst bool // the last slot handed out was the burst's
}

// NewSchedule returns the schedule of a pacer bounded by duration (0 for none).
func NewSchedule(p vegeta.Pacer, duration time.Duration) *Schedule {
	return &Schedule{pacer: p, duration: duration}
}

// Burst adds n messages due all at once at offset at, on top of the pacer's: the backlog
// an upstream batch job dumps. A burst past the duration never comes.
func (s *Schedule) Burst(at time.Duration, n int) {
	s.burstAt, s.burstLeft = at, n
}

// Bursted returns how many slots the burst has handed out so far.
func (s *Schedule) Bursted() int { return s.burst }

// LastWasBurst reports whether the slot Next returned last belongs to the burst.
func (s *Schedule) LastWasBurst() bool { return s.lastBurst }

// Next returns the due offset of the next message, or false when the pacer stops or the
// offset would pass the duration. Offsets never decrease.
func (s *Schedule) Next() (time.Duration, bool) {
	wait, stop := s.pacer.Pace(s.elapsed, s.hits)
	due := s.elapsed + max(wait, 0)
	if s.burstLeft > 0 && (stop || due >= s.burstAt) &&
		(s.duration == 0 || s.burstAt <= s.duration) {
		s.burstLeft--
		s.burst++
		s.lastBurst = true
		return max(s.burstAt, s.elapsed), true
	}
	s.lastBurst = false
	if stop || (s.duration > 0 && due > s.duration) {
		return 0, false
	}
	s.elapsed = due
	s.hits++
	return due, true
}

// NewPrefix returns a fresh correlation prefix: "SC" and five characters from a
// case-insensitive alphabet without look-alikes. It is random on purpose, so that runs
// against the same target never share records; everything else in a run comes from the seed.
func NewPrefix() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("generators: no system randomness for the run prefix: " + err.Error())
	}
	out := []byte("SC")
	for _, c := range b {
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
