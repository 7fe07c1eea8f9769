package generators

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func testConfig(seed uint64, prefix string, maxMessages int) Config {
	return Config{
		Seed:   seed,
		Prefix: prefix,
		Companies: []*MasterData{
			NewMasterData(seed, "usmf", 20, 50),
			NewMasterData(seed, "demf", 20, 50),
		},
		Flows:       []FlowMix{{Flow: "procure-to-pay", Weight: 1, MinLines: 1, MaxLines: 8}},
		MaxMessages: maxMessages,
	}
}

// drain returns every message of a stream, bodies with the prefix replaced by "PREFIX".
func drain(t *testing.T, cfg Config) ([]*Message, []byte) {
	t.Helper()
	s, err := NewStream(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*Message
	var all bytes.Buffer
	for {
		d, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range d.Messages {
			msgs = append(msgs, m)
			all.WriteString(m.Entity + " " + strings.ReplaceAll(string(m.Body()), cfg.Prefix, "PREFIX"))
			all.WriteByte('\n')
		}
	}
	return msgs, all.Bytes()
}

func TestSameSeedSameStreamApartFromPrefix(t *testing.T) {
	_, a := drain(t, testConfig(42, "SCAAAAA", 2000))
	_, b := drain(t, testConfig(42, "SCBBBBB", 2000))
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different message streams")
	}
	_, c := drain(t, testConfig(43, "SCAAAAA", 2000))
	if bytes.Equal(a, c) {
		t.Fatal("seeds 42 and 43 gave the same message stream")
	}
}

func TestStreamStopsAtMaxMessages(t *testing.T) {
	for _, max := range []int{1, 2, 3, 17, 1000} {
		msgs, _ := drain(t, testConfig(7, "SCTEST1", max))
		if len(msgs) != max {
			t.Errorf("max %d: stream gave %d messages", max, len(msgs))
		}
		for i, m := range msgs {
			if m.ID != int64(i+1) {
				t.Fatalf("max %d: message %d has id %d", max, i+1, m.ID)
			}
		}
	}
}

// TestDocumentsReferToEarlierRecords checks the invariants the engine and verification
// rely on: every body is JSON, a line waits for its header, a receipt for its order, and
// every reference points to a record sent earlier with the key the spec derives.
func TestDocumentsReferToEarlierRecords(t *testing.T) {
	msgs, _ := drain(t, testConfig(11, "SCTEST2", 3000))
	byKey := map[string]*Message{}
	byID := map[int64]*Message{}
	for _, m := range msgs {
		var v map[string]any
		if err := json.Unmarshal(m.Body(), &v); err != nil {
			t.Fatalf("message %d body is not JSON: %v", m.ID, err)
		}
		spec, _ := SpecFor(m.Entity)
		if m.ParentKey != "" && byKey[spec.Parent+"|"+m.ParentKey] == nil {
			t.Fatalf("message %d (%s) has parent %s that was not sent before it",
				m.ID, m.Entity, m.ParentKey)
		}
		for _, id := range append(append([]int64{}, m.After...), m.Needs...) {
			if id >= m.ID || byID[id] == nil {
				t.Fatalf("message %d refers to message %d, which does not come first", m.ID, id)
			}
		}
		if len(m.Correlation) > 20 {
			t.Fatalf("correlation %q is longer than 20 characters", m.Correlation)
		}
		byKey[m.Entity+"|"+m.Key] = m
		byID[m.ID] = m
	}
}

func TestMasterDataIsDeterministicPerCompany(t *testing.T) {
	a := NewMasterData(5, "usmf", 3, 3)
	b := NewMasterData(5, "usmf", 3, 3)
	c := NewMasterData(5, "demf", 3, 3)
	if string(a.Messages()[0].Body()) != string(b.Messages()[0].Body()) {
		t.Fatal("same seed and company gave different vendors")
	}
	if a.Vendors[0].Name == c.Vendors[0].Name && a.Products[0].Name == c.Products[0].Name {
		t.Fatal("usmf and demf got the same master data names")
	}
	if a.Currency != "USD" || c.Currency != "EUR" {
		t.Fatalf("currencies %s and %s, want USD and EUR", a.Currency, c.Currency)
	}
}

func TestScheduleFollowsTheConstantPacer(t *testing.T) {
	s := NewSchedule(vegeta.ConstantPacer{Freq: 200, Per: time.Second}, time.Second)
	n := 0
	for {
		due, ok := s.Next()
		if !ok {
			break
		}
		n++
		if want := time.Duration(n) * 5 * time.Millisecond; due != want {
			t.Fatalf("message %d due at %s, want %s", n, due, want)
		}
	}
	if n != 200 {
		t.Fatalf("one second at 200/s scheduled %d messages, want 200", n)
	}
}

func TestBurstReleasesMessagesAtOnceOnTopOfThePace(t *testing.T) {
	s := NewSchedule(vegeta.ConstantPacer{Freq: 10, Per: time.Second}, time.Second)
	s.Burst(500*time.Millisecond, 25)
	var dues []time.Duration
	for {
		due, ok := s.Next()
		if !ok {
			break
		}
		if n := len(dues); n > 0 && due < dues[n-1] {
			t.Fatalf("message %d due at %s, before %s", n+1, due, dues[n-1])
		}
		dues = append(dues, due)
	}
	at := 0
	for _, d := range dues {
		if d == 500*time.Millisecond {
			at++
		}
	}
	if len(dues) != 10+25 || at != 25+1 || s.Bursted() != 25 {
		t.Fatalf("%d messages, %d due at 500ms, %d bursted; want 35, 26 (25 + the paced one), 25",
			len(dues), at, s.Bursted())
	}
}
