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

// TestRevisionsPatchTheLineAndSetItsExpectedQuantity checks order changes: each revision
// is a PATCH of an existing line by its full key, numbered from 1, waiting for the line or
// the revision before it; the line expects its last revision's quantity, and the receipt,
// built after the revisions, receives that quantity at most.
func TestRevisionsPatchTheLineAndSetItsExpectedQuantity(t *testing.T) {
	cfg := testConfig(13, "SCTEST3", 3000)
	cfg.Flows[0].Changes = 0.5
	msgs, _ := drain(t, cfg)
	byID := map[int64]*Message{}
	last := map[string]*Message{}
	revised := 0
	for _, m := range msgs {
		byID[m.ID] = m
		if m.Role != Update {
			continue
		}
		revised++
		line := byID[m.Needs[0]]
		if line == nil || line.Role != Line || m.Key != line.Key || m.Method != "PATCH" ||
			!strings.HasPrefix(m.Path, "/data/PurchaseOrderLinesV2(dataAreaId='") {
			t.Fatalf("revision %d (%s %s) does not patch an earlier line", m.ID, m.Method, m.Path)
		}
		prev := last[m.Key]
		if (prev == nil) != (m.Version == 1) || (prev != nil && m.After[0] != prev.ID) ||
			(prev == nil && m.After[0] != line.ID) {
			t.Fatalf("revision %d, version %d, waits for %v", m.ID, m.Version, m.After)
		}
		last[m.Key] = m
		if len(m.Fields) != 2 {
			t.Fatalf("revision %d carries %v, want the quantity and the amount", m.ID, m.Fields)
		}
	}
	for key, rev := range last {
		qty, _ := rev.Field("OrderedPurchaseQuantity")
		line := byID[rev.Needs[0]]
		if line.Quantity != qty.(float64) {
			t.Fatalf("line %s expects quantity %v, its last revision says %v", key, line.Quantity, qty)
		}
	}
	for _, m := range msgs {
		if m.Entity != "ProductReceiptLinesV2" {
			continue
		}
		if ordered := byID[m.Needs[1]]; m.Quantity > ordered.Quantity {
			t.Fatalf("receipt line %d receives %v of line %d, which orders %v at last", m.ID,
				m.Quantity, ordered.ID, ordered.Quantity)
		}
	}
	if revised == 0 {
		t.Fatal("changes: 50% revised no line")
	}
	_, plain := drain(t, testConfig(13, "SCTEST3", 3000))
	cfg.Flows[0].Changes = 0
	_, zero := drain(t, cfg)
	if !bytes.Equal(plain, zero) {
		t.Fatal("changes: 0% changed the stream")
	}
}
