package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

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
// seeded with cfg.Seed. cfg must have been through Validate.
func (cfg *GridConfig) Cells() []GridCell {
	names := cfg.axes()
	base := GridCell{Kernel: cfg.Kernel, Features: cfg.Features, Folds: cfg.Folds, Degree: cfg.Degree}
	var cells []GridCell
	if cfg.Search == "random" {
		rng := rand.New(rand.NewPCG(cfg.searchSeed(), 0x72616e646f6d)) // "random"
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

// ParamString writes a cell's parameters for people: "α=0.001 c=-1 C=8"
// (the kernel's parameters as kernels.Spec.Format writes them, then C).
func ParamString(c GridCell) string {
	ps := ""
	if spec, err := kernels.Lookup(c.Kernel); err == nil {
		ps = spec.Format(c.Values(), nil)
	}
	if ps != "" {
		ps += " "
	}
	return ps + "C=" + strconv.FormatFloat(c.C, 'g', -1, 64)
}

// sameParams reports whether two cells describe the same grid point.
func sameParams(a, b GridCell) bool {
	return a.Index == b.Index && a.Kernel == b.Kernel && a.Features == b.Features &&
		a.Alpha == b.Alpha && a.Coef0 == b.Coef0 && a.Gamma == b.Gamma &&
		a.Degree == b.Degree && a.C == b.C && a.Folds == b.Folds
}

// Better reports whether cell a ranks above cell b: higher cv_accuracy;
// on a tie smaller C, then smaller α (sigmoid) or γ (rbf, poly), then c
// closer to 0, then earlier in the cell order.
func Better(a, b GridCell) bool {
	if a.CVAccuracy != b.CVAccuracy {
		return a.CVAccuracy > b.CVAccuracy
	}
	if a.C != b.C {
		return a.C < b.C
	}
	if a.Alpha != b.Alpha {
		return a.Alpha < b.Alpha
	}
	if a.Gamma != b.Gamma {
		return a.Gamma < b.Gamma
	}
	if ac, bc := math.Abs(a.Coef0), math.Abs(b.Coef0); ac != bc {
		return ac < bc
	}
	return a.Index < b.Index
}

// BestCell returns the best of cells by Better, and false when there are
// none.
func BestCell(cells []GridCell) (GridCell, bool) {
	if len(cells) == 0 {
		return GridCell{}, false
	}
	best := cells[0]
	for _, c := range cells[1:] {
		if Better(c, best) {
			best = c
		}
	}
	return best, true
}

// fileTag is the KERNEL-FEATURES part of the grid's file names.
func fileTag(kernel, features string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.':
				return r
			}
			return '_'
		}, s)
	}
	return clean(kernel) + "-" + clean(features)
}

// GridFile, SpecFile and BestFile name the files of the grid
// of kernel on features in a results folder (base names).
func GridFile(kernel, features string) string {
	return "grid-" + fileTag(kernel, features) + ".jsonl"
}

func SpecFile(kernel, features string) string {
	return "grid-" + fileTag(kernel, features) + ".spec.json"
}

func BestFile(kernel, features string) string {
	return "best-" + fileTag(kernel, features) + ".json"
}

// ModelFile is the best cell's retrained model, svm-KERNEL-FEATURES.model
// (LIBSVM's format) with svm's MODEL.json beside it. It does not start with
// "best-", so that readers of best-*.json never take the model's JSON for
// a Best.
func ModelFile(kernel, features string) string {
	return "svm-" + fileTag(kernel, features) + ".model"
}
