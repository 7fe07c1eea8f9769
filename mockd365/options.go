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
	Logger         *slog.Logger // lifecycle events only; nil discards them
}

// A Latency is the delay added to each request: Base plus a uniform draw from [0, Jitter).
type Latency struct {
	Base   time.Duration
	Jitter time.Duration
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
	case o.Latency.Base < 0 || o.Latency.Jitter < 0:
		return fmt.Errorf("mockd365: latency %v+%v is negative", o.Latency.Base, o.Latency.Jitter)
	case len(o.DefaultCompany) > dataAreaID.Length:
		return fmt.Errorf("mockd365: default company %q is longer than %d characters",
			o.DefaultCompany, dataAreaID.Length)
	}
	return nil
}
