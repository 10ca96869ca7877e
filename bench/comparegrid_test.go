package bench

import (
	"context"
	"slices"
	"testing"
)

// TestCompareOnGridReplaysRandom: the random search CompareOnGrid replays
// on the grid's cells has the CV accuracies a fitted random search of the
// same seed has, draw for draw; bayes is replayed as CompareSearches does.
func TestCompareOnGridReplaysRandom(t *testing.T) {
	useFitter(t, meanFit)
	d := blobs(3, 30, 6, 4)
	cfg := smallGrid("")
	_, cells, err := Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmpn, err := CompareOnGrid(d, cfg, cells, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := cmpn.Searches(); !slices.Equal(got, []string{"grid", "bayes", "random"}) || len(cmpn.Traces) != 5 || cmpn.Budget != 3 {
		t.Fatalf("searches %v, %d traces, budget %d", got, len(cmpn.Traces), cmpn.Budget)
	}
	for _, seed := range []uint64{1, 2} {
		r := cfg
		r.Search, r.SearchSeed, r.Trials = "random", seed, 3
		_, fitted, err := Grid(context.Background(), d, d.Train.X, nil, r)
		if err != nil {
			t.Fatal(err)
		}
		want := trace("random", seed, fitted)
		var got *SearchTrace
		for i, tr := range cmpn.Traces {
			if tr.Search == "random" && tr.Seed == seed {
				got = &cmpn.Traces[i]
			}
		}
		if got == nil || !got.Replayed || !slices.Equal(got.BestCV, want.BestCV) {
			t.Errorf("seed %d: replayed random %+v, fitted %v", seed, got, want.BestCV)
		}
	}
	// A range random search samples continuously is not replayable.
	cfg.C, _ = ParseRange("2^0:2^6:3")
	_, cells, err = Grid(context.Background(), d, d.Train.X, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompareOnGrid(d, cfg, cells, []uint64{1}); err == nil {
		t.Error("a random search over a 2^a:2^b:k range was replayed on grid cells")
	}
}
