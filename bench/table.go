package bench

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/svmbench/svmbench/kernels"
)

// WriteGridTable prints cells as a plain aligned table, one row per cell
// in the order given, with the kernel's parameters, CV accuracy in
// percent, the fold range, mean support vectors, seconds and flags; the
// best cell, if any, is marked with "*".
func WriteGridTable(w io.Writer, cells []GridCell, best *GridCell) error {
	if len(cells) == 0 {
		_, err := fmt.Fprintln(w, "(no cells)")
		return err
	}
	var params []kernels.Param
	if spec, err := kernels.Lookup(cells[0].Kernel); err == nil {
		params = spec.Params
	}
	psd := false
	for _, c := range cells {
		psd = psd || c.MinEigen != nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "cell\t"
	for _, p := range params {
		head += p.Name + "\t"
	}
	head += "C\tcv acc %\tfold min %\tfold max %\tn_sv\tseconds\tcapped\t"
	if psd {
		head += "min eigen\t"
	}
	head += "best\t"
	fmt.Fprintln(tw, head)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	for _, c := range cells {
		row := fmt.Sprintf("%d\t", c.Index)
		for _, p := range params {
			if p.Int {
				row += strconv.Itoa(int(c.Param(p.Name))) + "\t"
			} else {
				row += g(c.Param(p.Name)) + "\t"
			}
		}
		lo, hi := 1.0, 0.0
		for _, a := range c.FoldAccuracy {
			lo, hi = min(lo, a), max(hi, a)
		}
		capped := ""
		if c.Capped {
			capped = "yes"
		}
		row += fmt.Sprintf("%s\t%.2f\t%.2f\t%.2f\t%.1f\t%.2f\t%s\t", g(c.C), 100*c.CVAccuracy, 100*lo, 100*hi, c.NSV, c.Seconds, capped)
		if psd {
			if c.MinEigen != nil {
				row += g(*c.MinEigen) + "\t"
			} else {
				row += "\t"
			}
		}
		mark := ""
		if best != nil && best.Index == c.Index {
			mark = "*"
		}
		row += mark + "\t"
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}
