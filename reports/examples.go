package reports

import (
	"fmt"
	"io"
	"strconv"
)

// writeExamples shows, for each kind of trouble the run had, its first record and the
// likely cause, so that the report says why and not only how many.
func writeExamples(w io.Writer, s *Summary) error {
	if len(s.Examples) == 0 {
		return nil
	}
	_, err := fmt.Fprintln(w, "Why (the first record of each kind; `stormcheck trace RUN_DIR "+
		"MESSAGE` tells its whole story)")
	if err != nil {
		return err
	}
	t := alignedTable(w, columns("lrlll"))
	t.Header("kind", "message", "entity", "company", "likely cause")
	for _, e := range s.Examples {
		err := t.Append([]string{e.Kind, strconv.FormatInt(e.Message, 10), e.Entity, e.Company,
			shortText(e.Cause, 110)})
		if err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err = fmt.Fprintln(w)
	return err
}
