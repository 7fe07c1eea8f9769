// Package verify reads a target's state back after a run and classifies every expected
// record: committed, duplicated, lost, altered, bad data accepted, rejected as expected,
// or orphan. It works from the run ledger and never holds the whole state in memory: the
// state read back goes into run.db, page by page, and classification is a join there.
package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/ledger"
)

// A Source is an F&O-compatible OData endpoint to read state from: the embedded mock, a
// gateway's downstream, or a real environment.
type Source struct {
	URL    string       // service root without /data, such as http://127.0.0.1:8365
	Client *http.Client // carries authorisation when the source needs it; nil means default
	Header http.Header  // extra headers on every request, such as Authorization
	Prefix string       // the run's correlation prefix
}

// ReadStats counts what ReadBack read.
type ReadStats struct {
	Requests int
	Records  int
}

// ReadBack reads every entity the run wrote, filtered by the run's correlation prefix
// across all legal entities, and stores each record in the ledger's state table.
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
	q := url.Values{}
	q.Set("$filter", fmt.Sprintf("%s eq '%s-*'", spec.Correlation, escapeLiteral(src.Prefix)))
	q.Set("cross-company", "true")
	next := strings.TrimRight(src.URL, "/") + "/data/" + spec.Entity + "?" + q.Encode()
	for next != "" {
		page, err := getPage(ctx, src, next)
		if err != nil {
			return err
		}
		st.Requests++
		for _, raw := range page.Value {
			if err := storeRecord(spec, raw, l); err != nil {
				return err
			}
			st.Records++
		}
		next = page.NextLink
	}
	return nil
}

type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

func getPage(ctx context.Context, src Source, link string) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range src.Header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	client := src.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return nil, fmt.Errorf("GET %s: %s: %s", link, resp.Status, strings.TrimSpace(string(body)))
	}
	var p page
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, fmt.Errorf("GET %s: malformed OData answer: %w", link, err)
	}
	return &p, nil
}

func storeRecord(spec generators.Spec, raw json.RawMessage, l *ledger.Ledger) error {
	rec, err := decodeRecord(raw)
	if err != nil {
		return err
	}
	key, err := spec.MatchKey(rec.get)
	if err != nil {
		return fmt.Errorf("record %s: %w", shorten(string(raw), 200), err)
	}
	parent, _ := spec.ParentKey(rec.get)
	company, _ := rec["dataAreaId"].(string)
	l.AddState(ledger.State{
		Entity: spec.Entity, Company: strings.ToLower(company), MatchKey: key,
		ParentKey: parent, Body: string(raw),
	})
	return nil
}

// record is a decoded OData record; numbers stay exact as json.Number.
type record map[string]any

func decodeRecord(raw []byte) (record, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var r record
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("malformed record %s: %w", shorten(string(raw), 200), err)
	}
	return r, nil
}

// get looks a field up for match keys: numbers become float64, as generated values are.
func (r record) get(name string) (any, bool) {
	v, ok := r[name]
	if n, isNum := v.(json.Number); isNum {
		f, err := n.Float64()
		return f, err == nil
	}
	return v, ok && v != nil
}

func escapeLiteral(s string) string { return strings.ReplaceAll(s, "'", "''") }

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
