package progress_test

import (
	"os"
	"time"

	"github.com/svmbench/svmbench/internal/progress"
)

// A plain-mode Progress, as a CI log sees it. The clock is faked here so
// that the output is fixed; commands use progress.New(os.Stderr).
func Example() {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := progress.NewWith(os.Stdout, progress.Options{Mode: progress.Plain, Now: func() time.Time { return t }})
	bar := p.Bar("grid cells", 40)
	report := bar.Func() // hand this to a lower package's Progress field
	for done := int64(1); done <= 40; done++ {
		t = t.Add(time.Second) // one cell a second
		report(done, 40)
	}
	bar.Done()
	p.Wait()
	// Output:
	// grid cells: 12% (5/40) 5s elapsed, ETA 35s
	// grid cells: 25% (10/40) 10s elapsed, ETA 30s
	// grid cells: 37% (15/40) 15s elapsed, ETA 25s
	// grid cells: 50% (20/40) 20s elapsed, ETA 20s
	// grid cells: 62% (25/40) 25s elapsed, ETA 15s
	// grid cells: 75% (30/40) 30s elapsed, ETA 10s
	// grid cells: 87% (35/40) 35s elapsed, ETA 5s
	// grid cells: 100% (40/40) done in 40s
}
