package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/svmbench/svmbench/reports"
)

var cmdReport = &Command{
	Name:      "report",
	UsageLine: "report -in DIR [-out DIR]",
	Short:     "rebuild the report (report.md, report.html, figures, CSV tables) from results on disk",
	Long: `Report reads every results file under -in, in subfolders too
(results.json, grid-KERNEL-FEATURES.jsonl, best-KERNEL-FEATURES.json,
scaling.json, trials.json, cost.json, search-KERNEL-FEATURES.json,
cnn-VARIANT.json), and writes into -out:

  report.md, report.html   the report; the HTML embeds its figures
  figures/NAME.png|svg     every figure
  tables/NAME.csv          every table, full precision

then prints the main table. A sharded or interrupted run can be reported
at any time: a grid's torn last line is dropped with a warning, and grids
without a best file are drawn from the cells they have.

The default -out is the parent of -in when -in is a folder named
"results" (as the main job writes: svmbench-report/results), else -in.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &reportCmd{}
		fs.StringVar(&c.in, "in", "", "results `DIR` to read (required)")
		fs.StringVar(&c.out, "out", "", "report `DIR` to write (default: see above)")
		return c
	},
}

// reportCmd is bench report's flags.
type reportCmd struct{ in, out string }

func (c *reportCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if c.in == "" {
		return usagef("-in DIR is required")
	}
	if c.out == "" {
		c.out = defaultReportDir(c.in)
	}
	return nil
}

// run is bench report: reports.Load, reports.Write, the main table printed.
func (c *reportCmd) run(ctx context.Context) error { return buildReport(c.in, c.out) }

// defaultReportDir is the parent of a folder named "results", else the
// folder itself.
func defaultReportDir(in string) string {
	clean := filepath.Clean(in)
	if filepath.Base(clean) == "results" {
		return filepath.Dir(clean)
	}
	return clean
}

// buildReport loads the results under in, writes the report into out and
// prints the main table on stdout.
func buildReport(in, out string) error {
	inputs, err := reports.Load(in)
	if err != nil {
		return err
	}
	for _, w := range inputs.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if err := reports.Write(inputs, out); err != nil {
		return err
	}
	if err := reports.PrintMain(stdout, inputs); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "report: %d results files from %s; wrote %s and %s\n", len(inputs.Files), in,
		filepath.Join(out, "report.md"), filepath.Join(out, "report.html"))
	return nil
}
