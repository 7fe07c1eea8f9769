// Package verify reads a target's state back after a run and classifies every expected
// record: committed, duplicated, lost, altered, bad data accepted, rejected as expected,
// or orphan, each with its likely cause from the ledger, and reconciles quantities and
// amounts. It never holds the whole state in memory: the state read back goes into
// run.db one record at a time, and classification is a join there.
package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// ReadBack reads every entity the run wrote, filtered by the run's correlation prefix
// across all legal entities, page by page as the source links them, and stores each
// record in the ledger's state table.
func ReadBack(ctx context.Context, src Source, l *ledger.Ledger) (ReadStats, error) {
	var st ReadStats
	for _, spec := range generators.Specs {
		if err := readEntity(ctx, src, spec, l, &st); err != nil {
			return st, fmt.Errorf("read back %s: %w", spec.Entity, err)
		}
	}
	return st, l.Flush()
}

func readEntity(ctx context.Context, src Source, spec generators.Spec, l *ledger.Ledger,
	st *ReadStats) error {
	page := src.entityURL(spec.Entity, spec.Correlation, "")
	for {
		next, err := readPage(ctx, src, page, spec, l, st)
		if err != nil || next == "" {
			return err
		}
		if page, err = src.follow(page, next); err != nil {
			return err
		}
	}
}

// readPage reads one page of records, storing each as it is decoded, and returns the
// page's next link ("" on the last page).
func readPage(ctx context.Context, src Source, link string, spec generators.Spec,
	l *ledger.Ledger, st *ReadStats) (string, error) {
	resp, err := src.get(ctx, link, "application/json", st)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	next, err := decodePage(resp.Body, func(raw json.RawMessage) error {
		st.Records++
		return storeRecord(spec, raw, l)
	})
	if err != nil {
		return "", fmt.Errorf("GET %s: malformed OData answer: %w", link, err)
	}
	return next, nil
}

// decodePage walks an OData collection answer ({"value": [...], "@odata.nextLink": ...},
// in any order) and hands each record to fn as it is read.
func decodePage(r io.Reader, fn func(json.RawMessage) error) (string, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return "", err
	}
	var next string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		switch tok {
		case "value":
			err = decodeValues(dec, fn)
		case "@odata.nextLink":
			err = dec.Decode(&next)
		default:
			err = dec.Decode(new(json.RawMessage))
		}
		if err != nil {
			return "", err
		}
	}
	return next, expectDelim(dec, '}')
}

func decodeValues(dec *json.Decoder, fn func(json.RawMessage) error) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}

// storeRecord queues one record read back for the state table, under its match key.
func storeRecord(spec generators.Spec, raw json.RawMessage, l *ledger.Ledger) error {
	ms, err := parseObject(raw, nil)
	if err != nil {
		return fmt.Errorf("record %s: %w", shorten(string(raw), 200), err)
	}
	get := fieldGetter(ms)
	key, err := spec.MatchKey(get)
	if err != nil {
		return fmt.Errorf("record %s: %w", shorten(string(raw), 200), err)
	}
	parent, _ := spec.ParentKey(get)
	company, _ := get("dataAreaId")
	companyText, _ := company.(string)
	l.AddState(ledger.State{
		Entity: spec.Entity, Company: strings.ToLower(companyText), MatchKey: key,
		ParentKey: parent, Quantity: number(get, spec.Quantity),
		Amount: number(get, spec.Amount), Body: string(raw),
	})
	return nil
}

// fieldGetter looks fields of a record up as match keys need them: text as a string,
// numbers as float64, as generated values are.
func fieldGetter(ms []member) func(string) (any, bool) {
	return func(name string) (any, bool) {
		v, ok := lookup(ms, []byte(name))
		if !ok || len(v) == 0 || string(v) == "null" {
			return nil, false
		}
		if v[0] == '"' {
			s, err := unquote(v)
			return string(s), err == nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		return f, err == nil
	}
}

// number returns the numeric field name of a record, 0 when it has none or it is not
// a number.
func number(get func(string) (any, bool), name string) float64 {
	if name == "" {
		return 0
	}
	v, _ := get(name)
	f, _ := v.(float64)
	return f
}
