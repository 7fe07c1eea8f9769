package ledger

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func mustCreate(t *testing.T) *Ledger {
	t.Helper()
	l, err := Create(filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func rows(t *testing.T, l *Ledger, table string) int {
	t.Helper()
	var n int
	if err := l.DB().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFlushMakesEveryQueuedRowVisible(t *testing.T) {
	l := mustCreate(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2500 {
				l.AddAttempt(Attempt{Message: int64(w*10000 + i), Try: 1, Outcome: OutcomeOK})
			}
		}()
	}
	wg.Wait()
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := rows(t, l, "attempts"); n != 10000 {
		t.Fatalf("%d attempts after flush, want 10000", n)
	}
}

func TestWriteErrorsAreNeverSilent(t *testing.T) {
	l := mustCreate(t)
	l.AddMessage(Message{ID: 1, Body: []byte("{}")})
	l.AddMessage(Message{ID: 1, Body: []byte("{}")}) // the primary key forbids a second id 1
	err := l.Flush()
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("flush after a failed insert returned %v, want the constraint error", err)
	}
	if n := rows(t, l, "messages"); n != 1 {
		t.Fatalf("%d messages stored, want the valid one", n)
	}
	if err2 := l.Close(); err2 == nil || l.Close() == nil {
		t.Fatal("close forgot the write error")
	}
}

func TestCreateRefusesAnExistingLedgerAndMetaRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.db")
	l, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SetMeta("seed", "42"); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Create(path); err == nil {
		t.Fatal("Create overwrote an existing run.db")
	}
	l, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if v, _ := l.Meta("seed"); v != "42" {
		t.Fatalf("seed %q, want 42", v)
	}
	if v, err := l.Meta("missing"); v != "" || err != nil {
		t.Fatalf("missing key gave %q, %v", v, err)
	}
}
