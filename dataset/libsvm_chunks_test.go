package dataset

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/svmbench/svmbench/internal/testio"
	"github.com/svmbench/svmbench/internal/textnum"
)

// TestParseLIBSVMChunks parses one text in one chunk and in many chunks
// (cut inside lines and values everywhere), and checks the rows agree and
// an error names the same line.
func TestParseLIBSVMChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for i := range 400 {
		if i%50 == 7 {
			b.WriteString("# a comment\n\n")
		}
		fmt.Fprintf(&b, "%d", rng.IntN(5)-2)
		for j := 1; j <= 40; j++ {
			if rng.IntN(3) == 0 {
				fmt.Fprintf(&b, " %d:%g", j, float32(rng.NormFloat64()))
			}
		}
		b.WriteString(" \n")
	}
	text := b.String()
	one, err := parseLIBSVM(context.Background(), "f.txt", strings.NewReader(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.parts) != 1 || len(one.labels) != 400 {
		t.Fatalf("%d parts, %d rows", len(one.parts), len(one.labels))
	}
	want, err := one.dense("f.txt", one.maxIdx)
	if err != nil {
		t.Fatal(err)
	}
	defer textnum.SetBlockSize(textnum.SetBlockSize(1))
	for _, bs := range []int{1, 13, 100, 4096} {
		textnum.SetBlockSize(bs)
		many, err := parseLIBSVM(context.Background(), "f.txt", strings.NewReader(text), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := many.dense("f.txt", many.maxIdx)
		if err != nil {
			t.Fatal(err)
		}
		if len(many.parts) < 2 || !slices.Equal(many.labels, one.labels) || !slices.Equal(got.Data, want.Data) || many.maxIdx != one.maxIdx {
			t.Fatalf("block %d: %d parts differ from one chunk", bs, len(many.parts))
		}
		lines := strings.SplitAfter(text, "\n")
		for _, bad := range []int{3, 200, 401} {
			l := slices.Clone(lines)
			l[bad-1] = "1 2:0.5 1:3\n"
			_, err := parseLIBSVM(context.Background(), "f.txt", strings.NewReader(strings.Join(l, "")), nil)
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != bad {
				t.Fatalf("block %d: bad line %d: error %v", bs, bad, err)
			}
		}
	}
}

// TestLIBSVMContext: reading a LIBSVM file with a cancelled context, or
// one cancelled part-way through the text, returns ctx.Err() and stops
// reading there.
func TestLIBSVMContext(t *testing.T) {
	dir := t.TempDir()
	text := strings.Repeat("1 1:0.5 3:0.25\n2 2:1\n", 2000)
	file := writeText(t, dir, "x.txt", text)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := ReadLIBSVMFile(ctx, file); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadLIBSVMFile, cancelled: %v", err)
	}
	if _, err := LoadLIBSVM(ctx, file, file); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadLIBSVM, cancelled: %v", err)
	}
	if _, err := Load(ctx, Options{Spec: "libsvm:" + file}); !errors.Is(err, context.Canceled) {
		t.Errorf("Load libsvm:, cancelled: %v", err)
	}

	defer textnum.SetBlockSize(textnum.SetBlockSize(256))
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r := &testio.CancelReader{R: strings.NewReader(text), After: len(text) / 4, Cancel: cancel}
	if _, err := parseLIBSVM(ctx, "x.txt", r, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled a quarter through: %v", err)
	}
	if r.N > len(text)/4+256 {
		t.Errorf("cancelled after %d of %d bytes, read %d", len(text)/4, len(text), r.N)
	}
}
