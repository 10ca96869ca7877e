package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options say where Load finds the data. The zero value is the default:
// spec "auto", the user cache folder, the official URL, download allowed.
type Options struct {
	// Spec is "auto" (or ""): $CIFAR10_DIR, then the cache, then download;
	// a folder of CIFAR-10 batches; a cifar-10-binary.tar.gz path;
	// "libsvm:TRAIN,TEST" or "libsvm:FILE"; "images:DIR"; or "synthetic"
	// (optionally "synthetic:TRAIN,TEST" with the two sizes).
	Spec string
	// PredictOnly says the data will only be predicted (bench predict):
	// "libsvm:FILE" is then read as the test split and
	// "libsvm:TRAIN,TEST" reads TEST alone; the training split is empty.
	// Other specs are read whole.
	PredictOnly bool
	// TrainOnly says the data will only be trained on (bench train):
	// "libsvm:TRAIN,TEST" reads TRAIN alone; the test split is empty.
	// Other specs are read whole.
	TrainOnly bool
	// CacheDir is where downloads go; "" means os.UserCacheDir()/svmbench.
	CacheDir string
	// URL of the CIFAR-10 binary archive; "" means the official one.
	URL string
	// NoDownload stops "auto" before downloading.
	NoDownload bool
	// Progress, when not nil, is called as bytes are downloaded or read
	// (CIFAR-10 downloads, archives and folders; the count starts again
	// from 0 for the read that follows a download); total is -1 when
	// unknown. It is called from the loading goroutine.
	Progress func(done, total int64)
	// Seed drives the synthetic data set.
	Seed uint64
}

// Load resolves opt.Spec and reads the data set it names.
//
//	auto, ""            $CIFAR10_DIR if set (an error there is final),
//	                    else CacheDir/cifar-10-binary.tar.gz if present
//	                    (MD5 checked), else download it there unless
//	                    NoDownload; if none works, one error (ErrNoData)
//	                    that says how to point at a local copy
//	DIR                 a folder of CIFAR-10 binary batches
//	FILE.tar.gz, .tgz   a CIFAR-10 binary archive, read without extracting
//	libsvm:TRAIN,TEST   two LIBSVM text files (TEST alone with PredictOnly,
//	                    TRAIN alone with TrainOnly)
//	libsvm:FILE         one LIBSVM text file: the training split, or with
//	                    PredictOnly the test split (the other split empty)
//	images:DIR          DIR/train/<class>/*.png|*.jpg and DIR/test/<class>/…
//	synthetic[:N,M]     the generated data set (N train, M test images)
func Load(ctx context.Context, opt Options) (*Dataset, error) {
	spec := strings.TrimSpace(opt.Spec)
	switch {
	case spec == "" || spec == "auto":
		return loadAuto(ctx, opt)
	case spec == "synthetic" || strings.HasPrefix(spec, "synthetic:"):
		nTrain, nTest, err := parseSizes(strings.TrimPrefix(strings.TrimPrefix(spec, "synthetic"), ":"))
		if err != nil {
			return nil, fmt.Errorf("dataset: -data %s: %v", spec, err)
		}
		return Synthetic(nTrain, nTest, opt.Seed), nil
	case strings.HasPrefix(spec, "libsvm:"):
		train, test, two := strings.Cut(strings.TrimPrefix(spec, "libsvm:"), ",")
		if train == "" || (two && test == "") {
			return nil, fmt.Errorf("dataset: -data %s: want libsvm:FILE or libsvm:TRAIN,TEST", spec)
		}
		switch {
		case opt.PredictOnly && two:
			return LoadLIBSVM(ctx, "", test)
		case opt.PredictOnly:
			return LoadLIBSVM(ctx, "", train)
		case opt.TrainOnly:
			return LoadLIBSVM(ctx, train, "")
		}
		return LoadLIBSVM(ctx, train, test)
	case strings.HasPrefix(spec, "images:"):
		dir := strings.TrimPrefix(spec, "images:")
		if dir == "" {
			return nil, fmt.Errorf("dataset: -data %s: want images:DIR", spec)
		}
		return LoadImages(ctx, dir)
	}
	return loadPath(ctx, spec, "-data "+spec, opt.Progress)
}

// loadPath reads a CIFAR-10 folder or archive; what says where the path
// came from, for errors.
func loadPath(ctx context.Context, p, what string, progress func(done, total int64)) (*Dataset, error) {
	st, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			want := "a folder of CIFAR-10 binary batches or a cifar-10-binary.tar.gz"
			if strings.HasPrefix(what, "-data") {
				want = "auto, a CIFAR-10 folder, a .tar.gz, libsvm:TRAIN,TEST, images:DIR or synthetic"
			}
			return nil, fmt.Errorf("dataset: %s: no such file or folder (want %s)", what, want)
		}
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if st.IsDir() {
		return readFolder(ctx, p, progress)
	}
	if strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".tgz") {
		return readArchive(ctx, p, "", progress)
	}
	return nil, fmt.Errorf("dataset: %s: a file, but not a .tar.gz archive (for LIBSVM text use libsvm:TRAIN,TEST)", what)
}

// maxSynthetic bounds the sizes of synthetic:N,M (12 GB of images each).
const maxSynthetic = 1 << 20

// parseSizes parses "" or "N,M".
func parseSizes(s string) (n, m int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, errors.New("want synthetic or synthetic:TRAIN,TEST (two sizes)")
	}
	if n, err = strconv.Atoi(a); err != nil || n < 1 || n > maxSynthetic {
		return 0, 0, fmt.Errorf("training size %q: want an integer from 1 to %d", a, maxSynthetic)
	}
	if m, err = strconv.Atoi(b); err != nil || m < 1 || m > maxSynthetic {
		return 0, 0, fmt.Errorf("test size %q: want an integer from 1 to %d", b, maxSynthetic)
	}
	return n, m, nil
}

// DefaultCacheDir is os.UserCacheDir()/svmbench.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("dataset: no user cache folder (%v); set -cache or CIFAR10_DIR", err)
	}
	return filepath.Join(dir, "svmbench"), nil
}

func loadAuto(ctx context.Context, opt Options) (*Dataset, error) {
	if dir := os.Getenv("CIFAR10_DIR"); dir != "" {
		d, err := loadPath(ctx, dir, "CIFAR10_DIR="+dir, opt.Progress)
		if err != nil {
			if strings.Contains(err.Error(), "CIFAR10_DIR") {
				return nil, err
			}
			return nil, fmt.Errorf("%w (from CIFAR10_DIR)", err)
		}
		d.Source += " (CIFAR10_DIR)"
		return d, nil
	}
	cache := opt.CacheDir
	if cache == "" {
		var err error
		if cache, err = DefaultCacheDir(); err != nil {
			return nil, noData(err.Error())
		}
	}
	cached := filepath.Join(cache, ArchiveName)
	if _, err := os.Stat(cached); err == nil {
		d, err := readArchive(ctx, cached, cifarMD5, opt.Progress)
		if err != nil {
			return nil, err
		}
		d.Source += " (cache)"
		return d, nil
	}
	if opt.NoDownload {
		return nil, noData(fmt.Sprintf("CIFAR10_DIR is not set, %s does not exist, and downloading is off", cached))
	}
	url := opt.URL
	if url == "" {
		url = OfficialURL
	}
	file, err := Download(ctx, url, cache, opt.Progress)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, noData(fmt.Sprintf("CIFAR10_DIR is not set, %s does not exist, and the download failed: %s", cached, strings.TrimPrefix(err.Error(), "dataset: ")))
	}
	d, err := readArchive(ctx, file, cifarMD5, opt.Progress)
	if err != nil {
		return nil, err
	}
	d.Source += " (downloaded from " + url + ")"
	return d, nil
}

type noDataError struct{ why string }

func (e *noDataError) Error() string {
	return "dataset: no CIFAR-10 data: " + strings.TrimPrefix(e.why, "dataset: ") +
		". Point at a local copy with -data DIR or CIFAR10_DIR=DIR (DIR holds data_batch_1..5.bin and test_batch.bin)," +
		" or -data FILE for cifar-10-binary.tar.gz; or use -data synthetic"
}

func (e *noDataError) Is(target error) bool { return target == ErrNoData }

func noData(why string) error { return &noDataError{why} }
