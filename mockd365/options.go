package mockd365

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults applied to the zero fields of [Options].
const (
	DefaultDesign   = "d365"
	DefaultAddr     = "127.0.0.1:0"
	DefaultCompany  = "usmf"
	DefaultPageSize = 10000 // F&O's server-driven page size
)

// Options configures a [Server]. The zero value is valid: the d365 design on a loopback
// port, backed by a temporary SQLite file.
type Options struct {
	Design         string       // a name in [Designs]; "" means DefaultDesign
	DBPath         string       // SQLite file, kept on Close; "" = a temporary file, removed
	Addr           string       // listen address; "" means DefaultAddr
	DefaultCompany string       // legal entity of reads and of creates without dataAreaId
	PageSize       int          // rows per page before @odata.nextLink; 0 = DefaultPageSize
	Latency        Latency      // added to every /data request; zero = none
	Seed           uint64       // seeds the latency jitter: same seed, same delays
	Auth           Auth         // token endpoint and 401s; zero = off
	Throttle       Throttle     // 429 with Retry-After over a capacity; zero = off
	Logger         *slog.Logger // lifecycle events only; nil discards them
}

// A Latency is the delay added to each request: Base plus a uniform draw from [0, Jitter).
// ColdStart is added once more for the first /data request after the server starts, and
// for every request that arrives while it waits, as F&O's first OData call after an AOS
// restart builds its metadata cache (reference §1.1).
type Latency struct {
	Base      time.Duration
	Jitter    time.Duration
	ColdStart time.Duration
}

// withDefaults returns o with its zero fields set, or an error naming an impossible value.
func (o Options) withDefaults() (Options, error) {
	if o.Design == "" {
		o.Design = DefaultDesign
	}
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.DefaultCompany == "" {
		o.DefaultCompany = DefaultCompany
	}
	o.DefaultCompany = strings.ToLower(o.DefaultCompany)
	if o.PageSize == 0 {
		o.PageSize = DefaultPageSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, o.check()
}

// check reports options that no server can honour.
func (o Options) check() error {
	switch {
	case o.PageSize < 0:
		return fmt.Errorf("mockd365: page size %d is negative", o.PageSize)
	case o.Latency.Base < 0 || o.Latency.Jitter < 0 || o.Latency.ColdStart < 0:
		return fmt.Errorf("mockd365: latency %v+%v (cold start %v) is negative",
			o.Latency.Base, o.Latency.Jitter, o.Latency.ColdStart)
	case o.Throttle.Capacity < 0 || o.Throttle.RetryAfter < 0 || o.Throttle.MaxRetryAfter < 0:
		return fmt.Errorf("mockd365: throttle capacity %v, Retry-After %v, maximum %v: "+
			"none may be negative", o.Throttle.Capacity, o.Throttle.RetryAfter,
			o.Throttle.MaxRetryAfter)
	case o.Auth.TokenLifetime < 0:
		return fmt.Errorf("mockd365: token lifetime %v is negative", o.Auth.TokenLifetime)
	case len(o.DefaultCompany) > dataAreaID.Length:
		return fmt.Errorf("mockd365: default company %q is longer than %d characters",
			o.DefaultCompany, dataAreaID.Length)
	}
	for id, p := range o.Throttle.Priorities {
		if _, ok := priorityShare[p]; !ok {
			return fmt.Errorf("mockd365: client %q has priority %q, not Low, Medium or High",
				id, p)
		}
	}
	if p := o.Throttle.DefaultPriority; p != "" && priorityShare[p] == 0 {
		return fmt.Errorf("mockd365: default priority %q is not Low, Medium or High", p)
	}
	return nil
}
