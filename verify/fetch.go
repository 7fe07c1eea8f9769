package verify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults of a Source.
const (
	// DefaultMaxThrottled is how many throttled answers (429, or 503 with Retry-After) in a
	// row one read tolerates before it gives up.
	DefaultMaxThrottled = 10
	// firstBackoff and maxBackoff bound the wait after a throttled answer that names no
	// Retry-After: it doubles from the first to the most.
	firstBackoff = time.Second
	maxBackoff   = 30 * time.Second
)

// A Clock tells the time and waits; runs use the real clock, tests their own.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// A Source is an F&O-compatible OData endpoint to read state from: the embedded mock, the
// F&O environment behind a gateway, or a gateway that serves reads itself.
type Source struct {
	URL    string       // service root without /data, such as http://127.0.0.1:8365
	Client *http.Client // carries authorisation (see auth.Authorize); nil means a plain client
	Header http.Header  // extra headers on every request
	Prefix string       // the run's correlation prefix
	Clock  Clock        // waits between throttled reads; nil means the real clock
	// MaxThrottled bounds the throttled answers in a row per read; 0 means
	// DefaultMaxThrottled.
	MaxThrottled int
}

// ReadStats counts what a read-back did.
type ReadStats struct {
	Requests  int           `json:"requests"`
	Records   int           `json:"records"`
	Throttled int           `json:"throttled"` // answers 429 (or 503) that were waited out
	Waited    time.Duration `json:"waited_ns"` // time spent waiting them out
}

// get sends one GET and returns the answer when it is a 200, waiting out throttling: a
// 429, or a 503 with Retry-After, is retried after the Retry-After the target names, or
// after a doubling backoff when it names none. The caller closes the body.
func (src Source) get(ctx context.Context, link, accept string, st *ReadStats) (*http.Response,
	error) {
	backoff := firstBackoff
	for throttled := 0; ; throttled++ {
		resp, err := src.do(ctx, link, accept)
		if err != nil {
			return nil, err
		}
		st.Requests++
		if resp.StatusCode == http.StatusOK {
			return resp, nil
		}
		wait, isThrottle := src.throttleWait(resp, backoff)
		if !isThrottle || throttled >= src.maxThrottled() {
			defer resp.Body.Close()
			return nil, answerError(link, resp, throttled)
		}
		drain(resp)
		st.Throttled++
		st.Waited += wait
		if err := src.wait(ctx, wait); err != nil {
			return nil, err
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

func (src Source) do(ctx context.Context, link, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range src.Header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", accept)
	client := src.Client
	if client == nil {
		client = http.DefaultClient
	}
	return client.Do(req)
}

// throttleWait reports whether resp asks the reader to slow down, and for how long.
func (src Source) throttleWait(resp *http.Response, backoff time.Duration) (time.Duration, bool) {
	after := resp.Header.Get("Retry-After")
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
	case resp.StatusCode == http.StatusServiceUnavailable && after != "":
	default:
		return 0, false
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(after)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(after); err == nil {
		return max(at.Sub(src.clock().Now()), 0), true
	}
	return backoff, true
}

func (src Source) wait(ctx context.Context, d time.Duration) error {
	select {
	case <-src.clock().After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (src Source) clock() Clock {
	if src.Clock == nil {
		return realClock{}
	}
	return src.Clock
}

func (src Source) maxThrottled() int {
	if src.MaxThrottled <= 0 {
		return DefaultMaxThrottled
	}
	return src.MaxThrottled
}

// answerError describes an answer other than 200, with the start of its body.
func answerError(link string, resp *http.Response, throttled int) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	text := strings.TrimSpace(string(body))
	switch {
	case throttled > 0:
		return fmt.Errorf("GET %s: still %s after waiting out %s", link, resp.Status,
			plural(throttled, "throttled answer"))
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("GET %s: %s: %s (the source needs valid credentials: "+
			"verify.source.auth)", link, resp.Status, text)
	}
	return fmt.Errorf("GET %s: %s: %s", link, resp.Status, text)
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// entityURL is the read of one entity set, filtered by the run's correlation prefix in
// its correlation field, across all legal entities.
func (src Source) entityURL(entity, field, suffix string) string {
	q := url.Values{}
	q.Set("$filter", fmt.Sprintf("%s eq '%s-*'", field, escapeLiteral(src.Prefix)))
	q.Set("cross-company", "true")
	return strings.TrimRight(src.URL, "/") + "/data/" + entity + suffix + "?" + q.Encode()
}

// follow resolves a next link against the URL of the page that carried it, as OData
// allows a relative one, and refuses it unless it stays at the source's scheme and host:
// a read-back never goes where the scenario did not point.
func (src Source) follow(page, next string) (string, error) {
	base, err := url.Parse(page)
	if err != nil {
		return "", fmt.Errorf("page link %s: %w", page, err)
	}
	ref, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("next link %s: %w", next, err)
	}
	link := base.ResolveReference(ref)
	root, err := url.Parse(src.URL)
	if err != nil || !strings.EqualFold(root.Scheme, link.Scheme) ||
		!strings.EqualFold(root.Host, link.Host) {
		return "", fmt.Errorf("next link %s leaves the source %s", next, src.URL)
	}
	return link.String(), nil
}

func escapeLiteral(s string) string { return strings.ReplaceAll(s, "'", "''") }

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
