package bench

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/svmbench/svmbench/dataset"
	"github.com/svmbench/svmbench/internal/linalg"
)

// Version is svmbench's version, written into every manifest.
const Version = "0.1.0-dev"

// NewManifest describes this process, this machine and the data set d
// (which may be nil) for a results file.
func NewManifest(d *dataset.Dataset, seed uint64, args []string) Manifest {
	m := Manifest{
		Version:     Version,
		GoVersion:   runtime.Version(),
		GOOS:        runtime.GOOS,
		GOARCH:      runtime.GOARCH,
		CPU:         cpuModel(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		BLAS:        linalg.Implementation(),
		Seed:        seed,
		CommandLine: append([]string(nil), args...),
		Started:     time.Now().UTC().Format(time.RFC3339),
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				m.Version += "+" + s.Value[:min(12, len(s.Value))]
			}
		}
	}
	if d != nil {
		m.DataSource = d.Source
		m.DataFiles = d.Files
		m.TrainN = d.Train.Len()
		m.TestN = d.Test.Len()
	}
	return m
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
