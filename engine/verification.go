package engine

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/stormcheck/stormcheck/auth"
	"github.com/stormcheck/stormcheck/verify"
)

// probeSource checks that verify.source answers before anything is sent, so that a wrong
// URL or secret for the read-back stops the run while it costs nothing. Without
// verify.source the state is read from the target, which seeding reaches first.
func (r *run) probeSource(ctx context.Context) error {
	if r.s.Verify.Source == nil {
		return nil
	}
	src, err := r.readSource(ctx)
	if err != nil {
		return err
	}
	return verify.Probe(ctx, src)
}

// settle gives an asynchronous target time to finish before its state is read: it
// counts the run's records until they stop changing or verify.settle runs out, and the
// summary says which of the two ended the wait.
func (r *run) settle(ctx context.Context) error {
	src, err := r.readSource(ctx)
	if err != nil {
		return err
	}
	res, err := verify.Settle(ctx, src, r.s.Verify.Settle.D(), verify.DefaultSettlePoll)
	r.summary.Settle = &res
	return err
}

func (r *run) verify(ctx context.Context) error {
	if err := r.ledger.Flush(); err != nil {
		return err
	}
	src, err := r.readSource(ctx)
	if err != nil {
		return err
	}
	read, err := verify.ReadBack(ctx, src, r.ledger)
	r.summary.ReadBack = &read
	if err != nil {
		return err
	}
	res, err := verify.Classify(ctx, r.ledger)
	if err != nil {
		return err
	}
	r.summary.Verify = &res.Counts
	r.summary.Entities = res.Entities
	r.summary.Reconciliation = res.Reconciliation
	r.summary.Examples = res.Examples
	return nil
}

// readSource is where the state is read back: verify.source when the scenario names
// one, else the target (the embedded mock or target.url), with its credentials.
func (r *run) readSource(ctx context.Context) (verify.Source, error) {
	if r.readBack != nil {
		return *r.readBack, nil
	}
	url, creds := r.target, r.s.Target.Auth
	if vs := r.s.Verify.Source; vs != nil {
		url, creds = vs.URL, vs.Auth
	}
	client := &http.Client{Transport: r.network(), Timeout: attemptTimeout,
		CheckRedirect: noRedirects}
	if creds != nil {
		rt, err := auth.Authorize(ctx, r.network(), creds, url, os.LookupEnv)
		if err != nil {
			return verify.Source{}, fmt.Errorf("read-back credentials: %w", err)
		}
		client.Transport = rt
	}
	r.readBack = &verify.Source{URL: url, Prefix: r.cfg.Prefix, Client: client,
		Clock: r.cfg.Clock}
	return *r.readBack, nil
}
