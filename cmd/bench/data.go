package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/progress"
	"github.com/svmbench/svmbench/reports"
)

var cmdData = &Command{
	Name:      "data",
	UsageLine: "data [-data SPEC] [-download] [-train N] [-test M] [-seed S] [-cache-dir DIR]",
	Short:     "resolve and verify the data set; print its source, class counts and checksums",
	Long: `Data resolves -data SPEC as every command does, reads and verifies the data
(whole records, labels in range, values finite and 0–255 for images), then
prints the source, the sample shape, the number of training and test samples
of each class, and the size and checksums of every file read.

-download fetches the official cifar-10-binary.tar.gz into the cache folder
(MD5 verified, written under a temporary name and renamed only when whole),
or re-verifies the archive already there, then describes it.

Bad input exits with status 1 and one line naming the file and the record or
line at fault.`,
	Flags: func(fs *flag.FlagSet) runner {
		c := &dataCmd{df: addDataFlags(fs)}
		fs.BoolVar(&c.download, "download", false, "download the official archive into the cache (or re-verify the one there), then describe it")
		fs.StringVar(&c.df.url, "url", "", "download cifar-10-binary.tar.gz from this mirror `URL` instead of the official one")
		return c
	},
}

// dataCmd is bench data's flags.
type dataCmd struct {
	df       *dataFlags
	download bool
}

func (c *dataCmd) check(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	if c.download {
		if s := strings.TrimSpace(c.df.spec); s != "" && s != "auto" {
			return usagef("-download fetches the official archive into the cache; it does not combine with -data %s", c.df.spec)
		}
	}
	return c.df.validate()
}

// run is bench data: load (or download) and verify the data, then
// describe it.
func (c *dataCmd) run(ctx context.Context) error {
	prog := newProgress()
	defer prog.Wait()
	var d *dataset.Dataset
	var err error
	if c.download {
		d, err = downloadData(ctx, c.df, prog)
	} else {
		d, err = c.df.load(ctx, prog)
	}
	if err != nil {
		return err
	}
	if err := d.Verify(); err != nil {
		return err
	}
	prog.Wait()
	return describeData(stdout, d)
}

// downloadData implements -download: fetch the archive into the cache, or
// re-verify the one there, and read it.
func downloadData(ctx context.Context, df *dataFlags, prog *progress.Progress) (*dataset.Dataset, error) {
	cache := df.cache
	if cache == "" {
		var err error
		if cache, err = dataset.DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	file := filepath.Join(cache, dataset.ArchiveName)
	if _, err := os.Stat(file); err != nil {
		bar := prog.ByteBar("download", -1)
		file, err = dataset.Download(ctx, df.url, cache, bar.Func())
		if err != nil {
			bar.Done()
			return nil, err
		}
		bar.Done()
		prog.Printf("downloaded %s", file)
	} else {
		prog.Printf("%s is there already: verifying it", file)
	}
	sub := *df
	sub.spec = file
	d, err := sub.load(ctx, prog)
	if err != nil {
		return nil, err
	}
	if len(d.Files) == 0 || d.Files[0].MD5 != dataset.OfficialMD5 {
		got := "none"
		if len(d.Files) > 0 {
			got = d.Files[0].MD5
		}
		return nil, fmt.Errorf("%s: MD5 %s is not the official %s; delete the file and run bench data -download again", file, got, dataset.OfficialMD5)
	}
	return d, nil
}

// describeData prints the source, shape, per-class counts and checksums.
func describeData(w io.Writer, d *dataset.Dataset) error {
	fmt.Fprintf(w, "source   %s\n", d.Source)
	if d.Image != nil {
		fmt.Fprintf(w, "samples  %d×%d×%d images (height×width×channels), %d values each\n", d.Image.Height, d.Image.Width, d.Image.Channels, d.Image.Size())
	} else {
		fmt.Fprintf(w, "samples  vectors of %d features\n", d.Train.X.Cols)
	}
	fmt.Fprintf(w, "train    %d samples\ntest     %d samples\nclasses  %d\n\n", d.Train.Len(), d.Test.Len(), len(classLabels(d)))
	trainCounts, testCounts := countLabels(d.Train.Y), countLabels(d.Test.Y)
	var rows []reports.ClassCount
	for _, l := range classLabels(d) {
		rows = append(rows, reports.ClassCount{Label: l, Name: d.ClassName(l), Train: trainCounts[l], Test: testCounts[l]})
	}
	if err := reports.WriteClassCounts(w, rows); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nfiles read (%d)\n", len(d.Files))
	if len(d.Files) == 0 {
		fmt.Fprintf(w, "  (none: generated in memory)\n")
	} else if err := reports.WriteFileSums(w, d.Files); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nverified: %d samples, labels are classes of the data set, values finite%s\n",
		d.Train.Len()+d.Test.Len(), map[bool]string{true: " and in 0–255", false: ""}[d.Image != nil])
	return err
}

// classLabels returns the labels of the classes and of the samples, sorted.
func classLabels(d *dataset.Dataset) []int {
	seen := map[int]bool{}
	var out []int
	add := func(l int) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	for _, c := range d.Classes {
		add(c.Label)
	}
	for _, y := range d.Train.Y {
		add(y)
	}
	for _, y := range d.Test.Y {
		add(y)
	}
	slices.Sort(out)
	return out
}

func countLabels(y []int) map[int]int {
	m := map[int]int{}
	for _, l := range y {
		m[l]++
	}
	return m
}
