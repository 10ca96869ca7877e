package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/reports"
)

var cmdMerge = &Command{
	Name:      "merge",
	UsageLine: "merge -out DIR SHARD_DIR...",
	Short:     "join the outputs of grid shards (bench grid -shard I/N) into one grid",
	Long: `Merge reads the grid journals and specs (grid-KERNEL-FEATURES.jsonl and
.spec.json) in each SHARD_DIR and writes, for each kernel and feature set, one
journal with every distinct cell in cell order and one spec into DIR. It
refuses grids whose specs differ (parameter lists, folds, seed, solver
settings, or the training data's SHA-256) and cells that do not belong to the
grid's cell order. It prints the merged grid, the cells still missing, and
the best cell.

Merge does not retrain the best cell (it has no data). To do that, run the
same bench grid command on the merged folder with -out DIR -resume (and no
-shard): every cell is found, none is recomputed, and the best cell is
retrained and scored into DIR/best-KERNEL-FEATURES.json. -out may also be
given after the folders.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &mergeCmd{}
		fs.StringVar(&c.out, "out", "", "merged results `DIR` (required)")
		return c
	},
}

// mergeCmd is bench merge's flags and folders.
type mergeCmd struct {
	out  string
	dirs []string
}

// check takes the shard folders from args, and -out given after them.
func (c *mergeCmd) check(args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-out" || a == "--out":
			if i+1 >= len(args) {
				return usagef("-out needs a folder")
			}
			c.out = args[i+1]
			i++
		case strings.HasPrefix(a, "-out=") || strings.HasPrefix(a, "--out="):
			c.out = a[strings.Index(a, "=")+1:]
		case strings.HasPrefix(a, "-"):
			return usagef("unknown flag %s after the folders", a)
		default:
			c.dirs = append(c.dirs, a)
		}
	}
	if c.out == "" {
		return usagef("-out DIR is required")
	}
	if len(c.dirs) == 0 {
		return usagef("no shard folders to merge")
	}
	return nil
}

// run is bench merge: bench.Merge, then each merged grid printed.
func (c *mergeCmd) run(ctx context.Context) error {
	sums, err := bench.Merge(ctx, c.dirs, c.out)
	if err != nil {
		return err
	}
	for _, s := range sums {
		fmt.Fprintf(stdout, "grid %s/%s: %d of %d cells from %d folders\n", s.Spec.Kernel, s.Spec.Features, len(s.Cells), s.Spec.Cells, s.Sources)
		for _, d := range s.Dropped {
			fmt.Fprintf(stdout, "dropped the torn last line %s\n", d)
		}
		if err := reports.WriteGridCells(stdout, s.Cells, s.Best); err != nil {
			return err
		}
		if len(s.Missing) > 0 {
			fmt.Fprintf(stdout, "missing cells: %s\n", intList(s.Missing, 30))
		}
		if len(s.Removed) > 0 {
			fmt.Fprintf(stdout, "removed %s: not the merged grid's best (run bench grid -resume on %s to retrain it)\n", strings.Join(s.Removed, " and "), c.out)
		}
		if s.Best != nil {
			fmt.Fprintf(stdout, "best: cell %d, %s, CV accuracy %.2f%%\n", s.Best.Index, bench.ParamString(*s.Best), 100*s.Best.CVAccuracy)
			printEdge(s.Spec, s.Cells, *s.Best, "run bench grid -resume -extend N on "+c.out)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

func intList(v []int, most int) string {
	var parts []string
	for i, x := range v {
		if i == most {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(v)-most))
			break
		}
		parts = append(parts, fmt.Sprint(x))
	}
	return strings.Join(parts, ", ")
}
