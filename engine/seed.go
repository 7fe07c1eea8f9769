package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/stormcheck/stormcheck/auth"
	"github.com/stormcheck/stormcheck/faults"
	"github.com/stormcheck/stormcheck/generators"
	"github.com/stormcheck/stormcheck/scenarios"
)

// seedWorkers is how many master records are created at once.
const seedWorkers = 8

// seedMasterData creates the master records every document refers to. A record that
// already exists (a 400 saying so, as F&O answers a repeated natural key) counts as
// created, so a run can reuse the master data of an earlier one.
func seedMasterData(ctx context.Context, client *http.Client, clock Clock, baseURL string,
	header http.Header, msgs []*generators.Message) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	policy, err := faults.NewPolicy(seedRetry, 1)
	if err != nil {
		return err
	}
	work := make(chan *generators.Message)
	errs := make(chan error, seedWorkers)
	var wg sync.WaitGroup
	for range seedWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				if err := createRecord(ctx, client, clock, policy, baseURL, header, m); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
	feed(ctx, work, msgs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func feed(ctx context.Context, work chan<- *generators.Message, msgs []*generators.Message) {
	defer close(work)
	for _, m := range msgs {
		select {
		case work <- m:
		case <-ctx.Done():
			return
		}
	}
}

// seedRetry is how master data is created: patiently, since the load has not started and
// a throttled or briefly unavailable target is no reason to give up the run.
var seedRetry = scenarios.Sender{Strategy: "retry", Retry: scenarios.Retry{
	Attempts: 6, Backoff: scenarios.DurationRange{Min: 200 * time.Millisecond, Max: 5 * time.Second},
	On: []string{"429", "5xx", "timeout"}, HonorRetryAfter: true,
}}

// createRecord creates one master record, retrying as seedRetry says.
func createRecord(ctx context.Context, client *http.Client, clock Clock, policy *faults.Policy,
	baseURL string, header http.Header, m *generators.Message) error {
	for try := 1; ; try++ {
		o, err := postRecord(ctx, client, baseURL, header, m)
		if err == nil && (o.OK() || o.exists) {
			return nil
		}
		if auth.Refused(err) {
			return fmt.Errorf("POST %s/data/%s: %w", baseURL, m.Entity, err)
		}
		retry, wait, reason := policy.Next(faults.Attempt{Message: m.ID, Try: try}, o.Outcome)
		if !retry {
			what := "POST " + baseURL + "/data/" + m.Entity
			if o.Answered() {
				// The target read the record and refused it: show what it was sent.
				what += " " + string(m.Body())
			}
			return fmt.Errorf("%s: %s", what, firstNonEmpty(errText(err), o.text, reason))
		}
		select {
		case <-clock.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// seedOutcome is the outcome of one master-data POST.
type seedOutcome struct {
	faults.Outcome
	exists bool   // refused because the record already exists: as good as created
	text   string // status and answer, printable
}

func postRecord(ctx context.Context, client *http.Client, baseURL string, header http.Header,
	m *generators.Message) (seedOutcome, error) {
	url := baseURL + "/data/" + m.Entity
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(m.Body()))
	if err != nil {
		return seedOutcome{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return seedOutcome{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	o := seedOutcome{Outcome: faults.Outcome{Status: resp.StatusCode,
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}}
	o.exists = alreadyExists(resp.StatusCode, body)
	o.text = resp.Status + ": " + printable(strings.TrimSpace(string(body)))
	return o, nil
}

// errText is the text of a request's error without the method and URL that net/http
// puts in front of it, which the caller names already.
func errText(err error) string {
	var ue *url.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ue):
		return ue.Err.Error()
	}
	return err.Error()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// printable replaces what a terminal should not be sent (control characters, invalid
// UTF-8) in a target's answer, and shortens it.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return '?'
		}
		return r
	}, s)
	return shorten(s, 300)
}

func alreadyExists(status int, body []byte) bool {
	return status == http.StatusBadRequest && bytes.Contains(body, []byte("already exists"))
}
