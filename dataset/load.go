package dataset

import (
	"context"
	"errors"
)

// Options say where Load finds the data. The zero value is the default:
// spec "auto", the user cache folder, the official URL, download allowed.
type Options struct {
	// Spec is "auto" (or ""): $CIFAR10_DIR, then the cache, then download;
	// a folder of CIFAR-10 batches; a cifar-10-binary.tar.gz path;
	// "libsvm:TRAIN[,TEST]"; "images:DIR"; or "synthetic".
	Spec string
	// CacheDir is where downloads go; "" means os.UserCacheDir()/svmbench.
	CacheDir string
	// URL of the CIFAR-10 binary archive; "" means the official one.
	URL string
	// NoDownload stops "auto" before downloading.
	NoDownload bool
	// Progress, when not nil, is called as bytes are downloaded or read;
	// total is -1 when unknown.
	Progress func(done, total int64)
	// Seed drives the synthetic data set.
	Seed uint64
}

// Load resolves opt.Spec and reads the data set it names.
func Load(ctx context.Context, opt Options) (*Dataset, error) {
	return nil, errors.New("dataset: Load not implemented yet")
}
