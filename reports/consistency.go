package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/results"
)

// checkGridFile refuses a grid journal whose cells do not all belong to
// the grid its spec (grid-KERNEL-FEATURES.spec.json, beside it) describes:
// lines of two runs mixed in one file would be drawn as one grid. lines
// holds the line number of each cell. bench writes the spec before the
// journal; a journal without one (written by hand, as the test fixtures
// are) cannot be checked and is read as it is (nil spec).
func checkGridFile(path string, cells []results.GridCell, lines []int) (*results.GridSpec, error) {
	spath := strings.TrimSuffix(path, ".jsonl") + ".spec.json"
	var spec results.GridSpec
	if err := readJSON(spath, &spec); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	i, why, err := results.ForeignCell(spec, cells)
	if err != nil {
		return nil, &FileError{Path: spath, Err: errors.New(strings.TrimPrefix(err.Error(), "results: "))}
	}
	if i >= 0 {
		return nil, &FileError{Path: path, Line: lines[i], Err: fmt.Errorf("not a cell of the grid %s describes (%s): the file mixes runs", filepath.Base(spath), why)}
	}
	return &spec, nil
}

// checkBestFiles refuses a best file that is not the best of the grid
// journal beside it (results.CheckBest): its figures would not be the
// grid's. A best file whose model file is absent (results shipped without
// their models) is kept: the report uses only the numbers the best file
// records, never the model, and its absence is returned as a warning. A
// model that is there but cannot be looked at is refused.
func checkBestFiles(bests map[string]results.Best, journals map[string][]results.GridCell) (warnings []string, err error) {
	paths := make([]string, 0, len(bests))
	for p := range bests {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var missing []string
	for _, p := range paths {
		b := bests[p]
		jpath := filepath.Join(filepath.Dir(p), "grid-"+strings.TrimPrefix(filepath.Base(strings.TrimSuffix(p, ".json")), "best-")+".jsonl")
		cells, ok := journals[jpath]
		if !ok {
			return nil, &FileError{Path: p, Err: fmt.Errorf("no grid journal %s beside it to check it against", filepath.Base(jpath))}
		}
		if err := results.CheckBest(b, cells); err != nil {
			return nil, &FileError{Path: p, Err: fmt.Errorf("%s (against %s): the best file is not this grid's", strings.TrimPrefix(err.Error(), "results: "), filepath.Base(jpath))}
		}
		if b.Retrained && b.Model != "" {
			_, err := os.Stat(filepath.Join(filepath.Dir(p), b.Model))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				missing = append(missing, b.Model)
			case err != nil:
				return nil, &FileError{Path: p, Err: fmt.Errorf("its model %s: %v", b.Model, err)}
			}
		}
	}
	if len(missing) > 0 {
		warnings = append(warnings, fmt.Sprintf("the model files named by the best files were not present (%s): the grids' test accuracies, training times and SV counts are those their best files record; nothing here needs a model", strings.Join(missing, ", ")))
	}
	return warnings, nil
}
