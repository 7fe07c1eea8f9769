package verify

import (
	"context"
	"fmt"

	"github.com/stormcheck/stormcheck/generators"
)

// Probe checks, before any load is sent, that the state can be read back from src: it
// counts the records that carry the run's prefix in the first entity read back, which a
// fresh prefix leaves at zero. Its error says why the read-back would fail: the source is
// unreachable, refuses the credentials, or is not an OData service.
func Probe(ctx context.Context, src Source) error {
	spec := generators.Specs[0]
	link := src.entityURL(spec.Entity, spec.Correlation, "/$count")
	var st ReadStats
	if _, err := countOf(ctx, src, link, &st); err != nil {
		return fmt.Errorf("read back %s: %w", spec.Entity, err)
	}
	return nil
}
