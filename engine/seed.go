package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/stormcheck/stormcheck/generators"
)

// seedWorkers is how many master records are created at once.
const seedWorkers = 8

// seedMasterData creates the master records every document refers to. A record that
// already exists (a 400 saying so, as F&O answers a repeated natural key) counts as
// created, so a run can reuse the master data of an earlier one.
func seedMasterData(ctx context.Context, client *http.Client, baseURL string,
	header http.Header, msgs []*generators.Message) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *generators.Message)
	errs := make(chan error, seedWorkers)
	var wg sync.WaitGroup
	for range seedWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				if err := createRecord(ctx, client, baseURL, header, m); err != nil {
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
		return fmt.Errorf("seed master data: %w", err)
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

func createRecord(ctx context.Context, client *http.Client, baseURL string, header http.Header,
	m *generators.Message) error {
	url := baseURL + "/data/" + m.Entity
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(m.Body()))
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 == 2 || alreadyExists(resp.StatusCode, body) {
		return nil
	}
	return fmt.Errorf("POST %s %s: %s: %s", url, m.Body(), resp.Status,
		strings.TrimSpace(string(body)))
}

func alreadyExists(status int, body []byte) bool {
	return status == http.StatusBadRequest && bytes.Contains(body, []byte("already exists"))
}
