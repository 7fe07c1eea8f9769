package main

import (
	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/reports"
)

func newTraceCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "trace RUN_DIR ID",
		Short: "Show the lifecycle of one document or message",
		Long: "trace shows what became of one document or message of a finished run, and why:\n" +
			"each attempt (time, answer, latency, injected fault, the sender's next step),\n" +
			"the embedded mock's integration-log rows for it when the mock served the run,\n" +
			"the records read back, and the verdict with its cause.\n\n" +
			"ID is a message id (12), an Idempotency-Key (SCK3F9Q-0000056.12), a document's\n" +
			"correlation value (SCK3F9Q-0000056, all its messages) or a record's match key\n" +
			"(usmf|SCK3F9Q-0000056|2). The run directory is opened read-only.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := reports.LoadTrace(cmd.Context(), args[0], args[1])
			if err != nil {
				return usage(err)
			}
			return reports.WriteTrace(cmd.OutOrStdout(), t)
		},
	}
}
