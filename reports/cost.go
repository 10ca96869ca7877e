package reports

import (
	"fmt"
	"strconv"
)

// CostTable is the seed's cost claim measured: per kernel, the map from
// inner products to kernel values, the whole Gram matrix, and the map's
// share of training. Nil without cost.json.
func CostTable(in *Inputs) *Table {
	c := in.Cost
	if c == nil || len(c.Kernels) == 0 {
		return nil
	}
	ns := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	t := &Table{
		Name:      "cost",
		Title:     fmt.Sprintf("Kernel cost on %d training images × %d pixels", c.N, c.Dim),
		Header:    []string{"Model", "Parameters", "Map (ns/value)", "Gram (ns/value)", "Map share of Gram (%)", "Train (s)", "Map share of training (%)"},
		CSVHeader: []string{"model", "params", "map_ns_per_value", "gram_ns_per_value", "map_share_of_gram", "train_seconds", "map_share_of_train"},
		Right:     []bool{false, false, true, true, true, true, true},
		Note: fmt.Sprintf("In-process wall time, the fastest of %d runs, GOMAXPROCS %d, BLAS %s. Map: the elementwise function alone (tanh for the sigmoid, exp for RBF, identity for linear) applied to stored inner products (kernels.DotGram.Gram); Gram: the whole n×n matrix through the engine, inner products and map fused (kernels.Engine.Gram). The inner products alone take %s ns per value (kernels.NewDotGram). Map share of training: the map of all n² values over the SVM's training time on the same images, an upper bound on its share when the solver computes each value at most once.",
			c.Repeats, c.Manifest.GOMAXPROCS, c.Manifest.BLAS, ns(c.DotNsPerValue)),
	}
	for _, k := range c.Kernels {
		t.Rows = append(t.Rows, []Cell{txt(k.Model), {Text: paramString(k.Params), CSV: paramRaw(k.Params)},
			{Text: ns(k.MapNsPerValue), CSV: raw(k.MapNsPerValue)}, {Text: ns(k.GramNsPerValue), CSV: raw(k.GramNsPerValue)},
			{Text: pct(k.MapShareOfGram), CSV: raw(k.MapShareOfGram)}, {Text: secs(k.TrainSeconds), CSV: raw(k.TrainSeconds)},
			{Text: pct(k.MapShareOfTrain), CSV: raw(k.MapShareOfTrain)}})
	}
	return t
}

// costlierRatio is how much slower the sigmoid's whole Gram matrix must be
// than the RBF's for the verdict to call it costlier in practice.
const costlierRatio = 1.10

// CostVerdict answers the seed's claim that tanh "makes the kernel costly
// to compute" from cost.json: the map's ns per value for tanh against exp
// and the identity, and whether the sigmoid's whole Gram matrix is more
// than 10% slower than the RBF's. "" without the sigmoid and RBF rows.
func CostVerdict(in *Inputs) string {
	if in.Cost == nil {
		return ""
	}
	by := map[string]int{}
	for i, k := range in.Cost.Kernels {
		by[k.Model] = i
	}
	si, ok1 := by["svm-sigmoid"]
	ri, ok2 := by["svm-rbf"]
	if !ok1 || !ok2 {
		return ""
	}
	s, r := in.Cost.Kernels[si], in.Cost.Kernels[ri]
	lin := ""
	if li, ok := by["svm-linear"]; ok {
		lin = fmt.Sprintf(", the identity %.2f", in.Cost.Kernels[li].MapNsPerValue)
	}
	ratio := s.GramNsPerValue / r.GramNsPerValue
	verdict := "refuted in practice"
	if ratio > costlierRatio {
		verdict = "supported"
	}
	return fmt.Sprintf("The seed's claim that tanh \"makes the kernel costly to compute\": tanh costs %.2f ns per kernel value against exp's %.2f%s; the inner products cost %.2f ns per value, so the map is %s%% of the sigmoid's Gram matrix and at most %s%% of its training time. The sigmoid's whole Gram matrix takes %.2f× the RBF's (the verdict calls it costlier above %.2f×). Verdict: %s.",
		s.MapNsPerValue, r.MapNsPerValue, lin, in.Cost.DotNsPerValue, pct(s.MapShareOfGram), pct(s.MapShareOfTrain), ratio, costlierRatio, verdict)
}
