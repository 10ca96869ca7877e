package dataset

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// FuzzCIFARRecord checks the batch validator and decoder on any bytes:
// no panic; either every record is whole with a label 0–9 and decodes to
// its bytes, or a *RecordError names a record that exists.
func FuzzCIFARRecord(f *testing.F) {
	f.Add(fakeBatch(1, 1, 3))
	f.Add(fakeBatch(1, 2, 9))
	f.Add(fakeBatch(1, 2, 0)[:cifarRecord+7])
	f.Add(append([]byte{10}, make([]byte, 3072)...))
	f.Add([]byte{})
	f.Add([]byte{255})
	f.Fuzz(func(t *testing.T, raw []byte) {
		n, err := checkBatch("f.bin", raw)
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) || re.File != "f.bin" || re.Record < 0 || re.Record > len(raw)/cifarRecord+1 ||
				strings.Contains(err.Error(), "\n") {
				t.Fatalf("bad error %#v for %d bytes", err, len(raw))
			}
			if re.Record == 0 && len(raw) != 0 {
				t.Fatalf("error %v does not name a record", err)
			}
			return
		}
		if n*cifarRecord != len(raw) || n == 0 {
			t.Fatalf("%d records from %d bytes", n, len(raw))
		}
		x, y := make([]float32, n*cifarPixels), make([]int, n)
		decodeBatch(x, y, raw)
		for i := 0; i < n; i++ {
			rec := raw[i*cifarRecord : (i+1)*cifarRecord]
			if y[i] != int(rec[0]) || y[i] > 9 {
				t.Fatalf("record %d: label %d from byte %d", i+1, y[i], rec[0])
			}
			for j, b := range rec[1:] {
				if x[i*cifarPixels+j] != float32(b) {
					t.Fatalf("record %d: pixel %d is %v, want %d", i+1, j, x[i*cifarPixels+j], b)
				}
			}
		}
	})
}

// FuzzLIBSVM checks the LIBSVM parser on any text: no panic; an error is a
// one-line *ParseError naming a line of the text; otherwise the samples
// obey the format's rules and survive WriteLIBSVM and a second parse
// unchanged.
func FuzzLIBSVM(f *testing.F) {
	for _, s := range []string{
		"1 1:0.5 3:2\n-1 2:1e-3\n",
		"# comment\n\n+1 1:1 2:2 # trailing\n2.0 4:0\n3",
		"1 3:0.5 2:0.1\n",
		"1 1:\n",
		"1.5 1:1\n",
		"1 0:1\n",
		"1 1:nan 2:inf\n",
		"1\t1:1\r\n2 16777216:1\n",
		"1 1:3.4028235e38 2:1e-45\n",
		"1 qid:1 1:1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := parseLIBSVM(context.Background(), "f.txt", strings.NewReader(text), nil)
		if err != nil {
			var pe *ParseError
			lines := strings.Count(text, "\n") + 1
			if !errors.As(err, &pe) || pe.File != "f.txt" || pe.Line < 1 || pe.Line > lines || strings.Contains(err.Error(), "\n") {
				t.Fatalf("bad error %q for %q", err, text)
			}
			return
		}
		rows := 0
		s.each(func(i int, idx []int32, val []float32) {
			if i != rows || len(idx) != len(val) {
				t.Fatalf("inconsistent rows for %q", text)
			}
			rows++
			prev := int32(0)
			for k := range idx {
				if idx[k] <= prev || int(idx[k]) > s.maxIdx || s.maxIdx > MaxLIBSVMIndex {
					t.Fatalf("row %d: index %d after %d (max %d)", i, idx[k], prev, s.maxIdx)
				}
				if v := float64(val[k]); math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("row %d: value %v", i, v)
				}
				prev = idx[k]
			}
		})
		if rows != len(s.labels) {
			t.Fatalf("%d rows for %d labels in %q", rows, len(s.labels), text)
		}
		if int64(len(s.labels))*int64(s.maxIdx) > 1<<20 {
			return
		}
		x, err := s.dense("f.txt", s.maxIdx)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteLIBSVM(&buf, x, s.labels); err != nil {
			t.Fatal(err)
		}
		s2, err := parseLIBSVM(context.Background(), "g.txt", &buf, nil)
		if err != nil {
			t.Fatalf("cannot read what WriteLIBSVM wrote: %v\n%s", err, buf.String())
		}
		x2, err := s2.dense("g.txt", s.maxIdx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.labels, s2.labels) || !slices.Equal(x.Data, x2.Data) {
			t.Fatalf("round trip changed %q into\n%s", text, buf.String())
		}
	})
}
