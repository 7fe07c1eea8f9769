package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/stormcheck/stormcheck/generators"
)

// errStreamOver ends the attack: every message was delivered or given up.
var errStreamOver = errors.New("every message delivered or given up")

// A source hands out business cases after stream faults; io.EOF ends it.
type source func() (generators.Case, error)

// A scheduler decides which delivery is due next. New messages fall due on the pacing
// schedule; a child waits until its parent's delivery is over (unless a fault sends it
// eagerly); copies fall due after their delay and retries after their backoff. It holds
// only messages still being delivered, so memory does not grow with the run.
type scheduler struct {
	clock Clock
	start time.Time

	dispatch sync.Mutex // one caller of next waits for the next due delivery at a time
	mu       sync.Mutex // guards everything below
	src      source
	slots    *generators.Schedule
	slot     time.Duration // due offset of the next new message
	hasSlot  bool
	burst    bool // the next slot belongs to a burst
	bursts   int  // messages that went out in a burst
	srcErr   error
	order    int64
	due      dueHeap
	waiting  map[int64][]*delivery // deliveries held until the keyed message is delivered
	open     map[int64]*progress   // messages pulled and not yet over
	inflight int
	stopped  bool
	wake     chan struct{}

	pulled func(*generators.Message) // called for each message as it enters the run
}

// progress tracks the deliveries of one message.
type progress struct {
	originalOver bool // the original delivery committed or was given up
	unfinished   int  // deliveries (original and copies) not over yet
}

func newScheduler(clock Clock, src source, slots *generators.Schedule,
	pulled func(*generators.Message)) *scheduler {
	s := &scheduler{
		clock: clock, src: src, slots: slots, pulled: pulled,
		waiting: map[int64][]*delivery{}, open: map[int64]*progress{},
		wake: make(chan struct{}, 1),
	}
	s.nextSlot()
	return s
}

// nextSlot takes the next slot of the schedule.
func (s *scheduler) nextSlot() {
	s.slot, s.hasSlot = s.slots.Next()
	s.burst = s.slots.LastWasBurst()
}

// begin starts the schedule's clock.
func (s *scheduler) begin() {
	s.mu.Lock()
	s.start = s.clock.Now()
	s.mu.Unlock()
}

// next blocks until a delivery is due and returns it, or returns errStreamOver when all
// is delivered, or ctx's error when the run is stopped.
func (s *scheduler) next(ctx context.Context) (*delivery, error) {
	s.dispatch.Lock()
	defer s.dispatch.Unlock()
	for {
		// A slow target leaves a backlog of overdue deliveries; without this check they
		// would be handed out one after another and a stop would never be seen.
		if err := ctx.Err(); err != nil {
			s.stop()
			return nil, err
		}
		d, wait, err := s.poll()
		if d != nil || err != nil {
			return d, err
		}
		var timer <-chan time.Time
		if wait >= 0 {
			timer = s.clock.After(wait)
		}
		select {
		case <-timer:
		case <-s.wake:
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		}
	}
}

// poll returns a due delivery, or how long to wait for one (-1: until woken), or the end.
func (s *scheduler) poll() (*delivery, time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if err := s.pullDue(now); err != nil {
		return nil, 0, err
	}
	if s.stopped {
		return nil, 0, errStreamOver
	}
	if len(s.due) > 0 && !s.due[0].due.After(now) {
		s.inflight++
		return heap.Pop(&s.due).(*delivery), 0, nil
	}
	wait := time.Duration(-1)
	if len(s.due) > 0 {
		wait = s.due[0].due.Sub(now)
	}
	if s.hasSlot {
		if w := s.start.Add(s.slot).Sub(now); wait < 0 || w < wait {
			wait = w
		}
	}
	if wait < 0 && s.inflight == 0 && len(s.waiting) == 0 {
		return nil, 0, errStreamOver
	}
	return nil, wait, nil
}

// pullDue takes business cases from the source while their first message is due.
func (s *scheduler) pullDue(now time.Time) error {
	for s.hasSlot && !s.stopped && !s.start.Add(s.slot).After(now) {
		c, err := s.src()
		if errors.Is(err, io.EOF) {
			s.hasSlot = false
			return nil
		}
		if err != nil {
			s.srcErr = fmt.Errorf("generate documents: %w", err)
			s.hasSlot = false
			return s.srcErr
		}
		s.admit(c)
	}
	return nil
}

// admit gives each message of a case the next slot of the schedule; messages for which
// the schedule has no slot left (the duration ran out) are not sent and not recorded. All
// messages of the case are open before any is placed, because a message may wait for a
// later one of its case (a header sent after its lines, an order after its receipt).
func (s *scheduler) admit(c generators.Case) {
	var firsts []*delivery
	for _, m := range c.Messages() {
		if !s.hasSlot {
			break
		}
		base := s.start.Add(s.slot + m.Delay)
		if s.burst {
			s.bursts++
			m.AddFault("burst")
		}
		s.nextSlot()

		s.pulled(m)
		s.open[m.ID] = &progress{unfinished: 1 + len(m.Copies)}
		firsts = append(firsts, &delivery{msg: m, try: 1, due: base})
		for i, c := range m.Copies {
			// A copy is a resend: it goes out once the original delivery is over, so that
			// which of the two reaches the target first never depends on timing.
			dup := &delivery{msg: m, copy: i + 1, try: 1, due: base.Add(c.Delay)}
			s.waiting[m.ID] = append(s.waiting[m.ID], dup)
		}
	}
	for _, d := range firsts {
		s.place(d)
	}
}

// place queues a first try, or holds it until a message it waits for is delivered. A
// copy waits for nothing but its original, which is over when the copy is placed.
func (s *scheduler) place(d *delivery) {
	if d.copy == 0 && !d.msg.Eager {
		for _, id := range d.msg.After {
			if p, ok := s.open[id]; ok && !p.originalOver {
				s.waiting[id] = append(s.waiting[id], d)
				return
			}
		}
	}
	s.push(d)
}

func (s *scheduler) push(d *delivery) {
	s.order++
	d.order = s.order
	heap.Push(&s.due, d)
}

// done reports that delivery d's attempt is over. When the sender retries, the next try
// (a send or a look-up) falls due after the step's wait; otherwise the delivery is over.
func (s *scheduler) done(d *delivery, next step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	defer s.signal()
	if next.retry && !s.stopped {
		s.push(&delivery{msg: d.msg, copy: d.copy, try: d.try + 1, lookup: next.lookup,
			due: s.clock.Now().Add(next.wait)})
		return
	}
	p := s.open[d.msg.ID]
	p.unfinished--
	if d.copy == 0 {
		p.originalOver = true
		s.release(d.msg.ID)
	}
	if p.unfinished == 0 && p.originalOver {
		delete(s.open, d.msg.ID)
	}
}

// release places the deliveries that waited for message id.
func (s *scheduler) release(id int64) {
	held := s.waiting[id]
	delete(s.waiting, id)
	for _, d := range held {
		d.due = later(d.due, s.clock.Now())
		s.place(d)
	}
}

// stop ends the run early: nothing new is handed out, deliveries in flight still report.
func (s *scheduler) stop() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.signal()
}

// burstMessages returns how many messages went out in a burst.
func (s *scheduler) burstMessages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bursts
}

// abandoned returns the messages whose deliveries never finished because the run stopped.
func (s *scheduler) abandoned() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open)
}

func (s *scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
