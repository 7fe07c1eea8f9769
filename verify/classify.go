package verify

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// classifyQuery joins every expected record with the state read back and with its
// attempts. One row per message, in message order; the subqueries use the key indexes.
const classifyQuery = `
SELECT m.id, m.entity, m.company, m.fate, m.body,
  (SELECT COUNT(*) FROM state s WHERE s.entity = m.entity AND s.match_key = m.match_key),
  CASE WHEN m.parent_entity = '' THEN 1 ELSE EXISTS (SELECT 1 FROM state p
    WHERE p.entity = m.parent_entity AND p.match_key = m.parent_key) END,
  COALESCE((SELECT s.body FROM state s WHERE s.entity = m.entity AND s.match_key = m.match_key
    ORDER BY s.rowid LIMIT 1), ''),
  EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.status BETWEEN 200 AND 299),
  EXISTS (SELECT 1 FROM attempts a WHERE a.message = m.id AND a.copy = 0 AND a.outcome != 'ok'),
  COALESCE((SELECT a.outcome FROM attempts a WHERE a.message = m.id AND a.copy = 0
    ORDER BY a.try DESC LIMIT 1), ''),
  COALESCE((SELECT a.decision || CASE WHEN a.answer != '' THEN ': ' || a.answer ELSE '' END
    FROM attempts a WHERE a.message = m.id AND a.copy = 0 ORDER BY a.try DESC LIMIT 1), '')
FROM messages m ORDER BY m.id`

// unexpectedQuery counts records read back that no message of the run created.
const unexpectedQuery = `
SELECT s.entity, s.company, COUNT(*) FROM state s
WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.entity = s.entity AND m.match_key = s.match_key)
GROUP BY s.entity, s.company`

// A verdict is the classification of one expected record.
type verdict struct {
	message       int64
	entity        string
	company       string
	class         string
	found         int
	acknowledged  bool
	recovered     bool
	falseNegative bool
	detail        string
}

// evidence is what the ledger knows of one expected record.
type evidence struct {
	id           int64
	entity       string
	company      string
	fate         string
	sent         []byte
	found        int
	parentFound  bool
	stored       string
	acknowledged bool
	troubled     bool   // the original delivery had a failed or unanswered attempt
	lastOutcome  string // of the original delivery
	lastDecision string
}

// Classify gives every expected record of the ledger its verdict, stores the verdicts,
// and returns the counts. ReadBack must have run first.
func Classify(ctx context.Context, l *ledger.Ledger) (*Result, error) {
	if err := l.Flush(); err != nil {
		return nil, err
	}
	rows, err := l.DB().QueryContext(ctx, classifyQuery)
	if err != nil {
		return nil, fmt.Errorf("classify records: %w", err)
	}
	defer rows.Close()

	res := &Result{}
	per := map[[2]string]*EntityCounts{}
	for rows.Next() {
		ev, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		v := judge(ev)
		res.add(v)
		entityCounts(per, v.entity, v.company).add(v)
		l.AddVerdict(ledger.Verdict{Message: v.message, Class: v.class, Found: v.found,
			Acknowledged: v.acknowledged, Recovered: v.recovered, Detail: v.detail})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("classify records: %w", err)
	}
	if err := countUnexpected(ctx, l.DB(), res, per); err != nil {
		return nil, err
	}
	res.Entities = sortedEntities(per)
	return res, l.Flush()
}

func scanEvidence(rows *sql.Rows) (evidence, error) {
	var ev evidence
	err := rows.Scan(&ev.id, &ev.entity, &ev.company, &ev.fate, &ev.sent, &ev.found,
		&ev.parentFound, &ev.stored, &ev.acknowledged, &ev.troubled, &ev.lastOutcome,
		&ev.lastDecision)
	if err != nil {
		return ev, fmt.Errorf("classify records: %w", err)
	}
	return ev, nil
}

// judge applies the verdict rules to one record.
func judge(ev evidence) verdict {
	v := verdict{message: ev.id, entity: ev.entity, company: ev.company, found: ev.found,
		acknowledged: ev.acknowledged}
	if ev.fate == string(generators.Reject) {
		v.class, v.detail = RejectedAsExpected, ev.lastDecision
		if ev.found > 0 {
			v.class, v.detail = BadDataAccepted, "sent malformed on purpose, yet stored"
		}
		return v
	}
	present := ev.found > 0
	v.recovered = present && ev.troubled
	v.falseNegative = present && ev.lastOutcome != "" && ev.lastOutcome != ledger.OutcomeOK
	switch {
	case !present:
		v.class, v.detail = Lost, ev.lastDecision
	case !ev.parentFound:
		v.class, v.detail = Orphan, "stored, but its parent record is absent"
	case ev.found > 1:
		v.class = Duplicated
		v.detail = fmt.Sprintf("stored %d times", ev.found)
	default:
		v.class = Committed
		if diff := compare(ev.sent, ev.stored); diff != "" {
			v.class, v.detail = Altered, diff
		}
	}
	return v
}

func entityCounts(per map[[2]string]*EntityCounts, entity, company string) *EntityCounts {
	k := [2]string{entity, company}
	if per[k] == nil {
		per[k] = &EntityCounts{Entity: entity, Company: company}
	}
	return per[k]
}

func countUnexpected(ctx context.Context, db *sql.DB, res *Result,
	per map[[2]string]*EntityCounts) error {
	rows, err := db.QueryContext(ctx, unexpectedQuery)
	if err != nil {
		return fmt.Errorf("count unexpected records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var entity, company string
		var n int
		if err := rows.Scan(&entity, &company, &n); err != nil {
			return fmt.Errorf("count unexpected records: %w", err)
		}
		res.Unexpected += n
		entityCounts(per, entity, company).Unexpected += n
	}
	return rows.Err()
}

// sortedEntities orders entities as the documents write them, then by legal entity.
func sortedEntities(per map[[2]string]*EntityCounts) []EntityCounts {
	rank := map[string]int{}
	for i, s := range generators.Specs {
		rank[s.Entity] = i
	}
	out := make([]EntityCounts, 0, len(per))
	for _, c := range per {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Entity != out[j].Entity {
			return rank[out[i].Entity] < rank[out[j].Entity]
		}
		return out[i].Company < out[j].Company
	})
	return out
}
