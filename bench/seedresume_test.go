package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/results"
)

// A journal cut short resumes with the -warm-start it was written with,
// for every search, cold as well as seeded, and one that holds failed
// cells too; with the other it is refused naming -warm-start
// (results.OtherSeeding), except where every cell it holds failed.
func TestResumeKeepsSeeding(t *testing.T) {
	d := blobs(3, 30, 6, 3)
	grids := map[string]func(string) GridConfig{
		"grid": smallGrid, "halving": halvingGrid, "bayes": bayesGrid,
		"failed": func(out string) GridConfig { return failingGrid(out, 1e6, 0.1, 0.2, 0.3) },
	}
	for _, name := range []string{"grid", "halving", "bayes", "failed"} {
		for _, cold := range []bool{false, true} {
			cfg := grids[name](filepath.Join(t.TempDir(), "g"))
			cfg.ColdStart, cfg.NoRetrain = cold, true
			what := fmt.Sprintf("%s, cold %v", name, cold)
			if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			jp := filepath.Join(cfg.Out, GridFile(cfg.Kernel, cfg.Features))
			cells, _, err := ReadCells(jp)
			if err != nil || len(cells) < 4 {
				t.Fatalf("%s: %d cells, %v", what, len(cells), err)
			}
			// The journal is in the order cells finished, which parallel
			// fits vary; the first two cells by index are the cut.
			slices.SortFunc(cells, func(a, b GridCell) int { return a.Index - b.Index })
			cut := cells[:2]
			if name == "failed" && cut[0].Failed == "" {
				t.Fatalf("%s: cell %+v, want the first failed", what, cut[0])
			}
			if err := results.WriteCells(jp, cut); err != nil {
				t.Fatal(err)
			}
			cfg.Resume, cfg.ColdStart = true, !cold
			var me *MismatchError
			if _, _, err := Grid(context.Background(), d, d.Train.X, nil, cfg); !errors.As(err, &me) || !strings.Contains(me.Why, "-warm-start") {
				t.Errorf("%s: resumed with the other -warm-start: %v; want refused naming -warm-start", what, err)
			}
			cfg.ColdStart = cold
			if _, got, err := Grid(context.Background(), d, d.Train.X, nil, cfg); err != nil || len(got) != len(cells) {
				t.Errorf("%s: resumed: %d cells, %v; want %d", what, len(got), err, len(cells))
			}
		}
	}
}
