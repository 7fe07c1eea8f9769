package faults

import (
	"slices"
	"testing"
	"time"

	"github.com/stormcheck/stormcheck/scenarios"
)

func TestDuplicateResendExactSetForSeed(t *testing.T) {
	docs := cases(t, 3, 300)
	d, err := newDuplicate(scenarios.DuplicateFault{Rate: 0.05, Mode: "resend",
		Delay: scenarios.DurationRange{Min: time.Second, Max: 2 * time.Second}}, NewDice(3))
	if err != nil {
		t.Fatal(err)
	}
	n := apply(d, docs)
	var hit []int64
	for _, m := range messagesOf(docs) {
		if len(m.Copies) == 0 {
			continue
		}
		hit = append(hit, m.ID)
		c := m.Copies[0]
		if len(m.Copies) != 1 || c.NewID || c.Delay < time.Second || c.Delay > 2*time.Second {
			t.Fatalf("message %d got copies %+v, want one resend after 1s-2s", m.ID, m.Copies)
		}
		if !slices.Contains(m.Faults, "duplicate:resend") {
			t.Fatalf("message %d faults %v lack duplicate:resend", m.ID, m.Faults)
		}
	}
	want := []int64{11, 47, 58, 78, 100, 114, 145, 177, 187, 213, 238, 249, 257}
	if !slices.Equal(hit, want) || n != len(want) {
		t.Fatalf("seed 3 duplicated %v (count %d), want %v", hit, n, want)
	}
}

func TestDuplicateRateAcrossSeeds(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		docs := cases(t, seed, 2000)
		d, _ := newDuplicate(scenarios.DuplicateFault{Rate: 0.03, Mode: "new-message-id"},
			NewDice(seed))
		n := apply(d, docs)
		msgs := messagesOf(docs)
		if !withinBinomial(n, len(msgs), 0.03) {
			t.Fatalf("seed %d: %d of %d messages duplicated at 3%%", seed, n, len(msgs))
		}
		for _, m := range msgs {
			if len(m.Copies) > 0 && !m.Copies[0].NewID {
				t.Fatalf("seed %d: new-message-id copy of %d is not a new message", seed, m.ID)
			}
		}
	}
}

func TestRedeliverSendsSeveralCopies(t *testing.T) {
	docs := cases(t, 5, 500)
	d, _ := newDuplicate(scenarios.DuplicateFault{Rate: 0.1, Mode: "redeliver", Copies: 3,
		Delay: scenarios.DurationRange{Max: time.Second}}, NewDice(5))
	n := apply(d, docs)
	hit := 0
	for _, m := range messagesOf(docs) {
		if len(m.Copies) == 0 {
			continue
		}
		hit++
		if len(m.Copies) != 3 || m.Copies[0].NewID || m.Copies[0].Delay == m.Copies[1].Delay {
			t.Fatalf("message %d got copies %+v, want 3 redeliveries with their own delays", m.ID, m.Copies)
		}
	}
	if hit == 0 || n != 3*hit {
		t.Fatalf("%d messages redelivered, %d copies counted; want 3 per message", hit, n)
	}
}
