package reports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/svmbench/svmbench/internal/memory"
	"github.com/svmbench/svmbench/results"
)

// WriteModelResults prints bench run's records as a terminal table
// (tablewriter, ASCII borders): accuracy in percent, seconds, support
// vectors and the memory peaks ("unknown" where no RSS peak was measured).
func WriteModelResults(w io.Writer, rs []results.ModelResult) error {
	t := &Table{Name: "run", Header: []string{"model", "features", "accuracy %", "train s", "predict s", "n_sv", "peak RSS", "peak Go heap"}}
	for _, r := range rs {
		rss := "unknown"
		if r.PeakRSSBytes > 0 {
			rss = memory.Bytes(int64(r.PeakRSSBytes))
		}
		t.Rows = append(t.Rows, []Cell{txt(r.Model), txt(r.Features), txt(fmt.Sprintf("%.2f", 100*r.Accuracy)),
			txt(fmt.Sprintf("%.2f", r.TrainSeconds)), txt(fmt.Sprintf("%.2f", r.PredictSeconds)), txt(strconv.Itoa(r.NSV)),
			txt(rss), txt(memory.Bytes(int64(r.PeakHeapBytes)))})
	}
	return writeRight(w, t)
}

// WriteScalingPoints prints bench run -scaling's points as a terminal
// table (tablewriter, ASCII borders).
func WriteScalingPoints(w io.Writer, ps []results.ScalingPoint) error {
	t := &Table{Name: "scaling", Header: []string{"model", "features", "n", "test n", "train s", "predict s", "accuracy %", "n_sv"}}
	for _, p := range ps {
		t.Rows = append(t.Rows, []Cell{txt(p.Model), txt(p.Features), txt(strconv.Itoa(p.N)), txt(strconv.Itoa(p.TestN)),
			txt(fmt.Sprintf("%.2f", p.TrainSeconds)), txt(fmt.Sprintf("%.2f", p.PredictSeconds)),
			txt(fmt.Sprintf("%.2f", 100*p.Accuracy)), txt(strconv.Itoa(p.NSV))})
	}
	return writeRight(w, t)
}

// writeRight writes t as text with every column aligned right.
func writeRight(w io.Writer, t *Table) error {
	t.Right = make([]bool, len(t.Header))
	for i := range t.Right {
		t.Right[i] = true
	}
	return t.WriteText(w)
}
