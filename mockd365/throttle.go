package mockd365

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Throttling follows F&O's resource-based service protection (reference §3): when the
// environment is busier than a threshold, requests get 429 Too Many Requests with a
// Retry-After header in seconds; an app of lower priority (Low, Medium, High, mapped per
// client id) is throttled at a lower threshold; a client that keeps sending while told to
// wait sees Retry-After grow. The mock measures "busy" as the requests it admitted in the
// last second against Capacity.

// A Priority is F&O's throttling priority of an app: Low, Medium or High.
type Priority string

// The throttling priorities, and the share of Capacity at which each is throttled.
const (
	PriorityLow    Priority = "Low"
	PriorityMedium Priority = "Medium"
	PriorityHigh   Priority = "High"
)

var priorityShare = map[Priority]float64{PriorityLow: 0.5, PriorityMedium: 0.75, PriorityHigh: 1}

// ParsePriority reads Low, Medium or High, in any case.
func ParsePriority(s string) (Priority, error) {
	for p := range priorityShare {
		if strings.EqualFold(string(p), strings.TrimSpace(s)) {
			return p, nil
		}
	}
	return "", fmt.Errorf("mockd365: priority %q is not Low, Medium or High", s)
}

// Defaults of Throttle.
const (
	DefaultRetryAfter    = 2 * time.Second
	DefaultMaxRetryAfter = time.Minute
)

// throttleMessage is the text F&O's documentation gives for resource-based throttling.
const throttleMessage = "This request could not be processed at this time due to system " +
	"experiencing high resource utilization."

// Throttle configures throttling. The zero value is off.
type Throttle struct {
	// Capacity is how many requests a second the environment serves before it throttles
	// High-priority apps; Medium ones are throttled at 75% of it and Low ones at 50%.
	// 0 means no throttling.
	Capacity float64
	// RetryAfter is the first Retry-After a client is told (whole seconds, at least 1);
	// 0 means DefaultRetryAfter. It grows by the same step for every second a client
	// keeps sending while it was told to wait, up to MaxRetryAfter (0: the default), and
	// shrinks back when the client waits.
	RetryAfter    time.Duration
	MaxRetryAfter time.Duration
	// Priorities maps client ids (the appid of their token) to a priority. Without
	// authentication every request has client id "".
	Priorities map[string]Priority
	// DefaultPriority applies to clients not in Priorities; "" means High, so that an
	// unmapped app is throttled at Capacity. F&O's default is not documented.
	DefaultPriority Priority
}

// A throttler decides which requests go through. It is safe for concurrent use.
type throttler struct {
	cfg Throttle

	mu      sync.Mutex // guards everything below
	buckets [throttleBuckets]int
	slot    int64 // the bucket period of buckets[slot%len]
	clients map[string]*clientWait
}

// throttleBuckets split the one-second window the load is measured over.
const (
	throttleBuckets = 10
	bucketPeriod    = time.Second / throttleBuckets
)

// clientWait is what the throttler remembers of a client it told to wait.
type clientWait struct {
	until    time.Time // when its last Retry-After ends
	level    int       // how many steps its Retry-After has grown
	lastBump time.Time
}

func newThrottler(cfg Throttle) *throttler {
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = DefaultRetryAfter
	}
	cfg.RetryAfter = max(cfg.RetryAfter.Round(time.Second), time.Second)
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return &throttler{cfg: cfg, clients: map[string]*clientWait{}}
}

// priority returns the priority of a client.
func (t *throttler) priority(client string) Priority {
	if p, ok := t.cfg.Priorities[client]; ok {
		return p
	}
	if t.cfg.DefaultPriority != "" {
		return t.cfg.DefaultPriority
	}
	return PriorityHigh
}

// admit counts a request of client at now, or refuses it with a 429.
func (t *throttler) admit(client string, now time.Time) (answer, bool) {
	if t == nil || t.cfg.Capacity <= 0 {
		return answer{}, true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	load := t.advance(now)
	p := t.priority(client)
	limit := t.cfg.Capacity * priorityShare[p]
	if float64(load+1) <= math.Max(limit, 1) {
		t.buckets[t.slot%throttleBuckets]++
		return answer{}, true
	}
	wait := t.tellWait(client, now)
	secs := int64(math.Ceil(wait.Seconds()))
	apiErr := &apiError{status: http.StatusTooManyRequests, message: throttleMessage}
	ans := errorAnswer(apiErr)
	ans.extra = http.Header{"Retry-After": {strconv.FormatInt(secs, 10)}}
	ans.reason = fmt.Sprintf("throttled: %d requests in the last second, over %.0f/s for "+
		"priority %s; Retry-After %ds", load, limit, p, secs)
	return ans, false
}

// advance moves the window to now and returns the requests admitted in the last second.
func (t *throttler) advance(now time.Time) int {
	slot := now.UnixNano() / int64(bucketPeriod)
	if gap := slot - t.slot; gap > 0 {
		for i := int64(1); i <= min(gap, throttleBuckets); i++ {
			t.buckets[(t.slot+i)%throttleBuckets] = 0
		}
		t.slot = slot
	}
	total := 0
	for _, n := range t.buckets {
		total += n
	}
	return total
}

// tellWait returns the Retry-After for client: the base, grown one step for each second the
// client kept sending while told to wait, shrunk one step for each base period it waited.
func (t *throttler) tellWait(client string, now time.Time) time.Duration {
	cw := t.clients[client]
	if cw == nil {
		cw = &clientWait{}
		t.clients[client] = cw
	}
	base := t.cfg.RetryAfter
	switch {
	case now.Before(cw.until) && now.Sub(cw.lastBump) >= time.Second:
		cw.level++
		cw.lastBump = now
	case !now.Before(cw.until) && !cw.until.IsZero():
		// The client waited: its level shrinks, and a new wait starts now, so a second
		// refusal in the same instant does not count as a second of hammering.
		cw.level = max(0, cw.level-int(now.Sub(cw.until)/base))
		cw.lastBump = now
	}
	wait := min(base*time.Duration(1+cw.level), t.cfg.MaxRetryAfter)
	if end := now.Add(wait); end.After(cw.until) {
		cw.until = end
	}
	if cw.lastBump.IsZero() {
		cw.lastBump = now
	}
	return wait
}
