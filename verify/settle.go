package verify

import (
	"context"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/stormcheck/stormcheck/generators"
)

// DefaultSettlePoll is how often Settle counts the records of the run.
const DefaultSettlePoll = 500 * time.Millisecond

// How a settle wait ended.
const (
	SettleStable  = "stable"  // two counts in a row saw the same state
	SettleTimeout = "timeout" // the state still changed when verify.settle ran out
	SettleOff     = "off"     // verify.settle is 0: no wait
)

// A SettleResult says how the wait for an asynchronous target to finish ended.
type SettleResult struct {
	EndedBy  string  `json:"ended_by"` // SettleStable, SettleTimeout or SettleOff
	WaitedMS float64 `json:"waited_ms"`
	Polls    int     `json:"polls"`
	Records  int64   `json:"records"` // records carrying the run's prefix at the last count
}

// Settle waits for the target to finish what it accepted: it counts the records carrying
// the run's prefix in every entity every poll interval, until two counts in a row agree
// (the state stopped changing) or limit has passed since it started. A limit of 0 does
// not wait at all.
func Settle(ctx context.Context, src Source, limit, poll time.Duration) (SettleResult, error) {
	if limit <= 0 {
		return SettleResult{EndedBy: SettleOff}, nil
	}
	if poll <= 0 {
		poll = DefaultSettlePoll
	}
	clock := src.clock()
	start := clock.Now()
	var res SettleResult
	prev, err := countRecords(ctx, src)
	if err != nil {
		return res, err
	}
	res.Polls = 1
	for {
		left := limit - clock.Now().Sub(start)
		if left <= 0 {
			res.EndedBy = SettleTimeout
			break
		}
		if err := src.wait(ctx, min(poll, left)); err != nil {
			return res, err
		}
		cur, err := countRecords(ctx, src)
		if err != nil {
			return res, err
		}
		res.Polls++
		if maps.Equal(cur, prev) {
			res.EndedBy = SettleStable
			break
		}
		prev = cur
	}
	res.WaitedMS = float64(clock.Now().Sub(start).Microseconds()) / 1000
	for _, n := range prev {
		res.Records += n
	}
	return res, nil
}

// countRecords counts the records carrying the run's prefix, per entity.
//
// TODO: only the number of records is compared between polls. A target that accepts
// records first and fills their fields later (a queue that enriches them in the
// background) looks settled while it still works; a digest of the records' etags would
// catch that, at the price of reading every record on each poll.
func countRecords(ctx context.Context, src Source) (map[string]int64, error) {
	out := map[string]int64{}
	var st ReadStats
	for _, spec := range generators.Specs {
		link := src.entityURL(spec.Entity, spec.Correlation, "/$count")
		n, err := countOf(ctx, src, link, &st)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", spec.Entity, err)
		}
		out[spec.Entity] = n
	}
	return out, nil
}

func countOf(ctx context.Context, src Source, link string, st *ReadStats) (int64, error) {
	resp, err := src.get(ctx, link, "text/plain", st)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64))
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", link, err)
	}
	text := strings.TrimSpace(strings.TrimPrefix(string(body), "\ufeff"))
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("GET %s: $count answered %q, not a number", link, shorten(text, 40))
	}
	return n, nil
}
