package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/svm"
)

var cmdPredict = &Command{
	Name:      "predict",
	UsageLine: "predict [-data SPEC] -model FILE [-out FILE] [-features NAME] [-test M]",
	Short:     "predict the test split with a saved SVM model: accuracy, confusion matrix, seconds",
	Long: `Predict reads a model written by bench train (or by LIBSVM's svm-train),
predicts the test split of -data with the model's feature set (recorded in
FILE.json; -features overrides it, and is needed for svm-train models of
anything but raw values), and prints the accuracy, the confusion matrix
(rows: true class, columns: predicted) and the prediction seconds. Kernel
values are computed as support-vector × test-block matrix products.

Features with fitted parameters (standard) are fitted again on the
training split of -data: give the -data, -train and -seed of training.

With -out FILE, the predicted labels are written one a line, as
svm-predict writes them.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &predictCmd{fs: fs, df: addDataFlags(fs), ff: addFeatureFlags(fs)}
		fs.StringVar(&c.model, "model", "", "model `FILE` written by bench train or svm-train (required)")
		fs.StringVar(&c.out, "out", "", "write the predicted labels, one a line, to `FILE`")
		return c
	},
}

// predictCmd is bench predict's flags.
type predictCmd struct {
	fs         *flag.FlagSet
	df         *dataFlags
	ff         *featureFlags
	model, out string
}

func (c *predictCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	if c.model == "" {
		return usagef("-model FILE is required")
	}
	return c.df.validate()
}

// run is bench predict: load the model, predict the test split, print the
// accuracy and the confusion matrix.
func (c *predictCmd) run(ctx context.Context) error {
	m, err := svm.Load(c.model)
	if err != nil {
		return err
	}
	featSet := false
	c.fs.Visit(func(f *flag.Flag) { featSet = featSet || f.Name == "features" })
	if !featSet && m.Meta.Features != "" {
		c.ff.name = m.Meta.Features
	}
	ext, err := c.ff.extractor()
	if err != nil {
		return err
	}
	if m.Gram {
		return fmt.Errorf("%s is a precomputed-kernel model: it predicts from kernel values, not samples", c.model)
	}
	prog := newProgress()
	defer prog.Wait()
	d, err := c.df.load(ctx, prog)
	if err != nil {
		return err
	}
	if f, ok := ext.(features.Fitter); ok {
		if err := f.Fit(&d.Train, d.Image); err != nil {
			return err
		}
	}
	x, err := ext.Extract(&d.Test, d.Image)
	if err != nil {
		return err
	}
	prog.Wait()
	t0 := time.Now()
	pred, err := m.Predict(nil, x)
	if err != nil {
		return err
	}
	secs := time.Since(t0).Seconds()
	if c.out != "" {
		if err := writeLabels(c.out, pred); err != nil {
			return err
		}
	}
	return printConfusion(d, m, pred, secs, c.model, ext.Name())
}

// writeLabels writes one predicted label a line, through a temporary file.
func writeLabels(path string, pred []int) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		var line []byte
		for _, p := range pred {
			line = strconv.AppendInt(line[:0], int64(p), 10)
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func printConfusion(d *dataset.Dataset, m *svm.Model, pred []int, secs float64, model, feat string) error {
	y := d.Test.Y
	labels := slices.Clone(classLabels(d))
	for _, l := range append(slices.Clone(m.Labels), pred...) {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	pos := map[int]int{}
	for i, l := range labels {
		pos[l] = i
	}
	conf := make([][]int, len(labels))
	for i := range conf {
		conf[i] = make([]int, len(labels))
	}
	ok := 0
	for i, p := range pred {
		conf[pos[y[i]]][pos[p]]++
		if p == y[i] {
			ok++
		}
	}
	acc := float64(ok) / float64(max(len(y), 1))
	fmt.Fprintf(stdout, "accuracy %.4f (%d/%d) on %s, model %s (%d SVs, %s features), %.2f s prediction\n",
		acc, ok, len(y), d.Source, model, m.NSV(), feat, secs)
	w := 5
	for _, l := range labels {
		w = max(w, len(strconv.Itoa(l)), len(strconv.Itoa(len(y))))
	}
	fmt.Fprintf(stdout, "\nconfusion (rows: true label, columns: predicted)\n%*s", w, "")
	for _, l := range labels {
		fmt.Fprintf(stdout, " %*d", w, l)
	}
	fmt.Fprintln(stdout)
	for i, l := range labels {
		fmt.Fprintf(stdout, "%*d", w, l)
		for j := range labels {
			fmt.Fprintf(stdout, " %*d", w, conf[i][j])
		}
		fmt.Fprintf(stdout, "   %s\n", d.ClassName(l))
	}
	return nil
}
