package main

// Shared flags: every subcommand that reads data or makes features declares
// them with addDataFlags and addFeatureFlags, so that -data, -train, -test,
// -seed, -cache-dir, -features and -cnn-model mean the same everywhere.
//
//	var cmdTrain = &Command{Name: "train", ..., Flags: func(fs *flag.FlagSet) runner {
//		return &trainCmd{df: addDataFlags(fs), ff: addFeatureFlags(fs)}
//	}}
//
//	func (c *trainCmd) check(args []string) error {
//		... // flags and arguments, before any work
//		return c.df.validate()
//	}
//
//	func (c *trainCmd) run(ctx context.Context) error {
//		prog := newProgress()
//		defer prog.Wait()
//		d, err := c.df.load(ctx, prog)
//		...
//	}

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/svmbench/svmbench/bench"
	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/features"
	"github.com/svmbench/svmbench/internal/progress"
)

// dataFlags are the flags that say which data a command reads.
type dataFlags struct {
	spec  string // -data
	train int    // -train: training samples, 0 = all
	test  int    // -test: test samples, 0 = all
	seed  uint64 // -seed: subsets and synthetic data
	cache string // -cache-dir: download folder, "" = user cache
	url   string // archive URL for downloads, "" = official (bench data -url)
	// predictOnly reads only the data predicted (bench predict): the
	// single file of libsvm:FILE, or TEST of libsvm:TRAIN,TEST.
	predictOnly bool
	// trainOnly reads only the training data (bench train): TRAIN of
	// libsvm:TRAIN,TEST.
	trainOnly bool
}

// addDataFlags defines -data, -train, -test, -seed and -cache-dir on fs.
func addDataFlags(fs *flag.FlagSet) *dataFlags {
	f := &dataFlags{}
	fs.StringVar(&f.spec, "data", "auto", "data `SPEC`: auto ($CIFAR10_DIR, then the cache, then download), a CIFAR-10 folder, a .tar.gz,\nlibsvm:FILE or libsvm:TRAIN,TEST, images:DIR, or synthetic[:N,M]")
	fs.IntVar(&f.train, "train", 0, "use a balanced, seeded subset of `N` training samples (N/10 a class where possible); 0 = all")
	fs.IntVar(&f.test, "test", 0, "use a balanced, seeded subset of `M` test samples; 0 = all")
	fs.Uint64Var(&f.seed, "seed", 1, "`S` seeds the subsets and the synthetic data")
	fs.StringVar(&f.cache, "cache-dir", "", "download folder `DIR` (default: the user cache folder/svmbench)")
	return f
}

// options returns the dataset options of the flags, without progress.
func (f *dataFlags) options() dataset.Options {
	return dataset.Options{Spec: f.spec, CacheDir: f.cache, URL: f.url, Seed: f.seed, PredictOnly: f.predictOnly, TrainOnly: f.trainOnly}
}

// validate reports flag values out of range as usage errors.
func (f *dataFlags) validate() error {
	if f.train < 0 {
		return usagef("-train %d: want a number of samples ≥ 0 (0 = all)", f.train)
	}
	if f.test < 0 {
		return usagef("-test %d: want a number of samples ≥ 0 (0 = all)", f.test)
	}
	return nil
}

// load resolves the data with dataset.Load, showing download and read
// progress on prog, and when -train or -test is given keeps a balanced
// seeded subset of that size (the other split whole when its flag is 0).
func (f *dataFlags) load(ctx context.Context, prog *progress.Progress) (*dataset.Dataset, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	opt := f.options()
	pb := newPhaseBars(prog, f.phases())
	opt.Progress = pb.report
	d, err := bench.LoadBalanced(ctx, opt, f.train, f.test)
	pb.done()
	return d, err
}

// phases names the byte counts dataset.Load reports, in order: a download
// before the read when "auto" will have to download.
func (f *dataFlags) phases() []string {
	spec := strings.TrimSpace(f.spec)
	if (spec == "" || spec == "auto") && os.Getenv("CIFAR10_DIR") == "" {
		cache := f.cache
		if cache == "" {
			cache, _ = dataset.DefaultCacheDir()
		}
		if _, err := os.Stat(filepath.Join(cache, dataset.ArchiveName)); errors.Is(err, os.ErrNotExist) {
			return []string{"download", "read"}
		}
	}
	return []string{"read"}
}

// phaseBars turns one byte-count callback whose count starts again from 0
// for each phase (download, then read) into one bar per phase.
type phaseBars struct {
	prog   *progress.Progress
	names  []string
	phase  int
	bar    *progress.Bar
	last   int64
	active bool
}

func newPhaseBars(prog *progress.Progress, names []string) *phaseBars {
	return &phaseBars{prog: prog, names: names}
}

func (p *phaseBars) report(done, total int64) {
	if !p.active || done < p.last {
		if p.active {
			p.bar.Done()
			p.phase++
		}
		name := fmt.Sprintf("data (phase %d)", p.phase+1)
		if p.phase < len(p.names) {
			name = p.names[p.phase]
		}
		p.bar, p.active = p.prog.ByteBar(name, total), true
	}
	p.last = done
	if total >= 0 {
		p.bar.SetTotal(total)
	}
	p.bar.Set(done)
}

func (p *phaseBars) done() {
	if p.active {
		p.bar.Done()
		p.active = false
	}
}

// featureFlags are the flags that choose the feature set.
type featureFlags struct {
	name     string // -features
	cnnModel string // -cnn-model
}

// addFeatureFlags defines -features and -cnn-model on fs.
func addFeatureFlags(fs *flag.FlagSet) *featureFlags {
	f := &featureFlags{}
	fs.StringVar(&f.name, "features", "pixels", "feature set `NAME`: "+strings.Join(features.Names(), ", ")+", or cnn (needs -cnn-model)")
	fs.StringVar(&f.cnnModel, "cnn-model", "", "trained CNN `FILE` whose embeddings -features cnn uses (written by bench cnn)")
	return f
}

// extractor returns the extractor the flags name; unknown names are usage
// errors. Each call returns a fresh extractor (fitted state is not shared).
func (f *featureFlags) extractor() (features.Extractor, error) {
	return f.extractorFor(f.name)
}

// list returns the comma-separated names of -features, for commands that
// accept several feature sets (e.g. -features pixels,hog).
func (f *featureFlags) list() []string {
	return splitList(f.name)
}

// extractorFor returns the extractor called name, resolving "cnn" through
// loadCNNExtractor with -cnn-model.
func (f *featureFlags) extractorFor(name string) (features.Extractor, error) {
	if name == "cnn" {
		if f.cnnModel == "" {
			return nil, usagef("features cnn needs a trained CNN: -cnn-model FILE (bench cnn writes one)")
		}
		return cnn.LoadEmbedder(f.cnnModel)
	}
	e, err := features.ByName(name)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("-features %q: want one of %s, or cnn with -cnn-model FILE", name, strings.Join(features.Names(), ", ")), err: err}
	}
	return e, nil
}
