package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/stormcheck/stormcheck/engine"
)

// newProgress returns a progress display for a run of at most total messages (0 when only
// a duration bounds it) and a function that clears it. It draws only on a terminal, so
// that logs and CI output stay clean; elsewhere both functions do nothing.
func newProgress(w io.Writer, total int) (func(engine.Progress), func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	max := int64(total)
	if max == 0 {
		max = -1
	}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("messages"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	update := func(p engine.Progress) {
		bar.Describe(fmt.Sprintf("messages (%d requests, %d failed)", p.Requests, p.Failures))
		_ = bar.Set64(p.Messages)
	}
	return update, func() { _ = bar.Clear() }
}
