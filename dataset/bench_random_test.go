package dataset

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// BenchmarkReadLIBSVMRandom1000x3072 reads a file of 1000 rows of 3072
// random values, each its own shortest float64 text (16–17 digits): no
// text repeats, so a memory of value texts can only cost time here.
func BenchmarkReadLIBSVMRandom1000x3072(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var text []byte
	for i := range 1000 {
		text = strconv.AppendInt(text, int64(i%10), 10)
		for j := range 3072 {
			text = strconv.AppendInt(append(text, ' '), int64(j+1), 10)
			text = strconv.AppendFloat(append(text, ':'), rng.Float64(), 'g', -1, 64)
		}
		text = append(text, '\n')
	}
	file := b.TempDir() + "/x.txt"
	if err := os.WriteFile(file, text, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, _, err := ReadLIBSVMFile(context.Background(), file); err != nil {
			b.Fatal(err)
		}
	}
}
