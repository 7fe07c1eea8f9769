package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stormcheck/stormcheck/scenarios"
)

func newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the bundled scenarios",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, s := range scenarios.Bundled() {
				fmt.Fprintf(w, "%s\t%s\n", s.Name, s.Description)
			}
			return w.Flush()
		},
	}
}

func newValidateCmd() *cobra.Command {
	var allowProduction bool
	cmd := &cobra.Command{
		Use:   "validate SCENARIO",
		Short: "Check a scenario and print its resolved form",
		Long: "validate loads a scenario (a file path or a bundled name), reports every problem\n" +
			"with its file, line and column, and prints the scenario with defaults applied.\n" +
			"It refuses what run would refuse, a production F&O target included.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := scenarios.Load(args[0])
			if err != nil {
				return usage(err)
			}
			if err := s.CheckProduction(allowProduction); err != nil {
				return usage(err)
			}
			out, err := scenarios.Marshal(s)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	cmd.Flags().BoolVar(&allowProduction, "allow-production", false,
		"accept a target that looks like a production F&O environment")
	return cmd
}
