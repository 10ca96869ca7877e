package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/results"
)

// WriteGridCells prints a grid's cells as a terminal table (ASCII borders,
// through tablewriter like every terminal table), one row per cell in the
// order given, with the kernel's parameters (kernels.Spec.Params), CV
// accuracy in percent, the fold range, mean support vectors, seconds and
// flags (and for a halving search each cell's rung and its images n);
// a failed cell reads "failed", and the reasons follow the table;
// the best cell, if any, is marked with "*". bench grid and bench
// merge print it.
func WriteGridCells(w io.Writer, cells []results.GridCell, best *results.GridCell) error {
	if len(cells) == 0 {
		_, err := fmt.Fprintln(w, "(no cells)")
		return err
	}
	var params []kernels.Param
	if spec, err := kernels.Lookup(cells[0].Kernel); err == nil {
		params = spec.Params
	}
	eig := eigenColumns(cells)
	t := &Table{Name: "grid-cells", Header: []string{"cell"}}
	for _, p := range params {
		t.Header = append(t.Header, p.Name)
	}
	t.Header = append(t.Header, "C", "cv acc %", "fold min %", "fold max %", "n_sv", "seconds", "capped")
	for _, e := range eig {
		t.Header = append(t.Header, strings.ReplaceAll(e.csv, "_", " "))
	}
	halving := results.TopRung(cells) > 0
	if halving {
		t.Header = append(t.Header, "rung", "n")
	}
	t.Header = append(t.Header, "best")
	t.Right = make([]bool, len(t.Header))
	for i := range t.Right {
		t.Right[i] = true
	}
	g := func(v float64) Cell { return txt(strconv.FormatFloat(v, 'g', 4, 64)) }
	f := func(format string, v float64) Cell { return txt(fmt.Sprintf(format, v)) }
	for _, c := range cells {
		row := []Cell{txt(strconv.Itoa(c.Index))}
		for _, p := range params {
			if p.Int {
				row = append(row, txt(strconv.Itoa(int(c.Param(p.Name)))))
			} else {
				row = append(row, g(c.Param(p.Name)))
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
		if c.Failed != "" {
			row = append(row, g(c.C), txt("failed"), txt(""), txt(""), txt(""), f("%.2f", c.Seconds), txt(capped))
		} else {
			row = append(row, g(c.C), f("%.2f", 100*c.CVAccuracy), f("%.2f", 100*lo), f("%.2f", 100*hi),
				f("%.1f", c.NSV), f("%.2f", c.Seconds), txt(capped))
		}
		for _, e := range eig {
			if v := e.value(c); v != nil {
				row = append(row, g(*v))
			} else {
				row = append(row, txt(""))
			}
		}
		if halving {
			row = append(row, txt(strconv.Itoa(c.Rung)), txt(strconv.Itoa(c.RungN)))
		}
		mark := ""
		if best != nil && best.Index == c.Index {
			mark = "*"
		}
		t.Rows = append(t.Rows, append(row, txt(mark)))
	}
	if err := t.WriteText(w); err != nil {
		return err
	}
	return writeFailures(w, cells)
}

// writeFailures says, below a grid's table, which cells failed and why:
// each reason once, with the cells that gave it (the first few).
func writeFailures(w io.Writer, cells []results.GridCell) error {
	var reasons []string
	byReason := map[string][]string{}
	for _, c := range cells {
		if c.Failed == "" {
			continue
		}
		if byReason[c.Failed] == nil {
			reasons = append(reasons, c.Failed)
		}
		byReason[c.Failed] = append(byReason[c.Failed], strconv.Itoa(c.Index))
	}
	for _, r := range reasons {
		ids := byReason[r]
		list := strings.Join(ids[:min(len(ids), 8)], ", ")
		if len(ids) > 8 {
			list += fmt.Sprintf(" and %d more", len(ids)-8)
		}
		cells := "cells"
		if len(ids) == 1 {
			cells = "cell"
		}
		if _, err := fmt.Fprintf(w, "failed (%s %s: not scored, never the best, not rerun by -resume): %s\n", cells, list, r); err != nil {
			return err
		}
	}
	return nil
}
