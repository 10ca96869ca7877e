package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/matrix"
	"github.com/svmbench/svmbench/svm"
)

var cmdPredict = &Command{
	Name:      "predict",
	UsageLine: "predict [-data SPEC] -model FILE [-b 1] [-out FILE] [-features NAME] [-test M]",
	Short:     "predict the test split with a saved SVM model: accuracy, confusion matrix, seconds",
	Long: `Predict reads a model written by bench train (or by LIBSVM's svm-train),
predicts the test split of -data with the model's feature set (recorded in
FILE.json; -features overrides it, and is needed for svm-train models of
anything but raw values), and prints the accuracy, the confusion matrix
(rows: true class, columns: predicted) and the prediction seconds. Kernel
values are computed as support-vector × test-block matrix products.

-data libsvm:FILE predicts FILE, and libsvm:TRAIN,TEST reads TEST alone:
prediction never reads training data. Labels are the file's; a test label
the model never saw is predicted as usual, counted wrong, and shown as its
own row of the confusion matrix. Features with fitted parameters
(standard) apply the values recorded in FILE.json; a model that needs
FILE.json (features other than pixels, scaling) refuses to run without a
matching one. Samples with more features than the training data are an
error unless the extra ones are 0.

With -out FILE, the predicted labels are written one a line, as
svm-predict writes them; with -b 1 (a model trained with -b 1, here or by
svm-train), the predictions are the most probable labels and -out holds
svm-predict -b 1's format: a line "labels L1 L2 …", then per sample the
label and the probability of each class.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &predictCmd{fs: fs, df: addDataFlags(fs), ff: addFeatureFlags(fs)}
		fs.StringVar(&c.model, "model", "", "model `FILE` written by bench train or svm-train (required)")
		fs.StringVar(&c.out, "out", "", "write the predicted labels, one a line, to `FILE`")
		fs.IntVar(&c.prob, "b", 0, "1: predict probabilities, as svm-predict -b 1 (`0|1`)")
		c.df.predictOnly = true
		return c
	},
}

// predictCmd is bench predict's flags.
type predictCmd struct {
	fs         *flag.FlagSet
	df         *dataFlags
	ff         *featureFlags
	model, out string
	prob       int
}

func (c *predictCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	if c.model == "" {
		return usagef("-model FILE is required")
	}
	if c.prob != 0 && c.prob != 1 {
		return usagef("-b %d: want 0 or 1", c.prob)
	}
	return c.df.validate()
}

// run is bench predict: load the model, predict the test split, print the
// accuracy and the confusion matrix.
func (c *predictCmd) run(ctx context.Context) error {
	m, err := svm.LoadContext(ctx, c.model)
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
	if c.prob == 1 && !m.HasProbability() {
		return fmt.Errorf("-b 1: %s has no probability model (train it with -b 1)", c.model)
	}
	prog := newProgress()
	defer prog.Wait()
	d, err := c.df.load(ctx, prog)
	if err != nil {
		return err
	}
	x, err := predictFeatures(m, ext, d)
	if err != nil {
		return err
	}
	prog.Wait()
	t0 := time.Now()
	var pred []int
	var prob []float64
	if c.prob == 1 {
		pred, prob, err = m.PredictProbability(x)
	} else {
		pred, err = m.Predict(nil, x)
	}
	if err != nil {
		return err
	}
	secs := time.Since(t0).Seconds()
	if c.out != "" {
		if err := writePredictions(c.out, m.Labels, pred, prob); err != nil {
			return err
		}
	}
	return printConfusion(d, m, pred, secs, c.model, ext.Name())
}

// predictFeatures extracts the features of the test split as the model
// was trained: non-image samples are brought to the training width
// (Model.Conform), fitted parameters come from the model's sidecar (or,
// for an older model without them, are fitted on the training split when
// the data has one).
func predictFeatures(m *svm.Model, ext features.Extractor, d *dataset.Dataset) (*matrix.Matrix, error) {
	test := d.Test
	if d.Image == nil {
		var err error
		if test.X, err = m.Conform(test.X); err != nil {
			// Name the sample's file and line (predict reads one file).
			var we *svm.WidthError
			if errors.As(err, &we) && test.Lines != nil && len(d.Files) == 1 {
				return nil, fmt.Errorf("%s:%d: %w", d.Files[0].Name, test.Lines[we.Sample], err)
			}
			return nil, err
		}
	}
	if f, ok := ext.(features.Fitter); ok {
		switch {
		case len(m.Meta.Fitted) > 0:
			if err := json.Unmarshal(m.Meta.Fitted, ext); err != nil {
				return nil, fmt.Errorf("the model's fitted %s features: %w", ext.Name(), err)
			}
		case d.Train.Len() > 0:
			if err := f.Fit(&d.Train, d.Image); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("features %s need fitted parameters, which the model does not record and the data (no training split) cannot give: retrain the model", ext.Name())
		}
	}
	return ext.Extract(&test, d.Image)
}

// writePredictions writes svm-predict's output: one label a line, or with
// probabilities (prob, len(pred)×len(labels)) a "labels …" line and then
// the label and the class probabilities of each sample, as -b 1 does.
func writePredictions(path string, labels, pred []int, prob []float64) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		var line []byte
		if prob != nil {
			line = append(line, "labels"...)
			for _, l := range labels {
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(l), 10)
			}
			line = append(line, '\n')
		}
		nc := len(labels)
		for i, p := range pred {
			line = strconv.AppendInt(line, int64(p), 10)
			if prob != nil {
				for _, v := range prob[i*nc : (i+1)*nc] {
					line = append(line, ' ')
					line = strconv.AppendFloat(line, v, 'g', 6, 64)
				}
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
			line = line[:0]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// maxConfusion is the most labels whose confusion table predict prints:
// past it the table (labels² counts) is too wide to read.
const maxConfusion = 30

func printConfusion(d *dataset.Dataset, m *svm.Model, pred []int, secs float64, model, feat string) error {
	y := d.Test.Y
	labels := slices.Clone(classLabels(d))
	for _, l := range append(slices.Clone(m.Labels), pred...) {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	// Every label seen is a row and a column, so every sample counts.
	conf := bench.Confusion(labels, y, pred)
	ok := 0
	for i := range labels {
		ok += conf[i][i]
	}
	acc := float64(ok) / float64(max(len(y), 1))
	fmt.Fprintf(stdout, "accuracy %.4f (%d/%d) on %s, model %s (%d SVs, %s features), %.2f s prediction\n",
		acc, ok, len(y), d.Source, model, m.NSV(), feat, secs)
	if len(labels) > maxConfusion {
		fmt.Fprintf(stdout, "(no confusion table for %d labels, more than %d; -out FILE writes every prediction)\n", len(labels), maxConfusion)
		return nil
	}
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
