package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/svmbench/svmbench/kernels"
)

// DefaultRange returns the default values of parameter name ("alpha",
// "coef0", "gamma", "C") for kernel, from the kernel's registered spec
// (kernels.Lookup). See the GridConfig documentation for the reasons
// behind them.
func DefaultRange(kernel, name string) Range {
	spec, err := kernels.Lookup(kernel)
	if err != nil {
		panic("bench: " + err.Error())
	}
	text := spec.C
	if name != "C" {
		p, ok := spec.Param(name)
		if !ok {
			panic("bench: no default range for " + name)
		}
		text = p.Range
	}
	r, err := ParseRange(text)
	if err != nil {
		panic(err)
	}
	return r
}

// axes returns the parameter names cfg's grid ranges over, outermost
// first: the kernel's (kernels.Spec.GridParams), then C, always last
// (innermost). cfg must have been through Validate.
func (cfg *GridConfig) axes() []string {
	spec, err := kernels.Lookup(cfg.Kernel)
	if err != nil {
		panic("bench: a GridConfig that was not validated: " + err.Error())
	}
	return append(spec.GridParams(), "C")
}

// latticeCells is the number of cells of the full grid over cfg's
// ranges: the lattice a bayes search chooses among, and what a search's
// share of an extension step is taken against (stepTrials).
func (cfg *GridConfig) latticeCells() int {
	n := 1
	for _, a := range cfg.axes() {
		n *= len(cfg.rangeOf(a).Values)
	}
	return n
}

// searchedAxes is the number of the grid's axes with more than one value:
// those a bayes search moves along.
func (cfg *GridConfig) searchedAxes() int {
	n := 0
	for _, a := range cfg.axes() {
		if len(cfg.rangeOf(a).Values) > 1 {
			n++
		}
	}
	return n
}

// bayesDesign is the size of a bayes search's initial design over d
// searched axes: 2(d+1) cells, a common rule for a Gaussian process's
// space-filling start.
func bayesDesign(d int) int { return 2 * (d + 1) }

func (cfg *GridConfig) rangeOf(name string) *Range {
	switch name {
	case "alpha":
		return &cfg.Alpha
	case "coef0":
		return &cfg.Coef0
	case "gamma":
		return &cfg.Gamma
	}
	return &cfg.C
}

// Cells returns the grid's cells in its deterministic order, with Index,
// Kernel, Features, the parameters and Folds set. For a full grid the
// order is the nested loop over the kernel's parameters in the order
// alpha, coef0, C (sigmoid), gamma, C (rbf), gamma, coef0, C (poly) or C
// (linear), each in the order its Range lists its values: C varies
// fastest. For random search, cell i is the i-th draw of a generator
// seeded with cfg.Seed (or SearchSeed): when every range is a list, the
// draws are distinct cells of that grid (listsOnly); otherwise each
// parameter is drawn from its range (Range.sample). cfg must have been
// through Validate.
func (cfg *GridConfig) Cells() []GridCell {
	if cfg.Search != "random" {
		return cfg.lattice()
	}
	rng := rand.New(rand.NewPCG(cfg.searchSeed(), 0x72616e646f6d)) // "random"
	var cells []GridCell
	if cfg.listsOnly() {
		all := cfg.lattice()
		for i, k := range rng.Perm(len(all))[:min(cfg.Trials, len(all))] {
			c := all[k]
			c.Index = i
			cells = append(cells, c)
		}
		return cells
	}
	names := cfg.axes()
	base := GridCell{Kernel: cfg.Kernel, Features: cfg.Features, Folds: cfg.Folds, Degree: cfg.Degree}
	for i := 0; i < cfg.Trials; i++ {
		c := base
		c.Index = i
		for _, n := range names {
			c.SetParam(n, cfg.rangeOf(n).sample(rng))
		}
		cells = append(cells, c)
	}
	return cells
}

// lattice returns every cell of the grid over cfg's ranges, in the order
// Cells gives a full grid's.
func (cfg *GridConfig) lattice() []GridCell {
	names := cfg.axes()
	base := GridCell{Kernel: cfg.Kernel, Features: cfg.Features, Folds: cfg.Folds, Degree: cfg.Degree}
	var cells []GridCell
	var rec func(d int, c GridCell)
	rec = func(d int, c GridCell) {
		if d == len(names) {
			c.Index = len(cells)
			cells = append(cells, c)
			return
		}
		for _, v := range cfg.rangeOf(names[d]).Values {
			c.SetParam(names[d], v)
			rec(d+1, c)
		}
	}
	rec(0, base)
	return cells
}

// listsOnly reports whether every range of cfg's grid is a list (as the
// main job's are): a random search then draws cells of the grid without
// replacement, as scikit-learn's ParameterSampler does when every
// parameter is a list, since a cell drawn twice would be fitted twice on
// the same folds for the same result.
func (cfg *GridConfig) listsOnly() bool {
	for _, n := range cfg.axes() {
		if cfg.rangeOf(n).Kind != List {
			return false
		}
	}
	return true
}

// ShardCells returns the cells of shard i of n: cells i, i+n, i+2n, … of
// the order.
func ShardCells(cells []GridCell, i, n int) []GridCell {
	var out []GridCell
	for k := i; k < len(cells); k += n {
		out = append(out, cells[k])
	}
	return out
}

// CellKernel returns the kernel of cell c, validated. The grid derives
// Gram matrices from inner products, so the kernel must be a DotKernel.
func CellKernel(c GridCell) (kernels.DotKernel, error) {
	spec, err := kernels.Lookup(c.Kernel)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	k, err := spec.Build(c.Values())
	if err != nil {
		return nil, err
	}
	dk, ok := k.(kernels.DotKernel)
	if !ok {
		return nil, fmt.Errorf("bench: kernel %s is not a function of inner products (kernels.DotKernel), which a grid needs", c.Kernel)
	}
	return dk, nil
}
