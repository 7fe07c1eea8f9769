package faults

import (
	"context"
	"io"
	"time"
)

// dribbleChunk is how many bytes a slow answer delivers at a time.
const dribbleChunk = 64

// dribble is a response body that delivers its bytes a chunk at a time, spread over a
// total time, as an overloaded gateway or a congested link does. Reading stops with the
// request's context.
type dribble struct {
	ctx   context.Context
	body  io.ReadCloser
	total time.Duration
	start time.Time
	read  int
	size  int // expected bytes, for pacing; grows if the body is longer
	buf   []byte
}

func newDribble(ctx context.Context, body io.ReadCloser, total time.Duration) io.ReadCloser {
	return &dribble{ctx: ctx, body: body, total: total}
}

// Read reads the whole body on the first call, then hands it out a chunk at a time,
// waiting so that the last chunk arrives when the total time has passed.
func (d *dribble) Read(p []byte) (int, error) {
	if d.start.IsZero() {
		d.start = time.Now()
		all, err := io.ReadAll(d.body)
		if err != nil {
			return 0, err
		}
		d.buf, d.size = all, max(len(all), 1)
	}
	if d.read >= len(d.buf) {
		return 0, io.EOF
	}
	n := copy(p, d.buf[d.read:min(len(d.buf), d.read+dribbleChunk)])
	d.read += n
	due := d.start.Add(time.Duration(float64(d.total) * float64(d.read) / float64(d.size)))
	if err := sleep(d.ctx, time.Until(due)); err != nil {
		return 0, err
	}
	return n, nil
}

// Close closes the underlying body.
func (d *dribble) Close() error { return d.body.Close() }
