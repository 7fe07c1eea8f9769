package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stormcheck/stormcheck/ledger"
	"github.com/stormcheck/stormcheck/reports"
	"github.com/stormcheck/stormcheck/scenarios"
)

// ErrDirTaken is the error of a run directory that already holds files; nothing was
// written to it.
var ErrDirTaken = errors.New("run directory is not empty")

// claimDir makes dir the run's own: it must be absent or empty, and creating the ledger
// there is exclusive, so that two runs started at once never share a directory. A
// directory that cannot be made or read is a *UsageError: nothing was sent yet.
func claimDir(dir string) (*ledger.Ledger, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &UsageError{Msg: "cannot create the run directory " + dir + ": " +
			pathCause(err)}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &UsageError{Msg: "cannot read the run directory " + dir + ": " +
			pathCause(err)}
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("%w: %s holds %s; choose another --out", ErrDirTaken, dir,
			entries[0].Name())
	}
	l, err := ledger.Create(filepath.Join(dir, LedgerFile))
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: another run claimed %s", ErrDirTaken, dir)
	}
	return l, err
}

// pathCause is the reason of a file-system error without the path it repeats.
func pathCause(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

func writeScenario(cfg Config) error {
	data, err := scenarios.Marshal(cfg.Scenario)
	if err != nil {
		return fmt.Errorf("resolve scenario: %w", err)
	}
	path := filepath.Join(cfg.Dir, ScenarioFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write resolved scenario: %w", err)
	}
	return nil
}

func (r *run) writeReports() error {
	if err := reports.WriteJSON(filepath.Join(r.cfg.Dir, SummaryFile), r.summary); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(r.cfg.Dir, ReportFile))
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := reports.WriteText(f, r.summary); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
